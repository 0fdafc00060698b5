"""Every page under its Content-Security-Policy in Chromium: no violation report and no
console error on load, nor when the reader uses search, a tooltip or the explainer."""
from __future__ import annotations

import re

import pytest

from conftest import all_pages

pytestmark = pytest.mark.browser

# Registered before any page script runs (init scripts are not subject to the policy).
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
"""


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


def test_no_page_breaks_its_policy(watched, site_url, built_site):
    page, errors = watched
    found = {}
    for url in all_pages(built_site):
        page.goto(site_url + url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        got = reports(page, errors)
        if got:
            found[url] = got
        errors.clear()
    assert not found, found


def test_search_tooltips_and_the_explainer_keep_to_the_policy(watched, site_url):
    page, errors = watched
    page.goto(site_url + "knee/", wait_until="load")
    page.locator("article abbr").first.hover()
    page.locator(".md-tooltip2, .md-tooltip--active").first.wait_for()
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("knee", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    page.goto(site_url + "mri-report/", wait_until="load")
    page.locator("[data-explainer-input]").fill("Bone marrow oedema in the medial femoral condyle.")
    page.locator("[data-explainer-run]").click()
    page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S")).wait_for()
    assert reports(page, errors) == []
