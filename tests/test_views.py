"""Several views of one joint in one figure (generators/diagrams/views.py): the patterns of
the views merged into one set of causes, the errors when two views disagree about a cause,
and the figure's HTML (one set of buttons, one panel, the text alternative)."""
from __future__ import annotations

import dataclasses
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generators.core import catalog
from generators.core.errors import SpecError
from generators.diagrams import views
from generators.site.markdown_ext import ContentError

ROOT = Path(__file__).resolve().parents[1]
ANATOMY = ROOT / "diagrams" / "anatomy"
JOINTS = [("knee", "knee-side"), ("ankle", "ankle-side"), ("foot", "foot-side")]


def load(*ids):
    paths = [ANATOMY / f"{i}.yaml" for i in ids]
    return [catalog.load(p) for p in paths], paths


def line_of(path: Path, pattern: str, after: str = "") -> int:
    """The number of the first line matching ``pattern`` (after the first matching ``after``)."""
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if re.search(after, line)) if after else 0
    return next(n for n, line in enumerate(lines[start:], start + 1) if re.search(pattern, line))


@pytest.mark.parametrize("joint", JOINTS, ids=lambda j: j[0])
def test_each_cause_once_in_the_first_views_order_with_the_regions_of_each_view(joint):
    models, paths = load(*joint)
    causes = views.merge_patterns(models, paths)
    ids = [c.id for c in causes]
    expected = list(dict.fromkeys(p.id for m in models for p in m.patterns))
    assert ids == expected and len(set(ids)) == len(ids)
    for cause in causes:
        shows = [(m.id, next(p.regions for p in m.patterns if p.id == cause.id))
                 for m in models if any(p.id == cause.id for p in m.patterns)]
        assert list(cause.seen) == [(v, tuple(r)) for v, r in shows]
        first = next(p for m in models for p in m.patterns if p.id == cause.id)
        assert (cause.label, cause.explanation) == (first.label, first.explanation)


def test_a_cause_seen_in_both_views_keeps_each_views_own_regions():
    models, paths = load("ankle", "ankle-side")
    sprain = next(c for c in views.merge_patterns(models, paths) if c.id == "inversion-sprain")
    assert sprain.views == ("ankle", "ankle-side")
    assert "talus-medial" in dict(sprain.seen)["ankle"] and "talus" in dict(sprain.seen)["ankle-side"]
    assert sprain.regions() == ("lateral-malleolus", "talus-medial", "distal-tibia", "talus")


def test_a_cause_only_a_later_view_shows_comes_after_the_first_views_causes():
    models, paths = load("knee", "knee-side")
    side = models[1]
    extra = dataclasses.replace(side.patterns[0], id="posterolateral-corner", label="Posterolateral corner injury")
    models[1] = dataclasses.replace(side, patterns=[extra] + list(side.patterns))
    causes = views.merge_patterns(models)
    assert [c.id for c in causes][-1] == "posterolateral-corner"
    assert causes[-1].views == ("knee-side",)


def disagreeing_copy(tmp_path, field, old, new):
    """knee-side.yaml copied with its first pattern's ``field`` changed, and its model."""
    models, paths = load("knee", "knee-side")
    spec = tmp_path / "knee-side.yaml"
    text = paths[1].read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))
    pattern = models[1].patterns[0]
    value = [s for s in pattern.sources if s != "Shi2020"] if field == "sources" else new.split(": ", 1)[1].strip()
    models[1] = dataclasses.replace(models[1], patterns=[dataclasses.replace(pattern, **{field: value})]
                                    + list(models[1].patterns[1:]))
    return models, [paths[0], spec], spec


