"""Anatomy diagrams: spec validation (every error path, with file:line: field), SVG
helpers, text measurement, label placement, escaping, determinism, size and the
HTML contract that diagrams.js and the browser tests rely on."""
from __future__ import annotations

import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generators.diagrams import anatomy, labels
from generators.core import svgutil
from generators.core.errors import SpecError
from generators.core.textmeasure import text_width, wrap

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "diagrams" / "anatomy").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"

# The region ids: each links to the section of its page with the same id (published in published-urls.txt).
REGIONS = {
    "hip": ["femoral-head", "femoral-neck-upper", "femoral-neck-lower", "greater-trochanter", "acetabulum"],
    "knee": ["medial-femoral-condyle", "lateral-femoral-condyle", "medial-tibial-plateau",
             "lateral-tibial-plateau", "patella"],
    "ankle": ["medial-malleolus", "lateral-malleolus", "distal-tibia", "talus-medial"],
    "talus": ["talar-dome-medial", "talar-dome-lateral", "talar-body", "talar-neck", "talar-head",
              "posterior-process"],
    "foot": ["calcaneus", "talus", "navicular", "cuboid", "cuneiforms", "metatarsal-2", "metatarsal-3",
             "metatarsal-5-base", "metatarsal-heads"],
    "body-map": ["hip", "knee", "ankle", "talus", "foot"],
    # views derived from 3D meshes (outlines.py): the same region ids as the joint's other view
    "knee-side": ["lateral-femoral-condyle", "patella", "lateral-tibial-plateau"],
    "ankle-side": ["distal-tibia", "lateral-malleolus", "talus", "calcaneus"],
    "foot-side": ["calcaneus", "talus", "navicular", "cuneiforms"],
}
PATTERNS = {
    "hip": {"transient-bone-marrow-oedema": {"femoral-head", "femoral-neck-upper", "femoral-neck-lower"},
            "osteonecrosis": {"femoral-head"},
            "femoral-neck-stress-fracture": {"femoral-neck-lower", "femoral-neck-upper"}},
    "knee": {"acl-tear": {"lateral-femoral-condyle", "lateral-tibial-plateau"},
             "kneecap-dislocation": {"lateral-femoral-condyle", "patella"},
             "osteoarthritis": {"medial-femoral-condyle", "medial-tibial-plateau"},
             "insufficiency-fracture": {"medial-femoral-condyle", "medial-tibial-plateau"}},
    "ankle": {"inversion-sprain": {"lateral-malleolus", "talus-medial", "distal-tibia"},
              "medial-malleolus-stress-fracture": {"medial-malleolus"}},
    "talus": {"osteochondral-lesion": {"talar-dome-medial", "talar-dome-lateral"},
              "bone-bruise-after-sprain": {"talar-body", "talar-dome-medial"},
              "bone-marrow-oedema-syndrome": {"talar-body", "talar-neck", "talar-head", "talar-dome-medial",
                                              "talar-dome-lateral"},
              "dancers": {"posterior-process"}},
    "foot": {"stress-fractures": {"metatarsal-2", "metatarsal-3", "calcaneus", "navicular"},
             "high-risk-stress-fractures": {"navicular", "metatarsal-5-base"},
             "bone-marrow-oedema-syndrome": {"talus", "navicular", "cuneiforms"},
             "charcot-foot": {"navicular", "cuneiforms", "cuboid"},
             "crps": {"talus", "navicular", "cuboid", "cuneiforms", "metatarsal-2", "metatarsal-3"},
             "midfoot-osteoarthritis": {"cuneiforms"}},
    "body-map": {},
    "knee-side": {"acl-tear": {"lateral-femoral-condyle", "lateral-tibial-plateau"},
                  "kneecap-dislocation": {"lateral-femoral-condyle", "patella"}},
    "ankle-side": {"inversion-sprain": {"lateral-malleolus", "talus", "distal-tibia"}},
    "foot-side": {"bone-marrow-oedema-syndrome": {"talus", "navicular", "cuneiforms"},
                  "midfoot-osteoarthritis": {"cuneiforms"}},
}
LINK_EXCEPTIONS = {("hip", "femoral-neck-upper"): "hip.md#femoral-neck",
                   ("hip", "femoral-neck-lower"): "hip.md#femoral-neck",
                   ("foot", "talus"): "talus.md",
                   ("body-map", "hip"): "hip.md", ("body-map", "knee"): "knee.md", ("body-map", "ankle"): "ankle.md",
                   ("body-map", "talus"): "talus.md", ("body-map", "foot"): "foot.md",
                   ("ankle-side", "talus"): "talus.md", ("ankle-side", "calcaneus"): "foot.md#calcaneus",
                   ("foot-side", "talus"): "talus.md"}

