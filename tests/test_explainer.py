"""The "Explain my report" widget as the build writes it (generators/site/explainer.py)."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from generators.core import catalog
from generators.site import explainer
from generators.site.explainer import data_document, render_explainer, script_json, terms_json
from generators.core.links import page_url, relative_href
from generators.site.terms import Term, load_terms

ROOT = Path(__file__).resolve().parent.parent
TERMS_FILE = ROOT / "data" / "terms.yaml"
EXAMPLES = ROOT / "tests" / "explainer_examples.yaml"

TERMS = [
    Term(id="bone-marrow-oedema", term="Bone marrow oedema", variants=("marrow oedema",), abbr=("BMO",),
         explanation="An area inside a bone that looks wetter than normal.", link="understanding/index.md",
         category="finding"),
    Term(id="medial-femoral-condyle", term="Medial femoral condyle", abbr=("MFC",),
         explanation="The inner knob of the thigh bone at the knee.", link="knee.md#medial-femoral-condyle",
         category="anatomy", diagram="knee", regions=("medial-femoral-condyle",)),
    Term(id="spondyloarthritis", term="Spondyloarthritis", abbr=("SpA",),
         explanation="Inflammation of the spine. </script><script>alert(1)</script> & <!-- \u2028",
         link="causes/inflammatory-arthritis.md", category="cause"),
    Term(id="stir", term="STIR", explanation="A picture that darkens fat.", link="mri-report.md#stir",
         category="imaging"),
]


class Tags(HTMLParser):
    """Every start tag as (name, attrs) and the text of the inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: dict[str, str] = {}
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs).get("id") or dict(attrs).get("src") or ""
            self.scripts[self._script] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self.scripts[self._script] += data

    def find(self, tag=None, **attrs) -> list[dict]:
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all((k.replace("_", "-") in a) if v is True else a.get(k.replace("_", "-")) == v
                        for k, v in attrs.items())]


def parse(text: str) -> Tags:
    p = Tags()
    p.feed(text)
    return p


@pytest.fixture
def no_diagrams(tmp_path) -> Path:
    (tmp_path / "anatomy").mkdir()
    return tmp_path


def test_widget_has_every_part_of_the_contract(no_diagrams):
    out = render_explainer(TERMS, no_diagrams, "mri-report.md")
    tags = parse(out)
    textarea = tags.find("textarea", data_explainer_input=True)
    assert len(textarea) == 1
    label = tags.find("label", **{"for": textarea[0]["id"]})
    assert label, "the textarea has a visible label"
    hint_ids = textarea[0]["aria-describedby"].split()
    assert all(tags.find(id=i) for i in hint_ids), "the hint and privacy note describe the textarea"
    assert textarea[0].get("spellcheck") == "false", "no cloud spell-checker gets the report"
    privacy = re.search(r'data-explainer-privacy>(.*?)</p>', out).group(1)
    assert "not sent" in privacy and "not saved" in privacy and "device" in privacy
    assert tags.find("button", data_explainer_run=True, type="button")
    status = tags.find(data_explainer_status=True)
    assert status and status[0]["aria-live"] == "polite" and status[0]["role"] == "status"
    assert tags.find(data_explainer_output=True) and tags.find("ol", data_explainer_list=True)
    assert "<form" not in out, "no form that could send the report anywhere"
    # without JavaScript: the tool is hidden (by the stylesheet: it is drawn from the first paint
    # when scripts run, so nothing shifts) and a message links to the glossary
    assert tags.find(data_explainer_tool=True)
    css = (ROOT / "docs" / "assets" / "css" / "explainer.css").read_text()
    assert re.search(r"@media \(scripting: none\) \{ \.explainer__tool \{ display: none", css)
    noscript = re.search(r"<noscript>(.*?)</noscript>", out, re.S).group(1)
    assert 'href="../glossary/"' in noscript and "JavaScript" in noscript


def test_script_and_stylesheet_are_relative_to_the_page(no_diagrams):
    for page, prefix in (("mri-report.md", "../"), ("index.md", ""), ("causes/index.md", "../"),
                         ("causes/injury.md", "../../")):
        tags = parse(render_explainer(TERMS, no_diagrams, page))
        assert tags.find("script", type="module", src=f"{prefix}assets/js/explainer.js"), page
        assert tags.find("link", rel="stylesheet", href=f"{prefix}assets/css/explainer.css"), page


