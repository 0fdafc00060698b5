"""What a reader sees in the browser: privacy, search and the light/dark toggle."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import all_pages, serve_as_published


def test_no_page_makes_a_request_to_another_host(built_site, site_crawl):
    """Every page, opened until its network is quiet (site_crawl in conftest.py)."""
    assert set(site_crawl) == set(all_pages(built_site))
    seen = [u for visit in site_crawl.values() for u in visit.requests]
    assert len(seen) > len(site_crawl), "the crawl saw no requests: it watched nothing"
    hosts = {urlparse(u).hostname for u in seen if not u.startswith(("data:", "blob:"))}
    others = {url: sorted({u for u in visit.requests if urlparse(u).hostname not in ("127.0.0.1", None)})
              for url, visit in site_crawl.items()}
    assert hosts == {"127.0.0.1"}, f"requests to other hosts: {({f'/{u}': o for u, o in others.items() if o})}"


# Zensical's search dialog lives in a shadow root: every result link shown answers query q
ZENSICAL_RESULTS_FOR = """q => {
  const links = [], roots = [document];
  while (roots.length) {
    const root = roots.pop();
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    links.push(...root.querySelectorAll('a[role=option]'));
  }
  return links.length > 0 && links.every(a => new URL(a.href).searchParams.get('h') === q);
}"""


@pytest.mark.smoke
@pytest.mark.parametrize("query,expected", [("knee", "knee/"), ("edema", "understanding/")])
def test_search_finds_a_page_from_a_word_on_it(site_url, page, query, expected):
    page.goto(site_url)
    if page.locator("button.md-search__button").count():  # a Zensical build: its own search dialog
        page.locator("button.md-search__button").click()
        page.keyboard.type(query, delay=30)  # into the dialog's box, which has the focus
        # the results of the whole query, not of its first letters: each result link carries the
        # query it answers (?h=...), in the dialog's shadow root
        page.wait_for_function(ZENSICAL_RESULTS_FOR, arg=query, timeout=10_000)
        results = page.locator("a[role=option]")  # (locators enter the shadow root)
    else:
        page.keyboard.press("/")  # Material's shortcut focuses the search box
        box = page.locator("input.md-search__input")
        box.press_sequentially(query, delay=30)
        # the results of the whole query, not of its first letters (search.js marks which query)
        page.wait_for_function("q => document.querySelector('[data-md-component=search-result]')"
                               "?.getAttribute('data-bmo-query') === q", arg=query, timeout=10_000)
        results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(expected in (h or "") for h in hrefs), hrefs


def test_palette_starts_from_the_system_setting_and_toggles(new_context, site_url):
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        ctx = new_context(color_scheme=scheme)
        page = ctx.new_page()
        page.goto(site_url)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        ctx.close()
    ctx = new_context(color_scheme="light")
    page = ctx.new_page()
    page.goto(site_url)
    schemes = []
    for _ in range(3):  # auto -> light -> dark -> auto
        page.locator("form[data-bmo-palette] label:visible").first.click()
        schemes.append(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))
    assert "slate" in schemes and "default" in schemes
    bg_dark = None
    page.locator("form[data-bmo-palette] label:visible").first.click()
    while page.evaluate("document.body.getAttribute('data-md-color-scheme')") != "slate":
        page.locator("form[data-bmo-palette] label:visible").first.click()
    bg_dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg_dark != "rgb(255, 255, 255)"
    ctx.close()


@pytest.mark.smoke
def test_no_page_throws_a_script_error(built_site, site_crawl):
    """Includes the theme's instant navigation meeting the SVG diagrams' links."""
    assert set(site_crawl) == set(all_pages(built_site))
    errors = [f"/{url}: {e}" for url, visit in site_crawl.items() for e in visit.page_errors]
    assert not errors, errors


def test_instant_navigation_keeps_diagrams_working(built_site, new_context):
    """Follow in-site links without a full reload (at the published address, where the theme's
    instant navigation works); the diagram on the new page still reacts."""
    ctx = new_context()
    site = serve_as_published(ctx, built_site)
    page = ctx.new_page()
    page.goto(site)
    page.evaluate("window.__bmoSamePage = true")
    # a link in the text (the theme's instant navigation leaves a diagram's SVG links to the
    # browser: those are ordinary page loads, tested with the diagrams)
    page.locator(".md-content p a[href$='knee/']").first.click()
    page.wait_for_url("**/knee/**")
    page.locator("figure[data-diagram-figure='knee']").wait_for()
    assert page.evaluate("window.__bmoSamePage === true"), "a full page load, not instant navigation"
    # the knee page shows two views, each with its cause buttons: the front view's
    button = page.locator("figure[data-diagram-figure='knee'] button[data-pattern='acl-tear']")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    ctx.close()