# --- a small valid spec to break in every way ------------------------------------------

VALID = """\
id: demo
title: A demo knee
description: A knee to test with.
orientation: A right knee, seen from the front.
side: right
view: front
size: [640, 400]
page: knee.md
bones:
  - id: femur
    name: Thigh bone
    uberon: UBERON:0000981
    outline: "M250 10C250 100 260 200 240 260C300 280 340 280 400 260C380 200 390 100 390 10Z"
  - id: tibia
    name: Shin bone
    outline: "M250 280Q320 270 390 280L380 390L260 390Z"
regions:
  - id: medial-femoral-condyle
    label: Medial femoral condyle
    description: The inner end of the thigh bone.
    bone: femur
    shape: {ellipse: [360, 230, 30, 25]}
    link: knee.md#medial-femoral-condyle
  - id: lateral-tibial-plateau
    label: Lateral tibial plateau
    description: The outer top of the shin bone.
    bone: tibia
    shape: {path: "M260 290L310 290L310 330L260 330Z"}
    link: knee.md#lateral-tibial-plateau
patterns:
  - id: acl-tear
    label: ACL tear
    regions: [medial-femoral-condyle, lateral-tibial-plateau]
    explanation: A twisting injury.
    sources: [Otsuka1994]
"""


@pytest.fixture
def docs(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "knee.md").write_text("# Knee\n\n## Medial femoral condyle {#medial-femoral-condyle}\n\n"
                               "## Lateral tibial plateau {#lateral-tibial-plateau}\n", encoding="utf-8")
    return d


def write_spec(tmp_path, text, name="demo.yaml"):
    folder = tmp_path / "anatomy"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, docs, text, name="demo.yaml") -> list[str]:
    path = write_spec(tmp_path, text, name)
    with pytest.raises(SpecError) as err:
        anatomy.load(path, docs_dir=docs)
    return [str(p) for p in err.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_valid_demo_loads(tmp_path, docs):
    model = anatomy.load(write_spec(tmp_path, VALID), docs_dir=docs)
    assert [r.id for r in model.regions] == ["medial-femoral-condyle", "lateral-tibial-plateau"]
    assert model.regions[0].uberon == ("UBERON:0000981",)   # the bone's id, none of its own
    assert model.regions[1].uberon == ()                    # the tibia here has none


def test_bad_yaml(tmp_path, docs):
    (msg,) = problems(tmp_path, docs, VALID.replace("side: right", "side: [right"))
    assert re.match(r".*demo\.yaml:\d+: not valid YAML", msg), msg


def test_missing_field(tmp_path, docs):
    text = VALID.replace("    description: The outer top of the shin bone.\n", "")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, '- id: lateral-tibial-plateau')}: regions[1]: "
                        "missing required field 'description'"), msg


def test_unknown_field_suggests_the_right_one(tmp_path, docs):
    text = VALID.replace("    label: ACL tear", "    lable: ACL tear\n    label: ACL tear")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'lable')}: patterns[0].lable: unknown field 'lable' "
                        "(did you mean 'label'?)"), msg


