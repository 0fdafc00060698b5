"""Readers' own words find the right page with the site's built-in, offline search."""
from __future__ import annotations

import pytest

# (what a reader types, the page (or one of the pages) that must be among the first results)
QUERIES = [
    ("edema", "understanding/"),
    ("bone marrow edema", "understanding/"),
    ("bruised bone", ("causes/injury/", "understanding/", "mri-report/")),
    ("shock-wave", "treatment/shock-wave-therapy/"),
    ("shockwave", "treatment/shock-wave-therapy/"),
    ("sprained ankle", "ankle/"),
    ("recovery time", "outlook/"),
    ("ibandronate", "treatment/bone-medicines/"),
    ("kneecap", "knee/"),
    ("transient osteoporosis", "causes/transient-bone-marrow-oedema/"),
]
TOP = 8


def search(page, site_url, query: str) -> list[str]:
    page.goto(site_url)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(query, delay=20)
    page.wait_for_function(
        """q => { const m = document.querySelector('.md-search-result__meta');
                  return m && !/Initializing|Type to start/.test(m.textContent); }""", arg=query, timeout=15_000)
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    return [links.nth(i).get_attribute("href") or "" for i in range(min(links.count(), TOP))]


@pytest.mark.parametrize("query,expected", QUERIES)
def test_readers_words_find_the_right_page(site_url, page, query, expected):
    hrefs = search(page, site_url, query)
    pages = [h.split("#")[0].split("?")[0].removeprefix(site_url) for h in hrefs]
    wanted = (expected,) if isinstance(expected, str) else expected
    assert any(p in wanted for p in pages), (query, pages)
