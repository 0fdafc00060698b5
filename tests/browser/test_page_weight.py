"""The search index (the text of every page) is the heaviest thing a page could load: it is
fetched only when the reader reaches for search, never just because a page opened."""
from __future__ import annotations

import statistics

import pytest

from generators.maintainer import bench

INDEX = "/search/search_index.json"


def test_the_search_index_loads_only_when_the_reader_starts_to_search(site_url, fresh_page):
    fetched: list[str] = []
    fresh_page.on("request", lambda r: fetched.append(r.url))
    settled = bench.Settled(fresh_page)
    fresh_page.goto(site_url + "knee/", wait_until="load")
    settled.wait()   # loaded, scripts idle, nothing in flight
    assert not [u for u in fetched if u.endswith(INDEX)], "the search index was fetched when the page opened"
    with fresh_page.expect_request(lambda r: r.url.endswith(INDEX), timeout=10_000):
        fresh_page.keyboard.press("/")  # the theme's shortcut focuses the search box
    fresh_page.locator("input.md-search__input").press_sequentially("knee", delay=30)
    fresh_page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)


def test_a_search_result_link_still_highlights_its_words(site_url, fresh_page):
    with fresh_page.expect_request(lambda r: r.url.endswith(INDEX), timeout=10_000):
        fresh_page.goto(site_url + "knee/?h=bone", wait_until="load")


# --- what a first visit loads, by kind (sizes of the files, gzipped as the server sends them:
# the same on every machine; `make bench` prints them, and times them) -----------------------


KIND_BUDGET = {"HTML": 50_000, "CSS": 35_000, "JS": 50_000, "fonts": 30_000, "images": 5_000, "other": 5_000}
MEDIAN_BUDGET, HEAVIEST_BUDGET = 100_000, 150_000
# (the explainer page keeps to the same budgets: its terms, reading words and diagrams are
# fetched when the reader first reaches for its text box, not with the page)


@pytest.fixture(scope="module")
def weights(built_site, browser):
    """Every page's first visit: (weights by kind, {page: paths the server was asked for})."""
    loaded: dict[str, list[str]] = {}
    with bench.LoopbackServer(built_site) as server:
        return bench.measure_page_weights(built_site, server, browser=browser, loaded=loaded), loaded


def test_every_page_keeps_to_its_weight_budget_by_kind(weights):
    over = {}
    for url, (by_kind, _) in weights[0].items():
        for kind, size in by_kind.items():
            if size > KIND_BUDGET[kind]:
                over[f"/{url} {kind}"] = f"{size:,} > {KIND_BUDGET[kind]:,} bytes"
    assert not over, over


def test_the_median_page_and_the_heaviest_keep_to_their_budgets(weights):
    totals = {url: sum(by_kind.values()) for url, (by_kind, _) in weights[0].items()}
    assert len(totals) >= 30
    assert statistics.median(totals.values()) < MEDIAN_BUDGET
    heaviest = max(totals, key=totals.get)
    assert totals[heaviest] < HEAVIEST_BUDGET, f"/{heaviest}: {totals[heaviest]:,} bytes"
    assert "mri-report/" in totals


def test_a_page_loads_the_diagram_and_explainer_code_only_if_it_shows_one(built_site, weights):
    for url, paths in weights[1].items():
        loaded = {p.rsplit("/", 1)[-1] for p in paths}
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        anatomy = "data-diagram-figure" in html   # (the explainer's diagrams come with its data)
        assert ("diagrams.js" in loaded) == anatomy, url
        assert ("diagrams.css" in loaded) == anatomy, url
        assert ("flowcharts.css" in loaded) == ('class="fc-svg' in html), url
        assert ("explainer.js" in loaded) == ("data-explainer-data" in html), url
        # the explainer's data only when the reader reaches for it
        assert not [p for p in paths if "/assets/data/explainer/" in p], url
        # no search worker, index or word list; search.js (3 kB) is the page-side hook that must
        # be in place before the theme's bundle starts its worker
        assert not {p for p in loaded if (p.startswith("search.") and p != "search.js")
                    or p in ("search_index.json", "search-worker.js", "search-terms.json")}, url
    assert "explainer.js" in {p.rsplit("/", 1)[-1] for p in weights[1]["mri-report/"]}
    assert "diagrams.js" in {p.rsplit("/", 1)[-1] for p in weights[1]["knee/"]}
