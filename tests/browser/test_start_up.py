"""What a page's scripts change as it starts: nothing that makes the browser restyle the whole page
(README, Benchmark). Any class change on <html>, any palette attribute change on <body> and any
new address of a stylesheet's <link> (other links cost nothing) makes Chromium recalculate the style of every element, and
on a phone each such recalculation is a long task (Lighthouse's Total Blocking Time).

Watched from the start with a MutationObserver (an init script, so it sees the theme's inline
scripts too): a change counts when the value differs from the one before, once the page's content
has started (``.md-content`` is there). Before that there is nothing to restyle.

And what that must not break: the light/dark switch (assets/js/palette.js, in place of the
theme's), and instant navigation keeping the <head>'s stylesheets (assets/js/early.js, 3.)."""
from __future__ import annotations

import re

import pytest

from conftest import serve_as_published
from generators.maintainer.bench import Settled


WATCH = """
window.__startChanges = [];
new MutationObserver(records => {
  const content = !!document.querySelector('.md-content');
  for (const r of records) {
    const el = r.target, value = el.getAttribute(r.attributeName);
    if (value === r.oldValue) continue;
    const watched = (el === document.documentElement && r.attributeName === 'class')
      || (el === document.body && /^data-md-color-/.test(r.attributeName))
      || (el.tagName === 'LINK' && el.rel === 'stylesheet' && r.attributeName === 'href');
    if (watched) window.__startChanges.push({ tag: el.tagName, name: r.attributeName,
      from: r.oldValue, to: value, content });
  }
}).observe(document, { attributes: true, attributeOldValue: true, subtree: true });
"""

PAGES = ("", "knee/", "causes/", "treatment/", "mri-report/", "references/", "glossary/")
# the reader's system palette, what is stored (None: a first visit), the scheme the page shows
CASES = (
    ("light", None, "default"),
    ("dark", None, "slate"),
    ("light", 2, "slate"),      # chose the dark palette on an earlier page
    ("dark", 1, "default"),     # chose the light palette
    ("dark", 0, "slate"),       # chose to follow the system
)
KEY = "/bone-marrow-oedema/.__palette"   # the theme's storage key (mkdocs.yml extra.scope)


def store_palette(ctx, site_url, index: int) -> None:
    """Choose palette ``index`` with the switch, as a reader does, on a page of its own."""
    page = ctx.new_page()
    page.goto(site_url + "about/")
    while page.evaluate("k => (JSON.parse(localStorage.getItem(k)) || {}).index", KEY) != index:
        page.locator("form[data-bmo-palette] label:visible").click()
    page.close()


def open_watched(browser, site_url, path: str, **options):
    """A new context with the watch installed, and its page opened at ``path`` and settled."""
    ctx = browser.new_context(**options)
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    settled = Settled(page)   # loaded, main thread idle, no request in flight
    page.goto(site_url + path)
    settled.wait()
    return ctx, page


@pytest.mark.parametrize("system, stored, scheme", CASES)
def test_a_page_starts_without_restyling_the_whole_page(browser, site_url, system, stored, scheme):
    ctx = browser.new_context(color_scheme=system, viewport={"width": 390, "height": 844},
                              is_mobile=True, has_touch=True)
    try:
        if stored is not None:
            store_palette(ctx, site_url, stored)
        ctx.add_init_script(WATCH)
        page = ctx.new_page()
        settled = Settled(page)   # loaded, main thread idle, no request in flight
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in PAGES:
            page.goto(site_url + path)
            settled.wait()
            changes = page.evaluate("window.__startChanges")
            late = [c for c in changes if c["content"]]
            assert late == [], f"/{path}: changed once the content was there: {late}"
            # the watch sees changes: the early ones (the classes, the stored palette) are there
            assert any(c["tag"] == "HTML" and c["to"] == "js js-focus-visible" and not c["content"]
                       for c in changes), (path, changes)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme, path
            # the switch shows the one button that moves on from the stored palette
            index = page.evaluate("k => JSON.parse(localStorage.getItem(k)).index", KEY)
            assert index == (0 if stored is None else stored), path
            shown = page.locator("form[data-bmo-palette] label:visible")
            assert shown.count() == 1, path
            assert shown.get_attribute("for") == f"__palette_{(index + 1) % 3}", path
        assert errors == []
    finally:
        ctx.close()


def test_the_explainer_s_data_does_not_take_the_stylesheets_again(browser, site_url):
    """The explainer parses its data document with DOMParser too: that is not a page being
    swapped in, so the stylesheet links stay as they are while a reader uses it."""
    ctx, page = open_watched(browser, site_url, "mri-report/")
    try:
        page.locator("[data-explainer-input]").fill("Bone marrow oedema in the medial femoral condyle.")
        page.locator("[data-explainer-run]").click()
        page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S")).wait_for()
        assert page.locator("[data-explainer-output]").inner_text().strip()   # the report was read
        links = [c for c in page.evaluate("window.__startChanges") if c["tag"] == "LINK"]
        assert links == []
    finally:
        ctx.close()


