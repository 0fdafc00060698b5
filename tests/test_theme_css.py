"""The theme's stylesheets as the pages load them: cut down to what this site uses
(generators/maintainer/theme_css.py). Made from the installed theme; nothing left out that a page
can use; linked in place of the theme's."""
from __future__ import annotations

import re

import pytest

from generators.maintainer import theme_css

COMMAND = "run: python -m generators.maintainer.theme_css"


def rules(css: str):
    """(selectors, declarations text) of every style rule, at any depth of @media/@supports."""
    import tinycss2

    def walk(items):
        for rule in items:
            if rule.type == "qualified-rule":
                yield theme_css._selectors(rule.prelude), tinycss2.serialize(rule.content).strip()
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
                yield from walk(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

    yield from walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def selector_set(css: str) -> set[tuple[str, str]]:
    return {(s, body) for selectors, body in rules(css) for s in selectors}


@pytest.fixture(scope="module")
def made():
    return theme_css.render()


def test_the_committed_files_are_what_the_installed_theme_gives(made):
    for path, text in made.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is out of date with the installed theme; {COMMAND}"


def test_main_keeps_every_selector_but_those_of_the_unused_components(made):
    theme = selector_set(theme_css.theme_css("main").read_text(encoding="utf-8"))
    ours = selector_set(made[theme_css.OUT_MAIN])
    kept = {(s, b) for s, b in theme if not theme_css.UNUSED_CLASS.search(s)}
    assert ours == kept
    left_out = theme - kept
    assert any(".tabbed-set" in s for s, _ in left_out) and len(left_out) > 300
    # the site's layout is all there (a sample of what every page uses)
    for name in (".md-grid", ".md-header", ".md-nav__link", ".md-typeset h1", ".md-search__input",
                 ".md-typeset .admonition", ".md-typeset table:not([class])", ".md-footer"):
        assert any(name in s for s, _ in ours), name


def test_no_page_uses_a_left_out_component(built_site):
    """If a page starts to use one (content tabs, say), take it out of theme_css.UNUSED."""
    pattern = re.compile(r'class="([^"]*)"')
    found = {}
    for page in sorted(built_site.rglob("*.html")):
        for classes in pattern.findall(page.read_text(encoding="utf-8")):
            for name in classes.split():
                if theme_css.UNUSED_CLASS.search("." + name):
                    found.setdefault(name, str(page.relative_to(built_site)))
    assert not found, f"pages use components left out of theme-main.css: {found}; {COMMAND} after editing UNUSED"


def test_the_features_of_the_left_out_components_are_off():
    import yaml

    config = yaml.load((theme_css.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    features = set(config["theme"].get("features") or ())
    assert not features & {"navigation.tabs", "navigation.tabs.sticky", "content.code.annotate"}
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins") or ()}
    assert "tags" not in plugins and "git-revision-date-localized" not in plugins
    extra = config.get("extra") or {}
    assert not extra.get("social") and not extra.get("version")


def test_palette_keeps_what_can_apply_to_the_palettes_of_mkdocs_yml(made):
    used = theme_css.used_palettes()
    assert used["scheme"] == {"default", "slate"}
    assert "custom" in used["primary"] and "custom" in used["accent"]
    theme = selector_set(theme_css.theme_css("palette").read_text(encoding="utf-8"))
    ours = selector_set(made[theme_css.OUT_PALETTE])
    assert ours == {(s, b) for s, b in theme if theme_css.palette_applies(s, used)}
    dark = [b for s, b in ours if s == "[data-md-color-scheme=slate]"]
    assert dark and dark[0].count("--md-") > 30          # the dark scheme, as the theme has it
    assert any(s == "[data-md-color-switching] *" for s, _ in ours)
    assert not any("data-md-color-primary=red" in s for s, _ in ours)


def test_a_selector_is_kept_only_where_it_can_apply():
    css = ("@media screen{[data-md-color-primary=red]{--a:1}[data-md-color-scheme=slate] a,"
           "[data-md-color-accent=pink] a{color:red}}[data-md-color-switching] *{b:0}"
           "@media (min-width:60em){[data-md-color-primary=red] .x{c:1}}")
    used = {"scheme": {"default", "slate"}, "primary": {"custom"}, "accent": {"custom"}}
    assert theme_css.subset(css, lambda s: theme_css.palette_applies(s, used)) == \
        "@media screen{[data-md-color-scheme=slate] a{color:red}}[data-md-color-switching] *{b:0}"
    css = ".md-typeset .tabbed-set>input:checked,.md-grid{x:1}.md-tag{y:2}@font-face{font-family:a}"
    assert theme_css.subset(css, theme_css.main_applies) == ".md-grid{x:1}@font-face{font-family:a}"


@pytest.mark.site
def test_the_pages_link_them_in_place_of_the_theme_s(built_site):
    text = (built_site / "causes" / "osteonecrosis" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assert links[:2] == ["../../assets/css/theme-main.css", "../../assets/css/theme-palette.css"]
    assert "assets/stylesheets/" not in text
