"""Accessibility gates on the built site, in the system Chromium.

- axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page, in the light and the dark palette;
- diagram and flowchart targets at least 24 x 24 CSS px (WCAG 2.2 SC 2.5.8);
- keyboard focus is visible (a screenshot of the focused element differs from the unfocused one);
- no keyboard trap: Tab runs through a diagram page to the footer, Shift+Tab back to the top;
- reflow at 320 CSS px (WCAG 1.4.10) and text zoom to 200 % (WCAG 1.4.4) without horizontal
  page scrolling or clipped text.

No timing is measured here: each check is a yes/no on what the page shows.
"""
from __future__ import annotations

import io

import pytest

from conftest import all_pages, format_violations, run_axe

DESKTOP = {"width": 1280, "height": 900}
TARGETS = "a[data-region], svg[data-diagram] a"
# the elements a diagram scrolls inside: content there may be wider than the page
SCROLL_FRAMES = ".bmo-diagram__frame, .bmo-flowchart__frame, [data-scroll-frame]"
KEY_PAGES = ["", "knee/", "causes/", "treatment/", "mri-report/", "glossary/", "references/"]
MIN_CHANGED_PIXELS = 12  # a focus ring around even a small target changes far more than this


def _pages_with(site_url: str, browser, built_site, selector: str) -> list[str]:
    """Pages whose built HTML holds an element matching a simple attribute marker."""
    marker = {"diagram": "data-diagram=", "region": "data-region="}[selector]
    return [u for u in all_pages(built_site)
            if marker in (built_site / u / "index.html").read_text(encoding="utf-8")]


def _diagram_pages(built_site) -> list[str]:
    return [u for u in all_pages(built_site)
            if "data-diagram=" in (built_site / u / "index.html").read_text(encoding="utf-8")]


def _existing(built_site, urls):
    return [u for u in urls if (built_site / u / "index.html").is_file()]


# --- axe-core ------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme,md_scheme", [("light", "default"), ("dark", "slate")])
def test_axe_finds_no_violation_on_any_page(browser, built_site, site_url, scheme, md_scheme):
    ctx = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = ctx.new_page()
    report: dict[str, list[dict]] = {}
    try:
        for url in all_pages(built_site):
            page.goto(site_url + url, wait_until="load")
            applied = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert applied == md_scheme, f"/{url}: palette {applied!r}, expected {md_scheme!r}"
            violations = run_axe(page)
            if violations:
                report["/" + url] = violations
    finally:
        ctx.close()
    assert not report, (f"axe-core violations in the {scheme} palette on {len(report)} page(s):\n"
                        + "\n".join(f"{url}\n{_readable(v)}" for url, v in report.items()))


def _readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines += [f"      at {' > '.join(map(str, t)) if isinstance(t, list) else t}" for t in v["nodes"]]
    return "\n".join(lines) if lines else format_violations(violations)


# --- target size ---------------------------------------------------------------------------------

def test_diagram_targets_are_at_least_24_css_px(built_site, site_url, page):
    pages = _diagram_pages(built_site)
    if not pages:
        pytest.skip("no page carries a diagram yet")
    small = []
    for url in pages:
        page.goto(site_url + url, wait_until="load")
        boxes = page.evaluate("""sel => [...document.querySelectorAll(sel)].map(a => {
            const r = a.getBoundingClientRect();
            const name = a.getAttribute('data-region') || a.getAttribute('aria-label')
                         || a.textContent.trim().slice(0, 40) || a.getAttribute('href');
            return {name, w: r.width, h: r.height, shown: r.width > 0 || r.height > 0};
        })""", TARGETS)
        assert boxes, f"/{url}: a diagram but no target ({TARGETS})"
        small += [f"/{url} {b['name']!r}: {b['w']:.1f} x {b['h']:.1f} px"
                  for b in boxes if b["shown"] and (b["w"] < 24 or b["h"] < 24)]
    assert not small, "diagram targets smaller than 24 x 24 CSS px:\n  " + "\n  ".join(small)


# --- focus visible -------------------------------------------------------------------------------

def _changed_pixels(before: bytes, after: bytes) -> int:
    from PIL import Image, ImageChops

    a = Image.open(io.BytesIO(before)).convert("RGB")
    b = Image.open(io.BytesIO(after)).convert("RGB")
    if a.size != b.size:
        return a.size[0] * a.size[1]
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return sum(1 for v in diff.getdata() if v)