def test_the_watch_sees_a_late_change(browser, site_url):
    """The watch above is not blind: a palette change after the content is there is reported."""
    ctx, page = open_watched(browser, site_url, "knee/", color_scheme="light")
    try:
        page.locator("form[data-bmo-palette] label:visible").click()   # follow the system -> light
        page.locator("form[data-bmo-palette] label:visible").click()   # light -> dark
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        late = [c for c in page.evaluate("window.__startChanges") if c["content"]]
        assert {"tag": "BODY", "name": "data-md-color-scheme", "from": "default", "to": "slate",
                "content": True} in late
        page.evaluate("document.querySelector('link[rel=stylesheet]').href += '?x'")
        page.wait_for_function("() => window.__startChanges.some(c => c.tag === 'LINK')")
    finally:
        ctx.close()


def header_colour(page) -> str:
    rgb = page.evaluate("getComputedStyle(document.querySelector('[data-md-component=header]')).backgroundColor")
    return "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", rgb)[:3])


def test_the_switch_by_keyboard_and_the_browser_bar(new_context, site_url):
    """Enter moves on to the next palette, as a tap does; the browser's bar takes the header's
    colour; the choice is kept for the next page, and "follow the system" follows it."""
    ctx = new_context(color_scheme="light")
    try:
        page = ctx.new_page()
        settled = Settled(page)   # loaded, main thread idle, no request in flight
        page.goto(site_url)
        settled.wait()
        meta = page.locator("meta[name=theme-color]")
        page.wait_for_function("() => document.querySelector('meta[name=theme-color]')?.content")
        assert meta.get_attribute("content") == header_colour(page)
        light_bar = meta.get_attribute("content")
        radios = page.locator("form[data-bmo-palette] input[name=__palette]")
        radios.nth(0).focus()
        seen = []
        for _ in range(3):   # follow the system (light here) -> light -> dark -> follow the system
            page.keyboard.press("Enter")
            seen.append((page.evaluate("document.activeElement.id"),
                         page.evaluate("document.body.getAttribute('data-md-color-scheme')")))
        assert seen == [("__palette_1", "default"), ("__palette_2", "slate"), ("__palette_0", "default")]
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")   # dark
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.wait_for_function("c => document.querySelector('meta[name=theme-color]').content !== c", arg=light_bar)
        assert meta.get_attribute("content") == header_colour(page)
        assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
        # kept for the next page, from its first paint
        page.goto(site_url + "knee/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        # follow the system: it follows the system while the page is open
        page.locator("form[data-bmo-palette] label:visible").click()   # dark -> follow the system
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
        assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "dark"
        page.emulate_media(color_scheme="light")
        page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'default'")
        assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") in ("normal", "light")
    finally:
        ctx.close()


def head_links(page) -> list[dict]:
    return page.evaluate("""() => [...document.head.querySelectorAll('link')].map(l => ({
        rel: l.rel, href: l.getAttribute('href'), url: l.href, kept: !!l.__bmoKept,
        rules: l.rel === 'stylesheet' && l.media !== 'print' ? (l.sheet ? l.sheet.cssRules.length : -1) : null }))""")


def test_instant_navigation_keeps_the_stylesheets_of_the_head(new_context, built_site):
    """The <head>'s stylesheets keep their relative address as the page starts (early.js, 3.);
    when the theme swaps in another page, at another depth, it still finds them the same as the
    new page's: the same <link> elements stay, each stylesheet is there once and applied, and
    nothing is asked for at a wrong address."""
    ctx = new_context()
    try:
        site = serve_as_published(ctx, built_site)
        page = ctx.new_page()
        settled = Settled(page)   # loaded, main thread idle, no request in flight
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(site)
        settled.wait()
        before = head_links(page)
        sheets = [l for l in before if l["rel"] == "stylesheet"]
        assert sheets and not any(l["href"].startswith(site) for l in sheets), before   # as written
        page.evaluate("document.head.querySelectorAll('link').forEach(l => { l.__bmoKept = true; });"
                      " window.__bmoSamePage = true")
        steps = ((".md-content a[href$='causes/']", "**/causes/"),                          # one down
                 (".md-content a[href$='causes/osteonecrosis/']", "**/causes/osteonecrosis/"),  # two
                 (".md-header__button.md-logo", lambda u: u == site))                      # home
        for selector, url in steps:
            page.locator(selector).first.click()
            page.wait_for_url(url)
            settled.wait()
            assert page.evaluate("window.__bmoSamePage === true"), f"{url}: a full page load"
            links = head_links(page)
            theme = [l for l in links if "/assets/css/theme-" in l["url"]]   # main and palette
            assert len(theme) == 2 and all(l["kept"] for l in theme), (url, links)   # never reloaded
            urls = [l["url"] for l in links if l["rel"] == "stylesheet"]
            assert len(urls) == len(set(urls)), (url, urls)                           # each once
            assert all(l["rules"] for l in links if l["rules"] is not None), (url, links)  # applied
            assert all(l["url"].startswith(site) for l in links), (url, links)
        assert missing == []
        assert header_colour(page) not in ("#000000", "#ffffff")
    finally:
        ctx.close()
