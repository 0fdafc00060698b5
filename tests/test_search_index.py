"""What the built search index holds: page text and headings, never the text drawn inside
a diagram (its labels) or the explainer's hidden copies of the diagrams; the diagram's text
alternative is the copy that search finds."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest


class DiagramText(HTMLParser):
    """The text nodes inside each diagram drawing (<svg> of an anatomy diagram or flowchart).
    (The theme removes the data-search-exclude marks from the pages once it has indexed them.)"""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.drawings: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and not self.depth and re.search(r"\b(bmo-anatomy|fc-svg)\b", attrs.get("class") or ""):
            self.drawings.append({"texts": []})
            self.depth = 1
        elif tag == "svg" and self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "svg" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.drawings[-1]["texts"].append(data.strip())


@pytest.fixture(scope="module")
def index(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def page_text(index, page: str) -> str:
    return " ".join(d["title"] + " " + d["text"] for d in index["docs"]
                    if d["location"].split("#")[0] == page)


def drawings(built_site, page: str) -> list[dict]:
    parser = DiagramText()
    parser.feed((built_site / page / "index.html").read_text(encoding="utf-8"))
    return parser.drawings


def pages_with_diagrams(built_site) -> list[str]:
    from generators.maintainer.sitecheck import built_pages

    return [p for p in built_pages(built_site)
            if 'class="bmo-anatomy' in (built_site / p / "index.html").read_text(encoding="utf-8")
            or 'class="fc-svg' in (built_site / p / "index.html").read_text(encoding="utf-8")]


def test_no_diagram_label_text_is_in_the_index(built_site, index):
    """Labels run together in the index ("NavicularCuboid") when a drawing is indexed: no two
    neighbouring texts of any drawing appear joined in the index of its page."""
    pages = pages_with_diagrams(built_site)
    # (the MRI-report explainer's diagrams are fetched when used, not in its page: see below)
    assert {"foot/", "talus/", "knee/", "causes/"} <= set(pages), pages
    leaks = []
    for page in pages:
        text = page_text(index, page)
        for drawing in drawings(built_site, page):
            # words only: the narrow variant's numbered badges ("9" beside "9") would match any
            # page number in the Sources
            texts = [t for t in drawing["texts"] if any(ch.isalpha() for ch in t)]
            assert len(texts) >= 3, f"{page}: a drawing with almost no text? {texts}"
            leaks += [f"{page}: {a + b!r}" for a, b in zip(texts, texts[1:]) if a + b in text]
    assert not leaks, "diagram labels in the search index:\n" + "\n".join(leaks[:20])


def test_the_diagram_text_alternative_is_indexed(index):
    foot = page_text(index, "foot/")
    assert "The diagram in words" in foot
    assert "Cuboid: A cube-shaped bone" in foot


def test_the_explainers_hidden_diagrams_are_not_indexed(index):
    """The MRI-report page holds hidden copies of the five site diagrams for the explainer:
    their text alternatives stay on their own pages."""
    report = page_text(index, "mri-report/")
    assert "The diagram in words" not in report
    assert "Where the parts named in your report are" not in report


def test_hidden_cause_buttons_are_not_indexed(index):
    assert "Show where it typically shows, by cause" not in page_text(index, "foot/")


def test_the_sources_under_each_page_are_not_indexed_but_the_references_page_is(built_site, index):
    """Search finds a page by its own words, not by the titles in its list of sources (an article
    title such as "Bone marrow edema" would otherwise outrank the page that explains the term);
    every source stays findable on the References page."""
    locations = {d["location"] for d in index["docs"]}
    cited = pages_with_sources(built_site)
    assert len(cited) >= 20, cited
    assert not [p for p in cited if f"{p}#sources" in locations]
    assert "knee/" in locations and "references/" in {loc.split("#")[0] for loc in locations}
    references = page_text(index, "references/")
    assert "Radiopaedia" in references and "Bone marrow oedema (edema)" in references


def pages_with_sources(built_site) -> list[str]:
    """Pages that cite sources (their footnotes are listed under a Sources heading)."""
    from generators.maintainer.sitecheck import built_pages

    return [p for p in built_pages(built_site)
            if 'class="footnote"' in (built_site / p / "index.html").read_text(encoding="utf-8")]