def _focus_shows(page, handle) -> tuple[bool, str]:
    """Focus ``handle`` from the keyboard's point of view and compare screenshots of its area."""
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    if not box or box["width"] == 0:
        return True, "not shown"
    vw = page.viewport_size
    pad = 8
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0)}
    clip["width"] = min(box["width"] + 2 * pad, vw["width"] - clip["x"])
    clip["height"] = min(box["height"] + 2 * pad, vw["height"] - clip["y"])
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    before = page.screenshot(clip=clip, animations="disabled", caret="hide")
    handle.evaluate("el => el.focus({focusVisible: true})")
    focused = page.evaluate("document.activeElement") is not None
    after = page.screenshot(clip=clip, animations="disabled", caret="hide")
    changed = _changed_pixels(before, after)
    style = handle.evaluate("""el => { const s = getComputedStyle(el);
        return `outline: ${s.outlineStyle} ${s.outlineWidth}; box-shadow: ${s.boxShadow}`; }""")
    return focused and changed >= MIN_CHANGED_PIXELS, f"{changed} pixels changed ({style})"


def _keyboard_focus(page, presses: int) -> None:
    """Put the browser in keyboard mode (so :focus-visible applies), as a reader tabbing would."""
    page.locator("body").press("Tab")
    for _ in range(presses - 1):
        page.keyboard.press("Tab")


def test_focus_is_visible_on_links_controls_and_diagram_targets(built_site, site_url, page):
    missing = []
    page.goto(site_url, wait_until="load")
    seen = 0
    page.keyboard.press("Tab")
    for _ in range(25):  # the first stops on the home page: skip link, header, search, nav, content
        el = page.evaluate_handle("document.activeElement")
        desc = el.evaluate("e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'"
                           " ? '.' + e.className.trim().split(/\\s+/).join('.') : '')"
                           " + ' ' + (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30))")
        if el.evaluate("e => e === document.body"):
            break
        ok, why = _focus_shows_already_focused(page, el)
        seen += 1
        if not ok:
            missing.append(f"/ {desc}: {why}")
        page.keyboard.press("Tab")
    assert seen >= 5, "Tab reached fewer than 5 elements on the home page"
    for url in _diagram_pages(built_site):
        page.goto(site_url + url, wait_until="load")
        _keyboard_focus(page, 1)
        for handle in page.query_selector_all(TARGETS)[:3]:
            ok, why = _focus_shows(page, handle)
            if not ok:
                name = handle.get_attribute("data-region") or handle.get_attribute("aria-label")
                missing.append(f"/{url} diagram target {name!r}: {why}")
    assert not missing, "focus is not visible on:\n  " + "\n  ".join(missing)


def _focus_shows_already_focused(page, el) -> tuple[bool, str]:
    """The element has keyboard focus now: compare with a screenshot after blurring it."""
    el.scroll_into_view_if_needed()
    box = el.bounding_box()
    if not box or box["width"] == 0 or box["height"] == 0:
        return True, "not shown"
    vw = page.viewport_size
    pad = 8
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0)}
    clip["width"] = max(min(box["width"] + 2 * pad, vw["width"] - clip["x"]), 1)
    clip["height"] = max(min(box["height"] + 2 * pad, vw["height"] - clip["y"]), 1)
    focused = page.screenshot(clip=clip, animations="disabled", caret="hide")
    el.evaluate("e => e.blur()")
    blurred = page.screenshot(clip=clip, animations="disabled", caret="hide")
    el.evaluate("e => e.focus()")  # keyboard modality stays, so :focus-visible applies again
    changed = _changed_pixels(focused, blurred)
    return changed >= MIN_CHANGED_PIXELS, f"{changed} pixels changed"


# --- keyboard trap -------------------------------------------------------------------------------

_WHERE = """() => { const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    if (e.closest('svg[data-diagram], [data-diagram-figure], [data-flowchart-figure], figure.bmo-diagram,'
                  + ' figure.bmo-flowchart')) return 'diagram';
    if (e.closest('footer.md-footer, .md-footer')) return 'footer';
    return 'page'; }"""


