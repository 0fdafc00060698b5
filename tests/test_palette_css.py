"""The palette stylesheet the pages load is the theme's, cut down to this site's palettes
(generators/maintainer/palette_css.py): made from the installed theme, nothing left out that can
apply to a palette mkdocs.yml names, and linked in place of the theme's."""
from __future__ import annotations

import re

import pytest

from generators.maintainer import palette_css

COMMAND = "run: python -m generators.maintainer.palette_css"


def declarations(css: str, selector: str) -> dict[str, str]:
    """Every declaration of the rules whose selector list includes ``selector`` exactly."""
    import tinycss2

    out: dict[str, str] = {}

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule" and selector in palette_css._selectors(rule.prelude):
                for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                    if d.type == "declaration":
                        out[d.lower_name] = tinycss2.serialize(d.value).strip()
            elif rule.type == "at-rule" and rule.content is not None:
                walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return out


def test_the_committed_file_is_what_the_installed_theme_gives():
    assert palette_css.OUT.read_text(encoding="utf-8") == palette_css.render(), \
        f"{palette_css.OUT.name} is out of date with the installed theme; {COMMAND}"


def test_it_uses_the_palettes_of_mkdocs_yml():
    used = palette_css.used_palettes()
    assert used["scheme"] == {"default", "slate"}
    assert "custom" in used["primary"] and "custom" in used["accent"]


def test_nothing_is_left_out_that_can_apply_to_these_palettes():
    theme = palette_css.theme_palette_css().read_text(encoding="utf-8")
    ours = palette_css.OUT.read_text(encoding="utf-8")
    # the dark scheme, every custom property and value as the theme has it
    dark = declarations(theme, "[data-md-color-scheme=slate]")
    assert len(dark) > 30 and declarations(ours, "[data-md-color-scheme=slate]") == dark
    # the switch's "no transitions while switching"
    assert "[data-md-color-switching] *" in ours
    # every selector of the theme naming only used palettes is there
    used = palette_css.used_palettes()
    names = set(re.findall(r"\[data-md-color-[a-z]+=[\w-]+\][^,{]*", theme))
    for name in names:
        attrs = palette_css.COLOUR_ATTR.findall(name)
        if all(value in used[kind] for kind, value in attrs):
            assert name.strip() in ours, name
        else:
            assert name.strip() + "{" not in ours and name.strip() + "," not in ours, name


def test_a_selector_is_kept_only_for_the_palettes_in_use():
    css = ("@media screen{[data-md-color-primary=red]{--a:1}[data-md-color-scheme=slate] a,"
           "[data-md-color-accent=pink] a{color:red}}[data-md-color-switching] *{b:0}"
           "@media (min-width:60em){[data-md-color-primary=red] .x{c:1}}")
    used = {"scheme": {"default", "slate"}, "primary": {"custom"}, "accent": {"custom"}}
    assert palette_css.palette_subset(css, used) == \
        "@media screen{[data-md-color-scheme=slate] a{color:red}}[data-md-color-switching] *{b:0}"


@pytest.mark.site
def test_the_pages_link_it_in_place_of_the_theme_s(built_site):
    text = (built_site / "causes" / "osteonecrosis" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../assets/css/palette.css">' in text
    assert "assets/stylesheets/palette." not in text
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assert links.index("../../assets/css/palette.css") == links.index(next(
        link for link in links if "/assets/stylesheets/main." in link)) + 1   # right after the theme's
