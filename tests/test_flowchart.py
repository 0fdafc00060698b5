"""Flowcharts (generators/diagrams/flowchart.py): the real specs, the SVG contract, the text
version, escaping, determinism and every error a maintainer can meet."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from generators.core import catalog, links
from generators.diagrams import flowchart
from generators.core.errors import SpecError
from generators.diagrams.layout import problems
from generators.core.textmeasure import text_width

SPECS = sorted((catalog.DIAGRAMS_DIR / "flowcharts").glob("*.yaml"))
NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module", params=SPECS, ids=lambda p: p.stem)
def model(request):
    return flowchart.load(request.param)


def svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def tag(el) -> str:
    return el.tag.split("}")[-1]


# --- the real charts --------------------------------------------------------------------------

def test_both_charts_exist_with_their_pages():
    assert {p.stem for p in SPECS} >= {"causes", "treatment"}
    assert flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "causes.yaml").page == "causes/index.md"
    assert flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "treatment.yaml").page == "treatment/index.md"


def test_causes_chart_covers_every_group_of_causes():
    model = flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "causes.yaml")
    pages = {n.link for n in model.nodes if n.link}
    for group in ("injury", "stress-fractures", "osteoarthritis", "inflammatory-arthritis", "osteonecrosis",
                  "transient-bone-marrow-oedema", "infection", "cancer", "other"):
        assert f"causes/{group}.md" in pages
    # each group says what it usually looks like
    succ = {}
    for e in model.edges:
        succ.setdefault(e.source, []).append(e.target)
    for n in model.nodes:
        if n.link and n.link.startswith("causes/") and n.link != "causes/index.md#finding-the-cause":
            assert succ.get(n.id), f"{n.id} has no 'what it usually looks like' node"


def test_treatment_chart_follows_the_pathway():
    model = flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "treatment.yaml")
    by_link = {n.link.partition("#")[0]: n for n in model.nodes if n.link}
    for page in ("treatment/treating-the-cause.md", "when-to-get-help.md", "treatment/protecting-the-bone.md",
                 "treatment/pain-relief.md", "treatment/physiotherapy.md", "treatment/bone-medicines.md",
                 "treatment/shock-wave-therapy.md", "treatment/other-options.md", "treatment/surgery.md",
                 "outlook.md"):
        assert page in by_link, f"no node links to {page}"
    assert by_link["when-to-get-help.md"].kind == "warning"
    for page in ("treatment/bone-medicines.md", "treatment/shock-wave-therapy.md", "treatment/other-options.md",
                 "treatment/surgery.md"):
        assert by_link[page].evidence and by_link[page].evidence.sources, f"{page}: say how strong the evidence is"
    labels = {e.label for e in model.edges if e.label}
    assert {"yes", "no"} <= labels


def test_text_fits_inside_every_box(model):
    for p in model.placed.values():
        n, b = p.node, p.box
        left, right = flowchart._extras(n, b.h)
        room = b.w - 2 * flowchart.PAD_X - left - right
        weight = flowchart._weight(n)
        for line in p.lines:
            assert text_width(line, flowchart.FONT, weight) <= room + 0.01, (n.id, line)
        for line in p.note_lines:
            assert text_width(line, flowchart.NOTE_FONT) <= room + 0.01, (n.id, line)
        used = len(p.lines) * flowchart.LINE + (flowchart.NOTE_GAP + len(p.note_lines) * flowchart.NOTE_LINE
                                                if p.note_lines else 0)
        assert used <= b.h - 2 * flowchart.PAD_Y + 0.01, n.id
    assert problems(model.geometry) == []


def test_svg_contract(model):
    svg = flowchart.render_svg(model)
    root = svg_tree(svg)
    assert root.get("data-diagram") == model.id
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == f"{model.id}-title {model.id}-desc"
    assert root.find("s:title", NS).get("id") == f"{model.id}-title"
    assert root.find("s:desc", NS).get("id") == f"{model.id}-desc"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert all(i.startswith(model.id + "-") for i in ids), ids
    # every node: a group with its shape and its text; linked ones inside <a href>
    parent = {child: par for par in root.iter() for child in par}
    groups = {g.get("data-node"): g for g in root.iter(f"{{{NS['s']}}}g") if g.get("data-node")}
    assert set(groups) == {n.id for n in model.nodes}
    for n in model.nodes:
        g = groups[n.id]
        assert g.find("s:text", NS) is not None and any("fc-shape" in (el.get("class") or "") for el in g)
        text = " ".join("".join(t.itertext()) for t in g.iter(f"{{{NS['s']}}}tspan") if t.get("class") != "fc-note")
        assert text == n.text
        a = parent[g]
        if n.link:
            assert tag(a) == "a" and a.get("href") == links.relative_href(n.link, model.page)
        else:
            assert tag(a) != "a"
    edges = {g.get("data-edge") for g in root.iter(f"{{{NS['s']}}}g") if g.get("data-edge")}
    assert edges == {f"{e.source}-{e.target}" for e in model.edges}


def test_svg_is_small_rounded_and_unstyled(model):
    svg = flowchart.render_svg(model)
    assert len(svg.encode()) < 20_000
    assert len(flowchart._svg(model, model.page, xmlns=False).encode()) < 20_000
    assert not re.search(r"\d\.\d\d", svg), "coordinates are rounded to one decimal"
    assert "style=" not in svg and "<style" not in svg, "styles live in flowcharts.css"
    assert 'role="img"' not in svg
    narrow = flowchart._svg(model, model.page, xmlns=False, variant="narrow")
    assert len(narrow.encode()) < 20_000
    assert not re.search(r"\d\.\d\d", narrow) and "style=" not in narrow and 'role="img"' not in narrow


def test_one_column_variant_is_clean_and_legible_on_a_320_px_screen(model):
    """The narrow chart: one column, top to bottom, every box in reading order, no layout
    problem, and at the 288 px column of a 320 px screen its smallest text is >= 14 px."""
    geo = model.narrow
    assert problems(geo) == []
    assert geo.ports == "side" and geo.width == flowchart.NARROW_WIDTH
    tops = sorted(geo.boxes.values(), key=lambda b: b.y)
    for a, b in zip(tops, tops[1:]):
        assert b.y >= a.bottom + 10                                   # one column: nothing side by side
    scale = 288 / geo.width
    assert min(flowchart.FONT, flowchart.NARROW_NOTE_FONT) * scale >= 14
    order = sorted(model.nodes, key=lambda n: geo.boxes[n.id].y)
    assert order[0].id == model.start
    seen = set()
    for n in order:                                                   # every edge points down
        assert all(e.source in seen for e in model.edges if e.target == n.id), n.id
        seen.add(n.id)
    for n in model.nodes:                                             # text measured for the narrow box
        p, b = model.narrow_placed[n.id], geo.boxes[n.id]
        left, right = flowchart._extras(n, b.h)
        room = b.w - 2 * flowchart.PAD_X - left - right
        for line in p.lines:
            assert text_width(line, flowchart.FONT, flowchart._weight(n)) <= room + 0.01, (n.id, line)
        for line in p.note_lines:
            assert text_width(line, flowchart.NARROW_NOTE_FONT) <= room + 0.01, (n.id, line)


def test_output_is_deterministic():
    for spec in SPECS:
        a, b = flowchart.load(spec), flowchart.load(spec)
        assert flowchart.render_svg(a) == flowchart.render_svg(b)
        assert flowchart.render_figure(a) == flowchart.render_figure(b)
    out = subprocess.run([sys.executable, "-c", (
        "from generators.core import catalog\nfrom generators.diagrams import flowchart\n"
        "import hashlib\n"
        "for p in sorted((catalog.DIAGRAMS_DIR / 'flowcharts').glob('*.yaml')):\n"
        "    m = flowchart.load(p); print(hashlib.sha256(flowchart.render_figure(m).encode()).hexdigest())")],
        cwd=catalog.ROOT, capture_output=True, text=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    here = [__import__("hashlib").sha256(flowchart.render_figure(flowchart.load(p)).encode()).hexdigest()
            for p in SPECS]
    assert out.stdout.split() == here, out.stderr  # the same bytes in another process, another hash seed


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.hrefs = [], []

    def handle_starttag(self, tagname, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tagname == "a":
            self.hrefs.append(attrs.get("href"))


def test_figure_holds_chart_key_and_the_same_chart_as_a_list(model):
    html = flowchart.render_figure(model, model.page)
    assert html.startswith(f'<figure class="fc" id="{model.id}-figure"') and html.endswith("</figure>")
    assert "The same chart as a list" in html
    assert f'aria-labelledby="{model.id}-list"' in html
    # both charts: the layered one and the one-column one, CSS shows one by the column width
    assert html.count("<svg") == 2 and 'data-variant="wide"' in html and 'data-variant="narrow"' in html
    assert f"bmo-wide-from-{flowchart.wide_from(model)}" in html and "--fc-nw:" in html
    parsed = _Collect()
    parsed.feed(html)
    assert len(parsed.ids) == len(set(parsed.ids)), "ids are unique"
    for href in parsed.hrefs:
        if href.startswith(f"#{model.id}-"):
            assert href[1:] in parsed.ids, f"in-page link {href} has no target"
    text_part = html[html.index('class="fc-text"'):]
    for n in model.nodes:  # every node once in full in the list, never repeated
        assert text_part.count(f">{_esc(n.text)}<") >= 1, n.id
    for e in model.edges:
        if e.label in ("yes", "no"):
            assert f"If {e.label}:" in text_part


def _esc(s: str) -> str:
    import html
    return html.escape(s)


def test_list_refers_to_shared_steps_instead_of_repeating_them():
    model = flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "treatment.yaml")
    html = flowchart.render_figure(model)
    listed = html[html.index("<ol"):]
    assert listed.count('id="treatment-step-settling"') == 1
    assert listed.count("Then go to step 2") == 3   # protect, pain relief, physiotherapy all lead there
    assert listed.count("Is the pain settling?") == 4  # once in full, three references


def test_links_are_relative_to_the_page_that_shows_the_chart():
    model = flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "treatment.yaml")
    svg = flowchart._svg(model, "treatment/index.md")
    assert 'href="surgery/"' in svg and 'href="../outlook/"' in svg and 'href="#red-flags"' in svg
    moved = flowchart.render_figure(model, "index.md")
    assert 'href="treatment/surgery/"' in moved


# --- errors ---------------------------------------------------------------------------------------

GOOD = """\
id: demo
title: Demo
description: A demo chart.
page: index.md
nodes:
  - id: start
    kind: start
    text: Start here
  - id: ask
    kind: question
    text: Is it sore?
    link: a.md#sec
  - id: rest
    kind: step
    text: Rest it
    evidence: {note: Small trials, sources: [Gao2015]}
  - id: fine
    kind: outcome
    text: All fine