def test_no_keyboard_trap_through_a_diagram_page(built_site, site_url, page):
    pages = _diagram_pages(built_site)
    if not pages:
        pytest.skip("no page carries a diagram yet")
    problems = []
    for url in pages:
        page.goto(site_url + url, wait_until="load")
        trail = []
        page.locator("body").press("Tab")
        for _ in range(600):
            trail.append(page.evaluate(_WHERE))
            if trail[-1] == "footer":
                break
            page.keyboard.press("Tab")
        if "diagram" not in trail:
            problems.append(f"/{url}: Tab never reached the diagram ({_summary(trail)})")
            continue
        if trail[-1] != "footer":
            problems.append(f"/{url}: Tab did not get from the diagram to the footer in 600 presses "
                            f"({_summary(trail)})")
            continue
        back = [trail[-1]]
        for _ in range(600):
            page.keyboard.press("Shift+Tab")
            back.append(page.evaluate(_WHERE))
            if "diagram" in back and back[-1] == "page" and back.index("diagram") < len(back) - 1 \
                    and "diagram" not in back[-1:]:
                if back[-2] == "diagram":  # just left the diagram backwards: enough
                    break
        if "diagram" not in back or back[-1] != "page":
            problems.append(f"/{url}: Shift+Tab from the footer did not get back out of the diagram "
                            f"({_summary(back)})")
    assert not problems, "\n".join(problems)


def _summary(trail: list[str]) -> str:
    runs = []
    for t in trail:
        if runs and runs[-1][0] == t:
            runs[-1][1] += 1
        else:
            runs.append([t, 1])
    return " -> ".join(f"{t} x{n}" for t, n in runs)


# --- reflow and text zoom ------------------------------------------------------------------------

_OVERFLOWING = """([limit, frames]) => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= limit + 1) continue;
        if (el.closest(frames)) continue;
        // inside an element that scrolls or clips sideways: the page itself does not scroll
        let p = el.parentElement, contained = false;
        while (p && p !== document.body) {
            const ox = getComputedStyle(p).overflowX;
            if (ox !== 'visible' && ox !== 'clip' || ox === 'clip') { contained = true; break; }
            p = p.parentElement;
        }
        if (contained) continue;
        const s = getComputedStyle(el);
        if (s.visibility === 'hidden' || s.position === 'fixed') continue;
        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ` right=${Math.round(r.right)}`);
        if (out.length >= 8) break;
    }
    return out;
}"""


def test_pages_reflow_at_320_css_px(browser, built_site, site_url):
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    page = ctx.new_page()
    wide = []
    try:
        for url in all_pages(built_site):
            page.goto(site_url + url, wait_until="load")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > 320:
                culprits = page.evaluate(_OVERFLOWING, [320, SCROLL_FRAMES])
                wide.append(f"/{url}: page is {width} px wide; {', '.join(culprits) or 'no single culprit'}")
    finally:
        ctx.close()
    assert not wide, "horizontal scrolling at 320 CSS px:\n  " + "\n  ".join(wide)


_CLIPPED_TEXT = """frames => {
    const out = [];
    const scope = document.querySelectorAll('.md-content, .md-footer');
    for (const root of scope) for (const el of root.querySelectorAll('*')) {
        if (el.closest(frames) || el.closest('svg')) continue;
        const s = getComputedStyle(el);
        if (s.display === 'none' || s.visibility === 'hidden') continue;
        const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!hasText) continue;
        const clipsX = (s.overflowX === 'hidden' || s.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1;
        const clipsY = (s.overflowY === 'hidden' || s.overflowY === 'clip') && el.scrollHeight > el.clientHeight + 1;
        if (clipsX || clipsY) out.push(el.tagName.toLowerCase()
            + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
            + ': ' + el.textContent.trim().slice(0, 40));
        if (out.length >= 8) break;
    }
    return out;
}"""


@pytest.mark.parametrize("width", [1280, 768])
def test_text_zoom_to_200_percent_stays_readable(browser, built_site, site_url, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    problems = []
    try:
        for url in _existing(built_site, KEY_PAGES) + _diagram_pages(built_site)[:2]:
            page.goto(site_url + url, wait_until="load")
            # text-only zoom: double the root font size the theme chose (every rem and em follows)
            root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
            page.add_style_tag(content=f"html {{ font-size: {2 * root}px !important; }}")
            page.wait_for_timeout(50)
            zoomed = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')"
                                   " || document.body).fontSize)")
            assert zoomed >= 2 * 0.85 * 16 * 0.99 or zoomed >= 24, f"/{url}: zoom did not apply ({zoomed}px)"
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > width:
                culprits = page.evaluate(_OVERFLOWING, [width, SCROLL_FRAMES])
                problems.append(f"/{url}: {scroll_width} px wide at {width} px; {', '.join(culprits)}")
            clipped = page.evaluate(_CLIPPED_TEXT, SCROLL_FRAMES)
            if clipped:
                problems.append(f"/{url}: clipped text at {width} px: {'; '.join(clipped)}")
    finally:
        ctx.close()
    assert not problems, "at 200 % text zoom:\n  " + "\n  ".join(problems)