@pytest.mark.parametrize("field, old, new", [
    ("label", "    label: ACL tear\n", "    label: Torn ACL\n"),
    ("explanation", "    explanation: The twisting injury", "    explanation: A twisting injury"),
    ("sources", "sources: [Otsuka1994, Aravindh2018, Shi2020]", "sources: [Otsuka1994, Aravindh2018]"),
])
def test_two_views_disagreeing_about_one_cause_is_an_error_naming_file_line_and_field(tmp_path, field, old, new):
    if field == "explanation":
        new_line = next(l for l in (ANATOMY / "knee-side.yaml").read_text().splitlines() if "The twisting injury" in l)
        old, new = new_line, new_line.replace("The twisting injury", "A twisting injury")
    models, paths, spec = disagreeing_copy(tmp_path, field, old, new)
    with pytest.raises(SpecError) as err:
        views.merge_patterns(models, paths)
    (problem,) = err.value.problems
    assert problem.file == str(spec) and problem.field == f"patterns[0].{field}"
    assert problem.line == line_of(spec, rf"^\s+{field}:", after="^patterns:")
    knee_line = line_of(ANATOMY / "knee.yaml", rf"^\s+{field}:", after="^patterns:")
    assert f"diagrams/anatomy/knee.yaml:{knee_line}" in problem.message
    assert "'acl-tear'" in problem.message and "another cause" in problem.message


def test_one_cause_under_two_ids_is_an_error_on_the_id(tmp_path):
    models, paths = load("knee", "knee-side")
    spec = tmp_path / "knee-side.yaml"
    spec.write_text(paths[1].read_text().replace("  - id: acl-tear\n", "  - id: acl-injury\n", 1))
    side = models[1]
    models[1] = dataclasses.replace(side, patterns=[dataclasses.replace(side.patterns[0], id="acl-injury")]
                                    + list(side.patterns[1:]))
    with pytest.raises(SpecError) as err:
        views.merge_patterns(models, [paths[0], spec])
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.field) == (str(spec), line_of(spec, "id: acl-injury"), "patterns[0].id")
    assert "same label ('ACL tear')" in problem.message and "same id ('acl-tear')" in problem.message


