"""Accessibility gates on the built site, in the system Chromium.

- axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page, in the light and the dark palette (and
  with a diagram's cause chosen, where a page has one);
- diagram and flowchart targets at least 24 x 24 CSS px (WCAG 2.2 SC 2.5.8);
- keyboard focus is visible (a screenshot of the focused element differs from the unfocused one);
- no keyboard trap: Tab runs through a diagram page to the footer, Shift+Tab back to the top;
- reflow at 320 CSS px (WCAG 1.4.10) and text zoom to 200 % (WCAG 1.4.4) without horizontal
  page scrolling or clipped text.

No timing is measured here: each check is a yes/no on what the page shows.
"""
from __future__ import annotations

import io
import re

import pytest

from conftest import all_pages, format_violations, run_axe

DESKTOP = {"width": 1280, "height": 900}
TARGETS = "a[data-region], svg[data-diagram] a"
# the elements a diagram scrolls inside: content there may be wider than the page
SCROLL_FRAMES = ".bmo-diagram__frame, .bmo-flowchart__frame, [data-scroll-frame]"
KEY_PAGES = ["", "knee/", "causes/", "treatment/", "mri-report/", "glossary/", "references/"]
SVG_DIAGRAM = re.compile(r"<svg\b[^>]*\bdata-diagram=")
MIN_CHANGED_PIXELS = 12  # a focus ring around even a small target changes far more than this


def _diagram_pages(built_site) -> list[str]:
    """Pages that show a diagram or flowchart (an inline <svg data-diagram>). Diagrams kept in a
    <template> until needed (the MRI-report explainer's) are not shown by the page: their copies
    on the site pages are checked there."""
    return [u for u in all_pages(built_site)
            if SVG_DIAGRAM.search(re.sub(r"(?s)<template\b.*?</template>", "",
                                         (built_site / u / "index.html").read_text(encoding="utf-8")))]


def _shows_a_diagram(page) -> bool:
    """A diagram may sit in a part of the page that opens later (the MRI-report explainer)."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)].some(
        svg => svg.getBoundingClientRect().width > 0)""", "svg[data-diagram]")


def _existing(built_site, urls):
    return [u for u in urls if (built_site / u / "index.html").is_file()]


# --- axe-core ------------------------------------------------------------------------------------

SCHEMES = [("light", "default"), ("dark", "slate")]
AXE_SHARDS = 4  # the pages are shared out between this many tests, so that workers can share them
_SETTLED = "() => document.getAnimations().every(a => a.playState !== 'running')"


def _axe_in_both_palettes(page, where: str, report: dict, start: int = 0) -> None:
    """axe-core in the light and the dark palette on the page as it is now: the system setting
    is switched (the theme's palette follows it), then axe runs once the palette is applied and
    every transition has finished. ``start`` is the palette the page is in already."""
    for scheme, md_scheme in SCHEMES[start:] + SCHEMES[:start]:
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s", arg=md_scheme)
        page.wait_for_function(_SETTLED)
        applied = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert applied == md_scheme, f"{where}: palette {applied!r}, expected {md_scheme!r}"
        violations = run_axe(page)
        if violations:
            report[f"{where}, {scheme} palette"] = violations