def test_the_page_carries_only_the_address_of_the_widgets_data(no_diagrams):
    """The terms, the reading words and the diagrams are fetched on first use, not in the page."""
    for page, prefix in (("mri-report.md", "../"), ("index.md", ""), ("causes/injury.md", "../../")):
        out = render_explainer(TERMS, no_diagrams, page)
        root = parse(out).find("div", data_explainer=True)
        assert len(root) == 1 and root[0]["data-explainer-data"] == prefix + explainer.data_path(page), page
        assert "application/json" not in out and "<template" not in out and "data-explainer-words" not in out
    assert explainer.data_path("mri-report.md") == "assets/data/explainer/mri-report.html"
    assert explainer.data_path("causes/index.md") == "assets/data/explainer/causes/index-page.html"  # not a page


def test_the_data_documents_addresses_are_written_for_the_page(no_diagrams):
    from urllib.parse import urljoin

    for page in ("mri-report.md", "index.md", "causes/index.md", "causes/injury.md"):
        base = parse(data_document(TERMS, no_diagrams, page)).find("base")[0]["href"]
        data_url = urljoin("https://h/site/", explainer.data_path(page))
        assert urljoin(data_url, base) == urljoin("https://h/site/", page_url(page)), page
    assert page_url("causes/injury.md") == "causes/injury/" and page_url("causes/index.md") == "causes/"


def test_terms_json_parses_and_matches_the_terms(no_diagrams):
    tags = parse(data_document(TERMS, no_diagrams, "mri-report.md"))
    assert tags.find("script", type="application/json", id="explainer-terms")
    data = json.loads(tags.scripts["explainer-terms"])
    assert [d["id"] for d in data] == [t.id for t in TERMS]
    for d, t in zip(data, TERMS):
        assert d["term"] == t.term and d["explanation"] == t.explanation and d["category"] == t.category
        spellings = {f.casefold() for f in d["forms"] + d.get("exact", [])}
        assert {s.casefold() for s in t.spellings()} <= spellings
        assert d["href"] == relative_href(t.link, "mri-report.md")
        assert d.get("diagram", "") == t.diagram and tuple(d.get("regions", ())) == t.regions
    by_id = {d["id"]: d for d in data}
    assert by_id["medial-femoral-condyle"]["href"] == "../knee/#medial-femoral-condyle"
    assert by_id["stir"]["href"] == "#stir"                       # same page: just the anchor
    assert by_id["bone-marrow-oedema"]["href"] == "../understanding/"
    assert "bone marrow edema" in by_id["bone-marrow-oedema"]["forms"]   # US spelling added
    assert by_id["spondyloarthritis"]["exact"] == ["SpA"]               # "spa" is an everyday word


def test_hrefs_follow_the_page_that_shows_the_widget(no_diagrams):
    data = json.loads(parse(data_document(TERMS, no_diagrams, "causes/injury.md")).scripts["explainer-terms"])
    assert {d["id"]: d["href"] for d in data}["stir"] == "../../mri-report/#stir"


