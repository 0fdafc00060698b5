"""A glossary term's explanation and a footnote's source (assets/js/tooltips.js): shown on hover,
keyboard focus and (terms) tap, a term's as text, a footnote's as a copy of the footnote; it stays while the pointer is on it, Escape or a tap elsewhere hides it (WCAG 1.4.13);
within the screen at 320 px; nothing on the page moves; hidden in print; axe finds nothing.

Timers (the short grace before the tooltip goes when the pointer leaves) run on Playwright's
clock, moved on by the test: nothing here waits for time to pass."""
from __future__ import annotations

import pytest

from conftest import format_violations

pytestmark = pytest.mark.browser

PAGE = "knee/"
TIP = "#bmo-tooltip"
TERM = ".md-content abbr[tabindex='0']"
NOTE = "article .footnote-ref"


def open_page(browser, site_url, **options):
    ctx = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | options))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    page.goto(site_url + PAGE, wait_until="load")
    return ctx, page, errors


def shown(page) -> dict:
    return page.evaluate("""sel => { const t = document.querySelector(sel);
        const host = document.querySelector('[aria-describedby="bmo-tooltip"]');
        return {visible: !!t && !t.hidden && t.getClientRects().length > 0, text: t ? t.textContent : null,
                host: host ? host.textContent : null, hostTitle: host ? host.getAttribute('title') : null}; }""", TIP)


def text_boxes(page) -> list[list[float]]:
    """Where the page's first 60 paragraphs and list items are (to see that nothing moved)."""
    return page.evaluate("""() => [...document.querySelectorAll('.md-content p, .md-content li')]
        .slice(0, 60).map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })""")


def test_hover_shows_the_explanation_and_it_stays_while_the_pointer_is_on_it(browser, site_url):
    ctx, page, errors = open_page(browser, site_url)
    term = page.locator(TERM).first
    explanation = term.get_attribute("title")
    assert explanation
    term.hover()
    got = shown(page)
    assert got["visible"] and got["text"] == explanation and got["host"] == term.inner_text()
    assert got["hostTitle"] is None   # no second, native tooltip while it is shown
    assert page.locator(TIP).get_attribute("role") == "tooltip"
    # hoverable: the pointer moves onto the tooltip, and it stays
    box = page.locator(TIP).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.clock.run_for(2000)
    assert shown(page)["visible"]
    # the pointer leaves both: it goes, and the term has its title back
    page.mouse.move(5, 895)
    page.clock.run_for(2000)
    assert not shown(page)["visible"]
    assert term.get_attribute("title") == explanation and term.get_attribute("aria-describedby") is None
    # Escape hides it with the pointer still on the term
    term.hover()
    assert shown(page)["visible"]
    page.keyboard.press("Escape")
    assert not shown(page)["visible"]
    assert errors == []
    ctx.close()


def test_keyboard_focus_shows_it_and_escape_or_leaving_hides_it(browser, site_url):
    ctx, page, errors = open_page(browser, site_url)
    first = page.locator(TERM).first
    first.focus()
    assert page.evaluate("document.activeElement.tagName") == "ABBR"
    assert shown(page)["visible"] and shown(page)["host"] == first.inner_text()
    page.keyboard.press("Escape")
    assert not shown(page)["visible"]
    assert page.evaluate("document.activeElement.tagName") == "ABBR"   # the focus stays where it was
    # the terms are in the tab order: Tab from the first term reaches the next stop, Shift+Tab comes back
    page.keyboard.press("Tab")
    assert shown(page)["host"] != first.inner_text()
    page.keyboard.press("Shift+Tab")
    assert shown(page)["visible"] and shown(page)["host"] == first.inner_text()
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.tagName") != "ABBR":
        assert not shown(page)["visible"]
    assert errors == []
    ctx.close()


def test_tap_at_320_px_shows_it_within_the_screen_and_a_tap_elsewhere_hides_it(browser, site_url):
    ctx, page, errors = open_page(browser, site_url, viewport={"width": 320, "height": 640},
                                  has_touch=True, is_mobile=True)
    for term in page.locator(TERM).all()[:6]:
        term.scroll_into_view_if_needed()
        before = text_boxes(page)
        term.tap()
        got = shown(page)
        assert got["visible"] and got["host"] == term.inner_text()
        box = page.locator(TIP).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert text_boxes(page) == before   # nothing on the page moved
        page.locator(".md-content h1").tap()
        assert not shown(page)["visible"]
    assert errors == []
    ctx.close()