def test_bad_id(tmp_path, docs):
    text = VALID.replace("  - id: tibia", "  - id: Shin_Bone").replace("bone: tibia", "bone: Shin_Bone")
    msgs = problems(tmp_path, docs, text)
    assert any(m.endswith(f"demo.yaml:{line_of(text, 'Shin_Bone')}: bones[1].id: 'Shin_Bone' is not a valid id "
                          "(lowercase letters, digits and single hyphens)") for m in msgs), msgs


def test_duplicate_id(tmp_path, docs):
    text = VALID.replace("- id: lateral-tibial-plateau", "- id: medial-femoral-condyle")
    msgs = problems(tmp_path, docs, text)
    want = (f"demo.yaml:{line_of(text, 'regions:') + 5 + 1 + 1}: regions[1].id: duplicate region id "
            f"'medial-femoral-condyle' (first at line {line_of(text, 'regions:') + 1})")
    assert any(m.endswith(want) for m in msgs), msgs


def test_unknown_bone_with_did_you_mean(tmp_path, docs):
    text = VALID.replace("    bone: femur", "    bone: femurr")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'femurr')}: regions[0].bone: no bone 'femurr' "
                        "(did you mean 'femur'?)"), msg


def test_unknown_region_in_a_pattern(tmp_path, docs):
    text = VALID.replace("regions: [medial-femoral-condyle, lateral-tibial-plateau]",
                         "regions: [medial-femoral-condyle, lateral-tibial-plateu]")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'plateu]')}: patterns[0].regions[1]: no region "
                        "'lateral-tibial-plateu' (did you mean 'lateral-tibial-plateau'?)"), msg


def test_unknown_source(tmp_path, docs):
    text = VALID.replace("sources: [Otsuka1994]", "sources: [Otsuka1995]")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'Otsuka1995')}: patterns[0].sources[0]: no source "
                        "'Otsuka1995' (did you mean 'Otsuka1994'?)"), msg


def test_bad_uberon(tmp_path, docs):
    text = VALID.replace("UBERON:0000981", "UBERON:00009810")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'UBERON:00009810')}: bones[0].uberon: 'UBERON:00009810' is "
                        "not an UBERON id (UBERON: and seven digits, e.g. UBERON:0000981)"), msg


@pytest.mark.parametrize("bad, why", [
    ("M250 280Q320 270 390 280L380 #390L260 390Z", "unexpected '#' at character 30"),
    ("M250 280Q320 270 390 280L380 X390L260 390Z", "command 'X' at character 30 is not allowed (use M L H V C S Q T Z)"),
    ("M250 280A10 10 0 0 1 390 280Z", "command 'A' at character 9 is not allowed (use M L H V C S Q T Z)"),
    ("M250 280Q320 270 390L260 390Z", "'Q' needs 4 numbers (or a multiple), got 3"),
    ("L250 280L260 390Z", "path data must start with M (move to)"),
])
def test_bad_path_data(tmp_path, docs, bad, why):
    text = VALID.replace("M250 280Q320 270 390 280L380 390L260 390Z", bad)
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, bad)}: bones[1].outline: bad path data: {why}"), msg


def test_missing_link_page(tmp_path, docs):
    text = VALID.replace("link: knee.md#lateral-tibial-plateau", "link: kneee.md#lateral-tibial-plateau")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'kneee.md')}: regions[1].link: no page 'kneee.md' "
                        "under docs/ (did you mean 'knee.md'?)"), msg


def test_missing_page_of_the_diagram(tmp_path, docs):
    text = VALID.replace("page: knee.md", "page: knees.md")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, 'page: knees.md')}: page: no page 'knees.md' under docs/ (did you mean 'knee.md'?)"), msg


def test_shape_outside_the_canvas(tmp_path, docs):
    text = VALID.replace("ellipse: [360, 230, 30, 25]", "ellipse: [630, 230, 30, 25]")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith(f"demo.yaml:{line_of(text, '[630, 230')}: regions[0].shape: shape reaches outside the "
                        "640×400 canvas (spans x 600…660, y 205…255)"), msg


