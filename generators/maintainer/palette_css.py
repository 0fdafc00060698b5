"""The theme's palette stylesheet, cut down to the palettes this site uses.

Material's ``palette.css`` holds the colours of its 21 primary and 16 accent colours, of which
mkdocs.yml uses one of each ("custom": ours, in ``docs/assets/css/site.css``), and the dark
scheme ("slate"). Every page loaded all of it (2.1 kB compressed, 12 kB raw). This writes
``docs/assets/css/palette.css``: the theme's rules that can apply to the palettes mkdocs.yml
names, unchanged and in the theme's order (about a third of the file), and
``docs/overrides/main.html`` links it in place of the theme's. A rule is left out only when
every selector of it names a scheme, primary or accent colour that mkdocs.yml does not use.

    python -m generators.maintainer.palette_css          # rewrite docs/assets/css/palette.css
    python -m generators.maintainer.palette_css --check  # exit 1 if it is not what the theme gives

On a theme upgrade the file must be made again: ``tests/test_palette_css.py`` fails until it is
(with this command to run). The build with Zensical keeps Zensical's own palette stylesheet.
tinycss2 reads and writes the CSS (a tokenizer that follows the CSS Syntax specification, from
the maintainers of WeasyPrint): the theme's file is minified, and a hand-made splitter would have
to know about strings, escapes and nested blocks. Output is deterministic.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "assets" / "css" / "palette.css"
COLOUR_ATTR = re.compile(r"""\[data-md-color-(scheme|primary|accent)=["']?([\w-]+)["']?\]""")


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its `!!python/name:` tags read as plain strings (they are not needed here)."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def used_palettes(config: Path = ROOT / "mkdocs.yml") -> dict[str, set[str]]:
    """The schemes, primary and accent colours mkdocs.yml's theme.palette names (with Material's
    defaults for what an entry leaves out: the same as its palette partial)."""
    palette = (yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader).get("theme") or {}).get("palette")
    entries = palette if isinstance(palette, list) else [palette] if palette else []
    used = {"scheme": set(), "primary": set(), "accent": set()}
    for entry in entries:
        used["scheme"].add(str(entry.get("scheme") or "default").replace(" ", "-"))
        used["primary"].add(str(entry.get("primary") or "indigo").replace(" ", "-"))
        used["accent"].add(str(entry.get("accent") or "indigo").replace(" ", "-"))
    return used


def theme_palette_css() -> Path:
    """The installed Material's palette stylesheet (its name carries a hash of its content)."""
    import material

    found = sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("palette.*.min.css"))
    if len(found) != 1:
        raise SystemExit(f"expected one palette.*.min.css in the installed Material, found {len(found)}")
    return found[0]


def _selectors(prelude) -> list[str]:
    """A rule's selector list, split at its top-level commas."""
    import tinycss2

    out, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            out.append(tinycss2.serialize(current).strip())
            current = []
        else:
            current.append(token)
    out.append(tinycss2.serialize(current).strip())
    return out


def _applies(selector: str, used: dict[str, set[str]]) -> bool:
    return all(value in used[kind] for kind, value in COLOUR_ATTR.findall(selector))


def _kept(rules, used: dict[str, set[str]]) -> list[str]:
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if _applies(s, used)]
            if selectors:
                out.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            inner = _kept(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]).strip())
        elif rule.type == "error":
            raise SystemExit(f"{theme_palette_css()}: cannot read the theme's CSS: {rule.message}")
    return out


def palette_subset(css: str, used: dict[str, set[str]]) -> str:
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(_kept(rules, used))


def render() -> str:
    import material  # noqa: F401  (the theme's version, named in the header)
    from importlib.metadata import version

    src = theme_palette_css()
    used = used_palettes()
    names = ", ".join(f"{kind} {' '.join(sorted(values))}" for kind, values in used.items())
    head = (f"/* Generated by `python -m generators.maintainer.palette_css` from mkdocs-material "
            f"{version('mkdocs-material')}'s {src.name}: only the rules for this site's palettes ({names}). "
            f"Do not edit; make it again after a theme upgrade. */\n")
    return head + palette_subset(src.read_text(encoding="utf-8"), used) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is not what the installed theme gives; "
                  "run: python -m generators.maintainer.palette_css", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
