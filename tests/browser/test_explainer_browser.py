"""The "Explain my report" tool in Chromium: what a reader pasting a report gets."""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
import yaml

from conftest import format_violations

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = yaml.safe_load((ROOT / "tests" / "explainer_examples.yaml").read_text(encoding="utf-8"))
PAGE = "mri-report/"
SPECS = {p.stem for p in (ROOT / "diagrams" / "anatomy").glob("*.yaml")}


def _terms():
    from generators.site.terms import load_terms
    return {t.id: t for t in load_terms(ROOT / "data" / "terms.yaml")}


def open_tool(page, site_url, **goto):
    page.goto(site_url + PAGE, **goto)
    page.locator("[data-explainer-input]").wait_for(state="visible")


def explain(page, text: str, press_button: bool = True):
    box = page.locator("[data-explainer-input]")
    box.fill(text)
    if press_button:
        page.locator("[data-explainer-run]").click()
    else:
        box.dispatch_event("input")
    page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S")).wait_for()


def marks(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "[data-explainer-output] mark",
        "ms => ms.map(m => [m.getAttribute('data-term'), m.getAttribute('data-negated')])")


@pytest.fixture(scope="module")
def tool_page(browser, site_url):
    """One open page for all the examples (each starts with Clear)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    open_tool(page, site_url)
    yield page
    ctx.close()


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{i:02d}-{e['site']}" for i, e in enumerate(EXAMPLES, 1)])
def test_each_example_marks_exactly_its_terms(tool_page, example):
    page = tool_page
    page.locator("[data-explainer-clear]").click()
    assert page.locator("[data-explainer-status]").inner_text() == ""
    explain(page, example["sentence"])
    got = marks(page)
    assert list(dict.fromkeys(t for t, _ in got)) == example["terms"], got
    for term, negated in got:
        assert negated == ("true" if term in example["negated"] else "false"), (term, got)
    # the list: one entry per term, in order of first appearance, absent ones said so
    items = page.locator("[data-explainer-list] > li")
    assert items.evaluate_all("els => els.map(e => e.dataset.termItem)") == example["terms"]
    for term in example["terms"]:
        item = page.locator(f'[data-explainer-list] > li[data-term-item="{term}"]')
        assert ("(not present in this report)" in item.inner_text()) == (term in example["negated"])
    status = page.locator("[data-explainer-status]").inner_text()
    n = len(example["terms"])
    assert status.startswith(f"{n} term{'s' if n != 1 else ''} found"), status
    side = page.locator("[data-explainer-side]")
    if example["side"] is None:
        assert side.is_hidden()
    else:
        words = "both sides" if example["side"] == "both" else example["side"]
        assert side.inner_text() in (f"Side mentioned: {words}.", f"Sides mentioned: {words}.")


@pytest.mark.smoke
def test_results_follow_typing_without_the_button(site_url, page):
    open_tool(page, site_url)
    box = page.locator("[data-explainer-input]")
    box.press_sequentially("Bone bruise in the patella. No effusion.", delay=5)
    page.locator("[data-explainer-status]").filter(has_text="3 terms found, 1 of them").wait_for(timeout=5000)
    box.press_sequentially(" Stress fracture.", delay=5)
    page.locator("[data-explainer-status]").filter(has_text="4 terms found").wait_for(timeout=5000)
    assert marks(page) == [["bone-bruise", "false"], ["patella", "false"], ["effusion", "true"],
                           ["stress-fracture", "false"]]


def test_every_result_link_leads_to_an_existing_section(site_url, page):
    open_tool(page, site_url)
    explain(page, "\n".join(e["sentence"] for e in EXAMPLES))
    hrefs = page.eval_on_selector_all("[data-explainer-list] a", "as => as.map(a => a.href)")
    assert len(hrefs) == len({t for e in EXAMPLES for t in e["terms"]})
    pages: dict[str, str] = {}
    for href in hrefs:
        url, anchor = urldefrag(href)
        assert urlparse(url).hostname == "127.0.0.1"
        if url not in pages:
            with urllib.request.urlopen(url) as response:
                assert response.status == 200, url
                pages[url] = response.read().decode("utf-8")
        if anchor:
            assert re.search(rf'\sid="{re.escape(anchor)}"', pages[url]), f"no #{anchor} on {url}"


@pytest.mark.smoke
def test_named_parts_are_highlighted_on_their_diagram(site_url, page):
    terms = _terms()
    checked = 0
    for example in EXAMPLES:
        wanted: dict[str, set[str]] = {}
        for t in (terms[i] for i in example["terms"]):
            if t.diagram:
                wanted.setdefault(t.diagram, set()).update(t.regions)
        wanted = {site: regions for site, regions in wanted.items() if site in SPECS}
        if not wanted:
            continue
        open_tool(page, site_url)
        explain(page, example["sentence"])
        assert page.locator("[data-explainer-diagrams]").is_visible()
        shown = page.eval_on_selector_all("[data-explainer-site]:not([hidden])", "els => els.map(e => e.dataset.explainerSite)")
        assert set(shown) == set(wanted), example["sentence"]
        for site, regions in wanted.items():
            figure = page.locator(f'[data-explainer-site="{site}"] figure')
            assert figure.is_visible()
            lit = figure.locator("svg a[data-region].is-highlighted").evaluate_all(
                "els => els.map(e => e.getAttribute('data-region'))")
            assert set(lit) == regions, (site, example["sentence"])
        checked += 1
    if not checked:
        pytest.skip("no anatomy diagram written yet")


def test_no_request_after_the_page_has_loaded(site_url, page):
    requests: list = []
    open_tool(page, site_url, wait_until="networkidle")
    page.on("request", lambda r: requests.append(r))
    # the first results may still fetch a font style or the icon the page has not used yet:
    # only plain GETs of the site's own files, carrying nothing
    explain(page, EXAMPLES[0]["sentence"])
    page.wait_for_load_state("networkidle")
    for r in requests:
        url = urlparse(r.url)
        assert r.method == "GET" and not url.query and r.post_data is None, r.url
        assert url.hostname == "127.0.0.1" and url.path.startswith("/assets/"), r.url
    # from then on: nothing at all, whatever is pasted or typed
    requests.clear()
    page.locator("[data-explainer-clear]").click()
    explain(page, "\n".join(e["sentence"] for e in EXAMPLES))
    page.locator("[data-explainer-input]").press_sequentially(" Talus. Navicular.", delay=5)
    page.wait_for_timeout(800)
    # (the browser may still fetch the tab icon by itself: a GET carrying nothing)
    assert [r.url for r in requests if not (r.method == "GET" and r.url.endswith("/assets/favicon.svg"))] == []


def test_without_javascript_the_page_explains_itself(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(site_url + PAGE)
    message = page.locator("[data-explainer-noscript]")
    assert message.is_visible()
    assert "JavaScript" in message.inner_text()
    link = message.locator("a")
    assert link.get_attribute("href") == "../glossary/"
    assert page.locator("[data-explainer-input]").is_hidden()
    assert page.locator("[data-explainer-run]").is_hidden()
    ctx.close()


def _axe_split(page, axe) -> tuple[list, list]:
    """axe violations on the whole page: (outside the diagrams, inside them)."""
    violations = axe(page)
    ours, diagrams = [], []
    for v in violations:
        inside = [n for n in v["nodes"] if page.locator(n[0]).first.evaluate("e => !!e.closest('.bmo-diagram')")]
        (diagrams if len(inside) == len(v["nodes"]) else ours).append(v)
    return ours, diagrams


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_results_showing(browser, site_url, axe, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    open_tool(page, site_url)
    explain(page, "\n".join(EXAMPLES[i]["sentence"] for i in (0, 7, 11, 15, 19)))
    page.locator("[data-explainer-run]").focus()   # the button as a keyboard user leaves it
    ours, diagrams = _axe_split(page, axe)
    ctx.close()
    assert ours == [], format_violations(ours)
    assert diagrams == [], "in the anatomy diagrams (generators/diagrams/anatomy.py, diagrams.css):\n" + \
        format_violations(diagrams)


def test_marks_are_described_by_their_explanation(site_url, page):
    open_tool(page, site_url)
    explain(page, EXAMPLES[6]["sentence"])
    described = page.eval_on_selector_all("[data-explainer-output] mark", """ms => ms.map(m =>
        m.getAttribute('aria-describedby').split(' ').map(id => {
          const el = document.getElementById(id); return el ? el.textContent : null; }).join(' '))""")
    assert described and all(d and "null" not in d for d in described)
    assert any("not present" in d for d in described)   # "No evidence of osteonecrosis"


@pytest.mark.parametrize("width", [320, 360])
def test_fits_a_phone_without_sideways_scrolling(browser, site_url, width):
    ctx = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    open_tool(page, site_url)
    explain(page, "\n".join(e["sentence"] for e in EXAMPLES[:12]) + " " + "x" * 120)
    assert page.locator("[data-explainer-diagrams]").is_visible() or not SPECS
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    ctx.close()
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"


def test_works_by_keyboard(site_url, page):
    open_tool(page, site_url)
    page.locator("[data-explainer-input]").focus()
    page.keyboard.type("Effusion.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-explainer-run')")
    page.keyboard.press("Enter")
    page.locator("[data-explainer-status]").filter(has_text="1 term found").wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")   # Clear
    assert page.locator("[data-explainer-input]").input_value() == ""
    assert page.evaluate("document.activeElement.hasAttribute('data-explainer-input')")
    assert page.locator("[data-explainer-results-area]").is_hidden()


def test_the_report_is_shown_as_text_never_as_markup(site_url, page):
    open_tool(page, site_url)
    attack = '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script> bone bruise <b>bold</b>'
    explain(page, attack)
    output = page.locator("[data-explainer-output]")
    assert output.locator("img, script, b").count() == 0
    assert attack in output.inner_text()
    assert page.evaluate("window.hacked") is None
    assert marks(page) == [["bone-bruise", "false"]]


def test_a_very_long_report_is_capped_with_a_message(site_url, page):
    open_tool(page, site_url)
    long = ("No effusion. Bone bruise of the talus. " * 700)[:26000]
    explain(page, long)
    limit = page.locator("[data-explainer-limit]")
    assert limit.is_visible() and "20,000" in limit.inner_text()
    shown = page.locator("[data-explainer-output]").evaluate("el => el.textContent.length")
    assert shown <= 20000 + 60   # the report, plus the hidden "not present" note


def test_the_tool_starts_again_after_instant_navigation(built_site, site_url, page):
    """Material's instant navigation swaps the page content in place: it re-creates each
    inline script without its attributes (the JSON loses its id and type), does not run
    the module again, and announces the new page on document$. Done here by hand, as
    instant navigation only starts on the published site (its sitemap names that host)."""
    html = (built_site / PAGE / "index.html").read_text(encoding="utf-8")
    start = html.index('<div class="explainer"')
    end = html.index("</script>\n</div>", html.index('type="module"', start)) + len("</script>\n</div>")
    open_tool(page, site_url)
    assert page.evaluate("typeof window.document$ !== 'undefined'"), "Material's document$ is missing"
    page.evaluate("""widget => {
        const t = document.createElement('template');
        t.innerHTML = widget;
        const fresh = t.content.firstElementChild;
        document.querySelector('[data-explainer]').replaceWith(fresh);
        for (const old of fresh.querySelectorAll('script')) {   // what Material's inject() does
          const s = document.createElement('script');
          if (old.src) { for (const n of old.getAttributeNames()) s.setAttribute(n, old.getAttribute(n)); }
          else s.textContent = old.textContent;
          old.replaceWith(s);
        }
        document$.next(document);
    }""", html[start:end])
    assert page.locator("#explainer-terms").count() == 0   # the JSON has lost its id
    page.locator("[data-explainer-input]").wait_for(state="visible", timeout=5000)
    explain(page, EXAMPLES[0]["sentence"])
    assert list(dict.fromkeys(t for t, _ in marks(page))) == EXAMPLES[0]["terms"]
