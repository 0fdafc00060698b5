"""Generated SVG is lean and clean: no editor metadata, coordinates rounded to at most two
decimals, no <style> element inside a diagram (styling lives once in the site's CSS), and each
diagram under 20 kB (``make bench`` shows the sizes)."""
from __future__ import annotations

import re

import pytest

from generators.core import catalog

EDITOR = re.compile(r"<(?:metadata|sodipodi:|inkscape:)|\b(?:sodipodi|inkscape):|xmlns:(?:sodipodi|inkscape)", re.I)
GEOMETRY_ATTR = re.compile(r'\s(?:d|points|x|y|x1|y1|x2|y2|cx|cy|r|rx|ry|width|height|viewBox|transform)="([^"]*)"')
TOO_PRECISE = re.compile(r"\d\.\d{3,}")
INLINE_SVG = re.compile(r"<svg\b[^>]*\bdata-diagram=\"([^\"]+)\".*?</svg>", re.S)

SPECS = catalog.all_specs()
SVG_MAX_BYTES = 20_000


def problems(svg: str) -> list[str]:
    found = []
    if EDITOR.search(svg):
        found.append(f"editor metadata: {EDITOR.search(svg).group(0)!r}")
    precise = [m.group(0) for v in GEOMETRY_ATTR.findall(svg) for m in TOO_PRECISE.finditer(v)]
    if precise:
        found.append(f"{len(precise)} coordinates with more than 2 decimals, e.g. {precise[:3]}")
    if re.search(r"<style\b", svg):
        found.append("a <style> element inside the SVG (put the rules in the site's CSS, once)")
    return found


@pytest.mark.parametrize("spec", SPECS, ids=[p.stem for p in SPECS])
def test_generated_svg_is_clean_and_small(spec):
    svg = catalog.render_svg(spec)
    assert not problems(svg), problems(svg)
    size = len(svg.encode("utf-8"))
    assert size < SVG_MAX_BYTES, f"{spec.stem}: the SVG is {size / 1000:.1f} kB, over the 20 kB budget"


def test_inline_svg_in_built_pages_is_clean(built_site):
    bad = []
    for html in sorted(built_site.rglob("*.html")):
        for m in INLINE_SVG.finditer(html.read_text(encoding="utf-8")):
            bad += [f"{html.relative_to(built_site)} {m.group(1)}: {p}" for p in problems(m.group(0))]
    assert not bad, "\n".join(bad)
