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