class Tags(HTMLParser):
    """Start tags with their attributes, and the text, of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag=None, **attrs):
        want = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k) == v or (v is True and k in a) for k, v in want.items())]

    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.mark.parametrize("joint", JOINTS, ids=lambda j: j[0])
def test_the_figure_has_one_button_a_cause_one_panel_and_each_cause_once_in_words(joint):
    models, paths = load(*joint)
    html = views.render_views(models, None, paths)
    tags = Tags(html)
    causes = views.merge_patterns(models, paths)
    assert len(tags.all("figure", class_="bmo-diagram bmo-views")) == 1
    assert [a["data-view"] for a in tags.all("figure", class_="bmo-views__view")] == [m.id for m in models]
    assert [a["value"] for a in tags.all("input", type="radio")] == [m.id for m in models]
    assert len(tags.all(data_diagram_panel=True)) == 1 and len(tags.all(class_="bmo-diagram__controls")) == 1
    buttons = tags.all("button", class_="bmo-diagram__cause")
    assert [b["data-pattern"] for b in buttons] == [c.id for c in causes]
    panel = tags.all(data_diagram_panel=True)[0]["id"]
    for b, cause in zip(buttons, causes):
        assert b["data-seen-in"].split() == list(cause.views) and b["aria-controls"] == panel
        for view, regions in cause.seen:
            assert b[f"data-regions-{view}"].split() == list(regions)
        for m in models:
            if m.id not in cause.views:
                assert f"data-regions-{m.id}" not in b
    assert [a["data-pattern-item"] for a in tags.all("li", data_pattern_item=True)] == [c.id for c in causes]
    for m in models:   # every view's drawing, both variants, and its parts in words
        assert len(tags.all("svg", data_diagram=m.id)) == (2 if m.narrow else 1)
        assert len(tags.all(data_view_text=m.id)) == 1
    assert len(tags.all("details")) == 1 and len(tags.all("svg", role="img")) == 0


def test_the_text_alternative_says_which_views_show_each_cause():
    models, paths = load("ankle", "ankle-side")
    text = Tags(views.render_views(models, None, paths)).words()
    assert "Shown in the views from the front and from the outer side." in text
    assert ("Parts from the front: Lateral malleolus, Talus, inner side, Distal tibia. "
            "Parts from the outer side: Lateral malleolus, Talus, Distal tibia.") in text
    assert "Shown in the view from the front. Parts: Medial malleolus." in text
    models, paths = load("knee", "knee-side")
    knee = Tags(views.render_views(models, None, paths)).words()
    assert "Shown in the views from the front and from the outer side. Parts: Lateral femoral condyle, " \
           "Lateral tibial plateau." in knee


def test_views_seen_from_the_same_side_are_named_by_their_titles():
    models, _ = load("knee", "knee-side")
    same = [models[0], dataclasses.replace(models[1], view="front")]
    assert views.view_names(same) == [models[0].title, models[1].title]
    assert views.view_names(models) == ["From the front", "From the outer side"]
    assert views.in_sentence("From the front") == "from the front" and views.in_sentence("ACL") == "ACL"


def test_every_svg_of_a_joints_views_stays_within_the_budget():
    for joint in JOINTS:
        models, paths = load(*joint)
        html = views.render_views(models, None, paths)
        for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
            assert len(svg.encode()) <= catalog.MAX_SVG_BYTES


@pytest.fixture
def md(tmp_path):
    """A converter whose diagrams are copies of the knee's two views (to spoil one)."""
    anatomy = tmp_path / "diagrams" / "anatomy"
    (anatomy / "outlines").mkdir(parents=True)
    (tmp_path / "diagrams" / "flowcharts").mkdir()
    for name in ("knee", "knee-side"):
        shutil.copy(ANATOMY / f"{name}.yaml", anatomy)
        if (ANATOMY / "outlines" / f"{name}.json").is_file():
            shutil.copy(ANATOMY / "outlines" / f"{name}.json", anatomy / "outlines")
    shutil.copy(ROOT / "diagrams" / "flowcharts" / "causes.yaml", tmp_path / "diagrams" / "flowcharts")

    def convert(text: str) -> str:
        from generators.site.markdown_ext import fence_format, fence_validator
        m = markdown.Markdown(extensions=["pymdownx.superfences", "generators.site.markdown_ext"], extension_configs={
            "pymdownx.superfences": {"custom_fences": [{"name": "diagram", "class": "diagram", "format": fence_format,
                                                        "validator": fence_validator}]},
            "generators.site.markdown_ext": {"references": str(ROOT / "data" / "references.yaml"),
                                             "terms": str(ROOT / "data" / "terms.yaml"),
                                             "diagrams_dir": str(tmp_path / "diagrams")}})
        return m.convert(text)
    convert.anatomy = anatomy
    return convert


def test_a_fence_of_two_views_builds_one_figure_and_stops_on_a_disagreement(md):
    out = md("```diagram\nknee knee-side\n```\n")
    assert out.count('class="bmo-diagram bmo-views"') == 1 and out.count('data-pattern="acl-tear"') == 1
    side = md.anatomy / "knee-side.yaml"
    side.write_text(side.read_text().replace("    label: Kneecap dislocation\n", "    label: Dislocated kneecap\n"))
    with pytest.raises(ContentError) as err:
        md("```diagram\nknee knee-side\n```\n")
    line = line_of(side, "label: Dislocated kneecap")
    assert re.search(rf"knee-side\.yaml:{line}: patterns\[1\]\.label: 'Dislocated kneecap' differs", str(err.value))


def test_a_fence_of_views_takes_anatomy_views_each_once(md):
    with pytest.raises(ContentError, match="names the view 'knee' twice"):
        md("```diagram\nknee knee\n```\n")
    with pytest.raises(ContentError, match="must all be anatomy diagrams"):
        md("```diagram\nknee causes\n```\n")
