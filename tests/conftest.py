"""Shared fixtures: a site built once per session, a loopback HTTP server for it,
and Playwright driving the system Chromium (never a downloaded browser).

Set BMO_SITE_DIR to use a site that is already built (``make test`` builds once and
passes it in); otherwise the first test that needs it builds into a temporary folder.
Set CHROMIUM to use another Chrome or Chromium binary.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
# --font-render-hinting=none: text laid out with the font's own advances, as phones and the desktop
# browser lay it out (the headless shell otherwise hints glyphs to whole pixels, and a label drew
# up to 5 % wider or narrower than generators/core/textmeasure.py measures it)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 "--font-render-hinting=none"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe.run's options: the rules of AXE_TAGS; every violation with all its nodes, and for the other
# result types (passes, incomplete, inapplicable, which no test reads) one node each, which
# axe's documentation gives as its performance option (axe's own time falls by about 40 %)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


def build_site(dest: Path) -> Path:
    """Strict build of the site into ``dest`` (the same command as ``make build``)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=source_date_epoch())
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        pytest.fail(f"the site does not build:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return dest


def source_date_epoch() -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "0"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    given = os.environ.get("BMO_SITE_DIR")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").is_file(), f"BMO_SITE_DIR={given} holds no built site"
        return path
    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    from generators.maintainer.sitecheck import serve

    with serve(built_site) as url:
        yield url


def chromium_path() -> str:
    """The browser the tests drive: $CHROMIUM if set; else Debian's ``chromium-headless-shell``
    where it is installed (``make test`` installs it next to ``chromium`` when it can); else
    ``chromium``. The headless shell is the same Chromium build as the ``chromium`` package (same
    version, same Blink and V8) without the desktop browser's window layer, and it is what
    Playwright itself runs for headless tests. It opens the same pages with about a third less
    CPU (16 page loads: 13 CPU-s against 9; 200 Tab presses: 5.8 against 3.4; 2-core machine)."""
    path = (os.environ.get("CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
            or "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.exit("No Chromium found. Install Debian's 'chromium' package, or point the tests at "
                    "a Chrome or Chromium binary with CHROMIUM=/path/to/chrome.", returncode=2)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


# --- browser contexts, kept open between tests -------------------------------------------------

# run in a context's own page of the site as the context goes back to the pool (the palette is
# kept in local storage, under the theme's key: docs/overrides/main.html, assets/js/palette.js)
_CLEAR_STORAGE = "() => { localStorage.clear(); sessionStorage.clear(); return true; }"


class ContextPool:
    """Browser contexts kept open between the tests of one pytest process, one idle list for each
    set of options (viewport, colour scheme, touch, JavaScript off ...), for pages of the
    session's site.

    Why: Chromium starts a renderer process for the first page of a site in a context, and that
    process compiles the theme's script and parses its stylesheets afresh. A page opened next to
    a live page of the same site joins its process and finds them ready. Measured on a 2-core
    machine, opening 16 pages one after the other took 24 s of CPU in fresh contexts and 14 s in
    one context that keeps a page of the site open. So each pooled context keeps one page of its
    own open on a small file of the site (``KEEP``); tests never see it.

    A context goes back into the pool only as a fresh one would be, apart from what the browser
    keeps to go faster: every test page closed, no cookie, no permission, no route, and nothing
    in local storage, session storage or IndexedDB of any origin (checked with Playwright's
    ``storage_state``; a context where anything is left is closed, not reused). Playwright
    cannot take back an init script, a binding or an installed clock: tests that add one open a
    context of their own (``browser.new_context``), as do the tests that watch what a page
    fetches (a file could come from the renderer's memory cache). The session's server runs for
    the whole session, so nothing cached can come from another server that took the same port."""

    KEEP = "assets/favicon.svg"

    def __init__(self, browser, site_url: str):
        self.browser, self.site_url = browser, site_url
        self.idle: dict[str, list] = {}
        self.keep: dict = {}  # context -> its own page

    def take(self, options: dict):
        key = json.dumps(options, sort_keys=True)
        free = self.idle.setdefault(key, [])
        if free:
            return key, free.pop()
        ctx = self.browser.new_context(**options)
        self.keep[ctx] = ctx.new_page()
        self.keep[ctx].goto(self.site_url + self.KEEP)
        return key, ctx

    def give_back(self, key: str, ctx) -> None:
        keep = self.keep.pop(ctx, None)
        if ctx.is_closed():  # the test closed it itself
            return
        try:
            clean = keep is not None and self._reset(ctx, keep)
        except Exception:  # a page crashed or would not close: not worth reusing
            clean = False
        if clean:
            self.keep[ctx] = keep
            self.idle[key].append(ctx)
        else:
            ctx.close()

    @staticmethod
    def _reset(ctx, keep) -> bool:
        for pg in ctx.pages:
            if pg is not keep:
                pg.close()
        if keep.is_closed() or not keep.evaluate(_CLEAR_STORAGE):
            return False
        ctx.clear_cookies()
        ctx.clear_permissions()
        ctx.unroute_all(behavior="ignoreErrors")
        state = ctx.storage_state(indexed_db=True)   # cheap: the site has a live page
        return (ctx.pages == [keep] and not state["cookies"]
                and not any(o.get("localStorage") or o.get("indexedDB") for o in state["origins"]))


@pytest.fixture(scope="session")
def context_pool(browser, site_url):
    return ContextPool(browser, site_url)


@pytest.fixture
def new_context(context_pool):
    """``new_context(**options)``: a browser context with Playwright's options, for pages of the
    session's site (``site_url``); taken from the pool and given back, reset, when the test ends
    (see ContextPool; closing it gives it back early). Do not add init scripts, bindings or a
    clock to it, and do not use it to watch what a page fetches: open a context of your own with
    ``browser.new_context`` for that."""
    lent: list[LentContext] = []

    def make(**options) -> LentContext:
        lent.append(LentContext(context_pool, *context_pool.take(options)))
        return lent[-1]

    yield make
    for ctx in lent:
        ctx.close()


class LentContext:
    """A pooled browser context as a test holds it: the context itself in every respect, except
    that ``close()`` gives it back to the pool (reset) instead of closing it."""

    def __init__(self, pool: ContextPool, key: str, ctx):
        self._pool, self._key, self._ctx, self._given_back = pool, key, ctx, False

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    @property
    def pages(self) -> list:
        """The test's pages (not the pool's own page of the context)."""
        keep = self._pool.keep.get(self._ctx)
        return [p for p in self._ctx.pages if p is not keep]

    def close(self) -> None:
        if not self._given_back:
            self._given_back = True
            self._pool.give_back(self._key, self._ctx)


@pytest.fixture
def context(new_context):
    return new_context(viewport={"width": 1280, "height": 900})


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def fresh_page(browser):
    """A page in a browser context of its own, new for this test, for the tests that watch what a
    page fetches: nothing is cached, so every file the page uses is asked for (see ContextPool)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx.new_page()
    ctx.close()


def run_axe(page, tags=AXE_TAGS, include: str | None = None) -> list[dict]:
    """axe-core violations on the current page (WCAG 2.0/2.1/2.2 A and AA), or only within the
    elements that the CSS selector ``include`` matches (a diagram's figure)."""
    inject_axe(page)
    result = page.evaluate("([include, options]) => axe.run(include ? {include: [include]} : document, options)",
                           [include, {**AXE_OPTIONS, "runOnly": {"type": "tag", "values": tags}}])
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def inject_axe(page) -> None:
    """Load axe-core into the page. Evaluated through the DevTools protocol: the pages'
    Content-Security-Policy refuses inline scripts (which `add_script_tag` would add)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
        assert page.evaluate("() => typeof window.axe !== 'undefined'"), "axe-core did not load"


@pytest.fixture
def axe():
    return run_axe


def format_violations(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1)


def serve_as_published(ctx, site: Path) -> str:
    """Let the browser context ``ctx`` open the built ``site`` at its published address, served
    from the files by Playwright (nothing leaves the machine: any other address is refused).
    Returns that address. Why: the theme's instant navigation follows only links to the pages
    its sitemap.xml lists, and the sitemap gives the published addresses; on a loopback address
    every link is an ordinary page load."""
    import mimetypes

    from generators.maintainer.sitecheck import configured_site_url

    base = configured_site_url()
    types = {".woff2": "font/woff2", ".svg": "image/svg+xml", ".xml": "application/xml",
             ".json": "application/json", ".js": "text/javascript", ".css": "text/css"}

    def fulfil(route):
        path = route.request.url[len(base):].split("#")[0].split("?")[0]
        f = site / path
        if f.is_dir():
            f = f / "index.html"
        if not f.is_file() or site.resolve() not in f.resolve().parents:
            return route.fulfill(status=404, body=(site / "404.html").read_bytes(), content_type="text/html")
        kind = types.get(f.suffix) or mimetypes.guess_type(f.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=f.read_bytes(), content_type=kind)

    ctx.route(lambda url: not url.startswith(base), lambda route: route.abort())
    ctx.route(base + "**", fulfil)
    return base


def all_pages(site: Path) -> list[str]:
    """Every built page as a URL path ('' for the home page, 'knee/' ...); the 404 page and
    the redirect pages of moved addresses are not pages."""
    from generators.maintainer.sitecheck import built_pages

    return built_pages(site)


# --- one visit of every page, shared by the tests that only watch a page open ---------------------

# registered before any page script runs (init scripts are not subject to the policy)
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
"""
CRAWL_TABS = 6  # pages opened at once: their waits for a quiet network overlap


@dataclass
class PageVisit:
    """What one page did while it opened, until the network was quiet (Playwright's
    "networkidle": no request for 500 ms) and its fonts were ready."""
    requests: list[str] = field(default_factory=list)      # every URL it asked for
    page_errors: list[str] = field(default_factory=list)   # uncaught script errors
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def site_crawl(browser, built_site, site_url) -> dict[str, PageVisit]:
    """Every page (``all_pages``) opened once, in a 1280 x 900 window, with what it requested,
    the script and console errors it threw and the Content-Security-Policy violations it
    reported. Several tabs open at once (their quiet-network waits overlap); each page is
    still opened on its own, in a fresh document. The tests that read this are grouped on one
    xdist worker (see pytest_collection_modifyitems), so the pages are opened once per run."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(CSP_LISTENER)
    visits: dict[str, PageVisit] = {}
    pages = all_pages(built_site)
    try:
        tabs = [ctx.new_page() for _ in range(min(CRAWL_TABS, len(pages)))]
        current: dict = {}
        for tab in tabs:
            tab.on("request", lambda r, tab=tab: visits[current[tab]].requests.append(r.url))
            tab.on("pageerror", lambda e, tab=tab: visits[current[tab]].page_errors.append(str(e)))
            tab.on("console", lambda m, tab=tab: visits[current[tab]].console_errors.append(
                f"console {m.type}: {m.text}") if m.type == "error" else None)
        for start in range(0, len(pages), len(tabs)):
            batch = list(zip(tabs, pages[start:start + len(tabs)]))
            for tab, url in batch:
                visits[url] = PageVisit()
                current[tab] = url
                tab.goto(site_url + url, wait_until="commit")
            for tab, url in batch:
                tab.wait_for_load_state("networkidle")
                tab.evaluate("document.fonts.ready.then(() => true)")
                visits[url].csp_violations += tab.evaluate("window.__cspViolations")
            for tab, _ in batch:  # nothing of this page is recorded under the next one
                tab.goto("about:blank")
    finally:
        ctx.close()
    assert list(visits) == pages
    return visits


# the tests that walk the most pages first, so that no xdist worker is left with one of them at the end
SLOW_FIRST = ("test_page_weight.py", "test_no_keyboard_trap", "test_focus_is_visible", "site_crawl",
              "test_axe_finds_no_violation_on_any_page", "test_readers_words_find_the_right_page",
              "test_hostile_browser.py", "test_diagram_widths.py::test_axe", "test_every_node_link_reaches",
              "test_every_built_page_is_valid_html", "test_navigation_scale.py", "test_build.py")


def _shared_fixture(item) -> str | None:
    """The first fixture of ``item`` that is set up once for several tests and is costly to set up
    twice: module-scoped fixtures of a test file (a built copy of the site, measured pages, an open
    page) and the session's crawl of every page."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in item.fixturenames:
        if name == "site_crawl":
            return "site_crawl"
        defs = info.name2fixturedefs.get(name) or ()
        if defs and defs[-1].scope in ("module", "class", "package"):
            return f"{item.module.__name__}::{name}"
    return None


def pytest_itemcollected(item):
    """For `pytest -n auto --dist loadgroup` (make test): the tests that share a costly fixture run
    on one worker, so it is set up once. xdist groups by a suffix "@group" on the test's id, which
    pytest-xdist 3.8 writes to `item._nodeid`; pytest 9 keeps the id in `item._id`, so the suffix
    is set here (on the workers of a loadgroup run only; xdist's scheduler reads it)."""
    group = _shared_fixture(item)
    if group:
        item.add_marker(pytest.mark.xdist_group(name=group))
        if item.config.getoption("loadgroup", False) and hasattr(item, "_id") and "@" not in item.nodeid:
            from _pytest.nodeid import NodeId

            item._id = NodeId.parse(f"{item.nodeid}@{group}")


def pytest_collection_modifyitems(config, items):
    """Browser tests live in tests/browser/; tests that need the built site are marked `site`:
    `-m "not browser and not site and not slow"` is the fast set (`make test-unit`).

    The slowest tests are handed out to the xdist workers first (SLOW_FIRST; a stable sort, so
    any other order, such as pytest-randomly's, is kept within)."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
        elif "built_site" in getattr(item, "fixturenames", ()) or "site_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)

    def rank(item) -> int:
        key = item.nodeid + " " + " ".join(getattr(item, "fixturenames", ()))
        return next((i for i, part in enumerate(SLOW_FIRST) if part in key), len(SLOW_FIRST))

    items.sort(key=rank)