def test_region_too_small_to_touch(tmp_path, docs):
    text = VALID.replace("ellipse: [360, 230, 30, 25]", "ellipse: [360, 230, 30, 10]")
    (msg,) = problems(tmp_path, docs, text)
    assert msg.endswith("regions[0].shape: is 60×20, smaller than a 32×32 touch target"), msg


def test_id_must_match_the_file_name(tmp_path, docs):
    (msg,) = problems(tmp_path, docs, VALID, name="knees.yaml")
    assert msg.endswith("knees.yaml:1: id: 'demo' does not match the file name 'knees.yaml' (use 'knees')"), msg


def test_wrong_types_and_enums(tmp_path, docs):
    text = VALID.replace("side: right", "side: rigth").replace("size: [640, 400]", "size: [640]")
    msgs = problems(tmp_path, docs, text)
    assert any(m.endswith(f":{line_of(text, 'rigth')}: side: 'rigth' is not one of left, right") for m in msgs)
    assert any(m.endswith(f":{line_of(text, 'size:')}: size: expected two numbers [x, y]") for m in msgs)


def test_labels_that_cannot_fit(tmp_path, docs):
    many = "".join(f"""  - id: part-{i}
    label: Part number {i} with a long name
    description: A part.
    bone: femur
    shape: {{ellipse: [300, {40 + i * 20}, 20, 20]}}
    link: knee.md
""" for i in range(12))
    text = VALID.replace("regions:\n", "regions:\n" + many).replace("size: [640, 400]", "size: [640, 420]")
    (msg,) = problems(tmp_path, docs, text)
    assert "labels do not fit: the left labels need more height than the canvas has" in msg, msg
    assert re.search(r"demo\.yaml:\d+: regions\[\d+\]\.label: ", msg), msg


def test_every_problem_is_listed_at_once(tmp_path, docs):
    text = VALID.replace("bone: femur", "bone: femurr").replace("UBERON:0000981", "UBERON:1")
    assert len(problems(tmp_path, docs, text)) == 2