edges:
  - {from: start, to: ask}
  - {from: ask, to: rest, label: "yes"}
  - {from: ask, to: fine, label: "no"}
"""


@pytest.fixture
def env(tmp_path):
    docs = tmp_path / "docs"
    (docs / "treatment").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (docs / "a.md").write_text("# A\n\n## Section {#sec}\n\n## Other {#other-part}\n")
    (docs / "treatment" / "surgery.md").write_text("# Surgery\n")
    refs = tmp_path / "references.yaml"
    refs.write_text("- key: Gao2015\n  title: A trial\n  doi: 10.1000/x\n- key: Seefried2022\n  title: Another\n"
                    "  pmid: 1\n")
    (tmp_path / "flowcharts").mkdir()

    def load(text: str, name: str = "demo.yaml"):
        path = tmp_path / "flowcharts" / name
        path.write_text(text, encoding="utf-8")
        return flowchart.load(path, docs_dir=docs, references=refs)

    def errors(text: str, name: str = "demo.yaml") -> list[str]:
        with pytest.raises(SpecError) as err:
            load(text, name)
        prefix = str(tmp_path / "flowcharts" / name)
        return [str(p).replace(prefix, "F") for p in err.value.problems]

    load.errors = errors
    return load


def test_good_spec_loads(env):
    model = env(GOOD)
    assert [n.id for n in model.nodes] == ["start", "ask", "rest", "fine"]
    assert model.node("rest").evidence.sources == ("Gao2015",)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize("old, new, expected", [
    ("{from: ask, to: rest, label", "{from: ask, to: rset, label",
     "F:22: edges[1].to: no node 'rset' (did you mean 'rest'?)"),
    ("{from: start, to: ask}", "{from: strat, to: ask}",
     "F:21: edges[0].from: no node 'strat' (did you mean 'start'?)"),
    ("  - {from: ask, to: fine, label: \"no\"}\n",
     "  - {from: ask, to: fine, label: \"no\"}\n  - {from: fine, to: ask}\n",
     "F:24: edges[3]: the edges make a cycle: ask -> fine -> ask; flowcharts have no cycles"),
    ("  - {from: start, to: ask}\n", "  - {from: start, to: ask}\n  - {from: rest, to: rest}\n",
     "F:22: edges[1].to: an edge from 'rest' back to itself makes a cycle; flowcharts have no cycles"),
    ("    kind: outcome\n", "    kind: start\n",
     "F:18: nodes[3].kind: a second start node (the first is 'start' at line 6); a flowchart has exactly one"),
    ("    kind: start\n", "    kind: step\n",
     "F:6: nodes: needs one node of kind 'start' (where the chart begins)"),
    ("  - {from: ask, to: fine, label: \"no\"}\n",
     "  - {from: ask, to: fine, label: \"no\"}\n  - {from: fine, to: start}\n",
     "F:24: edges[3].to: leads into the start node 'start'; nothing may come before the start"),
    ("  - {from: ask, to: fine, label: \"no\"}\n", "",
     "F:17: nodes[3].id: 'fine' cannot be reached from the start node 'start'"),
    ("  - id: fine\n", "  - id: rest\n",
     "F:17: nodes[3].id: duplicate node id 'rest' (first at line 13)"),
    ("  - {from: start, to: ask}\n", "  - {from: start, to: ask}\n  - {from: start, to: ask}\n",
     "F:22: edges[1]: duplicate edge start -> ask (first at line 21)"),
    ("    kind: step\n", "    kind: stpe\n",
     "F:14: nodes[2].kind: unknown kind 'stpe' (did you mean 'step'?); "
     "use one of start, question, step, option, outcome, warning"),
    ("    link: a.md#sec\n", "    link: treatment/surgry.md\n",
     "F:12: nodes[1].link: no page 'treatment/surgry.md' under docs/ (did you mean 'treatment/surgery.md'?)"),
    ("    link: a.md#sec\n", "    link: a.md#secton\n",
     "F:12: nodes[1].link: no section '#secton' in docs/a.md (did you mean 'sec'?)"),
    ("    link: a.md#sec\n", "    link: https://example.org/\n",
     "F:12: nodes[1].link: 'https://example.org/' must be a page under docs/ written like "
     "'knee.md#section' (letters, digits, -, _ and /; no address, no ..)"),
    ("page: index.md", "page: index.md#top", "F:4: page: must be a page without #section"),
    ("sources: [Gao2015]", "sources: [Gao2016]",
     "F:16: nodes[2].evidence.sources[0]: no source 'Gao2016' in {refs} (did you mean 'Gao2015'?)"),
    ("sources: [Gao2015]", "sources: []", "F:16: nodes[2].evidence.sources: needs at least one source key"),
    ("evidence: {note: Small trials,", "evidence: {nite: Small trials,",
     "F:16: nodes[2].evidence.nite: unknown field 'nite' (did you mean 'note'?)"),
    ("{from: ask, to: rest, label:", "{from: ask, to: rest, lable:",
     "F:22: edges[1].lable: unknown field 'lable' (did you mean 'label'?)"),
    ("id: demo", "id: demo-two", "F:1: id: 'demo-two' does not match the file name 'demo.yaml' (use 'demo')"),
    ("id: demo", "id: Demo", "F:1: id: 'Demo' is not a valid id (lowercase letters, digits and single hyphens)"),
    ("    text: Rest it\n", "    text: " + "word " * 20 + "\n",
     "F:15: nodes[2].text: too long for a box (99 characters, at most 90): keep node text short and put detail "
     "on the page"),
    ("title: Demo\n", "", "F:1: missing required field 'title'"),
    ("    text: All fine\n", "    text: ''\n", "F:19: nodes[3].text: must not be empty"),
])
def test_every_error_names_file_line_and_field(env, tmp_path, old, new, expected):
    expected = expected.replace("{refs}", str(tmp_path / "references.yaml"))
    assert expected in env.errors(replace(GOOD, old, new))


def test_question_needs_two_answers(env):
    text = replace(GOOD, "  - {from: ask, to: fine, label: \"no\"}\n", "  - {from: rest, to: fine}\n")
    assert "F:10: nodes[1].kind: the question 'ask' needs at least two answers (edges from it), it has 1" \
        in env.errors(text)


def test_all_problems_are_reported_at_once(env):
    text = replace(replace(GOOD, "kind: step", "kind: stpe"), "to: rest, label", "to: rset, label")
    found = env.errors(text)
    assert any("unknown kind 'stpe'" in m for m in found) and any("no node 'rset'" in m for m in found)


def test_cli_check_reports_a_broken_flowchart(tmp_path):
    folder = tmp_path / "flowcharts"
    folder.mkdir()
    spec = folder / "demo.yaml"
    spec.write_text(replace(replace(GOOD, "a.md#sec", "treatment/index.md#red-flags"), "{from: start, to: ask}",
                            "{from: start, to: aks}"))
    out = subprocess.run([sys.executable, "-m", "generators", "check", str(spec)], cwd=catalog.ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{spec}:21: edges[0].to: no node 'aks' (did you mean 'ask'?)" in out.stderr


def test_cli_renders_the_real_charts(tmp_path):
    out = subprocess.run([sys.executable, "-m", "generators", "render", *map(str, SPECS), "--out", str(tmp_path)],
                         cwd=catalog.ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    for spec in SPECS:
        svg = (tmp_path / f"{spec.stem}.svg").read_text()
        assert svg == flowchart.render_svg(flowchart.load(spec))
        ET.fromstring(svg)


# --- escaping --------------------------------------------------------------------------------------

def test_markup_in_a_spec_comes_out_inert(env):
    text = replace(GOOD, "text: Rest it", "text: \"<script>alert('x')</script> & <b>rest</b>\"")
    text = replace(text, "title: Demo", "title: \"Demo <img src=x onerror=alert(1)>\"")
    text = replace(text, "label: \"yes\"", "label: \"<i>yes</i>\"")
    model = env(text)
    svg = flowchart.render_svg(model)
    html = flowchart.render_figure(model)
    for out in (svg, html):
        assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
        assert "&lt;script&gt;" in out
    root = svg_tree(svg)  # still well-formed XML
    words = " ".join(" ".join(root.itertext()).split())
    assert "<script>alert('x')</script>" in words and "& <b>rest</b>" in words


def test_the_text_list_numbers_sources_as_the_references_page_does():
    from generators.site.references import load_references
    model = flowchart.load(catalog.DIAGRAMS_DIR / "flowcharts" / "treatment.yaml")
    html_out = flowchart.render_figure(model)
    order = list(load_references(catalog.ROOT / "data" / "references.yaml"))
    cited = [k for n in model.nodes if n.evidence for k in n.evidence.sources]
    assert cited
    for key in cited:
        assert f'references/#{key}" aria-label="Source {order.index(key) + 1} on the References page">' \
               f'[{order.index(key) + 1}]</a>' in html_out
        assert f">{key}</a>" not in html_out  # no raw key shown to the reader
