"""The navigation must not make pages heavier as the site grows: the same page weighs the same
(within 10 %) in a site of 40 pages and in one of 400. Built cheaply: every page is a
one-paragraph stub (keeping its front matter), with the site's own navigation, theme features
and templates, and the added pages are listed as a site of that size would list them (a
section of groups of ten, groups of groups above a hundred: see bench.make_scaled_copy). Sizes
only, nothing timed; `make bench` measures the same with the real pages, and the build times."""
from __future__ import annotations

import pytest

from generators.maintainer import bench

pytestmark = pytest.mark.slow  # two builds of the site (one of 400 pages)

GROWTH_MAX = 0.10


def _build(tmp_path, total: int):
    project = bench.copy_project(tmp_path / f"project-{total}")
    bench.make_scaled_copy(project, total, stub=True)
    site = tmp_path / f"site-{total}"
    bench.mkdocs_build(project, site)
    return site


def test_a_page_weighs_the_same_in_a_site_of_400_pages_as_in_one_of_40(tmp_path):
    small, large = _build(tmp_path, 40), _build(tmp_path, 400)
    assert len(bench.page_urls(small)) >= 40 and len(bench.page_urls(large)) >= 400
    pages = [u for u in bench.page_urls(small) if not u.startswith("scale/")]   # the site's own pages
    assert len(pages) >= 30
    grown = {}
    for url in pages:
        before = (small / url / "index.html").stat().st_size
        after = (large / url / "index.html").stat().st_size
        if after > before * (1 + GROWTH_MAX):
            grown[url or "/"] = f"{before:,} -> {after:,} bytes"
    assert not grown, f"pages that grew by more than {GROWTH_MAX:.0%} with 360 more pages in the site: {grown}"
    small_avg, large_avg = bench.html_per_page(small, pages), bench.html_per_page(large, pages)
    assert large_avg <= small_avg * (1 + GROWTH_MAX)
    # and a page deep in the big site's navigation pays for its place in the tree, not for the
    # other pages: at most a few more levels of links than a page of the small site
    deep = max((large / u / "index.html").stat().st_size for u in bench.page_urls(large) if u not in pages)
    assert deep <= 2 * max((small / u / "index.html").stat().st_size for u in pages)


def test_the_scaled_copy_lists_every_added_page_in_groups_of_ten(tmp_path):
    project = bench.copy_project(tmp_path / "project")
    added = bench.make_scaled_copy(project, 400, stub=True)
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.count("scale/page-") == added and added >= 360 - 40
    import yaml

    nav = yaml.load(text, Loader=yaml.BaseLoader)["nav"]
    scale = next(item["Scale test"] for item in nav if isinstance(item, dict) and "Scale test" in item)

    def widest(items):
        return max([len(items)] + [widest(v) for i in items if isinstance(i, dict) for v in i.values()
                                   if isinstance(v, list)])
    assert widest(scale) <= bench.SCALE_GROUP