def test_cli_check_fails_cleanly_and_render_writes_nothing(tmp_path):
    spec = write_spec(tmp_path, VALID.replace("id: demo", "id: broken").replace("bone: femur", "bone: femurr"),
                      name="broken.yaml")
    good = ROOT / "diagrams" / "anatomy" / "knee.yaml"
    check = subprocess.run([sys.executable, "-m", "generators", "check", str(spec)], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 1
    assert "regions[0].bone: no bone 'femurr' (did you mean 'femur'?)" in check.stderr
    assert "Traceback" not in check.stderr
    out = tmp_path / "out"
    render = subprocess.run([sys.executable, "-m", "generators", "render", str(good), str(spec), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert render.returncode == 1 and "nothing written" in render.stderr
    assert not out.exists() or not any(out.iterdir())


# --- the real specs --------------------------------------------------------------------

@pytest.fixture(scope="module")
def models():
    return {p.stem: anatomy.load(p) for p in SPECS}


def test_all_six_specs_exist(models):
    assert set(models) == set(REGIONS)


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_region_and_pattern_ids_match_the_notes(models, name):
    m = models[name]
    assert sorted(r.id for r in m.regions) == sorted(REGIONS[name])
    assert {p.id: set(p.regions) for p in m.patterns} == PATTERNS[name]
    for r in m.regions:
        assert r.link == LINK_EXCEPTIONS.get((name, r.id), f"{m.page}#{r.id}")
    for p in m.patterns:
        assert p.sources, p.id


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_linked_sections_exist_in_the_pages(models, name):
    """Page writers give each section the region's id (ids published in published-urls.txt)."""
    m = models[name]
    for r in m.regions:
        page, _, anchor = r.link.partition("#")
        if anchor:
            assert f"{{#{anchor}}}" in (ROOT / "docs" / page).read_text(encoding="utf-8"), r.link
    for p in m.patterns:
        assert f"{{#pattern-{p.id}}}" in (ROOT / "docs" / m.page).read_text(encoding="utf-8"), p.id


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_labels_fit_without_overlap(models, name):
    m = models[name]
    w, h = m.size
    assert labels.overlaps(m.labels) == []
    for p in m.labels:
        x, y, bw, bh = p.box
        assert 0 <= x and x + bw <= w and 0 <= y and y + bh <= h, p.key
        assert bh >= anatomy.MIN_TARGET
        for line in p.lines:   # measured with the site's font, within the box
            assert text_width(line, p.font_size) <= bw - 2 * labels.PAD_X + 0.01
        assert p.leader[0] == p.anchor
    # labels do not overlap the art's bounding box
    art = svgutil.union_bbox(svgutil.path_bbox(b.outline) for b in m.bones if b.tone != "skin")
    for p in m.labels:
        x, _, bw, _ = p.box
        assert x + bw <= art[0] or x >= art[2], p.key


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_svg_is_small_rounded_prefixed_and_deterministic(models, name):
    m = models[name]
    svg = anatomy.render_svg(m)
    assert svg == anatomy.render_svg(anatomy.load(ROOT / "diagrams" / "anatomy" / f"{name}.yaml"))
    assert len(svg.encode("utf-8")) < 20_000
    assert not re.search(r"\d\.\d\d", svg), "coordinates are rounded to one decimal"
    assert "<?xml" not in svg and "inkscape" not in svg.lower() and "sodipodi" not in svg.lower()
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith(f"{name}-") for i in ids)
    assert len(ids) == len(set(ids))
    ET.fromstring(svg)   # well-formed


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_svg_contract(models, name):
    m = models[name]
    root = ET.fromstring(anatomy.render_svg(m))
    assert root.get("data-diagram") == name and root.get("role") == "group"
    assert root.get("aria-labelledby") == f"{name}-title {name}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{name}-title"
    assert root.find(f"{SVG}desc").get("id") == f"{name}-desc"
    links = root.findall(f".//{SVG}a")
    assert [a.get("data-region") for a in links] == [r.id for r in m.regions]
    for a, r in zip(links, m.regions):
        assert a.get("aria-label") == f"{r.label}: {r.description}"
        assert a.get("href")
        shape = a.find(f"{SVG}*[@class='bmo-region-shape']")
        assert shape.find(f"{SVG}title").text.strip() == r.description   # the hover tooltip
        assert shape.get("aria-hidden") == "true"
        assert a.find(f"{SVG}polyline[@class='bmo-leader']") is not None
        label = a.find(f"{SVG}text")
        assert "".join(label.itertext()).replace(" ", "") == r.label.replace(" ", "")
    assert root.findall(f".//{SVG}path[@d]"), "outlines are paths, labels are text"


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_figure_contract(models, name):
    m = models[name]
    html = anatomy.render_figure(m, None)
    assert html.startswith(f'<figure class="bmo-diagram" data-diagram-figure="{name}"')
    assert "<figcaption" in html and m.title in html and m.orientation in html
    assert 'role="img"' not in html
    assert html.count("data-pattern=") == len(m.patterns)
    for p in m.patterns:
        assert re.search(rf'<button type="button" class="[^"]*" data-pattern="{p.id}" [^>]*aria-pressed="false"'
                         rf'[^>]*hidden>', html), p.id
        assert f'data-pattern-item="{p.id}"' in html
    for r in m.regions:
        assert f'data-region-item="{r.id}"' in html
    assert 'aria-live="polite"' in html and "data-diagram-panel" in html
    assert '<details class="bmo-diagram__text" open>' in html


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_narrow_variant_fits_a_320_px_screen(models, name):
    """The narrow variant: its labels render >= 14 px in the 288 px column of a 320 px
    screen, sit inside its canvas without overlapping, and every region keeps a target of
    >= 24 CSS px (its shape, or its numbered badge, and its label or legend row)."""
    m = models[name]
    n = m.narrow
    x0, y0, w, h = n.box
    scale = min(1.0, anatomy.NARROW_COLUMN / w)      # the SVG never grows past its own size
    assert n.font_size * scale >= anatomy.NARROW_LABEL_PX - 0.01
    if n.mode == "beside":
        assert labels.overlaps(n.labels) == []
        rows = [(p.key, p.box, p.lines) for p in n.labels]
    else:
        rows = [(c.key, c.row, c.lines) for c in n.callouts]
        assert [c.number for c in n.callouts] == list(range(1, len(m.regions) + 1))
        for i, a in enumerate(n.callouts):               # badges apart, on the canvas
            cx, cy = a.centre
            assert x0 + n.radius <= cx + 0.01 and cx - 0.01 <= x0 + w - n.radius
            assert 2 * n.radius * scale >= anatomy.TARGET_PX - 0.01
            for b in n.callouts[i + 1:]:
                assert ((cx - b.centre[0]) ** 2 + (cy - b.centre[1]) ** 2) ** 0.5 >= 2 * n.radius
        for a, b in zip(n.callouts, n.callouts[1:]):   # legend rows one under another
            assert b.row[1] >= a.row[1] + a.row[3]
    assert sorted(k for k, *_ in rows) == sorted(r.id for r in m.regions)
    for key, (bx, by, bw, bh), lines in rows:
        assert x0 <= bx and bx + bw <= x0 + w + 0.01 and y0 <= by and by + bh <= y0 + h + 0.01, key
        assert bh * scale >= anatomy.TARGET_PX - 0.01, key
        for line in lines:
            assert text_width(line, n.font_size) <= bw, (key, line)
    svg = anatomy._svg(m, m.page, xmlns=False, variant="narrow")
    assert len(svg.encode("utf-8")) < 20_000
    assert not re.search(r"\d\.\d\d", svg)
    root = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    assert root.get("data-diagram") == name and root.get("data-variant") == "narrow"
    assert [a.get("data-region") for a in root.findall(f".//{SVG}a")] == [r.id for r in m.regions]
    # the page holds both variants; CSS shows the wide one from this width on
    html = anatomy.render_figure(m, None)
    assert html.count("<svg") == 2 and f"bmo-wide-from-{anatomy.wide_from(m)}" in html
    assert m.size[0] * anatomy.WIDE_LABEL_PX / labels.FONT_SIZE <= anatomy.wide_from(m)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_links_are_relative_to_the_page_showing_the_diagram(models):
    knee = models["knee"]
    assert 'href="#medial-femoral-condyle"' in anatomy.render_figure(knee, "knee.md")
    assert 'href="../knee/#medial-femoral-condyle"' in anatomy.render_figure(knee, "mri-report.md")
    assert 'href="../../knee/#pattern-acl-tear"' in anatomy.render_figure(knee, "causes/injury.md")
    body = anatomy.render_figure(models["body-map"], None)   # on the home page
    assert 'href="hip/"' in body and 'href="foot/"' in body


def test_two_diagrams_on_one_page_share_no_ids(models):
    html = anatomy.render_figure(models["knee"], "mri-report.md") + anatomy.render_figure(models["hip"],
                                                                                        "mri-report.md")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


# --- escaping --------------------------------------------------------------------------

def test_spec_text_comes_out_inert(tmp_path, docs):
    evil = VALID.replace("label: Medial femoral condyle", "label: '<script>alert(1)</script>'") \
        .replace("description: The inner end of the thigh bone.", "description: '\"onload=alert(1) x=\"'") \
        .replace("title: A demo knee", "title: '</title><script>alert(2)</script>'") \
        .replace("label: ACL tear", "label: '<img src=x onerror=alert(3)>'")
    model = anatomy.load(write_spec(tmp_path, evil), docs_dir=docs)
    svg = anatomy.render_svg(model)
    html = anatomy.render_figure(model, None)
    for out in (svg, html):
        assert "<script" not in out and "<img" not in out
    root = ET.fromstring(svg)
    assert not root.findall(f".//{SVG}script")
    a = root.find(f".//{SVG}a")
    assert a.get("aria-label") == '<script>alert(1)</script>: "onload=alert(1) x="'
    assert "onload" not in a.attrib
    assert root.find(f"{SVG}title").text == "</title><script>alert(2)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(3)&gt;" in html


# --- svg helpers -------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [(12, "12"), (12.04, "12"), (12.05, "12.1"), (-0.04, "0"),
                                         (-3.26, "-3.3"), (0.5, "0.5")])
