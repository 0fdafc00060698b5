"""Anatomy diagrams in the built site, driven in Chromium: keyboard, details panel,
cause buttons, the no-script fallback, label fit, small screens, print, reduced
motion, and axe-core on every page with a diagram (light and dark). A joint drawn in
several views is one figure with a view switch and one set of cause buttons: a cause
switches to a view that shows it, by mouse, keyboard and touch."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import format_violations, run_axe
from generators.diagrams import anatomy, views
from generators.core.textmeasure import text_width

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"hip": "hip/", "knee": "knee/", "ankle": "ankle/", "talus": "talus/", "foot": "foot/", "body-map": "",
         # second views of a joint, behind the view switch on the same page
         "knee-side": "knee/", "ankle-side": "ankle/", "foot-side": "foot/"}
MODELS = {p.stem: anatomy.load(p) for p in sorted((ROOT / "diagrams" / "anatomy").glob("*.yaml"))}
JOINTS = {"knee/": ("knee", "knee-side"), "ankle/": ("ankle", "ankle-side"), "foot/": ("foot", "foot-side")}


def figure_of(name: str) -> str:
    """The figure that shows the diagram ``name``: its own, or its joint's (several views)."""
    return f'figure.bmo-diagram:is([data-diagram-figure="{name}"], [data-views~="{name}"])'


def open_diagram(page, site_url, name):
    page.goto(site_url + PAGES[name])
    page.wait_for_selector(f"{figure_of(name)}[data-diagram-ready]")
    switch = page.locator(f'input.bmo-views__input[value="{name}"]')
    if switch.count():          # one of several views of a joint: choose it
        switch.check()
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.locator(figure_of(name))


def shown(fig):
    """The variant of the drawing the page shows (the figure holds a wide and a narrow one)."""
    return fig.locator("svg[data-diagram]:visible")


def style(locator, prop):
    return locator.evaluate(f"(el) => getComputedStyle(el).getPropertyValue('{prop}')")


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_tab_reaches_every_region_with_a_visible_focus(page, site_url):
    fig = open_diagram(page, site_url, "knee")
    fig.evaluate("f => { const c = f.querySelector('figcaption'); c.tabIndex = -1; c.focus(); }")
    reached = []
    for region in MODELS["knee"].regions:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('data-region')"))
        shape = shown(fig).locator(f'a[data-region="{region.id}"] .bmo-region-shape')
        assert float(style(shape, "stroke-width").rstrip("px")) >= 3, region.id
        assert style(shape, "stroke-dasharray") == "none"
        ring = style(shape, "stroke")
        assert contrast(ring, style(page.locator("body"), "background-color")) >= 3
        assert contrast(ring, "rgb(247, 239, 224)") >= 3   # against the bone's ivory
    assert reached == [r.id for r in MODELS["knee"].regions]
    unfocused = shown(fig).locator('a[data-region="lateral-femoral-condyle"] .bmo-region-shape')
    assert float(style(unfocused, "stroke-width").rstrip("px")) < 3


def test_details_panel_follows_hover_and_focus_and_closes_on_escape(page, site_url):
    fig = open_diagram(page, site_url, "knee")
    panel = fig.locator("[data-diagram-panel]")
    assert panel.is_visible() and panel.get_attribute("aria-live") == "polite"
    shown(fig).locator('a[data-region="patella"] .bmo-region-shape').hover()
    assert "Kneecap (patella)" in panel.inner_text()
    page.mouse.move(2, 2)                                  # persistent: stays after the pointer leaves
    assert "Kneecap (patella)" in panel.inner_text()
    panel.hover()                                          # hoverable
    assert "Kneecap (patella)" in panel.inner_text()
    page.keyboard.press("Escape")                          # dismissible
    assert "Kneecap (patella)" not in panel.inner_text()
    assert panel.get_attribute("data-state") == "closed"
    shown(fig).locator('a[data-region="medial-tibial-plateau"]').focus()
    assert "Medial tibial plateau" in panel.inner_text()
    assert "inner half" in panel.inner_text()
    panel.get_by_role("button", name="Close the details").click()
    assert panel.get_attribute("data-state") == "closed"