@pytest.mark.parametrize("shard", range(AXE_SHARDS))
def test_axe_finds_no_violation_on_any_page(new_context, built_site, site_url, shard):
    """Every page, in the light and the dark palette, in one page load each: the page opens in
    the light palette (checked), then the system setting turns dark and the palette follows."""
    pages = all_pages(built_site)
    assert len(pages) >= AXE_SHARDS
    ctx = new_context(viewport=DESKTOP, color_scheme="light")
    page = ctx.new_page()
    report: dict[str, list[dict]] = {}
    try:
        for url in pages[shard::AXE_SHARDS]:
            page.emulate_media(color_scheme="light")
            page.goto(site_url + url, wait_until="load")
            applied = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert applied == "default", f"/{url}: palette {applied!r} on opening, expected 'default'"
            _axe_in_both_palettes(page, "/" + url, report)
            # a diagram's other state: a cause chosen, its regions highlighted, the panel filled
            cause = page.locator("button.bmo-diagram__cause:visible")
            if cause.count():
                cause.first.click()
                # the click scrolls; let the header's title swap finish before measuring colours
                page.wait_for_function(_SETTLED)
                _axe_in_both_palettes(page, f"/{url} (after choosing a cause on the diagram)", report, start=1)
    finally:
        ctx.close()
    if report:
        pytest.fail(f"axe-core violations on {len(report)} page(s) and palette(s):\n"
                    + "\n".join(f"{url}\n{_readable(v)}" for url, v in report.items()), pytrace=False)