def test_num_rounds_to_one_decimal(value, text):
    assert svgutil.num(value) == text


def test_path_parsing_and_formatting():
    assert svgutil.format_path("M 10.123,20 L30 40 l 5 -5 C1 2 3 4 5 6 7 8 9 10 11 12 z") == \
        "M10.1 20L30 40l5-5C1 2 3 4 5 6 7 8 9 10 11 12z"
    assert svgutil.parse_path("M0 0 10 10")[1] == ("L", [10.0, 10.0])   # implicit line-to
    assert svgutil.path_bbox("M10 10Q50 0 90 10V40H5Z") == (5, 0, 90, 40)
    assert svgutil.path_bbox("m10 10l5 5h10v-20") == (10, -5, 25, 15)
    with pytest.raises(svgutil.PathError):
        svgutil.parse_path("")


def test_ids_are_prefixed():
    ids = svgutil.Ids("knee")
    assert ids("title") == "knee-title" and ids.ref("hatch") == "url(#knee-hatch)"


# --- text measurement and label placement -------------------------------------------------

def test_text_is_measured_with_the_site_font():
    assert text_width("Medial femoral condyle", 16) > text_width("Medial femoral", 16) > 0
    assert text_width("iiii", 16) < text_width("MMMM", 16)
    assert text_width("Knee", 32) == pytest.approx(2 * text_width("Knee", 16))
    for line in wrap("Base of the fifth metatarsal", 120, 16):
        assert text_width(line, 16) <= 120