@pytest.mark.smoke
def test_cause_buttons_toggle_and_change_the_regions(page, site_url):
    fig = open_diagram(page, site_url, "knee")
    acl = fig.locator('button[data-pattern="acl-tear"]')
    oa = fig.locator('button[data-pattern="osteoarthritis"]')
    assert acl.is_visible() and acl.get_attribute("aria-pressed") == "false"
    lfc = shown(fig).locator('a[data-region="lateral-femoral-condyle"] .bmo-region-shape')
    mfc = shown(fig).locator('a[data-region="medial-femoral-condyle"] .bmo-region-shape')
    before = {p: style(lfc, p) for p in ("fill", "stroke-dasharray", "stroke-width")}
    page.mouse.move(2, 2)
    acl.click()
    assert acl.get_attribute("aria-pressed") == "true"
    after = {p: style(lfc, p) for p in ("fill", "stroke-dasharray", "stroke-width")}
    assert after["fill"] != before["fill"] and "url(" in after["fill"]            # colour + hatching
    assert after["stroke-dasharray"] != "none" and float(after["stroke-width"].rstrip("px")) >= 3  # not colour alone
    assert "url(" not in style(mfc, "fill")                                        # not in this pattern
    panel = fig.locator("[data-diagram-panel]").inner_text()
    assert "ACL tear" in panel and "Lateral tibial plateau" in panel
    oa.click()                                                                     # one pattern at a time
    assert acl.get_attribute("aria-pressed") == "false" and oa.get_attribute("aria-pressed") == "true"
    assert "url(" in style(mfc, "fill") and "url(" not in style(lfc, "fill")
    oa.click()                                                                     # and released again
    assert oa.get_attribute("aria-pressed") == "false"
    assert fig.locator(".is-highlighted").count() == 0


@pytest.mark.smoke
def test_without_javascript_regions_are_links_and_the_text_is_there(new_context, site_url):
    ctx = new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(site_url + "knee/")
        fig = page.locator('figure[data-diagram-figure="knee"]')
        for region in MODELS["knee"].regions:
            link = shown(fig).locator(f'a[data-region="{region.id}"]')
            assert link.get_attribute("href") == f"#{region.id}"
            assert link.locator("title").count() == 1
            item = fig.locator(f'.bmo-diagram__text [data-view-text="knee"] [data-region-item="{region.id}"] a')
            assert item.is_visible() and item.get_attribute("href") == f"#{region.id}"
        for pattern in MODELS["knee"].patterns:
            assert fig.locator(f'[data-pattern-item="{pattern.id}"]').is_visible()
            assert not fig.locator(f'button[data-pattern="{pattern.id}"]').is_visible()
        assert not fig.locator("[data-diagram-panel]").is_visible()
        shown(fig).locator('a[data-region="patella"] .bmo-region-shape').click()
        assert page.url.endswith("#patella")
    finally:
        ctx.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_labels_fit_the_canvas_and_each_other(page, site_url, name):
    fig = open_diagram(page, site_url, name)
    boxes = shown(fig).evaluate("""svg => {
        return Array.from(svg.querySelectorAll('text')).map(t => {
            const b = t.getBBox();
            return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height,
                    lines: Array.from(t.querySelectorAll('tspan')).map(s => s.getComputedTextLength()),
                    width: t.querySelector('tspan') ? null : t.getComputedTextLength()};
        });
    }""")
    vx, vy, w, h = shown(fig).evaluate("s => [s.viewBox.baseVal.x, s.viewBox.baseVal.y, "
                                       "s.viewBox.baseVal.width, s.viewBox.baseVal.height]")
    assert (vx, vy, w, h) == (0, 0) + MODELS[name].size          # 1280 px: the wide variant
    assert boxes
    for b in boxes:
        assert b["x"] >= vx and b["y"] >= vy and b["x"] + b["w"] <= vx + w and b["y"] + b["h"] <= vy + h, b
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
                     a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
            assert apart, (a["text"], b["text"])
    # the browser draws the label as wide as textmeasure said (same font file, no fallback)
    for region in MODELS[name].regions:
        drawn = shown(fig).locator(f'a[data-region="{region.id}"] text').evaluate(
            "t => (t.querySelector('tspan') ? Array.from(t.querySelectorAll('tspan')) : [t])"
            "      .map(s => [s.textContent, s.getComputedTextLength()])")
        for line, length in drawn:
            assert length == pytest.approx(text_width(line, 16), rel=0.03), (region.id, line)