def test_the_explanation_is_text_never_markup(browser, site_url):
    ctx, page, errors = open_page(browser, site_url)
    term = page.locator(TERM).first
    hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b> &amp; <script>window.__pwned=2</script>'
    term.evaluate("(e, t) => e.setAttribute('title', t)", hostile)
    term.hover()
    assert shown(page)["text"] == hostile
    assert page.locator(TIP).locator("*").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert errors == []
    ctx.close()


def test_a_footnote_number_shows_its_source_and_still_goes_to_it(browser, site_url):
    """Hover or focus on a footnote number: its source (text and links, without the links back,
    no repeated ids), read as the number's description; Escape hides it. A click still goes to
    the footnote, and the tooltip goes."""
    ctx, page, errors = open_page(browser, site_url)
    ref = page.locator(NOTE).first
    target = ref.evaluate("a => a.hash")   # "#fn:..." (instant navigation makes the href absolute)
    source = page.evaluate("id => document.getElementById(id).querySelector('p').cloneNode(true)"
                           ".textContent", target[1:])
    ref.hover()
    got = shown(page)
    assert got["visible"] and got["host"] == ref.inner_text()
    tip = page.locator(TIP)
    assert "bmo-tooltip--note" in tip.get_attribute("class")
    assert got["text"].strip() and got["text"].strip() in source.replace("\u21a9", "").strip()
    assert tip.locator("a[href^='http']").count() >= 1                 # the source's links
    assert tip.locator(".footnote-backref, [id]").count() == 0
    assert page.evaluate("id => document.querySelectorAll('#' + CSS.escape(id)).length", target[1:]) == 1
    # hoverable: onto the tooltip, and it stays
    box = tip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.clock.run_for(2000)
    assert shown(page)["visible"]
    page.keyboard.press("Escape")
    assert not shown(page)["visible"]
    # keyboard: focus shows it; Enter goes to the footnote and hides it
    ref.focus()
    assert shown(page)["visible"] and shown(page)["host"] == ref.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    assert not shown(page)["visible"]
    assert ref.get_attribute("title") is None and ref.get_attribute("aria-describedby") is None
    assert errors == []
    ctx.close()


def test_a_tap_on_a_footnote_number_goes_to_the_footnote(browser, site_url):
    ctx, page, errors = open_page(browser, site_url, viewport={"width": 320, "height": 640},
                                  has_touch=True, is_mobile=True)
    ref = page.locator(NOTE).first
    ref.scroll_into_view_if_needed()
    ref.tap()
    page.wait_for_url("**" + ref.evaluate("a => a.hash"))
    assert not shown(page)["visible"]
    assert errors == []
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_a_tooltip_shown(browser, site_url, axe, scheme):
    ctx, page, errors = open_page(browser, site_url, color_scheme=scheme)
    for shown_on in (TERM, NOTE):   # a term's explanation, a footnote's source
        page.locator(shown_on).nth(1).focus()
        assert shown(page)["visible"]
        violations = axe(page)
        assert violations == [], f"{shown_on}: " + format_violations(violations)
    ctx.close()


def test_hidden_in_print(browser, site_url):
    ctx, page, errors = open_page(browser, site_url)
    page.locator(TERM).first.focus()
    page.emulate_media(media="print")
    assert page.locator(TIP).evaluate("e => getComputedStyle(e).display") == "none"
    ctx.close()


def test_it_works_on_a_page_reached_by_instant_navigation(browser, site_url):
    ctx, page, errors = open_page(browser, site_url)
    page.locator(TERM).first.hover()
    assert shown(page)["visible"]
    page.locator(".md-nav__link[href$='ankle/']").first.click()
    page.wait_for_url("**/ankle/")
    page.locator("h1", has_text="ankle").first.wait_for()
    assert not shown(page)["visible"]
    term = page.locator(TERM).first
    explanation = term.get_attribute("title")
    term.hover()
    assert shown(page)["visible"] and shown(page)["text"] == explanation
    assert errors == []
    ctx.close()
