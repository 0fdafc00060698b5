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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
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


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def run_axe(page, tags=AXE_TAGS) -> list[dict]:
    """axe-core violations on the current page (WCAG 2.0/2.1/2.2 A and AA)."""
    inject_axe(page)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
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


def all_pages(site: Path) -> list[str]:
    """Every built page as a URL path ('' for the home page, 'knee/' ...); the 404 page and
    the redirect pages of moved addresses are not pages."""
    from generators.maintainer.sitecheck import built_pages

    return built_pages(site)


def pytest_collection_modifyitems(config, items):
    """Browser tests live in tests/browser/; tests that need the built site are marked `site`:
    `-m "not browser and not site and not slow"` is the fast set (`make test-unit`)."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)
        elif "built_site" in getattr(item, "fixturenames", ()) or "site_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
