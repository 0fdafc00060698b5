"""Every page under its Content-Security-Policy in Chromium: no violation report and no
console error on load, nor when the reader uses search, a tooltip or the explainer."""
from __future__ import annotations

import re

import pytest

from conftest import CSP_LISTENER, all_pages

pytestmark = pytest.mark.browser

# registered before any page script runs (init scripts are not subject to the policy)
LISTEN = CSP_LISTENER


@pytest.fixture
def watched(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(LISTEN)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    yield page, errors
    ctx.close()


def reports(page, errors) -> list[str]:
    return page.evaluate("window.__cspViolations") + errors


def test_the_policy_is_in_force(watched, site_url):
    """The listener sees a violation when there is one (so an empty list means something)."""
    page, errors = watched
    page.goto(site_url, wait_until="load")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))


def test_no_page_breaks_its_policy(site_crawl, built_site):
    """Every page, opened until its network is quiet and its fonts are ready (site_crawl in
    conftest.py, with the same listener): no violation, no console or script error."""
    assert set(site_crawl) == set(all_pages(built_site))
    found = {url: visit.csp_violations + visit.console_errors + [f"page error: {e}" for e in visit.page_errors]
             for url, visit in site_crawl.items()}
    found = {url: got for url, got in found.items() if got}
    assert not found, found


def test_search_tooltips_and_the_explainer_keep_to_the_policy(watched, site_url):
    page, errors = watched
    page.goto(site_url + "knee/", wait_until="load")
    page.locator("article abbr").first.hover()
    page.locator("#bmo-tooltip").wait_for()   # assets/js/tooltips.js
    page.locator("article .footnote-ref").first.hover()
    page.locator("#bmo-tooltip.bmo-tooltip--note:not([hidden])").wait_for()   # a footnote's source
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("knee", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.goto(site_url + "mri-report/", wait_until="load")
    page.locator("[data-explainer-input]").fill("Bone marrow oedema in the medial femoral condyle.")
    page.locator("[data-explainer-run]").click()
    page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S")).wait_for()
    assert reports(page, errors) == []