def test_an_explanation_cannot_close_the_script_or_inject_markup(no_diagrams):
    out = data_document(TERMS, no_diagrams, "mri-report.md")
    body = out.split('id="explainer-terms">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "\u2028" not in body
    assert out.count("</script>") == 2          # the terms and the words, nothing injected
    data = json.loads(body)
    assert data[2]["explanation"] == TERMS[2].explanation   # and the text survives intact
    assert "<script>alert" not in out


def test_script_json_escapes_everything_that_matters():
    text = script_json({"a": "</script><!--x-->&\u2028\u2029"})
    assert json.loads(text) == {"a": "</script><!--x-->&\u2028\u2029"}
    assert not set("<>&\u2028\u2029") & set(text)


def test_diagrams_are_included_hidden_for_each_site_that_exists(tmp_path):
    diagrams = ROOT / "diagrams"
    sites = [s for s in ("hip", "knee", "ankle", "talus", "foot") if (diagrams / "anatomy" / f"{s}.yaml").is_file()]
    if "knee" not in sites:
        pytest.skip("diagrams/anatomy/knee.yaml is not written yet")
    assert "<figure" not in render_explainer(TERMS, diagrams, "mri-report.md")   # not in the page
    out = data_document(TERMS, diagrams, "mri-report.md")
    tags = parse(out)
    assert tags.find("script", src="../assets/js/diagrams.js")          # with their script and style
    assert tags.find("link", rel="stylesheet", href="../assets/css/diagrams.css")
    wrappers = tags.find(data_explainer_site=True)
    assert [w["data-explainer-site"] for w in wrappers] == ["knee"]   # only sites a term points to
    assert all("hidden" in w for w in wrappers)
    assert tags.find("figure", data_diagram_figure="knee")
    assert tags.find("a", data_region="medial-femoral-condyle")
    assert 'href="../knee/#medial-femoral-condyle"' in out


def test_missing_diagram_specs_are_left_out(no_diagrams):
    out = data_document(TERMS, no_diagrams, "mri-report.md")
    assert "data-explainer-diagrams" not in out and "<figure" not in out and "diagrams.js" not in out


def test_the_real_terms_file_works_with_the_widget():
    if not TERMS_FILE.is_file():
        pytest.skip("data/terms.yaml is not written yet")
    terms = load_terms(TERMS_FILE)
    data = terms_json(terms, "mri-report.md")
    seen: dict[str, str] = {}
    for d in data:
        for form in d["forms"]:
            key = " ".join(re.findall(r"[\w']+", form.casefold()))
            assert seen.setdefault(key, d["id"]) == d["id"], f"'{form}' is read as both {seen[key]} and {d['id']}"
    anatomy = [t for t in terms if t.category == "anatomy"]
    assert anatomy and all(t.diagram and t.regions for t in anatomy), "every anatomy term names its diagram"
    specs = {p.stem for p in (ROOT / "diagrams" / "anatomy").glob("*.yaml")}
    for t in terms:
        if t.diagram and t.diagram in specs:
            model = catalog.load(catalog.find(t.diagram))
            ids = {r.id for r in model.regions}
            assert set(t.regions) <= ids, f"{t.id}: regions {set(t.regions) - ids} are not on the {t.diagram} diagram"


def test_every_example_names_only_real_terms():
    if not TERMS_FILE.is_file():
        pytest.skip("data/terms.yaml is not written yet")
    ids = {t.id for t in load_terms(TERMS_FILE)}
    examples = yaml.safe_load(EXAMPLES.read_text())
    assert len(examples) >= 15
    assert {e["site"] for e in examples} >= {"knee", "hip", "ankle", "talus", "foot"}
    assert any(e["negated"] for e in examples) and any(e["side"] for e in examples)
    for e in examples:
        assert set(e["terms"]) <= ids, e["sentence"]
        assert set(e["negated"]) <= set(e["terms"]), e["sentence"]
        assert e["side"] in (None, "left", "right", "both", "left and right")


def test_the_fence_renders_the_widget_through_the_markdown_extension(tmp_path):
    from generators.site.markdown_ext import fence_format, fence_validator

    terms_file = tmp_path / "terms.yaml"
    terms_file.write_text(yaml.safe_dump([
        {"id": "stir", "term": "STIR", "explanation": "A picture that darkens fat.",
         "link": "mri-report.md#stir", "category": "imaging"}]))
    (tmp_path / "diagrams" / "anatomy").mkdir(parents=True)
    md = markdown.Markdown(extensions=["pymdownx.superfences", "generators.site.markdown_ext"], extension_configs={
        "pymdownx.superfences": {"custom_fences": [
            {"name": "explainer", "class": "explainer", "format": fence_format, "validator": fence_validator}]},
        "generators.site.markdown_ext": {"terms": str(terms_file), "diagrams_dir": str(tmp_path / "diagrams"),
                                    "references": str(tmp_path / "none.yaml")}})
    out = md.convert("Intro.\n\n```explainer\nall\n```\n")
    assert "data-explainer-input" in out and html.escape("A picture that darkens fat.") in out


def test_the_reading_words_travel_as_json_that_no_text_can_leave(no_diagrams):
    from generators.site.report_words import ReportWords

    hostile = "it's \"quoted\" </script><b onclick='x()'>&amp; <!--"
    words = ReportWords({"states": {"absent": {"before": [hostile]}}, "everyday": [hostile]})
    out = data_document(TERMS, no_diagrams, "causes/injury.md", words)
    tags = parse(out)
    assert not tags.find("b")
    data = json.loads(tags.scripts["explainer-words"])
    assert data["states"]["absent"]["before"] == [hostile] and data["everyday"] == [hostile]
    assert data["help"] == "../../when-to-get-help/"      # relative to the page showing the widget
    assert out.count("</script>") == 2


def test_without_reading_words_the_widget_still_knows_where_help_is(no_diagrams):
    words = parse(data_document(TERMS, no_diagrams, "mri-report.md")).scripts["explainer-words"]
    assert json.loads(words) == {"help": "../when-to-get-help/"}


def test_the_committed_data_documents_are_up_to_date():
    """docs/assets/data/explainer/ holds exactly what the data and specs give (as search-data)."""
    wanted = explainer.render_data(ROOT / "docs", TERMS_FILE, ROOT / "diagrams")
    assert set(wanted) == {explainer.data_path("mri-report.md")}
    folder = ROOT / "docs" / explainer.DATA_DIR
    committed = {p.relative_to(ROOT / "docs").as_posix() for p in folder.rglob("*") if p.is_file()}
    assert committed == set(wanted), "run `python -m generators explainer-data`"
    for rel, text in wanted.items():
        assert (ROOT / "docs" / rel).read_text(encoding="utf-8") == text, (
            f"docs/{rel} is out of date with data/ and diagrams/: run `python -m generators explainer-data`")


def test_write_data_writes_each_page_s_document_and_removes_the_rest(tmp_path):
    docs = tmp_path / "docs"
    (docs / "causes").mkdir(parents=True)
    (docs / "causes" / "injury.md").write_text("# Injury\n\n```explainer\nall\n```\n", encoding="utf-8")
    (docs / "other.md").write_text("# No widget\n", encoding="utf-8")
    stale = docs / explainer.DATA_DIR / "old.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    (tmp_path / "diagrams" / "anatomy").mkdir(parents=True)
    terms = tmp_path / "terms.yaml"
    terms.write_text(yaml.safe_dump([{"id": "stir", "term": "STIR", "explanation": "A picture that darkens fat.",
                                      "link": "causes/injury.md", "category": "imaging"}]), encoding="utf-8")
    changed = explainer.write_data(docs, terms, tmp_path / "diagrams")
    assert changed == ["assets/data/explainer/causes/injury.html", "assets/data/explainer/old.html"]
    assert not stale.exists()
    text = (docs / changed[0]).read_text(encoding="utf-8")
    assert '"href":"./"' in text and '<base href="../../../../causes/injury/">' in text
    assert explainer.write_data(docs, terms, tmp_path / "diagrams") == []      # the same again: nothing


def test_the_link_check_reads_the_data_document_s_links_from_the_page_it_serves(tmp_path):
    """The explainer's links live in its data document: the site's link check resolves them from
    the page (the document's <base href>), JSON hrefs and markup alike."""
    from generators.maintainer.sitecheck import check_links

    site = tmp_path / "site"
    (site / "mri-report").mkdir(parents=True)
    (site / "knee").mkdir()
    (site / "index.html").write_text('<h1 id="top">Home</h1>', encoding="utf-8")
    (site / "mri-report" / "index.html").write_text('<h2 id="stir">STIR</h2>', encoding="utf-8")
    (site / "knee" / "index.html").write_text('<h2 id="patella">Patella</h2>', encoding="utf-8")
    doc = site / explainer.data_path("mri-report.md")
    doc.parent.mkdir(parents=True)
    doc.write_text('<!DOCTYPE html>\n<base href="../../../mri-report/">\n'
                   '<script type="application/json" id="explainer-terms">'
                   '[{"href":"#stir"},{"href":"../knee/#patella"},{"href":"../kneee/"}]</script>\n'
                   '<a href="../knee/#patela">x</a>\n', encoding="utf-8")
    found = [str(f) for f in check_links(site, "https://example.org/")]
    assert len(found) == 2, found
    assert "mri-report.html:3: link '../kneee/': no such page" in found[0]
    assert "mri-report.html:4: link '../knee/#patela': anchor '#patela' not found in /knee/" in found[1]