def test_a_page_opened_in_the_dark_palette_is_axe_clean(new_context, site_url):
    """The palette switch above is what a reader's system does while a page is open; a page
    opened in the dark palette from the start is the other way in."""
    ctx = new_context(viewport=DESKTOP, color_scheme="dark")
    page = ctx.new_page()
    try:
        page.goto(site_url + "knee/", wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        violations = run_axe(page)
    finally:
        ctx.close()
    assert not violations, _readable(violations)


def _readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines += [f"      at {' > '.join(map(str, t)) if isinstance(t, list) else t}" for t in v["nodes"]]
    return "\n".join(lines) if lines else format_violations(violations)


# --- target size ---------------------------------------------------------------------------------

def test_diagram_targets_are_at_least_24_css_px(built_site, site_url, page):
    pages = _diagram_pages(built_site)
    assert pages, "no page carries a diagram"
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
    return diff.histogram()[255]


def _describe(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        const cls = typeof e.className === 'string' && e.className.trim()
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
        const name = e.getAttribute('aria-label') || e.getAttribute('data-region') || e.textContent.trim();
        return e.tagName.toLowerCase() + cls + ' "' + name.slice(0, 40) + '"'; }""")


def _clip_around(page, el, pad: int = 8) -> dict | None:
    box = el.bounding_box()
    if not box or box["width"] == 0 or box["height"] == 0:
        return None
    vw = page.viewport_size
    clip = {"x": max(box["x"] - pad, 0), "y": max(box["y"] - pad, 0)}
    clip["width"] = min(box["x"] + box["width"] + pad, vw["width"]) - clip["x"]
    clip["height"] = min(box["y"] + box["height"] + pad, vw["height"]) - clip["y"]
    return clip if clip["width"] >= 1 and clip["height"] >= 1 else None


def _shot(page, clip) -> bytes:
    return page.screenshot(clip=clip, animations="disabled", caret="hide")


def _focus_shows(page, unfocused: "_Unfocused") -> tuple[bool, str]:
    """The active element has keyboard focus: compare its area with the element blurred, and,
    where blurring does not undo what focus did (the theme's search box stays open), with the
    same area of ``unfocused``, the same page at the same scroll position with nothing focused."""
    el = page.evaluate_handle("document.activeElement")
    clip = _clip_around(page, el)
    if clip is None:
        return True, "not shown"
    page.mouse.move(0, 0)
    focused = _shot(page, clip)
    el.evaluate("e => e.blur()")
    blurred = _shot(page, clip)
    el.evaluate("e => e.focus()")  # the keyboard modality stays, so :focus-visible applies again
    changed = _changed_pixels(focused, blurred)
    if changed < MIN_CHANGED_PIXELS:
        y = page.evaluate("window.scrollY")
        other = unfocused.page()
        other.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", y)
        # no fixed pause: wait until the page is where it was sent and nothing is moving
        other.wait_for_function("""y => Math.abs(window.scrollY - Math.min(y,
            document.scrollingElement.scrollHeight - window.innerHeight)) < 1""", arg=y)
        other.wait_for_function(_SETTLED)
        changed = max(changed, _changed_pixels(focused, _shot(other, clip)))
    return changed >= MIN_CHANGED_PIXELS, f"{changed} pixels change when it takes focus"


class _Unfocused:
    """The walked page opened once more, with nothing focused, for ``_focus_shows``. In a browser
    context of its own: as a second tab of the walk's context it would put the walked page in the
    background, where Chromium paints about once a second, and every screenshot of the walked
    page would wait up to a second for its frame. Opened only when a comparison needs it."""

    def __init__(self, new_context, site_url: str):
        self.site_url, self.url, self.opened = site_url, "", None
        self.ctx = new_context(viewport=DESKTOP)
        self._page = self.ctx.new_page()

    def show(self, url: str) -> None:
        self.url = url

    def page(self):
        if self.opened != self.url:
            self._page.goto(self.site_url + self.url, wait_until="load")
            self.opened = self.url
        return self._page

    def close(self) -> None:
        self.ctx.close()


WALK_SHARDS = 4  # the diagram pages are shared out between this many tests (for xdist workers: a
# finer split packs the two workers better at the end of a run)


@pytest.mark.parametrize("shard", range(WALK_SHARDS))
def test_focus_is_visible_on_links_controls_and_diagram_targets(new_context, built_site, site_url, page, shard):
    """The first stops on the home page (in the first shard), and the first diagram targets on
    every page that shows a diagram (each shard takes every WALK_SHARDS-th page)."""
    missing = []
    pages = _diagram_pages(built_site)
    assert len(pages) >= WALK_SHARDS, pages
    unfocused = _Unfocused(new_context, site_url)
    try:
        _walk_for_focus(page, site_url, unfocused, pages[shard::WALK_SHARDS], shard == 0, missing)
    finally:
        unfocused.close()
    assert not missing, "focus is not visible on:\n  " + "\n  ".join(missing)


def _walk_for_focus(page, site_url, unfocused, pages, home: bool, missing: list[str]) -> None:
    if home:
        page.goto(site_url, wait_until="load")
        unfocused.show("")
        page.locator("body").press("Tab")
        seen = 0
        for _ in range(25):  # the first stops on the home page: skip link, header, search, nav, content
            if page.evaluate("document.activeElement === document.body"):
                break
            seen += 1
            ok, why = _focus_shows(page, unfocused)
            if not ok:
                missing.append(f"/ {_describe(page)}: {why}")
            page.keyboard.press("Tab")
        assert seen >= 5, "Tab reached fewer than 5 elements on the home page"
    for url in pages:
        page.goto(site_url + url, wait_until="load")
        if not _shows_a_diagram(page):
            continue
        unfocused.show(url)
        page.locator("body").press("Tab")
        checked = 0
        for _ in range(400):
            if page.evaluate("sel => !!document.activeElement.matches(sel)", TARGETS):
                ok, why = _focus_shows(page, unfocused)
                if not ok:
                    missing.append(f"/{url} diagram target {_describe(page)}: {why}")
                checked += 1
                if checked == 3:
                    break
            page.keyboard.press("Tab")
        if not checked:
            missing.append(f"/{url}: Tab never reached a diagram target ({TARGETS})")


# --- keyboard trap -------------------------------------------------------------------------------

_WHERE = """() => { const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    if (e.closest('svg[data-diagram], figure[data-diagram-figure], figure.bmo-diagram, figure.bmo-flowchart'))
        return 'diagram';
    if (e.closest('.md-footer')) return 'footer';
    return 'page'; }"""
MAX_PRESSES = 600
BATCH = 10  # key presses sent between two reads of where focus went
# where focus is after each Tab or Shift+Tab, recorded in the page as the key comes up (the focus
# has moved by then), so the walk needs one round trip per key press, not two
_RECORDER = "() => { const where = " + _WHERE + """;
    window.__bmoFocus = []; window.__bmoFocusEls = [];
    window.addEventListener('keyup', e => { if (e.key !== 'Tab') return;
        window.__bmoFocus.push(where()); window.__bmoFocusEls.push(document.activeElement); }, true); }"""


def _press_until(page, key: str, trail: list[str], stop, first=None) -> list[str]:
    """Press ``key`` until ``stop(trail)`` holds or the trail is MAX_PRESSES long; ``trail`` gets
    where focus was after each press. Keys go in batches; presses past the one that met ``stop``
    are undone by focusing the element that press reached, so the next walk starts there."""
    start = page.evaluate("() => window.__bmoFocus.length")
    seen = 0
    while len(trail) < MAX_PRESSES:
        for _ in range(min(BATCH, MAX_PRESSES - len(trail))):
            (first or page.keyboard.press)(key)
            first = None
        states = page.evaluate("s => window.__bmoFocus.slice(s)", start)
        assert len(states) > seen, f"{key} left no trace"
        for state in states[seen:]:
            trail.append(state)
            seen += 1
            if stop(trail):
                page.evaluate("i => window.__bmoFocusEls[i].focus()", start + seen - 1)
                return trail
    return trail


@pytest.mark.parametrize("shard", range(WALK_SHARDS))
def test_no_keyboard_trap_through_a_diagram_page(built_site, site_url, page, shard):
    """From the top, Tab enters the diagram, leaves it and reaches the footer; Shift+Tab from
    there goes back through the diagram and out above it. Every page that shows a diagram (each
    shard takes every WALK_SHARDS-th page)."""
    pages = _diagram_pages(built_site)
    assert len(pages) >= WALK_SHARDS, "no page carries a diagram"
    problems = []
    walked = 0
    for url in pages[shard::WALK_SHARDS]:
        page.goto(site_url + url, wait_until="load")
        if not _shows_a_diagram(page):
            continue
        walked += 1
        page.evaluate(_RECORDER)
        forward = _press_until(page, "Tab", [], lambda t: t[-1] == "footer", first=page.locator("body").press)
        if forward[-1] != "footer" or "diagram" not in forward:
            problems.append(f"/{url}: Tab from the top: {_summary(forward)} (expected page -> diagram -> "
                            "page -> footer)")
            continue
        back = _press_until(page, "Shift+Tab", [forward[-1]], lambda t: "diagram" in t and t[-1] == "page")
        if back[-1] != "page" or "diagram" not in back:
            problems.append(f"/{url}: Shift+Tab from the footer: {_summary(back)} (expected footer -> page -> "
                            "diagram -> page)")
    assert walked, f"no page of shard {shard} shows a diagram: {pages[shard::WALK_SHARDS]}"
    assert not problems, "keyboard trap or unreachable diagram:\n  " + "\n  ".join(problems)


def _summary(trail: list[str]) -> str:
    runs: list[list] = []
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
            if (ox !== 'visible') { contained = true; break; }
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


def test_pages_reflow_at_320_css_px(new_context, built_site, site_url):
    ctx = new_context(viewport={"width": 320, "height": 640})
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
        if (el.closest('.bmo-visually-hidden')) continue;  // for screen readers only, clipped on purpose
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


def _text_zoom(page, factor: float = 2.0) -> None:
    """Text-only zoom, as a reader sets it in the browser: the default font sizes change, so
    every rem, em and em-based media query follows (Chromium DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": round(16 * factor), "fixed": round(13 * factor)}})


@pytest.mark.parametrize("width", [1280, 768])
def test_text_zoom_to_200_percent_stays_readable(new_context, built_site, site_url, width):
    ctx = new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    _text_zoom(page, 2.0)
    problems = []
    try:
        for url in _existing(built_site, KEY_PAGES) + _diagram_pages(built_site)[:2]:
            page.goto(site_url + url, wait_until="load")
            body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')"
                                 " || document.body).fontSize)")
            assert body >= 24, f"/{url}: text zoom did not apply (body text {body} px)"
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
