"""The search index (the text of every page) is the heaviest thing a page could load: it is
fetched only when the reader reaches for search, never just because a page opened."""
from __future__ import annotations

INDEX = "/search/search_index.json"


def test_the_search_index_loads_only_when_the_reader_starts_to_search(site_url, page):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(site_url + "knee/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in fetched if u.endswith(INDEX)], "the search index was fetched when the page opened"
    with page.expect_request(lambda r: r.url.endswith(INDEX), timeout=10_000):
        page.keyboard.press("/")  # the theme's shortcut focuses the search box
    page.locator("input.md-search__input").press_sequentially("knee", delay=30)
    page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)


def test_a_search_result_link_still_highlights_its_words(site_url, page):
    with page.expect_request(lambda r: r.url.endswith(INDEX), timeout=10_000):
        page.goto(site_url + "knee/?h=bone", wait_until="load")
