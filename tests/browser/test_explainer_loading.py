"""The report explainer loads what it needs to read a report (its data document: terms, reading
words, diagrams; and its reading code) when the reader first reaches for the text box, not with
the page; and says so plainly when that fails (offline), then tries again."""
from __future__ import annotations

import re

from generators.maintainer import bench

PAGE = "mri-report/"
DATA = "/assets/data/explainer/mri-report.html"
READING = "/assets/js/explainer-reading.js"


def _status(page):
    return page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S"))


def test_the_data_and_the_reading_code_load_when_the_reader_reaches_for_the_box(site_url, fresh_page):
    fetched: list[str] = []
    fresh_page.on("request", lambda r: fetched.append(r.url))
    settled = bench.Settled(fresh_page)
    fresh_page.goto(site_url + PAGE, wait_until="load")
    settled.wait()
    assert not [u for u in fetched if u.endswith((DATA, READING))], "fetched before the reader asked"
    assert fresh_page.locator("[data-explainer] figure, [data-explainer] template").count() == 0
    with fresh_page.expect_request(lambda r: r.url.endswith(DATA)), fresh_page.expect_request(lambda r: r.url.endswith(READING)):
        fresh_page.locator("[data-explainer-input]").focus()
    fresh_page.locator("[data-explainer][data-explainer-loaded]").wait_for(state="attached")
    fresh_page.locator("[data-explainer-input]").fill("Bone bruise of the medial femoral condyle.")
    fresh_page.locator("[data-explainer-run]").click()
    _status(fresh_page).wait_for()
    assert fresh_page.locator("[data-explainer-status]").inner_text() == "2 terms found."
    # the diagrams came with the data, with their stylesheet and script (the hatching is theirs)
    site = fresh_page.locator('[data-explainer-site="knee"]').first
    site.wait_for()
    assert site.locator("a[data-region].is-highlighted").count() >= 1
    assert fresh_page.evaluate("[...document.styleSheets].some(s => (s.href || '').endsWith('/assets/css/diagrams.css'))")


def test_when_the_data_cannot_be_fetched_the_reader_is_told_and_can_try_again(site_url, page):
    def offline(route):
        route.abort("internetdisconnected")

    page.goto(site_url + PAGE, wait_until="load")
    page.route(re.compile(re.escape(DATA) + "$"), offline)
    page.locator("[data-explainer-input]").fill("Bone bruise of the talus.")
    page.locator("[data-explainer-run]").click()
    _status(page).wait_for()
    status = page.locator("[data-explainer-status]").inner_text()
    assert "could not load" in status and "try again" in status, status
    assert page.locator("[data-explainer-results-area]").is_hidden()
    page.unroute(re.compile(re.escape(DATA) + "$"))
    page.locator("[data-explainer-run]").click()
    page.locator("[data-explainer-status]").filter(has_text="terms found").wait_for()
    assert page.locator("[data-explainer-output] mark").count() == 2
