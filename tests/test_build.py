"""The built site: strict, private, complete, and the same twice."""
from __future__ import annotations

import re
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
    css = (built_site / "assets" / "css" / "fonts.css").read_text()
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