def test_label_baselines_sit_inside_their_boxes(models):
    asc, desc = labels.font_extents()
    for m in models.values():
        for p in m.labels:
            x, y, w, h = p.box
            assert y + asc * p.font_size <= p.baselines[0] + 0.01
            assert p.baselines[-1] + desc * p.font_size <= y + h + 0.01


@pytest.mark.parametrize("seed", range(40))
def test_generated_label_layouts_never_overlap_or_leave_the_canvas(seed):
    rnd = random.Random(seed)
    width, height = 640, rnd.choice([300, 500, 800])
    words = "medial lateral femoral tibial plateau condyle head neck of the talus base fifth metatarsal".split()
    requests = [labels.LabelRequest(f"r{i}", " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 5))),
                                    (rnd.uniform(200, 440), rnd.uniform(0, height)), rnd.choice(["left", "right"]))
                for i in range(rnd.randint(1, 12))]
    columns = {"left": (4, 186), "right": (454, 636)}
    try:
        placed = labels.place(requests, (width, height), columns)
    except labels.LabelError as exc:   # only when they truly cannot fit
        assert "more height" in str(exc) or "wider than" in str(exc)
        return
    assert labels.overlaps(placed) == []
    for p in placed:
        x, y, w, h = p.box
        x0, x1 = columns[p.side]
        assert x0 <= x and x + w <= x1 + 0.01 and 0 <= y and y + h <= height
    for side in ("left", "right"):   # reading order follows the anchors' order
        column = sorted((p for p in placed if p.side == side), key=lambda p: (p.anchor[1], p.key))
        assert [p.box[1] for p in column] == sorted(p.box[1] for p in column)


def test_labels_stay_near_their_anchors_when_there_is_room():
    reqs = [labels.LabelRequest("a", "Alpha", (300, 100), "left"), labels.LabelRequest("b", "Beta", (300, 300), "left")]
    a, b = labels.place(reqs, (640, 400), {"left": (4, 186)})
    assert a.box[1] + a.box[3] / 2 == pytest.approx(100) and b.box[1] + b.box[3] / 2 == pytest.approx(300)
    assert len(a.leader) == 2   # a straight leader when the label is level with its anchor
