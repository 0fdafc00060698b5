"""Outlines derived from 3D meshes (generators/diagrams/outlines.py, derived.py): projection,
silhouette, smoothing, part cuts and registration on known meshes; the committed derived
data is current, its regions lie inside their bones in every view, and the SVGs stay small."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import trimesh
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from generators.core import svgutil
from generators.core.specfile import load as load_yaml
from generators.diagrams import anatomy, derived, outlines

ROOT = Path(__file__).resolve().parent.parent
ANATOMY = ROOT / "diagrams" / "anatomy"
DERIVED_SPECS = [p for p in sorted(ANATOMY.glob("*.yaml")) if "derive" in load_yaml(p).data]
PARTS = load_yaml(ANATOMY / "outlines" / "parts.yaml").data


# --- geometry on known meshes -------------------------------------------------------------

@pytest.mark.parametrize("view, expected", [
    ("front", (1, -3, 2)),        # x right, z up (screen y down), depth = y (backwards)
    ("outer-side", (-2, -3, 1)),  # seen from the right: the front (-y) on the right
    ("inner-side", (2, -3, -1)),
    ("above", (-1, 2, -3)),       # looking down, toes (-y) up: the body's left (+x) on the left
    ("back", (-1, -3, -2)),
])
def test_projection_of_a_point_in_each_view(view, expected):
    assert outlines.project(np.array([[1.0, 2.0, 3.0]]), view)[0].tolist() == pytest.approx(expected)


def test_left_side_is_the_right_side_mirrored():
    pts = np.random.default_rng(1).normal(size=(20, 3))
    for view in outlines.VIEWS:
        right, left = outlines.project(pts, view, "right"), outlines.project(pts, view, "left")
        assert left[:, 0] == pytest.approx(-right[:, 0])
        assert left[:, 1:] == pytest.approx(right[:, 1:])


@pytest.mark.parametrize("view, size", [("front", (20, 30)), ("outer-side", (10, 30)), ("above", (20, 10))])
def test_silhouette_of_a_box_is_its_face(view, size):
    mesh = trimesh.creation.box(extents=(20, 10, 30))
    shape = outlines.silhouette(mesh.vertices, mesh.faces, view)
    x0, y0, x1, y1 = shape.bounds
    assert (x1 - x0, y1 - y0) == pytest.approx(size, abs=0.3)
    assert shape.area == pytest.approx(size[0] * size[1], rel=0.02)


def test_silhouette_of_a_sphere_is_a_disc_in_every_view():
    mesh = trimesh.creation.icosphere(subdivisions=3, radius=10)
    for view in outlines.VIEWS:
        shape = outlines.silhouette(mesh.vertices, mesh.faces, view)
        assert shape.geom_type == "Polygon" and not shape.interiors
        assert shape.area == pytest.approx(math.pi * 100, rel=0.03)


def _polygon(d: str, steps: int = 8) -> Polygon:
    """Path data (M L C Z, absolute, as the derivation writes it) -> its shape (even-odd); written
    here again, apart from outlines.path_polygon, so the test does not check the code with itself."""
    rings, ring, pos = [], [], (0.0, 0.0)
    for cmd, args in svgutil.parse_path(d):
        if cmd == "M":
            if ring:
                rings.append(ring)
            pos = (args[0], args[1])
            ring = [pos]
        elif cmd == "L":
            pos = (args[0], args[1])
            ring.append(pos)
        elif cmd == "C":
            p0, (c1, c2, p3) = np.array(pos), np.array(args).reshape(3, 2)
            for t in np.linspace(0, 1, steps + 1)[1:]:
                pt = (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * c1 + 3 * (1 - t) * t ** 2 * c2 + t ** 3 * p3
                ring.append(tuple(pt))
            pos = tuple(p3)
        elif cmd == "Z":
            rings.append(ring)
            ring = []
    if ring:
        rings.append(ring)
    polys = [Polygon(r).buffer(0) for r in rings if len(r) >= 3]
    # even-odd: a ring inside another is a hole
    out = Polygon()
    for p in sorted(polys, key=lambda p: -p.area):
        out = out.difference(p) if out.contains(p) else out.union(p)
    return out


def test_smooth_path_of_a_disc_is_a_few_curves_close_to_it():
    mesh = trimesh.creation.icosphere(subdivisions=4, radius=50)
    shape = outlines.silhouette(mesh.vertices, mesh.faces, "front")
    d = outlines.smooth_path(outlines.rings(shape), tolerance=0.8)
    assert d == outlines.smooth_path(outlines.rings(shape), tolerance=0.8)      # deterministic
    assert re.fullmatch(r"M-?\d+ -?\d+(C(-?\d+ ){5}-?\d+)+Z", d)               # integers, curves, closed
    assert 8 <= d.count("C") <= 40                                              # simplified, still round
    drawn = _polygon(d)
    assert drawn.symmetric_difference(shape).area < 0.02 * shape.area


def test_smooth_path_keeps_a_frame_cut_straight():
    mesh = trimesh.creation.box(extents=(40, 10, 200))      # a long shaft, cut by the frame at y = 0
    shape = outlines.silhouette(mesh.vertices, mesh.faces, "front").intersection(box(-100, -50, 100, 100))
    d = outlines.smooth_path(outlines.rings(shape), clip=(-100, -50, 100, 100))
    assert "L" in d
    assert _polygon(d).symmetric_difference(shape).area < 0.01 * shape.area


def test_rings_keep_a_real_opening_and_drop_specks():
    ring = Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], holes=[[(20, 20), (60, 20), (60, 60), (20, 60)],
                                                                     [(80, 80), (80.5, 80), (80.5, 80.5)]])
    got = outlines.rings(ring, min_area=1)
    assert len(got) == 2     # the outline and the 40×40 opening; the speck is gone


def test_part_cut_by_planes_in_the_bone_frame():
    mesh = trimesh.creation.box(extents=(20, 10, 100))      # z from -50 to 50, x from -10 to 10
    v, f = outlines.part_mesh(mesh.vertices, mesh.faces, [["up", 0, 0.25], ["medial", 0.5, 1]])
    lo, hi = v[np.unique(f)].min(axis=0), v[np.unique(f)].max(axis=0)
    assert lo.tolist() == pytest.approx([0, -5, -50], abs=1e-6)
    assert hi.tolist() == pytest.approx([10, 5, -25], abs=1e-6)
    # an oblique axis [medial, front, up]: the cut plane is tilted
    v, f = outlines.part_mesh(mesh.vertices, mesh.faces, [[[1, 0, 1], 0.5, 1]])
    assert (v[np.unique(f)] @ np.array([1, 0, 1]) >= -1e-6).all()


def test_part_near_another_bone_is_its_joint_surface():
    a = trimesh.creation.box(extents=(10, 10, 10)).subdivide().subdivide().subdivide()
    b_points = np.array([[6.0, y, z] for y in (-2, 0, 2) for z in (-2, 0, 2)])   # beside the +x face
    v, f = outlines.part_mesh(a.vertices, a.faces, [], near=(b_points, 2.0))
    assert len(f) and np.allclose(v[f].mean(axis=1)[:, 0], 5)


def test_registration_recovers_a_known_similarity_transform():
    # an L-shaped block (no symmetry that would make the fit ambiguous)
    mesh = trimesh.util.concatenate([trimesh.creation.box(extents=(40, 10, 10)),
                                     trimesh.creation.box(extents=(10, 30, 10),
                                                          transform=trimesh.transformations.translation_matrix(
                                                              (15, 20, 0)))])
    pts = np.asarray(mesh.sample(800, seed=3))
    angle = math.radians(25)
    known = trimesh.transformations.rotation_matrix(angle, (0.2, 0.3, 1.0))
    known[:3, :3] *= 1.8
    known[:3, 3] = (100, -40, 7)
    target = trimesh.transform_points(pts, known)
    matrix, cost = outlines.register(pts, target)
    assert cost < 0.5
    assert trimesh.transform_points(pts, matrix) == pytest.approx(target, abs=0.5)


# --- the committed derived data -------------------------------------------------------------

def test_some_views_are_derived():
    assert {p.stem for p in DERIVED_SPECS} >= {"knee", "knee-side", "hip", "ankle", "ankle-side", "talus",
                                                  "foot", "foot-side", "body-map"}


@pytest.mark.parametrize("spec", DERIVED_SPECS, ids=lambda p: p.stem)
def test_derived_outlines_are_current(spec):
    """The committed file was made from the current spec framing, parts, placements and code
    (run `python -m generators outlines` after changing any of them)."""
    recorded = json.loads(derived.derived_path(spec).read_text())["inputs"]
    code = (ROOT / "generators" / "diagrams" / "outlines.py").read_bytes()
    assert recorded == derived.inputs_hash(load_yaml(spec).data, spec, code)


def test_placements_record_the_meshes_they_were_fitted_to():
    placements = json.loads((ANATOMY / "outlines" / "placements.json").read_text())
    assert set(placements) == {m for bmf, _ in outlines.MESHES.values() for m in bmf}
    for name, p in placements.items():
        assert len(p["matrix"]) == 4 and p["matrix"][3] == [0, 0, 0, 1]
        assert p["fit_mm"] < 6, f"{name} fits its BodyParts3D bone badly ({p['fit_mm']} mm)"
    if not outlines.REFERENCE.is_dir():
        pytest.skip("the meshes are not here (../shared/anatomy-reference)")
    for name, p in placements.items():
        bmf = outlines.REFERENCE / "bmf" / f"{name}.obj"
        bp = outlines._bp3d_files(outlines.REFERENCE)[p["bp3d"]]
        import hashlib
        assert p["sha"] == hashlib.sha256((outlines._sha(bmf) + outlines._sha(bp)).encode()).hexdigest()


def _inside_cases():
    for spec in DERIVED_SPECS:
        data = load_yaml(spec).data
        for r in data["regions"]:
            if "shape" not in r:
                yield pytest.param(spec, r, id=f"{spec.stem}-{r['id']}")


@pytest.mark.parametrize("spec, region", list(_inside_cases()))
def test_each_region_lies_inside_its_bones_in_every_view(spec, region):
    model = anatomy.load(spec)
    got = next(r for r in model.regions if r.id == region["id"])
    part = PARTS[region.get("part", region["id"])]
    bones = list(got.bones)
    if part.get("grow_into") == "all":
        bones = [b.id for b in model.bones]
    outline = unary_union([_polygon(model.bone(b).outline) for b in bones])
    shape = _polygon(got.shape[1])
    assert shape.area > 0
    assert shape.difference(outline.buffer(1.5)).area < 0.01 * shape.area
    assert shape.buffer(1).contains(Polygon([(got.anchor[0] - 1, got.anchor[1] - 1),
                                             (got.anchor[0] + 1, got.anchor[1] - 1),
                                             (got.anchor[0] + 1, got.anchor[1] + 1)]))


@pytest.mark.parametrize("spec", DERIVED_SPECS, ids=lambda p: p.stem)
def test_a_derived_diagram_is_small(spec):
    svg = anatomy.render_svg(anatomy.load(spec))
    assert len(svg.encode()) < 20_000


def test_a_region_of_the_same_part_is_in_both_views_of_a_joint():
    """The same part of the anatomy in two views: the knee's lateral femoral condyle is on the
    outer (left) half from the front, and at the lower end of the thigh bone from the side."""
    front, side = anatomy.load(ANATOMY / "knee.yaml"), anatomy.load(ANATOMY / "knee-side.yaml")
    for model in (front, side):
        condyle = _polygon(model.region("lateral-femoral-condyle").shape[1])
        femur = _polygon(model.bone("femur").outline)
        assert condyle.bounds[3] == pytest.approx(femur.bounds[3], abs=15)  # reaches the end of the bone
    femur = _polygon(front.bone("femur").outline)
    lat, med = (_polygon(front.region(r).shape[1]) for r in ("lateral-femoral-condyle", "medial-femoral-condyle"))
    assert lat.centroid.x < femur.centroid.x < med.centroid.x                # outer side on the left


def test_merge_reports_a_missing_derived_file(tmp_path):
    spec = tmp_path / "anatomy" / "demo.yaml"
    spec.parent.mkdir()
    data = {"derive": {"centre": [0, 0], "scale": 1}, "bones": [{"id": "femur"}], "regions": []}
    problems = derived.merge(data, spec)
    assert problems and problems[0][0] == ("derive",)
    assert "python -m generators outlines" in problems[0][1]


def test_merge_fills_in_outlines_and_shapes(tmp_path):
    spec = tmp_path / "anatomy" / "demo.yaml"
    (tmp_path / "anatomy" / "outlines").mkdir(parents=True)
    derived.derived_path(spec).write_text(json.dumps({
        "version": derived.VERSION, "inputs": "x",
        "bones": {"femur": {"outline": "M0 0L10 0L10 10Z", "details": "M1 1L2 2"}},
        "regions": {"head": {"shape": "M0 0L5 0L5 5Z", "anchor": [3, 2]}}}))
    data = {"derive": {}, "bones": [{"id": "femur"}, {"id": "tibia", "outline": "M0 0L1 1Z"}],
            "regions": [{"id": "head", "part": "femoral-head"}, {"id": "other"}]}
    problems = derived.merge(data, spec)
    assert data["bones"][0]["outline"] == "M0 0L10 0L10 10Z" and data["bones"][0]["details"] == ["M1 1L2 2"]
    assert data["bones"][1]["outline"] == "M0 0L1 1Z"                       # given in the spec: kept
    assert data["regions"][0]["shape"] == {"path": "M0 0L5 0L5 5Z"} and data["regions"][0]["anchor"] == [3, 2]
    assert "part" not in data["regions"][0]
    assert problems == [(("regions", 1, "shape"), "no derived shape for region 'other'; run: python -m generators "
                                                  "outlines diagrams/anatomy/demo.yaml")]


@pytest.mark.slow
def test_regenerating_a_view_gives_the_committed_file():
    """Determinism and currency end to end (needs the meshes; a few seconds)."""
    if not outlines.REFERENCE.is_dir():
        pytest.skip("the meshes are not here (../shared/anatomy-reference)")
    spec = ANATOMY / "knee-side.yaml"
    cache = json.loads((ANATOMY / "outlines" / "placements.json").read_text())
    got = outlines.derive_spec(spec, cache=cache)
    assert got == json.loads(derived.derived_path(spec).read_text())


@pytest.mark.parametrize("bones, regions, message", [
    ("[{id: wing, name: Wing}]", "[]", "bones: no mesh for bone 'wing'"),
    ("[{id: femur, name: Thigh bone}]", "[{id: nowhere, bone: femur}]", "regions: no part 'nowhere' for region"),
    ("[{id: femur, name: Thigh bone}]", "[]\n", "derive: details: expected false or a mapping"),
])
def test_a_spec_that_cannot_be_derived_says_where(tmp_path, bones, regions, message):
    spec = tmp_path / "anatomy" / "demo.yaml"
    spec.parent.mkdir()
    details = ", details: {strenght: 3}" if "details" in message else ""
    spec.write_text(f"id: demo\nview: front\nside: right\nsize: [100, 100]\n"
                    f"derive: {{centre: [0, 0], scale: 1{details}}}\nbones: {bones}\nregions: {regions}\n")
    with pytest.raises(outlines.DeriveError, match=re.escape(message)) as err:
        outlines.derive_spec(spec, cache={})
    assert str(err.value).startswith(str(spec)) or "demo.yaml" in str(err.value)


@pytest.mark.slow
def test_a_left_side_spec_is_the_right_side_mirrored(tmp_path):
    """The same spec with `side: left` draws the mirror image about the framing point."""
    if not outlines.REFERENCE.is_dir():
        pytest.skip("the meshes are not here (../shared/anatomy-reference)")
    right = ANATOMY / "knee-side.yaml"
    left = tmp_path / "anatomy" / "knee-side.yaml"
    import shutil
    shutil.copytree(ANATOMY / "outlines", left.parent / "outlines")
    left.write_text(right.read_text().replace("side: right", "side: left"))
    cache = json.loads((ANATOMY / "outlines" / "placements.json").read_text())
    r, l = outlines.derive_spec(right, cache=cache), outlines.derive_spec(left, cache=cache)
    ax = load_yaml(right).data["derive"]["at"][0]
    from shapely import affinity
    for bone in r["bones"]:
        a = _polygon(r["bones"][bone]["outline"])
        b = affinity.scale(_polygon(l["bones"][bone]["outline"]), xfact=-1, yfact=1, origin=(ax, 0))
        assert a.symmetric_difference(b).area < 0.03 * a.area, bone
    for region in r["regions"]:
        assert l["regions"][region]["anchor"][0] == pytest.approx(2 * ax - r["regions"][region]["anchor"][0], abs=3)
    for bone in r["bones"]:            # the detail lines too
        a, b = (_lines(side["bones"][bone].get("details", "")) for side in (r, l))
        assert a.is_empty == b.is_empty, bone
        if not a.is_empty:
            b = affinity.scale(b, xfact=-1, yfact=1, origin=(ax, 0))
            assert a.hausdorff_distance(b) < 4, bone


def _lines(d: str):
    """The detail lines of path data (on-curve points of each M...C... piece)."""
    from shapely.geometry import LineString, MultiLineString
    pieces = []
    for piece in re.findall(r"M[^M]+", d):
        nums = np.array([float(x) for x in re.findall(r"-?\d+", piece)])
        pts = np.vstack([nums[:2].reshape(1, 2), nums[2:].reshape(-1, 6)[:, 4:]])
        pieces.append(LineString(pts))
    return MultiLineString(pieces)


# --- interior detail lines (occluding contours of a depth buffer) ---------------------------

def _boxes(*specs):
    """One mesh of several axis-aligned boxes, each (centre, size) in body mm."""
    parts = [trimesh.creation.box(extents=size).apply_translation(centre) for centre, size in specs]
    mesh = trimesh.util.concatenate(parts)
    return np.asarray(mesh.vertices), np.asarray(mesh.faces)


# a 100 mm block with a 40 mm block standing 30 mm proud of its front face (the viewer looks
# along +y from the front): seen at 1 px/mm with the body origin at canvas (60, 60)
STEP = ((((0, 50, 0), (100, 100, 100)), ((0, -15, 0), (40, 30, 40))))
STEP_FRAME = (1.0, 60.0, 60.0)
INNER = box(40, 40, 80, 80)            # where the front block's outline is on the canvas


def test_depth_buffer_of_a_box_is_its_front_face():
    v, f = _boxes(((0, 50, 0), (100, 100, 100)))
    depth = outlines.depth_buffer(v, f, "front", "right", STEP_FRAME, (120, 120), sub=2)
    assert depth.shape == (240, 240)
    assert depth[120, 120] == pytest.approx(0.0)          # the front face, y = 0
    assert np.isinf(depth[10, 10]) and np.isinf(depth[230, 120])   # outside the box
    seen = np.isfinite(depth)
    assert seen.sum() == pytest.approx(200 * 200, rel=0.02)       # 100 x 100 mm at 2 cells per mm


def test_a_block_in_front_of_a_bigger_one_gives_its_outline_as_the_interior_line():
    v, f = _boxes(*STEP)
    depth = outlines.depth_buffer(v, f, "front", "right", STEP_FRAME, (120, 120))
    assert depth[120, 120] == pytest.approx(-30.0)          # the front block's face
    lines = outlines.depth_edges(depth, jump=4.0)
    from shapely.geometry import LineString, MultiLineString
    got = MultiLineString([LineString(line) for line in lines])
    assert got.length == pytest.approx(INNER.length, rel=0.03)        # all four sides, nothing else
    assert got.hausdorff_distance(INNER.exterior) <= 1.0              # at the known place
    assert max(len(lines), 1) <= 2                                     # traced into one or two lines


def test_a_plain_box_or_sphere_has_no_interior_line():
    for v, f in (_boxes(((0, 50, 0), (100, 100, 100))),
                 (lambda m: (m.vertices, m.faces))(trimesh.creation.icosphere(subdivisions=4, radius=40))):
        depth = outlines.depth_buffer(np.asarray(v), np.asarray(f), "front", "right", STEP_FRAME, (120, 120))
        assert outlines.depth_edges(depth, jump=4.0) == []


def test_detail_lines_are_kept_where_the_reader_sees_them_and_are_deterministic():
    v, f = _boxes(*STEP)
    data = {"view": "front", "side": "right", "size": [120, 120],
            "bones": [{"id": "block"}, {"id": "cover"}]}
    frame = box(0, 0, 120, 120)
    drawn = {"block": box(10, 10, 110, 110)}
    got = outlines.detail_lines(data, {}, {"block": (v, f)}, drawn, STEP_FRAME, frame)
    again = outlines.detail_lines(data, {}, {"block": (v, f)}, drawn, STEP_FRAME, frame)
    assert got == again and set(got) == {"block"}
    d = got["block"]
    assert re.fullmatch(r"(M-?\d+ -?\d+(C-?\d+ -?\d+ -?\d+ -?\d+ -?\d+ -?\d+)+)+", d)   # integers only
    pts = np.array([float(x) for x in re.findall(r"-?\d+", d)]).reshape(-1, 2)
    assert all(INNER.exterior.distance(Polygon([(x, y), (x + 0.01, y), (x, y + 0.01)])) <= 2.5 for x, y in pts)
    # a bone drawn over the left half hides the lines there; `details: false` gives none
    drawn["cover"] = box(0, 0, 60, 120)
    covered = outlines.detail_lines(data, {"details": {"skip": ["cover"]}}, {"block": (v, f)}, drawn,
                                    STEP_FRAME, frame)
    pts = np.array([float(x) for x in re.findall(r"-?\d+", covered["block"])]).reshape(-1, 2)
    assert pts[:, 0].min() >= 60 + outlines.DETAILS["inset"] - 1
    assert outlines.detail_lines(data, {"details": False}, {"block": (v, f)}, drawn, STEP_FRAME, frame) == {}
    # a step too shallow for a line the reader could make sense of is left out
    assert outlines.detail_lines(data, {"details": {"strength": 40}}, {"block": (v, f)},
                                 {"block": drawn["block"]}, STEP_FRAME, frame) == {}


def test_chain_lines_joins_pieces_across_a_gap_but_not_back_on_themselves():
    a = np.array([[0.0, 0], [10, 0]])
    b = np.array([[12.0, 0], [30, 0]])
    (joined,) = outlines.chain_lines([a, b], gap=3)
    assert joined[0].tolist() in ([0, 0], [30, 0]) and len(joined) == 4
    back = np.array([[11.0, 1], [0, 1]])          # side by side with a, pointing back
    assert len(outlines.chain_lines([a, back], gap=3)) == 2


def test_smooth_line_is_integer_and_starts_at_the_top():
    pts = np.array([[50.2, 90.0], [40.0, 60.4], [45.0, 30.0], [60.0, 10.0]])
    d = outlines.smooth_line(pts, tolerance=0.5)
    assert d.startswith("M60 10") and d == outlines.smooth_line(pts[::-1], tolerance=0.5)
    assert d.count("C") == 3 and re.fullmatch(r"[MC0-9 -]+", d)


def _details_cases():
    for spec in DERIVED_SPECS:
        data = json.loads((ANATOMY / "outlines" / f"{spec.stem}.json").read_text())
        for bone, entry in data["bones"].items():
            if entry.get("details"):
                yield pytest.param(spec, bone, id=f"{spec.stem}-{bone}")


@pytest.mark.parametrize("spec, bone", list(_details_cases()))
def test_each_detail_line_lies_inside_its_bone_where_it_is_seen(spec, bone):
    model = anatomy.load(spec)
    order = [b.id for b in model.bones]
    got = model.bone(bone)
    assert got.details
    outline = _polygon(got.outline)
    over = unary_union([_polygon(model.bone(b).outline) for b in order[order.index(bone) + 1:]])
    from shapely.geometry import LineString
    for piece in re.findall(r"M[^M]+", got.details):
        nums = [float(x) for x in re.findall(r"-?\d+", piece)]
        line = LineString(np.array(nums).reshape(-1, 2))
        assert line.length >= 20
        assert line.difference(outline.buffer(-0.5)).length < 0.02 * line.length
        assert line.intersection(over).length < 0.05 * line.length        # not under a bone drawn over it


def test_views_that_show_detail_lines_have_them():
    """The lines kept after looking: the outer femoral condyle's rim in the knee from the side,
    the lesser trochanter on the hip, none on the body map (clutter at that size)."""
    side = json.loads((ANATOMY / "outlines" / "knee-side.json").read_text())["bones"]
    assert len(side["femur"].get("details", "")) > 100 and side["tibia"].get("details")
    assert json.loads((ANATOMY / "outlines" / "hip.json").read_text())["bones"]["femur"].get("details")
    assert not any(b.get("details") for b in json.loads((ANATOMY / "outlines" / "body-map.json").read_text())["bones"].values())


@pytest.mark.parametrize("spec", DERIVED_SPECS, ids=lambda p: p.stem)
def test_every_variant_of_a_derived_diagram_is_within_budget(spec):
    from generators.core import catalog
    for variant, svg in anatomy.render_svgs(anatomy.load(spec)).items():
        assert len(svg.encode()) < catalog.MAX_SVG_BYTES, variant


def test_a_left_side_depth_buffer_is_the_right_one_mirrored():
    """The faces turned to the viewer are found for a mirrored (left) view too: the front
    block's face, not the far side of the mesh, is what the left view sees."""
    v, f = _boxes(((5, 50, 0), (100, 100, 100)), ((-10, -15, 5), (30, 30, 20)))
    right = outlines.depth_buffer(v, f, "front", "right", STEP_FRAME, (120, 120))
    left = outlines.depth_buffer(v, f, "front", "left", STEP_FRAME, (120, 120))
    fill = 999.0
    same = np.isclose(np.where(np.isfinite(left), left, fill), np.where(np.isfinite(right), right, fill)[:, ::-1])
    assert same.mean() > 0.99                     # up to the cells on an edge
    assert left.min() == pytest.approx(-30.0) and np.nanmax(np.where(np.isfinite(left), left, np.nan)) == pytest.approx(0.0)
