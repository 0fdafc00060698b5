"""Every patient page prints as a clean handout whose QR code opens the page itself."""
from __future__ import annotations

import io

import pytest
import yaml
import zxingcpp
from PIL import Image

from conftest import ROOT

SITE_URL = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
SITE_PAGES = ["hip/", "knee/", "ankle/", "talus/", "foot/"]


@pytest.mark.parametrize("path", SITE_PAGES)
def test_site_pages_print_as_handouts_with_a_qr_code_of_their_own_url(site_url, page, path):
    page.goto(site_url + path)
    page.emulate_media(media="print")
    qr = page.locator("[data-qr]")
    assert qr.get_attribute("data-qr") == SITE_URL + path
    assert qr.is_visible()
    # at least 2.5 cm printed: CSS px are 1/96 inch
    box = qr.locator("svg").bounding_box()
    assert box["width"] >= 2.5 / 2.54 * 96 and box["height"] >= 2.5 / 2.54 * 96
    image = Image.open(io.BytesIO(qr.locator("svg").screenshot(scale="device")))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [SITE_URL + path]


@pytest.mark.parametrize("path", SITE_PAGES)
def test_handout_leaves_out_navigation_and_keeps_diagram_and_review_date(site_url, page, path):
    page.goto(site_url + path)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search", "button"):
        visible = [el for el in page.locator(selector).all() if el.is_visible()]
        assert not visible, f"{selector} is printed on {path}"
    assert page.locator("figure svg[data-diagram]").first.is_visible()
    assert "Page last reviewed" in page.locator(".bmo-review").inner_text()


def test_qr_code_is_hidden_on_screen(site_url, page):
    page.goto(site_url + "knee/")
    assert not page.locator("[data-qr]").is_visible()


def test_handout_pdf_keeps_figures_whole(site_url, page, tmp_path):
    """A4 and US Letter PDFs render; no figure is split across a page break."""
    page.goto(site_url + "knee/")
    for fmt in ("A4", "Letter"):
        pdf = page.pdf(format=fmt, print_background=False)
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.emulate_media(media="print")
    style = page.evaluate("getComputedStyle(document.querySelector('figure')).breakInside")
    assert style == "avoid"


HANDOUT_PAGES = SITE_PAGES + ["causes/", "treatment/"]


def page_count(pdf: bytes) -> int:
    """Pages in a PDF that Chromium wrote (its page objects are not compressed)."""
    import re

    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_page_count_is_read_from_the_pdf(site_url, page):
    page.goto(site_url + "knee/")
    assert page_count(page.pdf(format="A4")) > 2        # the whole page is long
    page.set_content("<p>one</p><p style='break-before: page'>two</p><p style='break-before: page'>three</p>")
    assert page_count(page.pdf(format="A4")) == 3


@pytest.mark.parametrize("path", HANDOUT_PAGES)
def test_print_a_handout_prints_two_pages_at_most_with_diagram_help_and_qr(site_url, page, path):
    page.goto(site_url + path)
    button = page.locator("[data-print-handout]")
    assert button.is_visible() and button.inner_text() == "Print a handout"
    # the control prints the page as a handout (window.print is the browser's dialog)
    page.evaluate("window.print = () => "
                  "{ window.bmoPrinted = document.documentElement.classList.contains('bmo-handout'); }")
    button.click()
    assert page.evaluate("window.bmoPrinted") is True
    for fmt in ("A4", "Letter"):
        page.evaluate("document.documentElement.classList.add('bmo-handout')")   # print() ends it: set again
        assert page_count(page.pdf(format=fmt)) <= 2, fmt
    page.evaluate("document.documentElement.classList.add('bmo-handout')")
    page.emulate_media(media="print")
    article = page.locator("article")
    assert article.locator("h1").is_visible()
    assert article.locator(".admonition.abstract").is_visible()          # key points
    drawing = article.locator("figure svg[data-diagram]:visible")
    assert drawing.count() == 1 and drawing.bounding_box()["height"] > 200
    help_box = article.locator(".bmo-help")
    assert help_box.is_visible() and "When to get help" in help_box.inner_text()
    assert "Page last reviewed" in article.locator(".bmo-review").inner_text()
    if article.locator(".bmo-diagram__patterns").count():                 # the typical patterns, short
        assert article.locator(".bmo-diagram__patterns li").first.is_visible()
        assert not any(r.is_visible() for r in article.locator(".bmo-diagram__regions").all())
    # the long text is left out
    assert not article.locator("h2#sources").is_visible()
    assert not article.locator(".footnote").is_visible()
    qr = page.locator("[data-qr] svg")
    image = Image.open(io.BytesIO(qr.screenshot(scale="device")))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [SITE_URL + path]


def test_without_the_handout_the_page_prints_whole(site_url, page):
    """The browser's own print: every section and the sources, no site chrome."""
    page.goto(site_url + "knee/")
    page.emulate_media(media="print")
    assert page.locator("h2#sources").is_visible() and page.locator(".footnote").is_visible()
    assert not page.locator("[data-print-handout]").is_visible()
    # two-digit footnote numbers stay inside the page (their marker is not clipped)
    tenth = page.locator(".footnote li").nth(9)
    assert page.evaluate("li => li.getBoundingClientRect().left - "
                         "parseFloat(getComputedStyle(li.parentElement).paddingLeft)", tenth.element_handle()) >= 0
    pad = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.footnote ol')).paddingLeft)")
    assert pad >= 2 * 11 * 96 / 72 * 0.9           # room for "10." at 11 pt


@pytest.mark.parametrize("path", ["outlook/", "causes/infection/", "treatment/shock-wave-therapy/"])
def test_a_patient_page_without_a_diagram_offers_the_handout_too(site_url, page, path):
    """The control does not depend on a diagram's script: every patient page has it, also after
    the theme's instant navigation brings the page in."""
    for arrive in ("load", "instant"):
        if arrive == "load":
            page.goto(site_url + path)
        else:
            page.goto(site_url + "about/")
            page.evaluate("p => { const a = document.createElement('a'); a.href = p; a.textContent = 'go';"
                          " document.querySelector('article').append(a); a.click(); }", site_url + path)
            page.wait_for_url("**/" + path)
        button = page.locator("[data-print-handout]")
        button.wait_for(state="visible")
        page.evaluate("window.print = () => "
                      "{ window.bmoPrinted = document.documentElement.classList.contains('bmo-handout'); }")
        button.click()
        assert page.evaluate("window.bmoPrinted") is True, arrive
        assert page.evaluate("document.documentElement.classList.contains('bmo-handout')")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        assert not page.evaluate("document.documentElement.classList.contains('bmo-handout')")
