"""The flowcharts as Chromium draws them on the built site: text inside its boxes, every
node link reaching a real page and section, axe-core clean in both colour schemes, a
visible keyboard focus ring, and a phone-width page that never scrolls sideways."""
from __future__ import annotations


import pytest

from conftest import format_violations, run_axe

pytestmark = pytest.mark.browser

CHARTS = {"causes": "causes/", "treatment": "treatment/"}
SMALLEST_FONT = 14  # px in the chart's own units (notes and edge labels)
NARROW_SMALLEST_FONT = 15  # the same in the one-column chart


def open_chart(page, site_url: str, name: str, scheme: str = "default"):
    page.goto(site_url + CHARTS[name])
    if scheme != "default":
        page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    page.evaluate("document.fonts.ready.then(() => true)")
    # two charts (layered and one column); CSS shows one
    assert page.locator(f'svg[data-diagram="{name}"]').count() == 2
    assert page.locator(f'svg[data-diagram="{name}"]:visible').count() == 1


def axe_figure(page) -> list[dict]:
    return run_axe(page, include="figure.fc")


@pytest.mark.smoke
@pytest.mark.parametrize("name", CHARTS)
def test_node_text_fits_its_box_as_drawn(page, site_url, name):
    open_chart(page, site_url, name)
    bad = page.evaluate("""name => {
      const out = [];
      const shown = [...document.querySelectorAll(`svg[data-diagram="${name}"]`)].find(s => s.getClientRects().length);
      for (const g of shown.querySelectorAll('[data-node]')) {
        const s = g.querySelector('.fc-shape').getBBox();
        const t = g.querySelector('text').getBBox();
        const inset = g.classList.contains('fc-question') ? 14 : 0;   // the pointed ends
        if (t.x < s.x + inset - 0.5 || t.x + t.width > s.x + s.width - inset + 0.5 ||
            t.y < s.y - 0.5 || t.y + t.height > s.y + s.height + 0.5 || t.width === 0)
          out.push([g.dataset.node, [t.x, t.y, t.width, t.height], [s.x, s.y, s.width, s.height]]);
      }
      return out;
    }""", name)
    assert bad == []


@pytest.mark.smoke
@pytest.mark.parametrize("name", CHARTS)
def test_every_node_link_reaches_a_page_and_section(page, context, site_url, name):
    open_chart(page, site_url, name)
    urls = page.evaluate("""name => [...document.querySelectorAll(
        `svg[data-diagram="${name}"] a[href], figure[data-flowchart="${name}"] .fc-list a[href]`)]
        .map(a => new URL(a.getAttribute('href'), location.href).href)""", name)
    assert urls
    other = context.new_page()
    missing = []
    anchors: dict[str, set[str]] = {}   # each page opened once, for every section linked on it
    for url in urls:
        base, _, anchor = url.partition("#")
        anchors.setdefault(base, set()).add(anchor)
    for base in sorted(anchors):
        response = other.goto(base, wait_until="domcontentloaded")
        if response is None or response.status != 200:
            missing += [f"{base}{'#' + a if a else ''}: HTTP {response.status if response else 'none'}"
                        for a in sorted(anchors[base])]
            continue
        missing += [f"{base}#{a}: no element with id '{a}'" for a in sorted(anchors[base])
                    if a and not other.evaluate("id => document.getElementById(id) !== null", a)]
    other.close()
    assert missing == []


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", CHARTS)
def test_chart_is_axe_clean(page, site_url, name, scheme):
    open_chart(page, site_url, name, scheme)
    violations = axe_figure(page)
    assert violations == [], format_violations(violations)


def _luminance(rgb: str) -> float:
    parts = [float(v) for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    lin = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_keyboard_focus_shows_a_ring_with_3_to_1_contrast(page, site_url, scheme):
    open_chart(page, site_url, "treatment", scheme)
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg[data-diagram] a.fc-link')"):
            break
    else:
        pytest.fail("Tab never reached a linked box of the chart")
    ring = page.evaluate("""() => {
      const a = document.activeElement.closest('a.fc-link');
      const r = a.querySelector('.fc-focus');
      const cs = getComputedStyle(r);
      return {stroke: cs.stroke, width: parseFloat(cs.strokeWidth),
              bg: getComputedStyle(document.body).backgroundColor};
    }""")
    assert ring["stroke"] not in ("none", "transparent", "rgba(0, 0, 0, 0)")
    assert ring["width"] >= 2
    assert _contrast(ring["stroke"], ring["bg"]) >= 3


@pytest.mark.parametrize("name", CHARTS)
def test_phone_width_shows_the_one_column_chart_without_scrolling(new_context, site_url, name):
    ctx = new_context(viewport={"width": 320, "height": 800})
    page = ctx.new_page()
    try:
        open_chart(page, site_url, name)
        m = page.evaluate("""name => {
          const svg = [...document.querySelectorAll(`svg[data-diagram="${name}"]`)]
            .find(s => s.getClientRects().length);
          const frame = svg.closest('.fc-frame');
          const list = document.querySelector(`figure[data-flowchart="${name}"] .fc-list`);
          return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                  frame: frame.scrollWidth, frameVisible: frame.clientWidth,
                  drawn: svg.getBoundingClientRect().width, viewBox: svg.viewBox.baseVal.width,
                  variant: svg.dataset.variant, listShown: list.getBoundingClientRect().height > 0};
        }""", name)
        assert m["page"] <= m["viewport"], "the page scrolls sideways"
        assert m["variant"] == "narrow", "a phone gets the one-column chart"
        assert m["frame"] <= m["frameVisible"], "the chart fits its frame: no sideways scrolling"
        assert m["drawn"] / m["viewBox"] * NARROW_SMALLEST_FONT >= 14 - 0.01, "text drawn below 14 px"
        assert m["listShown"], "the text version stays on the page"
    finally:
        ctx.close()


@pytest.mark.parametrize("name", CHARTS)
def test_desktop_shows_the_whole_chart_without_scrolling(page, site_url, name):
    open_chart(page, site_url, name)
    m = page.evaluate("""name => {
      const svg = [...document.querySelectorAll(`svg[data-diagram="${name}"]`)].find(s => s.getClientRects().length);
      const frame = svg.closest('.fc-frame');
      return {variant: svg.dataset.variant, frame: frame.scrollWidth, visible: frame.clientWidth,
              scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width};
    }""", name)
    assert m["variant"] == "wide"
    assert m["frame"] <= m["visible"]
    assert m["scale"] * SMALLEST_FONT >= 13 - 0.01
