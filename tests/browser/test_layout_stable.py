"""Nothing moves when the page's scripts start (Lighthouse's layout shift, CLS 0): what a script
only wires up is drawn from the first paint, and hidden by CSS where there is no JavaScript."""
from __future__ import annotations

import re

PAGES = ("knee/", "causes/", "mri-report/")   # a diagram page, a flowchart page, the explainer


def test_the_handout_control_is_drawn_before_its_script_runs(site_url, page):
    page.route(re.compile(r"/assets/js/handout\.js$"), lambda route: route.abort())
    for path in PAGES:
        page.goto(site_url + path, wait_until="load")
        button = page.locator("[data-print-handout]")
        assert button.is_visible(), path
        # floated beside the title, in the stylesheet every page loads
        assert button.evaluate("b => getComputedStyle(b).float") == "right", path


def test_without_javascript_the_handout_control_is_not_shown(new_context, site_url):
    ctx = new_context(java_script_enabled=False)
    page = ctx.new_page()
    for path in PAGES:
        page.goto(site_url + path)
        assert page.locator("[data-print-handout]").count() == 1, path
        assert not page.locator("[data-print-handout]").is_visible(), path
    ctx.close()
