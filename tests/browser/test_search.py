"""Readers' own words find the right page with the site's built-in, offline search.

The queries and the pages they must find are in search_queries.yaml. One page serves all
of them (the search dialog stays open, the input is cleared between queries), and each
query waits for the results of that very query (search.js marks the result list with the
query it answers), never for a time.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

HERE = Path(__file__).resolve().parent
QUERIES = yaml.safe_load((HERE / "search_queries.yaml").read_text(encoding="utf-8"))
TOP = 3

RESULTS_FOR = """q => {
  const r = document.querySelector('[data-md-component=search-result]');
  return r && r.getAttribute('data-bmo-query') === q;
}"""

# the first TOP result cards: each page's link and the sections shown under it
LINKS = """top => [...document.querySelectorAll('.md-search-result__item')].slice(0, top)
  .flatMap(li => [...li.querySelectorAll(':scope > a.md-search-result__link')].map(a => a.href))"""


def wanted(entry) -> tuple[str, ...]:
    find = entry["find"]
    return (find,) if isinstance(find, str) else tuple(find)


def address(href: str, site_url: str) -> str:
    """'http://host/site/causes/injury/?h=bruised#x' -> 'causes/injury/#x' (no highlight query)."""
    parts = urlsplit(href)
    path = parts.path.removeprefix(urlsplit(site_url).path)
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def found(expected: str, addresses: list[str]) -> bool:
    if "#" in expected:
        return expected in addresses
    return any(a.split("#")[0] == expected for a in addresses)


def open_search(page, site_url: str, path: str = ""):
    page.goto(site_url + path)
    page.keyboard.press("/")
    return page.locator("input.md-search__input")


def search(page, box, query: str) -> None:
    """Put all but the last letter in the box without key events, then type the last one:
    the theme searches on a key event, once, for the whole query (quicker than a search per
    letter; typing letter by letter is tested below)."""
    box.fill(query[:-1])
    box.press_sequentially(query[-1])
    page.wait_for_function(RESULTS_FOR, arg=query, timeout=30_000)  # a ceiling, not a wait


def test_queries_file_is_realistic_and_checkable(built_site):
    queries = [q["query"] for q in QUERIES]
    assert len(queries) >= 60
    assert len(set(q.casefold() for q in queries)) == len(queries), "a query is listed twice"
    for entry in QUERIES:
        assert set(entry) == {"query", "find"}, entry
        for target in wanted(entry):
            page, _, section = target.partition("#")
            html = built_site / page / "index.html"
            assert html.is_file(), f"{entry['query']!r}: no page {page!r}"
            if section:
                assert f'id="{section}"' in html.read_text(encoding="utf-8"), f"{target}: no such section"


def test_readers_words_find_the_right_page(site_url, page):
    box = open_search(page, site_url)
    misses = []
    for entry in QUERIES:
        search(page, box, entry["query"])
        addresses = [address(h, site_url) for h in page.evaluate(LINKS, TOP)]
        if not any(found(w, addresses) for w in wanted(entry)):
            misses.append(f"{entry['query']!r}: wanted {' or '.join(wanted(entry))}, got {addresses}")
    assert not misses, f"{len(misses)} of {len(QUERIES)} queries missed:\n" + "\n".join(misses)


def test_results_show_the_readers_words_only(site_url, page):
    """Typed letter by letter (a search per letter), the last results are those of the
    whole query. Synonyms and stems are searched but never shown as 'Missing: ...' terms,
    and the highlight on the page opened from a result uses the reader's words."""
    box = open_search(page, site_url)
    box.press_sequentially("bruised bone", delay=20)
    page.wait_for_function(RESULTS_FOR, arg="bruised bone", timeout=30_000)
    assert page.locator(".md-search-result__terms").count() == 0
    first = page.locator(".md-search-result__item > a.md-search-result__link").first
    assert "h=bruised+bone" in (first.get_attribute("href") or "")
    text = page.locator(".md-search-result__item").first.inner_text()
    assert "Heel bone (calcaneus)Talus" not in text


def test_no_results_message(site_url, page, axe):
    box = open_search(page, site_url)
    search(page, box, "ostiomielytis")  # two slips: too far for the one-letter tolerance
    assert page.locator(".md-search-result__item").count() == 0
    help_box = page.locator(".bmo-search-help")
    help_box.wait_for(state="visible")
    text = help_box.inner_text()
    assert "ostiomielytis" in text
    links = {a.inner_text(): address(a.get_attribute("href") or "", site_url)
             for a in help_box.locator("a").all()}
    assert links.get("Glossary") == "glossary/"
    assert links.get("When to get help") == "when-to-get-help/"
    assert links.get("Osteomyelitis") == "causes/infection/", links
    assert help_box.get_attribute("role") == "status"
    violations = [v for v in axe(page) if any("search" in " ".join(map(str, n)) for n in v["nodes"])]
    assert not violations, violations
    # a query with results hides the message again
    search(page, box, "osteomyelitis")
    assert page.locator(".md-search-result__item").count() > 0
    assert help_box.is_hidden()


def test_nothing_close_still_points_to_glossary_and_help(site_url, page):
    box = open_search(page, site_url)
    search(page, box, "qwxzv")
    help_box = page.locator(".bmo-search-help")
    help_box.wait_for(state="visible")
    assert help_box.locator(".bmo-search-help__closest").count() == 0
    assert help_box.locator("a").count() == 2


def test_search_works_after_instant_navigation_and_stays_on_this_site(site_url, fresh_page):
    """The theme's instant navigation keeps the search worker; the word list and the index
    are fetched only when the reader reaches for search, and only from this site."""
    requests = []
    fresh_page.on("request", lambda r: requests.append(r.url))
    fresh_page.goto(site_url)
    fresh_page.locator("a[href='knee/']").first.click()
    fresh_page.wait_for_url("**/knee/")
    assert not any("search_index.json" in u or "search-terms.json" in u for u in requests), requests
    fresh_page.keyboard.press("/")
    box = fresh_page.locator("input.md-search__input")
    search(fresh_page, box, "bone swelling")
    hrefs = [address(h, site_url) for h in fresh_page.evaluate(LINKS, TOP)]
    assert any(a.startswith("understanding/") for a in hrefs), hrefs
    host = urlsplit(site_url).netloc
    assert {urlsplit(u).netloc for u in requests if u.startswith("http")} == {host}
    assert sum("search-terms.json" in u for u in requests) == 1