@pytest.mark.parametrize("width", [320, 1280])
def test_small_screens_scroll_the_diagram_not_the_page(new_context, site_url, width):
    ctx = new_context(viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        for name in ("knee", "foot", "body-map"):
            fig = open_diagram(page, site_url, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            scale = shown(fig).evaluate("s => s.getBoundingClientRect().width / s.viewBox.baseVal.width")
            assert 16 * scale >= 12 - 0.01, "labels at least 12 px"
            for a in shown(fig).locator("a[data-region]").all():
                for part in (".bmo-region-shape", ".bmo-label-box"):
                    box = a.locator(part).bounding_box()
                    assert box["width"] >= 24 and box["height"] >= 24, (name, a.get_attribute("data-region"), part)
            frame = fig.locator(".bmo-diagram__frame:visible")
            assert style(frame, "overflow-x") == "auto"
    finally:
        ctx.close()


def test_reduced_motion_and_print(new_context, site_url):
    ctx = new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        fig = open_diagram(page, site_url, "knee")
        assert style(shown(fig).locator(".bmo-region-shape").first, "transition-duration") in ("0s", "0s, 0s")
        page.emulate_media(media="print")
        for name in JOINTS["knee/"]:          # on paper every view of the joint, each drawn wide
            view = fig.locator(f'[data-view="{name}"]')
            assert view.locator("svg.bmo-v-wide").is_visible() and not view.locator("svg.bmo-v-narrow").is_visible()
        assert not fig.locator(".bmo-views__switch").is_visible()
        assert not fig.locator(".bmo-diagram__controls").is_visible()
        assert fig.locator(".bmo-diagram__text li").first.is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_violations_in_the_diagram(new_context, site_url, name, scheme):
    ctx = new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        fig = open_diagram(page, site_url, name)
        want = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == want
        fig.locator("button[data-pattern]").first.click() if MODELS[name].patterns else None
        shown(fig).locator("a[data-region]").first.focus()
        violations = run_axe(page, include=figure_of(name))
        assert violations == [], format_violations(violations)
    finally:
        ctx.close()


def test_axe_on_whole_pages_with_diagrams(page, site_url, axe):
    for name in ("knee", "body-map"):
        open_diagram(page, site_url, name)
        mine = [v for v in axe(page) if any("bmo-diagram" in str(t) or "data-diagram" in str(t) or "svg" in str(t)
                                            for t in v["nodes"])]
        assert mine == [], mine


def test_initialisation_is_idempotent(page, site_url):
    fig = open_diagram(page, site_url, "knee")
    page.evaluate("""() => new Promise((done, fail) => { const s = document.createElement('script');
                             s.src = document.querySelector('script[src*="diagrams.js"]').src;
                             s.onload = done; s.onerror = fail;       // loaded and run
                             document.body.appendChild(s); })""")
    fig.locator('button[data-pattern="acl-tear"]').click()
    assert fig.locator('button[data-pattern="acl-tear"]').get_attribute("aria-pressed") == "true"
    assert fig.locator("[data-diagram-panel] .bmo-diagram__close").count() == 1


def test_view_switch_shows_one_view_at_a_time_by_keyboard_touch_and_without_script(new_context, site_url):
    for js in (True, False):
        ctx = new_context(java_script_enabled=js, viewport={"width": 390, "height": 900}, has_touch=True)
        try:
            page = ctx.new_page()
            page.goto(site_url + "knee/")
            front = page.locator('figure[data-view="knee"]')
            side = page.locator('figure[data-view="knee-side"]')
            radios = page.locator("input.bmo-views__input")
            assert radios.count() == 2 and radios.first.is_checked()
            assert page.locator(".bmo-views__switch legend").inner_text() == "Choose the view"
            assert front.is_visible() and not side.is_visible()
            radios.first.focus()
            page.keyboard.press("ArrowRight")              # native radio buttons: arrow keys move
            assert radios.nth(1).is_checked()
            assert side.is_visible() and not front.is_visible()
            page.locator("label.bmo-views__option").first.tap()
            assert front.is_visible() and not side.is_visible()
            box = page.locator("label.bmo-views__option").first.bounding_box()
            assert box["height"] >= 44                     # a touch target
            page.emulate_media(media="print")              # on paper: every view
            assert front.is_visible() and side.is_visible()
        finally:
            ctx.close()



def causes_of(joint):
    models = [MODELS[name] for name in joint]
    return views.merge_patterns(models)


def chosen(page) -> str:
    return page.evaluate("document.querySelector('input.bmo-views__input:checked').value")


def highlighted(fig, view: str) -> list[str]:
    """The regions the view's shown drawing highlights (a hatch fill, as the reader sees)."""
    return fig.locator(f'[data-view="{view}"] svg[data-diagram]:visible').evaluate("""svg =>
        [...svg.querySelectorAll('a[data-region]')]
          .filter(a => getComputedStyle(a.querySelector('.bmo-region-shape')).fill.includes('url('))
          .map(a => a.dataset.region)""")


@pytest.mark.parametrize("path", sorted(JOINTS))
def test_one_set_of_cause_buttons_serves_every_view_of_a_joint(page, site_url, path):
    joint = JOINTS[path]
    page.goto(site_url + path)
    fig = page.locator(f"{figure_of(joint[0])}[data-diagram-ready]")
    fig.wait_for()
    causes = causes_of(joint)
    buttons = fig.locator("button[data-pattern]")
    assert [b.get_attribute("data-pattern") for b in buttons.all()] == [c.id for c in causes]
    assert page.locator("button[data-pattern]").count() == len(causes)     # no other set on the page
    assert page.locator("[data-diagram-panel]").count() == 1
    for view in joint:                                                     # the same buttons in every view
        page.locator(f'input.bmo-views__input[value="{view}"]').check()
        assert all(b.is_visible() for b in buttons.all())
        assert fig.locator(f'figure[data-view="{view}"]').is_visible()
    for cause in causes:                     # each cause highlights its own regions in the view it shows
        start = chosen(page)
        fig.locator(f'button[data-pattern="{cause.id}"]').click()
        now = chosen(page)
        assert now == (start if start in cause.views else cause.views[0]), cause.id
        assert sorted(highlighted(fig, now)) == sorted(dict(cause.seen)[now]), cause.id
        panel = fig.locator("[data-diagram-panel]").inner_text()
        assert cause.label in panel
        view_name = page.locator("label.bmo-views__option", has=page.locator(f'input[value="{now}"]')).inner_text()
        assert f"seen {views.in_sentence(view_name.strip())}:" in panel
        assert ("Now showing the view" in panel) == (now != start)
        fig.locator(f'button[data-pattern="{cause.id}"]').click()          # released
        assert fig.locator(".is-highlighted").count() == 0


def test_keyboard_a_cause_only_the_front_shows_switches_from_the_side_and_back(page, site_url):
    fig = open_diagram(page, site_url, "knee")
    page.locator('input.bmo-views__input[value="knee"]').focus()
    page.keyboard.press("ArrowRight")                                      # to the outer side
    assert chosen(page) == "knee-side"
    oa = fig.locator('button[data-pattern="osteoarthritis"]')
    oa.focus()
    page.keyboard.press("Enter")
    assert chosen(page) == "knee" and oa.get_attribute("aria-pressed") == "true"
    assert fig.locator('figure[data-view="knee"]').is_visible()
    assert not fig.locator('figure[data-view="knee-side"]').is_visible()
    assert sorted(highlighted(fig, "knee")) == ["medial-femoral-condyle", "medial-tibial-plateau"]
    panel = fig.locator("[data-diagram-panel]")
    assert panel.get_attribute("aria-live") == "polite"
    assert "Now showing the view from the front, where this pattern can be seen." in panel.inner_text()
    assert page.evaluate("document.activeElement.dataset.pattern") == "osteoarthritis"   # focus stays
    acl = fig.locator('button[data-pattern="acl-tear"]')
    acl.focus()
    page.keyboard.press("Space")                                           # both views show it: stay
    assert chosen(page) == "knee" and "Now showing the view" not in panel.inner_text()
    assert "Also shown in the view from the outer side" in panel.inner_text()
    page.locator('input.bmo-views__input[value="knee"]').focus()
    page.keyboard.press("ArrowRight")                                      # the reader changes the view
    assert chosen(page) == "knee-side"
    assert sorted(highlighted(fig, "knee-side")) == ["lateral-femoral-condyle", "lateral-tibial-plateau"]
    assert "seen from the outer side: Lateral femoral condyle, Lateral tibial plateau" in panel.inner_text()
    page.locator('input.bmo-views__input[value="knee-side"]').focus()
    page.keyboard.press("ArrowLeft")
    acl.focus()
    page.keyboard.press("Space")                                           # released
    oa.focus()
    page.keyboard.press("Enter")
    page.locator('input.bmo-views__input[value="knee"]').focus()
    page.keyboard.press("ArrowRight")                                      # to a view that does not show it
    assert "Not shown in this view. Choose the view from the front to see it." in panel.inner_text()
    assert highlighted(fig, "knee-side") == []


@pytest.mark.parametrize("width", [320, 390])
def test_touch_a_cause_switches_the_view_and_the_button_stays_under_the_finger(new_context, site_url, width):
    ctx = new_context(viewport={"width": width, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = ctx.new_page()
        page.goto(site_url + "ankle/")
        fig = page.locator(f"{figure_of('ankle')}[data-diagram-ready]")
        fig.wait_for()
        side = page.locator("label.bmo-views__option").nth(1)
        side.scroll_into_view_if_needed()
        side.tap()
        assert chosen(page) == "ankle-side"
        button = fig.locator('button[data-pattern="medial-malleolus-stress-fracture"]')
        button.scroll_into_view_if_needed()
        before = button.bounding_box()
        button.tap()
        assert chosen(page) == "ankle" and button.get_attribute("aria-pressed") == "true"
        assert highlighted(fig, "ankle") == ["medial-malleolus"]
        after = button.bounding_box()
        assert abs(after["y"] - before["y"]) < 2, "the page moved under the finger"
        sprain = fig.locator('button[data-pattern="inversion-sprain"]')
        sprain.tap()                                                       # shown in both views: stays
        assert chosen(page) == "ankle"
        assert sorted(highlighted(fig, "ankle")) == ["distal-tibia", "lateral-malleolus", "talus-medial"]
        side.tap()
        assert sorted(highlighted(fig, "ankle-side")) == ["distal-tibia", "lateral-malleolus", "talus"]
    finally:
        ctx.close()


def test_without_javascript_each_cause_is_listed_once_with_the_views_that_show_it(new_context, site_url):
    ctx = new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = ctx.new_page()
        for path, joint in JOINTS.items():
            page.goto(site_url + path)
            fig = page.locator(figure_of(joint[0]))
            causes = causes_of(joint)
            items = fig.locator(".bmo-diagram__patterns li")
            assert [i.get_attribute("data-pattern-item") for i in items.all()] == [c.id for c in causes]
            names = {v: views.in_sentence(page.locator("label.bmo-views__option", has=page.locator(
                f'input[value="{v}"]')).inner_text().strip()) for v in joint}
            for cause, item in zip(causes, items.all()):
                assert item.is_visible()
                said = item.locator(".bmo-diagram__views").inner_text()
                assert said.startswith("Shown in the view") and all(names[v] in said for v in cause.views)
                assert not any(names[v] in said for v in joint if v not in cause.views), (cause.id, said)
            for view in joint:
                assert fig.locator(f'[data-view-text="{view}"] li').count() == len(MODELS[view].regions)
            assert not fig.locator("button[data-pattern]").first.is_visible()
            page.locator("label.bmo-views__option").nth(1).click()          # the switch works without script
            assert fig.locator(f'figure[data-view="{joint[1]}"]').is_visible()
            assert not fig.locator(f'figure[data-view="{joint[0]}"]').is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_after_a_cause_switches_the_view_on_a_phone(new_context, site_url, scheme):
    ctx = new_context(color_scheme=scheme, viewport={"width": 320, "height": 800}, has_touch=True)
    try:
        page = ctx.new_page()
        found = {}
        for path, joint in JOINTS.items():
            page.goto(site_url + path)
            fig = page.locator(f"{figure_of(joint[0])}[data-diagram-ready]")
            fig.wait_for()
            page.locator(f'input.bmo-views__input[value="{joint[1]}"]').check()
            cause = next(c for c in causes_of(joint) if joint[1] not in c.views)
            fig.locator(f'button[data-pattern="{cause.id}"]').tap()
            assert chosen(page) == joint[0]
            assert fig.locator("svg[data-diagram]:visible").get_attribute("data-variant") == "narrow"
            violations = run_axe(page, include=figure_of(joint[0]))
            if violations:
                found[path] = violations
        assert found == {}, format_violations(found)
    finally:
        ctx.close()
