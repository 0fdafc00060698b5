"""The built site: strict, private, complete, and the same twice."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, all_pages, build_site

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
SITE_URL = CONFIG["site_url"]
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=["'](?:https?:)?//"""
    r"""|<link\b[^>]*\brel=["'](?:stylesheet|preload|modulepreload|icon|manifest)["'][^>]*href=["'](?:https?:)?//"""
    r"""|@import\s+url\(["']?(?:https?:)?//|url\(["']?(?:https?:)?//""", re.I)


def html_files(site: Path):
    return sorted(site.rglob("*.html"))


def test_no_diagram_fence_survives_as_a_code_block(built_site):
    for f in html_files(built_site):
        text = f.read_text(encoding="utf-8")
        for lang in ("diagram", "references", "glossary"):
            assert f'class="language-{lang}' not in text and f'class="{lang}"><code' not in text, f


def test_nothing_is_loaded_from_another_host(built_site):
    for f in [*html_files(built_site), *built_site.rglob("*.css")]:
        hits = EXTERNAL_LOAD.findall(f.read_text(encoding="utf-8"))
        assert not hits, f"{f.relative_to(built_site)} loads from another host: {hits[:3]}"


def test_every_page_has_a_canonical_url_and_a_language(built_site):
    for url in all_pages(built_site):
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        assert '<html lang="en"' in text, url
        assert f'<link rel="canonical" href="{SITE_URL}{url}">' in text, url


def test_sitemap_lists_every_page(built_site):
    sitemap = (built_site / "sitemap.xml").read_text()
    for url in all_pages(built_site):
        assert f"<loc>{SITE_URL}{url}</loc>" in sitemap, url


def test_the_font_is_self_hosted_with_its_licence(built_site):
    fonts = built_site / "assets" / "fonts"
    assert sorted(p.suffix for p in fonts.iterdir()) .count(".woff2") == 4
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()
    css = (built_site / "assets" / "css" / "site.css").read_text()   # its @font-face rules, at the top
    assert "Atkinson Hyperlegible" in css


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path, built_site):
    second = build_site(tmp_path / "again")
    first_files = {p.relative_to(built_site): p for p in built_site.rglob("*") if p.is_file()}
    second_files = {p.relative_to(second): p for p in second.rglob("*") if p.is_file()}
    assert sorted(first_files) == sorted(second_files)
    different = [str(rel) for rel, p in first_files.items() if p.read_bytes() != second_files[rel].read_bytes()]
    assert not different, f"differ between two builds: {different[:10]}"


def test_cli_check_passes_on_the_repository():
    result = subprocess.run([sys.executable, "-m", "generators", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- strict means strict ---------------------------------------------------------------------------

BROKEN = {
    "link": ("See [a page that is not there](no-such-page.md).",
             ["contains a link 'no-such-page.md', but the target is not found",
              "link 'no-such-page.md': no such page or file (404)"]),
    "anchor": ("See [a section that is not there](about.md#no-such-section).",
               ["does not contain an anchor '#no-such-section'",
                "link '../about/#no-such-section': anchor '#no-such-section' not found in /about/"]),
}
SITECHECK = [sys.executable, "-m", "generators.maintainer.sitecheck"]


def test_make_build_checks_links_after_mkdocs():
    recipe = re.search(r"^build:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.M | re.S).group(0)
    assert "mkdocs build --strict -d site.tmp\n\t$(BIN)/python -m generators.maintainer.sitecheck site.tmp" in recipe


@pytest.mark.slow
@pytest.mark.parametrize("flags", [[], ["--verbose"], ["--quiet"]], ids=["default", "verbose", "quiet"])
@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_the_strict_build_fails_on_a_broken_markdown_link_or_anchor(tmp_path, breakage, flags):
    """A copy of the project whose one page links to a missing page, or to a missing section of a
    page that exists: `make build` (MkDocs' strict build, then the site's link check) stops, at
    any verbosity. MkDocs 1.6 alone does not: --quiet drops the warnings before strict mode counts
    them, and --verbose skips the anchor validation (mkdocs/structure/pages.py), so the link
    check after it is what makes the build strict whatever the verbosity."""
    project = tmp_path / "project"
    for name in ("docs", "data", "diagrams"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    line, messages = BROKEN[breakage]
    page = project / "docs" / "faq.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    site = tmp_path / "site"
    steps = [[sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-d", str(site)], [*SITECHECK, str(site)]]
    out = ""
    for step in steps:
        result = subprocess.run(step, cwd=project, capture_output=True, text=True)
        out += result.stdout + result.stderr
        if result.returncode:
            break
    assert result.returncode != 0, out
    assert any(m in out for m in messages), out
    if not flags:  # MkDocs itself names the page
        assert "Doc file 'faq.md'" in out and messages[0] in out and "Aborted with" in out, out


MKDOCS_BUILD = re.compile(r"mkdocs\W+build\b[^\n]*")
QUIET = re.compile(r"(--quiet|(?<![\w-])-q\b)")


def test_no_gating_build_silences_the_warnings_strict_mode_counts():
    """`mkdocs build --strict --quiet` exits 0 on a broken link: --quiet drops the warnings before
    strict mode counts them (MkDocs 1.6). So no build that gates a change may be quiet."""
    files = [ROOT / "Makefile", ROOT / ".ci" / "run", ROOT / "tests" / "conftest.py",
             ROOT / "generators" / "maintainer" / "maintainer_check.py",
             *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    builds = [(f, m.group(0)) for f in files if f.is_file()
              for m in MKDOCS_BUILD.finditer(f.read_text(encoding="utf-8"))]
    assert len(builds) >= 3, builds  # make build, this suite's build, make check's build
    quiet = [f"{f.relative_to(ROOT)}: {cmd}" for f, cmd in builds if QUIET.search(cmd)]
    assert not quiet, "builds that hide strict mode's warnings:\n" + "\n".join(quiet)
