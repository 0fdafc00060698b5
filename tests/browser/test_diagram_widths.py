"""Every anatomy diagram and flowchart at phone, tablet and desktop widths, as Chromium
draws it: the variant CSS shows fits its column (no sideways scrolling, nothing cut off),
every label renders at least 13 CSS px and stays on screen, labels never overlap, and
regions stay at least 24x24 CSS px as targets. On touch, a tap on a region explains it
in place: the panel shows it on screen, the page neither changes nor jumps."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [320, 360, 390, 768, 1280]
ANATOMY = {"hip": "hip/", "knee": "knee/", "ankle": "ankle/", "talus": "talus/", "foot": "foot/", "body-map": ""}
CHARTS = {"causes": "causes/", "treatment": "treatment/"}
MIN_PX = 13
TARGET = 24

MEASURE = """sel => {
  const fig = document.querySelector(sel);
  const frame = fig.querySelector('.bmo-diagram__frame, .fc-frame');
  const shown = [...frame.querySelectorAll('svg[data-diagram]')].filter(s => s.getClientRects().length);
  const svg = shown[0];
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const box = r => ({x: r.x, y: r.y, right: r.right, bottom: r.bottom, w: r.width, h: r.height});
  // every piece of text: a <text> without <tspan>s, else each <tspan>
  const texts = [];
  let group = 0;
  for (const t of svg.querySelectorAll('text')) {
    group += 1;
    const parts = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    for (const p of parts) {
      if (!p.textContent.trim()) continue;
      const label = !!t.closest('.bmo-label, .fc-label');
      texts.push({text: p.textContent, group, label,
                  px: parseFloat(getComputedStyle(p).fontSize) * scale, ...box(p.getBoundingClientRect())});
    }
  }
  const regions = [...svg.querySelectorAll('a[data-region]')].map(a => {
    const parts = ['.bmo-region-shape', '.bmo-label-box', '.bmo-badge']
      .map(s => [...a.querySelectorAll(s)].map(e => box(e.getBoundingClientRect())));
    return {id: a.dataset.region, shape: parts[0][0], label: parts[1][0], badges: parts[2]};
  });
  return {shown: shown.length, variant: svg.dataset.variant, viewport: innerWidth,
          page: document.documentElement.scrollWidth, frame: [frame.scrollWidth, frame.clientWidth],
          frameBox: box(frame.getBoundingClientRect()), svgBox: box(svg.getBoundingClientRect()),
          texts, regions};
}"""


# A point of a region's shape that the pointer reaches (derived regions of neighbouring
# parts can overlap at their edges): the one nearest the shape's centre, or null when
# no part of the region can be pointed at.
HIT_POINT = """a => {
  const r = a.querySelector('.bmo-region-shape').getBoundingClientRect();
  const cx = r.x + r.width / 2, cy = r.y + r.height / 2, pts = [];
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) pts.push([r.x + r.width * i / 12, r.y + r.height * j / 12]);
  pts.sort((p, q) => Math.hypot(p[0] - cx, p[1] - cy) - Math.hypot(q[0] - cx, q[1] - cy));
  for (const [x, y] of pts) {
    const el = document.elementFromPoint(x, y);
    if (el && el.closest('a[data-region]') === a) return {x, y};
  }
  return null;
}"""


def hit_point(region) -> dict:
    region.locator(".bmo-region-shape").scroll_into_view_if_needed()
    point = region.evaluate(HIT_POINT)
    assert point, f"no part of region {region.get_attribute('data-region')} can be pointed at"
    return point


def measure(page, site_url, path, selector):
    page.goto(site_url + path)
    page.wait_for_selector(selector)
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(MEASURE, selector)


def overlap(a, b, slack=0.5):
    return (a["x"] < b["right"] - slack and b["x"] < a["right"] - slack and
            a["y"] < b["bottom"] - slack and b["y"] < a["bottom"] - slack)


def check_fit(m, name, width):
    assert m["shown"] == 1, f"{name} at {width}: one variant shown"
    assert m["page"] <= m["viewport"], f"{name} at {width}: the page scrolls sideways"
    assert m["frame"][0] <= m["frame"][1], f"{name} at {width}: the drawing scrolls sideways in its frame"
    f, s = m["frameBox"], m["svgBox"]
    assert s["x"] >= f["x"] - 0.5 and s["right"] <= f["right"] + 0.5, f"{name} at {width}: wider than its column"
    assert m["texts"]
    for t in m["texts"]:
        assert t["px"] >= MIN_PX - 0.01, f"{name} at {width}: '{t['text']}' renders at {t['px']:.1f} px"
        assert t["x"] >= -0.5 and t["right"] <= m["viewport"] + 0.5, f"{name} at {width}: '{t['text']}' off screen"
        assert t["x"] >= s["x"] - 0.5 and t["right"] <= s["right"] + 0.5, f"{name} at {width}: '{t['text']}' cut off"
        assert t["y"] >= s["y"] - 0.5 and t["bottom"] <= s["bottom"] + 0.5, f"{name} at {width}: '{t['text']}' cut off"


@pytest.mark.parametrize("width", WIDTHS)
def test_anatomy_diagrams_fit_every_width(new_context, site_url, width):
    ctx = new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        for name, path in ANATOMY.items():
            m = measure(page, site_url, path, f'figure[data-diagram-figure="{name}"]')
            check_fit(m, name, width)
            if width <= 390:
                assert m["variant"] == "narrow", f"{name} at {width}"
            labels = [t for t in m["texts"] if t["label"]]
            for i, a in enumerate(labels):
                for b in labels[i + 1:]:
                    if a["group"] != b["group"]:     # the lines of one label sit 1.2 em apart
                        assert not overlap(a, b), f"{name} at {width}: '{a['text']}' overlaps '{b['text']}'"
            for r in m["regions"]:
                # a target: the label (or legend row) always; the shape or its numbered badge on the art
                assert r["label"]["w"] >= TARGET - 0.01 and r["label"]["h"] >= TARGET - 0.01, (name, width, r["id"])
                on_art = [r["shape"]] + r["badges"][:1]
                assert any(b["w"] >= TARGET - 0.01 and b["h"] >= TARGET - 0.01 for b in on_art), (name, width, r["id"])
            badges = [b for r in m["regions"] for b in r["badges"][:1]]
            for i, a in enumerate(badges):                 # circles: centres at least a diameter apart
                for b in badges[i + 1:]:
                    dx = a["x"] + a["w"] / 2 - b["x"] - b["w"] / 2
                    dy = a["y"] + a["h"] / 2 - b["y"] - b["h"] / 2
                    d = (dx * dx + dy * dy) ** 0.5
                    assert d >= (a["w"] + b["w"]) / 2, f"{name} at {width}: two numbered badges overlap"
    finally:
        ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_flowcharts_fit_every_width(new_context, site_url, width):
    ctx = new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        for name, path in CHARTS.items():
            m = measure(page, site_url, path, f'figure[data-flowchart="{name}"]')
            check_fit(m, name, width)
            if width <= 390:
                assert m["variant"] == "narrow", f"{name} at {width}"
            if width == 1280:
                assert m["variant"] == "wide", f"{name} at {width}"
            labels = [t for t in m["texts"] if t["label"]]
            for i, a in enumerate(labels):
                for b in labels[i + 1:]:
                    if a["group"] != b["group"]:
                        assert not overlap(a, b), f"{name} at {width}: '{a['text']}' overlaps '{b['text']}'"
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("name", sorted(ANATOMY))
def test_a_tap_explains_the_region_in_place(new_context, site_url, name, width):
    ctx = new_context(viewport={"width": width, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto(site_url + ANATOMY[name])
        fig = page.locator(f'figure[data-diagram-figure="{name}"][data-diagram-ready]')
        fig.wait_for()
        shown = fig.locator("svg[data-diagram]:visible")
        region = shown.locator("a[data-region]").last
        rid, href = region.get_attribute("data-region"), region.get_attribute("href")
        point = hit_point(region)
        path, before = page.evaluate("location.pathname"), page.evaluate("scrollY")
        page.touchscreen.tap(point["x"], point["y"])
        panel = fig.locator("[data-diagram-panel]")
        page.wait_for_function("p => p.getAttribute('data-state') === 'open'", arg=panel.element_handle())
        assert page.evaluate("location.pathname") == path, "the tap left the page"
        assert not page.evaluate("location.hash").endswith(href.rpartition("#")[2] or "\0"), "the tap followed the link"
        assert abs(page.evaluate("scrollY") - before) < 100, "the page jumped"
        label = page.evaluate(f"""() => document.querySelector(
            'figure[data-diagram-figure="{name}"] [data-region-item="{rid}"] a').textContent""")
        assert label in panel.inner_text()
        more = panel.get_by_role("link")
        assert more.get_attribute("href") == href and more.inner_text().startswith("Read more")
        p, vh = panel.bounding_box(), page.evaluate("innerHeight")
        assert p["y"] >= 0 and p["y"] + p["height"] <= vh, "the details are off screen"
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["knee", "body-map"])
def test_a_mouse_click_still_follows_the_region_link(page, site_url, name):
    page.goto(site_url + ANATOMY[name])
    fig = page.locator(f'figure[data-diagram-figure="{name}"][data-diagram-ready]')
    fig.wait_for()
    region = fig.locator("svg[data-diagram]:visible a[data-region]").first
    target = page.evaluate("h => new URL(h, location.href).pathname", region.get_attribute("href"))
    region.locator(".bmo-region-shape").click()
    page.wait_for_function("p => location.pathname === p", arg=target)


@pytest.mark.parametrize("name", sorted(ANATOMY))
def test_desktop_hover_shows_the_panel_on_screen(page, site_url, name):
    """On a 1280x900 screen, the details of a hovered region show without scrolling."""
    page.goto(site_url + ANATOMY[name])
    fig = page.locator(f'figure[data-diagram-figure="{name}"][data-diagram-ready]')
    fig.wait_for()
    for region in fig.locator("svg[data-diagram]:visible a[data-region]").all():
        point = hit_point(region)
        page.mouse.move(point["x"], point["y"])
        y = page.evaluate("scrollY")
        panel = fig.locator("[data-diagram-panel]")
        assert panel.get_attribute("data-state") == "open"
        p = panel.bounding_box()
        assert 0 <= p["y"] and p["y"] + p["height"] <= 900, (region.get_attribute("data-region"), p, y)


def test_enter_follows_the_link_after_a_tap(new_context, site_url):
    """On a touch screen with a keyboard: a tap explains, Enter on a focused region still follows it."""
    ctx = new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto(site_url + "knee/")
        fig = page.locator('figure[data-diagram-figure="knee"][data-diagram-ready]')
        fig.wait_for()
        shape = fig.locator('svg[data-diagram]:visible a[data-region="patella"] .bmo-region-shape')
        shape.scroll_into_view_if_needed()
        box = shape.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert fig.locator("[data-diagram-panel]").get_attribute("data-state") == "open"
        assert page.evaluate("location.hash") != "#patella"
        fig.locator('svg[data-diagram]:visible a[data-region="medial-tibial-plateau"]').focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.hash === '#medial-tibial-plateau'")
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [320, 768])
def test_axe_finds_nothing_in_the_variant_each_width_shows(new_context, site_url, width):
    """The narrow variants (labels beside the art, numbered badges with a legend) are what a
    phone shows: axe checks them as shown, light and dark, as it checks the wide ones at 1280."""
    from conftest import format_violations, run_axe

    ctx = new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        found = {}
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for path in sorted(set(ANATOMY.values()) | set(CHARTS.values())):
                page.goto(site_url + path)
                page.evaluate("document.fonts.ready.then(() => true)")
                violations = run_axe(page)
                if violations:
                    found[f"{scheme} /{path}"] = violations
        assert not found, format_violations(found)
    finally:
        ctx.close()
