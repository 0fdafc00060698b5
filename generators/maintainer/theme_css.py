"""The theme's two stylesheets, cut down to what this site uses.

Every page loaded the whole of Material's ``main.css`` (23 kB compressed, 138 kB raw) and
``palette.css`` (2.1 kB, 12 kB). This writes cut-down copies that ``docs/overrides/main.html``
links in their place (the build with Zensical keeps Zensical's own):

- ``docs/assets/css/theme-main.css``: the theme's rules, unchanged and in the theme's order,
  without the selectors of the components in ``UNUSED`` (theme features this site does not
  switch on, or markup it never writes). Besides their bytes, they cost style work on every
  element: the content tabs' rules alone (``.tabbed-set > input:nth-child(N) ...``, twenty of
  each) were 70 % of the selectors the browser tried while a page started.
- ``docs/assets/css/theme-palette.css``: the rules that can apply to the palettes mkdocs.yml
  names (its primary and accent colour are "custom", ours, in ``site.css``; the theme has 21 and
  16 of them): a rule is left out only when every selector of it names a scheme, primary or
  accent colour that mkdocs.yml does not use.

    python -m generators.maintainer.theme_css          # rewrite both
    python -m generators.maintainer.theme_css --check  # exit 1 if either is not what the theme gives

``tests/test_theme_css.py`` fails on a theme upgrade until they are made again (with this
command), and when a page starts to use a left-out component (then take it out of ``UNUSED``).
tinycss2 reads and writes the CSS (a tokenizer that follows the CSS Syntax specification, from
the maintainers of WeasyPrint): the theme's files are minified, and a hand-made splitter would
have to know about strings, escapes and nested blocks. Output is deterministic.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CSS_DIR = ROOT / "docs" / "assets" / "css"
OUT_MAIN, OUT_PALETTE = CSS_DIR / "theme-main.css", CSS_DIR / "theme-palette.css"
# components of the theme this site does not use: the class names their selectors start with,
# and why they are unused (tests/test_theme_css.py checks that no built page has one)
UNUSED = {
    "tabbed-": "content tabs (pymdownx.tabbed): no page has one",
    "task-list": "task lists (pymdownx.tasklist): no page has one (the checklists are lists)",
    "md-tag": "tags: the tags plugin is not used",
    "md-annotation": "code annotations: content.code.annotate is off",
    "mermaid": "Mermaid diagrams: not configured",
    "md-tabs": "navigation tabs: navigation.tabs is off",
    "md-banner": "the announcement bar: no announcement",
    "md-version": "the version selector: no versions",
    "md-social": "social links: none in extra.social",
    "md-source-file": "page dates from git: not used",
}
UNUSED_CLASS = re.compile(r"\.(?:" + "|".join(re.escape(p) for p in UNUSED) + r")")
COLOUR_ATTR = re.compile(r"""\[data-md-color-(scheme|primary|accent)=["']?([\w-]+)["']?\]""")


def used_palettes(config: Path = ROOT / "mkdocs.yml") -> dict[str, set[str]]:
    """The schemes, primary and accent colours mkdocs.yml's theme.palette names (with Material's
    defaults for what an entry leaves out: the same as its palette partial)."""
    # every value a string, tags (mkdocs.yml's `!!python/name:`) not resolved: as sitecheck reads it
    palette = (yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.BaseLoader).get("theme") or {}).get("palette")
    entries = palette if isinstance(palette, list) else [palette] if palette else []
    used = {"scheme": set(), "primary": set(), "accent": set()}
    for entry in entries:
        used["scheme"].add(str(entry.get("scheme") or "default").replace(" ", "-"))
        used["primary"].add(str(entry.get("primary") or "indigo").replace(" ", "-"))
        used["accent"].add(str(entry.get("accent") or "indigo").replace(" ", "-"))
    return used


def theme_css(name: str) -> Path:
    """The installed Material's ``main`` or ``palette`` stylesheet (its file name carries a hash
    of its content)."""
    import material

    found = sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob(f"{name}.*.min.css"))
    if len(found) != 1:
        raise SystemExit(f"expected one {name}.*.min.css in the installed Material, found {len(found)}")
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


def palette_applies(selector: str, used: dict[str, set[str]]) -> bool:
    return all(value in used[kind] for kind, value in COLOUR_ATTR.findall(selector))


def main_applies(selector: str) -> bool:
    return not UNUSED_CLASS.search(selector)


def _kept(rules, keep) -> list[str]:
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _selectors(rule.prelude) if keep(s)]
            if selectors:
                out.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            inner = _kept(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), keep)
            if inner:
                out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]).strip())
        elif rule.type == "error":
            raise SystemExit(f"cannot read the theme's CSS: {rule.message}")
    return out


def subset(css: str, keep) -> str:
    """The rules of ``css`` with only the selectors for which ``keep(selector)`` holds."""
    import tinycss2

    return "".join(_kept(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), keep))


def render() -> dict[Path, str]:
    """Both files' text, from the installed theme."""
    from importlib.metadata import version

    used = used_palettes()
    theme = f"mkdocs-material {version('mkdocs-material')}"
    main_src, palette_src = theme_css("main"), theme_css("palette")
    names = "; ".join(f"{kind} {', '.join(sorted(values))}" for kind, values in used.items())
    left_out = ", ".join(UNUSED)
    return {
        OUT_MAIN: (f"/* Made by `python -m generators.maintainer.theme_css` from {theme}'s {main_src.name}, "
                   f"without the components this site does not use ({left_out}). Do not edit. */\n"
                   + subset(main_src.read_text(encoding="utf-8"), main_applies) + "\n"),
        OUT_PALETTE: (f"/* Made by `python -m generators.maintainer.theme_css` from {theme}'s {palette_src.name}: "
                      f"only the rules for this site's palettes ({names}). Do not edit. */\n"
                      + subset(palette_src.read_text(encoding="utf-8"), lambda s: palette_applies(s, used)) + "\n"),
    }


def main(argv: list[str]) -> int:
    files = render()
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p.relative_to(ROOT)} is not what the installed theme gives; "
                  "run: python -m generators.maintainer.theme_css", file=sys.stderr)
        return 1 if stale else 0
    for p, text in files.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
