"""Anatomy diagrams: a YAML spec of bones, clickable regions and BMO patterns, drawn
as an accessible inline SVG inside a <figure> with a text alternative.

Spec (diagrams/anatomy/<id>.yaml, data only)::

    id: knee                          # = the file name
    title: The right knee from the front
    description: One sentence saying what the picture shows.
    orientation: Right knee, seen from the front. Your inner (medial) side is on the right.
    side: right                       # right | left
    view: front                       # front | back | outer-side | inner-side | above
    size: [640, 560]                  # canvas, px
    page: knee.md                     # docs-relative page that shows it
    side_labels: {left: Outer side, right: Inner side}   # optional, under the label columns
    cartilage: ["M…"]                 # optional: joint cartilage/spaces, soft fill
    bones:
      - id: femur
        name: Thigh bone (femur)
        uberon: UBERON:0000981        # optional, ^UBERON:\\d{7}$
        outline: "M… C… Z"            # path data (M L H V C S Q T Z)
        details: ["M…"]               # optional interior lines
        tone: bone                    # optional: bone | muted | emphasis | ghost | skin
    regions:
      - id: medial-femoral-condyle
        label: Medial femoral condyle
        description: One line.
        bone: femur                   # or a list: [medial-cuneiform, lateral-cuneiform]
        uberon: UBERON:0009984        # optional; defaults to the bone's (bones')
        shape: {ellipse: [cx, cy, rx, ry]}   # or {path: "M…"}
        anchor: [x, y]                # optional: where the leader starts (default: centre)
        label_side: right             # optional: left | right (default: the anchor's side)
        link: knee.md#medial-femoral-condyle
    patterns:
      - id: acl-tear
        label: ACL tear
        regions: [lateral-femoral-condyle, lateral-tibial-plateau]
        explanation: One sentence.
        sources: [Otsuka1994]         # keys in data/references.yaml

``load(path)`` validates everything (and places the labels) and raises ``SpecError``
listing every problem as ``file:line: field: message``. ``render_svg(model)`` gives the
standalone SVG, ``render_figure(model, page)`` the HTML figure for a page.

The figure holds two variants of the drawing, both laid out here: the wide one (label
columns either side of the art) and a narrow one for a phone (``narrow_layout``: labels in
one column right of the art, or numbered badges on the art with a legend under it). CSS
container queries show the wide one from ``wide_from(model)`` px on, the narrow one below.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import svgwrite

from ..core import catalog, links
from . import derived, labels
from ..core.checks import UBERON, Checker
from ..core.errors import SpecError, did_you_mean
from ..site.references import reference_keys
from ..core.svgutil import Element, Ids, PathError, format_path, num, path_bbox, points, to_string, union_bbox

SIDES = ("left", "right")
VIEWS = ("front", "back", "outer-side", "inner-side", "above")
TONES = ("bone", "muted", "emphasis", "ghost", "skin")
MIN_TARGET = 32          # smallest region shape, in diagram units (24 CSS px at 0.75 scale)
LABEL_GAP = 14           # between the art and a label column
EDGE = 4                 # canvas margin for labels
MAX_SIZE = 2000
SIDE_LABEL_ROOM = 28     # below the label columns, for the side labels
WIDE_LABEL_PX = 14       # the wide variant shows only where its labels render at least this size
NARROW_COLUMN = 288      # CSS px: the page's column on a 320 px screen
NARROW_LABEL_PX = 14     # ... where the narrow variant's labels render at least this size
NARROW_MAX = 340         # widest narrow canvas that keeps labels beside the art
NARROW_MARGIN = 8
NARROW_MIN = 240         # narrowest legend
TARGET_PX = 24           # smallest touch target, CSS px


@dataclass(frozen=True)
class Bone:
    id: str
    name: str
    uberon: str | None
    outline: str
    details: str | None
    tone: str
    line: int | None = None


@dataclass(frozen=True)
class Region:
    id: str
    label: str
    description: str
    bones: tuple[str, ...]
    uberon: tuple[str, ...]
    shape: tuple                       # ("path", d) or ("ellipse", (cx, cy, rx, ry))
    link: str
    anchor: tuple[float, float]
    side: str
    line: int | None = None


@dataclass(frozen=True)
class Pattern:
    id: str
    label: str
    regions: tuple[str, ...]
    explanation: str
    sources: tuple[str, ...]


@dataclass
class Anatomy:
    id: str
    title: str
    description: str
    orientation: str
    side: str
    view: str
    size: tuple[float, float]
    page: str
    bones: list[Bone]
    cartilage: list[str]
    regions: list[Region]
    patterns: list[Pattern]
    labels: list[labels.PlacedLabel]
    side_labels: dict
    path: str = ""
    narrow: "Narrow | None" = None

    def region(self, region_id: str) -> Region:
        return next(r for r in self.regions if r.id == region_id)

    def bone(self, bone_id: str) -> Bone:
        return next(b for b in self.bones if b.id == bone_id)


@dataclass
class Callout:
    """A numbered badge on the art (narrow variant) and its row in the legend under it."""
    key: str
    number: int
    centre: tuple[float, float]          # the badge on the art
    row: tuple[float, float, float, float]   # the legend row's box
    badge: tuple[float, float]           # the badge in the legend row
    lines: list[str]
    text_x: float
    baselines: list[float]


@dataclass
class Narrow:
    """The variant for a narrow column: either every label in one column right of the art
    ('beside'), or numbered badges on the art with a legend under it ('legend')."""
    mode: str
    box: tuple[float, float, float, float]      # viewBox x, y, width, height
    font_size: float
    radius: float = 0.0                         # of a badge
    labels: list = None                         # 'beside': PlacedLabel list
    callouts: list = None                       # 'legend': Callout list
    side_y: float | None = None                 # baseline of the side labels' row


# --- loading and validation ----------------------------------------------------------------

TOP_REQUIRED = {"id": str, "title": str, "description": str, "orientation": str, "side": str,
                "view": str, "size": list, "page": str, "bones": list, "regions": list}
TOP_OPTIONAL = {"patterns": list, "cartilage": list, "side_labels": dict, "derive": dict}
BONE_REQUIRED = {"id": str, "name": str, "outline": str}
BONE_OPTIONAL = {"uberon": str, "details": list, "tone": str}
REGION_REQUIRED = {"id": str, "label": str, "description": str, "bone": (str, list), "shape": dict, "link": str}
REGION_OPTIONAL = {"uberon": str, "anchor": list, "label_side": str}
PATTERN_REQUIRED = {"id": str, "label": str, "regions": list, "explanation": str, "sources": list}


def load(path, docs_dir: Path | None = None, references: Path | None = None) -> Anatomy:
    """Read and validate one anatomy spec; raise SpecError listing every problem."""
    path = Path(path)
    src, docs_dir, references = catalog.open_spec(path, docs_dir, references)
    c = Checker(src)
    data = src.data
    for keys, message in derived.merge(data, path):   # outlines derived from 3D meshes (derived.py)
        c.fail(keys, message)
    if not c.mapping((), data, TOP_REQUIRED, TOP_OPTIONAL):
        c.raise_if_any()
    width, height = _check_top(c, data, path, docs_dir)
    geometry = _Geometry(c, width, height)
    bones = _load_bones(c, data, geometry)
    cartilage = [f for j, d in enumerate(data.get("cartilage") or [])
                 if (f := geometry.path_data(("cartilage", j), d))]
    raw_regions = c.list_of(("regions",), data.get("regions", []))
    regions = _load_regions(c, raw_regions, data, bones, geometry, docs_dir)
    # an id with stray white space is reported on the region itself, not on every pattern naming it
    region_ids = {r["id"].strip() if isinstance(r.get("id"), str) else r.get("id")
                  for r in raw_regions if isinstance(r, dict)}
    patterns = _load_patterns(c, data, region_ids, references)
    side_labels = data.get("side_labels") or {}
    if "side_labels" in data and isinstance(side_labels, dict):
        c.mapping(("side_labels",), side_labels, {}, {"left": str, "right": str})
    c.raise_if_any()
    regions, placed = _place_labels(c, src, raw_regions, bones, regions, side_labels, width, height)
    narrow = _narrow(src, raw_regions, bones, regions, side_labels, width, height)
    return Anatomy(data["id"], data["title"].strip(), data["description"].strip(), data["orientation"].strip(),
                   data["side"], data["view"], (float(width), float(height)), data["page"], bones, cartilage,
                   regions, patterns, placed, dict(side_labels), src.path, narrow)


def _check_top(c: Checker, data: dict, path: Path, docs_dir: Path):
    """The spec's own fields (id, side, view, orientation, size, page); returns the canvas
    width and height (None when the size is wrong)."""
    if isinstance(data.get("id"), str) and c.ident(("id",), data["id"]) and data["id"] != path.stem:
        c.fail(("id",), f"'{data['id']}' does not match the file name '{path.name}' (use '{path.stem}')")
    if isinstance(data.get("side"), str) and data["side"] not in SIDES:
        c.fail(("side",), f"'{data['side']}' is not one of {', '.join(SIDES)}")
    if isinstance(data.get("view"), str) and data["view"] not in VIEWS:
        c.fail(("view",), f"'{data['view']}' is not one of {', '.join(VIEWS)}")
    if (isinstance(data.get("orientation"), str) and data.get("side") in SIDES
            and data["side"] not in data["orientation"].lower()):
        c.fail(("orientation",), f"should say which side is shown ('{data['side']}')")
    width = height = None
    if "size" in data and isinstance(data["size"], list) and c.number_pair(("size",), data["size"]):
        width, height = data["size"]
        if not (0 < width <= MAX_SIZE and 0 < height <= MAX_SIZE):
            c.fail(("size",), f"width and height must be between 1 and {MAX_SIZE}")
            width = height = None
    if isinstance(data.get("page"), str):
        links.check_page_link(c, ("page",), data["page"], docs_dir, anchor_allowed=False)
    return width, height


class _Geometry:
    """Checks path data and that shapes stay on the canvas."""

    def __init__(self, c: Checker, width, height):
        self.c, self.width, self.height = c, width, height

    def inside(self, keys, box, what="shape"):
        if self.width is None:
            return
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > self.width or y1 > self.height:
            self.c.fail(keys, f"{what} reaches outside the {num(self.width)}×{num(self.height)} canvas "
                              f"(spans x {num(x0)}…{num(x1)}, y {num(y0)}…{num(y1)})")

    def path_data(self, keys, d) -> str | None:
        if not isinstance(d, str):
            self.c.fail(keys, "expected path data (text)")
            return None
        try:
            formatted = format_path(d)
        except PathError as exc:
            self.c.fail(keys, f"bad path data: {exc}")
            return None
        self.inside(keys, path_bbox(d))
        return formatted


def _load_bones(c: Checker, data: dict, geometry: _Geometry) -> list[Bone]:
    bones: list[Bone] = []
    for i, b in enumerate(c.list_of(("bones",), data.get("bones", []))):
        keys = ("bones", i)
        if not c.mapping(keys, b, BONE_REQUIRED, BONE_OPTIONAL):
            continue
        c.ident(keys + ("id",), b.get("id"))
        if isinstance(b.get("uberon"), str):
            _check_uberon(c, keys + ("uberon",), b["uberon"])
        tone = b.get("tone", "bone")
        if tone not in TONES:
            c.fail(keys + ("tone",), f"'{tone}' is not one of {', '.join(TONES)}")
        outline = geometry.path_data(keys + ("outline",), b.get("outline")) if isinstance(b.get("outline"), str) \
            else None
        details = []
        for j, d in enumerate(c.list_of(keys + ("details",), b["details"]) if "details" in b else []):
            f = geometry.path_data(keys + ("details", j), d)
            if f:
                details.append(f)
        if isinstance(b.get("id"), str) and isinstance(b.get("name"), str) and outline:
            bones.append(Bone(b["id"], b["name"].strip(), b.get("uberon"), outline,
                              "".join(details) or None, tone, c.src.line(*keys)))
    c.unique([(("bones", i, "id"), b.get("id")) for i, b in enumerate(data.get("bones") or [])
              if isinstance(b, dict) and isinstance(b.get("id"), str)], "bone id")
    return bones


def _load_regions(c: Checker, raw_regions: list, data: dict, bones: list[Bone], geometry: _Geometry,
                  docs_dir: Path) -> list[Region]:
    bone_ids = {b.get("id") for b in data.get("bones") or [] if isinstance(b, dict)}
    bone_uberon = {b.id: b.uberon for b in bones}
    regions: list[Region] = []
    for i, r in enumerate(raw_regions):
        keys = ("regions", i)
        if not c.mapping(keys, r, REGION_REQUIRED, REGION_OPTIONAL):
            continue
        c.ident(keys + ("id",), r.get("id"))
        rbones = [r["bone"]] if isinstance(r.get("bone"), str) else \
            (c.list_of(keys + ("bone",), r["bone"]) if isinstance(r.get("bone"), list) else [])
        for j, bid in enumerate(rbones):
            c.ref(keys + (("bone",) if isinstance(r["bone"], str) else ("bone", j)), bid, bone_ids, "bone")
        if isinstance(r.get("uberon"), str):
            _check_uberon(c, keys + ("uberon",), r["uberon"])
        if isinstance(r.get("link"), str):
            links.check_page_link(c, keys + ("link",), r["link"], docs_dir)
        shape, box = _shape(c, keys + ("shape",), r.get("shape"), geometry.path_data) \
            if isinstance(r.get("shape"), dict) else (None, None)
        if box is not None:
            geometry.inside(keys + ("shape",), box)
            w, h = box[2] - box[0], box[3] - box[1]
            if w < MIN_TARGET or h < MIN_TARGET:
                c.fail(keys + ("shape",), f"is {num(w)}×{num(h)}, smaller than a {MIN_TARGET}×{MIN_TARGET} "
                                          f"touch target")
        anchor = None
        if "anchor" in r:
            if c.number_pair(keys + ("anchor",), r["anchor"]):
                anchor = tuple(float(v) for v in r["anchor"])
                geometry.inside(keys + ("anchor",), anchor + anchor, "anchor")
        elif box is not None:
            anchor = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        side = r.get("label_side")
        if side is not None and side not in SIDES:
            c.fail(keys + ("label_side",), f"'{side}' is not one of {', '.join(SIDES)}")
            side = None
        if shape and anchor and rbones and all(isinstance(r.get(k), str) for k in ("id", "label", "description",
                                                                                     "link")):
            uberon = (r["uberon"],) if isinstance(r.get("uberon"), str) else \
                tuple(dict.fromkeys(bone_uberon[b] for b in rbones if bone_uberon.get(b)))
            regions.append(Region(r["id"], r["label"].strip(), r["description"].strip(), tuple(map(str, rbones)),
                                  uberon, shape, r["link"], anchor, side or "", c.src.line(*keys)))
    c.unique([(("regions", i, "id"), r.get("id")) for i, r in enumerate(raw_regions)
              if isinstance(r, dict) and isinstance(r.get("id"), str)], "region id")
    return regions


def _load_patterns(c: Checker, data: dict, region_ids: set, references: Path) -> list[Pattern]:
    patterns: list[Pattern] = []
    known_sources = reference_keys(references)
    raw_patterns = c.list_of(("patterns",), data["patterns"], min_items=0) if "patterns" in data else []
    for i, p in enumerate(raw_patterns):
        keys = ("patterns", i)
        if not c.mapping(keys, p, PATTERN_REQUIRED):
            continue
        c.ident(keys + ("id",), p.get("id"))
        pregions = c.list_of(keys + ("regions",), p.get("regions")) if isinstance(p.get("regions"), list) else []
        for j, rid in enumerate(pregions):
            c.ref(keys + ("regions", j), rid, region_ids, "region")
        if len(set(map(str, pregions))) != len(pregions):
            c.fail(keys + ("regions",), "lists a region twice")
        sources = c.list_of(keys + ("sources",), p.get("sources")) if isinstance(p.get("sources"), list) else []
        for j, key in enumerate(sources):
            if known_sources is not None:
                c.ref(keys + ("sources", j), key, known_sources, "source")
        if all(isinstance(p.get(k), str) for k in ("id", "label", "explanation")):
            patterns.append(Pattern(p["id"], p["label"].strip(), tuple(map(str, pregions)),
                                    p["explanation"].strip(), tuple(map(str, sources))))
    c.unique([(("patterns", i, "id"), p.get("id")) for i, p in enumerate(raw_patterns)
              if isinstance(p, dict) and isinstance(p.get("id"), str)], "pattern id")
    return patterns


def _place_labels(c: Checker, src, raw_regions: list, bones: list[Bone], regions: list[Region],
                  side_labels: dict, width, height):
    """Label columns left and right of the art: each region gets its side, then the labels
    are placed; returns the regions (with sides) and the placed labels."""
    art = union_bbox(path_bbox(b.outline) for b in bones)
    centre = (art[0] + art[2]) / 2
    regions = [Region(r.id, r.label, r.description, r.bones, r.uberon, r.shape, r.link, r.anchor,
                      r.side or ("left" if r.anchor[0] < centre else "right"), r.line) for r in regions]
    columns = {"left": (EDGE, art[0] - LABEL_GAP), "right": (art[2] + LABEL_GAP, width - EDGE)}
    bottom = height - EDGE
    if side_labels:
        bottom -= SIDE_LABEL_ROOM
        for side, text in side_labels.items():
            x0, x1 = columns[side]
            if labels.text_width(text, labels.FONT_SIZE, 700) > x1 - x0:
                c.fail(("side_labels", side), f"'{text}' is wider than the {side} label column ({num(x1 - x0)} px)")
        c.raise_if_any()
    try:
        placed = labels.place([labels.LabelRequest(r.id, r.label, r.anchor, r.side) for r in regions],
                              (width, height), columns, top=EDGE, bottom=bottom)
    except labels.LabelError as exc:
        index = next((i for i, r in enumerate(raw_regions) if isinstance(r, dict) and r.get("id") == exc.key), 0)
        raise SpecError([src.problem(("regions", index, "label"), f"labels do not fit: {exc}")]) from None
    return regions, placed


def _narrow(src, raw_regions: list, bones: list[Bone], regions: list[Region], side_labels, width, height):
    """The narrow variant's layout (see ``narrow_layout``), its errors on the region they name."""
    try:
        return narrow_layout(bones, regions, dict(side_labels), (width, height))
    except labels.LabelError as exc:
        index = next((i for i, r in enumerate(raw_regions) if isinstance(r, dict) and r.get("id") == exc.key), 0)
        raise SpecError([src.problem(("regions", index, "label"),
                                     f"labels do not fit the narrow variant: {exc}")]) from None


# --- the narrow variant ------------------------------------------------------------------

def wide_from(model: "Anatomy") -> int:
    """Smallest column width (CSS px, a multiple of 40) where the wide variant's labels
    render at least WIDE_LABEL_PX; below it the page shows the narrow variant."""
    need = model.size[0] * WIDE_LABEL_PX / labels.FONT_SIZE
    return int(-(-need // 40) * 40)


def narrow_layout(bones, regions, side_labels, canvas) -> Narrow:
    """Lay the diagram out again for a narrow column: the art alone, cropped, with its
    labels in one column on the right when that fits, else numbered badges on the art and
    a legend under it. Text is measured, sized so it renders >= NARROW_LABEL_PX in a
    NARROW_COLUMN px column."""
    m = NARROW_MARGIN
    art = union_bbox([path_bbox(b.outline) for b in bones] + [_region_box(r) for r in regions])
    x0, y0 = max(0.0, art[0] - m), max(0.0, art[1] - m)
    x1, y1 = min(canvas[0], art[2] + m), min(canvas[1], art[3] + m)
    side_h = SIDE_LABEL_ROOM if side_labels else 0
    # 1. labels beside the art, right of it, when the canvas stays narrow enough
    room = NARROW_MAX - (x1 - x0) - LABEL_GAP
    size = max(labels.FONT_SIZE, NARROW_LABEL_PX * NARROW_MAX / NARROW_COLUMN)
    if room >= 3 * size:
        width = x1 - x0 + LABEL_GAP + room
        try:
            placed = labels.place([labels.LabelRequest(r.id, r.label, r.anchor, "right") for r in regions],
                                  (x0 + width, y1), {"right": (x1 + LABEL_GAP, x0 + width - EDGE)},
                                  top=y0 + EDGE, bottom=y1 - EDGE, size=size)
        except labels.LabelError:
            placed = None
        if placed:
            right = max(p.box[0] + p.box[2] for p in placed) + EDGE
            scale = NARROW_COLUMN / (right - x0)
            size_ok = size * min(scale, 1.0) >= NARROW_LABEL_PX - 0.01
            if size_ok:
                return Narrow("beside", (x0, y0, right - x0, y1 - y0 + side_h), size, labels=placed,
                              side_y=y1 + side_h - EDGE - 8 if side_labels else None)
    # 2. numbered badges on the art, a legend under it
    # the canvas: the art, widened (centred) where the legend's longest word needs it
    longest = max((w for r in regions for w in r.label.split()), key=lambda w: labels.text_width(w, 1))
    width = max(x1 - x0, NARROW_MIN)
    for _ in range(8):
        size = max(labels.FONT_SIZE, NARROW_LABEL_PX * width / NARROW_COLUMN)
        scale = min(1.0, NARROW_COLUMN / width)
        radius = max(11.0, TARGET_PX / 2 / scale)
        need = labels.text_width(longest, size) + 2 * radius + 8 + 2 * EDGE + 2
        if need <= width:
            break
        width = need
    grow = width - (x1 - x0)
    if grow > 0:
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    order = sorted(regions, key=lambda r: (round(r.anchor[1] / 8), r.anchor[0], r.id))
    centres = _spread_badges([r.anchor for r in order], radius, (art[0] + radius, art[1] + radius,
                                                                 art[2] - radius, art[3] - radius))
    y = y1 + side_h + 4
    ascent, descent = labels.font_extents(700)
    text_x = x0 + EDGE + 2 * radius + 8
    inner = x1 - EDGE - text_x
    callouts = []
    for i, (r, c) in enumerate(zip(order, centres), 1):
        lines = labels.wrap(r.label, inner, size, 400)
        too_wide = [w for w in lines if labels.text_width(w, size) > inner]
        if too_wide:
            raise labels.LabelError(f"the word '{too_wide[0]}' is wider than the legend ({inner:.0f} px)", r.id)
        lh = size * labels.LINE_HEIGHT
        h = max(2 * radius + 6, TARGET_PX / scale, len(lines) * lh + 8)
        first = y + (h - len(lines) * lh) / 2 + (lh - (ascent + descent) * size) / 2 + ascent * size
        callouts.append(Callout(r.id, i, c, (x0 + EDGE / 2, y, x1 - x0 - EDGE, h), (x0 + EDGE + radius, y + h / 2),
                                lines, text_x, [first + k * lh for k in range(len(lines))]))
        y += h + 4
    return Narrow("legend", (x0, y0, x1 - x0, y - y0), size, radius, callouts=callouts,
                  side_y=y1 + side_h - EDGE - 4 if side_labels else None)


def _region_box(r: Region):
    kind, geom = r.shape
    if kind == "ellipse":
        cx, cy, rx, ry = geom
        return (cx - rx, cy - ry, cx + rx, cy + ry)
    return path_bbox(geom)


def _spread_badges(anchors, radius, bounds):
    """Badge centres: each on its anchor, pushed apart (symmetrically, a few rounds)
    until no two overlap, kept inside ``bounds`` (x0, y0, x1, y1)."""
    pts = [list(a) for a in anchors]
    need = 2 * radius + 3
    for _ in range(200):
        moved = False
        for i in range(len(pts)):
            for j in range(i + 1, len(pts)):
                dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                d = (dx * dx + dy * dy) ** 0.5
                if d < need - 1e-6:
                    if d < 1e-6:
                        dx, dy, d = 0.0, 1.0, 1.0
                    push = (need - d) / 2 + 0.01
                    pts[i][0] -= dx / d * push
                    pts[i][1] -= dy / d * push
                    pts[j][0] += dx / d * push
                    pts[j][1] += dy / d * push
                    moved = True
        for p in pts:
            p[0] = min(max(p[0], bounds[0]), bounds[2])
            p[1] = min(max(p[1], bounds[1]), bounds[3])
        if not moved:
            break
    return [(round(p[0], 2), round(p[1], 2)) for p in pts]


def _check_uberon(c: Checker, keys: tuple, value: str) -> None:
    if not UBERON.match(value):
        c.fail(keys, f"'{value}' is not an UBERON id (UBERON: and seven digits, e.g. UBERON:0000981)")


def _shape(c: Checker, keys: tuple, shape: dict, path_data):
    """(('path', d) | ('ellipse', (cx, cy, rx, ry)), bbox) or (None, None)."""
    kinds = [k for k in ("path", "ellipse") if k in shape]
    unknown = [k for k in shape if k not in ("path", "ellipse")]
    for k in unknown:
        c.fail(keys + (k,), f"unknown field '{k}'{did_you_mean(k, ('path', 'ellipse'))}")
    if len(kinds) != 1:
        if not unknown:
            c.fail(keys, "give exactly one of 'path' (path data) or 'ellipse' ([cx, cy, rx, ry])")
        return None, None
    if kinds[0] == "path":
        d = path_data(keys + ("path",), shape["path"])
        return (("path", d), path_bbox(d)) if d else (None, None)
    e = shape["ellipse"]
    if not (isinstance(e, list) and len(e) == 4 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                         for v in e)):
        c.fail(keys + ("ellipse",), "expected four numbers [cx, cy, rx, ry]")
        return None, None
    cx, cy, rx, ry = (float(v) for v in e)
    if rx <= 0 or ry <= 0:
        c.fail(keys + ("ellipse",), "radii must be positive")
        return None, None
    return ("ellipse", (cx, cy, rx, ry)), (cx - rx, cy - ry, cx + rx, cy + ry)


# --- rendering ---------------------------------------------------------------------------

def render_svg(model: Anatomy) -> str:
    """The standalone SVG (links relative to the spec's own page)."""
    return _svg(model, model.page)


def render_svgs(model: Anatomy) -> dict[str, str]:
    """Every variant a page shows, by name (the size budget holds for each)."""
    out = {"wide": _svg(model, model.page)}
    if model.narrow is not None:
        out["narrow"] = _svg(model, model.page, variant="narrow")
    return out


def _svg(model: Anatomy, page: str, xmlns: bool = True, variant: str = "wide") -> str:
    """One variant of the diagram: 'wide' (label columns both sides of the art) or
    'narrow' (see ``narrow_layout``). Both carry the same regions and links."""
    narrow = model.narrow if variant == "narrow" else None
    ids = Ids(model.id if narrow is None else f"{model.id}-narrow")
    if narrow is None:
        x0, y0, (w, h) = 0.0, 0.0, model.size
        font = labels.FONT_SIZE
    else:
        x0, y0, w, h = narrow.box
        font = narrow.font_size
    dwg = svgwrite.Drawing(size=(num(w), num(h)), debug=False)
    dwg.attribs.update({
        "viewBox": f"{num(x0)} {num(y0)} {num(w)} {num(h)}", "class": f"bmo-anatomy bmo-v-{variant}",
        "data-diagram": model.id, "data-variant": variant,
        "role": "group", "aria-labelledby": f"{ids('title')} {ids('desc')}",
        "style": f"--bmo-hatch:{ids.ref('hatch')};--bmo-font:{num(font)}px",
        "font-family": "'Atkinson Hyperlegible',sans-serif",
        # search indexes the text alternative below the drawing, not the labels drawn in it
        "data-search-exclude": "true",
    })
    dwg.add(Element("title", model.title, id=ids("title")))
    dwg.add(Element("desc", f"{model.description} {model.orientation}", id=ids("desc")))

    # the hatch used (with colour) to show a pattern's regions
    hatch = Element("pattern", id=ids("hatch"), patternUnits="userSpaceOnUse", width="8", height="8",
                    patternTransform="rotate(45)")
    hatch.add(Element("rect", width="8", height="8", **{"class": "bmo-hatch-bg"}))
    hatch.add(Element("path", d="M0 0V8", **{"class": "bmo-hatch-line"}))
    dwg.defs.add(hatch)
    dwg.add(_art(model))

    group = Element("g", **{"class": "bmo-regions", "font-size": num(font)})
    if narrow is None:
        placed = {p.key: p for p in model.labels}
    elif narrow.mode == "beside":
        placed = {p.key: p for p in narrow.labels}
    else:
        placed = {c.key: c for c in narrow.callouts}
    numbers = Element("g", **{"class": "bmo-badge-numbers", "aria-hidden": "true", "font-size": num(font)})
    for region in model.regions:
        a = Element("a", href=links.relative_href(region.link, page), **{
            "class": "bmo-region", "data-region": region.id,
            "aria-label": f"{region.label}: {region.description}"})
        if region.uberon:
            a["data-uberon"] = " ".join(region.uberon)
        p = placed[region.id]
        if isinstance(p, Callout):
            _callout(a, numbers, region, p, narrow.radius, font)
        else:
            _labelled(a, region, p)
        group.add(a)
    dwg.add(group)
    if numbers.elements:
        dwg.add(numbers)
    if model.side_labels:
        sides = Element("g", **{"class": "bmo-side-labels", "font-size": num(font), "font-weight": "700"})
        y = h - EDGE - 8 if narrow is None else narrow.side_y
        left, right = (EDGE, w - EDGE) if narrow is None else (x0 + EDGE, x0 + w - EDGE)
        if narrow is not None and narrow.mode == "legend":
            right = x0 + narrow.callouts[0].row[2]
        for side, text in sorted(model.side_labels.items()):
            t = Element("text", text, x=num(left if side == "left" else right), y=num(y),
                        **{"class": "bmo-side-label"})
            if side == "right":
                t["text-anchor"] = "end"
            sides.add(t)
        dwg.add(sides)
    return to_string(dwg, keep_xmlns=xmlns)


def _art(model: Anatomy) -> Element:
    art = Element("g", **{"class": "bmo-art", "aria-hidden": "true", "fill": "#f6eedf", "stroke": "#6b5b4b",
                          "stroke-width": "1.6", "stroke-linejoin": "round", "stroke-linecap": "round",
                          "fill-rule": "evenodd"})
    tones_first = sorted(model.bones, key=lambda b: b.tone != "skin")  # the skin silhouette behind all
    for bone in tones_first:
        g = Element("g", **{"class": f"bmo-bone bmo-bone--{bone.tone}", "data-bone": bone.id})
        if bone.uberon:
            g["data-uberon"] = bone.uberon
        g.add(Element("title", bone.name))
        g.add(Element("path", d=bone.outline))
        if bone.details:
            g.add(Element("path", d=bone.details, **{"class": "bmo-detail", "fill": "none"}))
        art.add(g)
    if model.cartilage:
        art.add(Element("path", d="".join(model.cartilage), **{"class": "bmo-cartilage"}))
    return art


def _region_shape(region: Region) -> Element:
    kind, geom = region.shape
    if kind == "ellipse":
        cx, cy, rx, ry = geom
        shape = Element("ellipse", cx=num(cx), cy=num(cy), rx=num(rx), ry=num(ry))
    else:
        shape = Element("path", d=geom)
    shape["class"] = "bmo-region-shape"
    shape["aria-hidden"] = "true"   # the link's aria-label names the region
    # The hover tooltip gives the description. The shape comes after the label text:
    # the text a link shows (label, then this title) then reads as its accessible name
    # "Label: description" (WCAG 2.5.3 label in name; axe counts <title> as text).
    shape.add(Element("title", " " + region.description))   # the space separates it from the label
    return shape


def _labelled(a: Element, region: Region, p) -> None:
    """A region with its label in a column and a leader line to its anchor."""
    bx, by, bw, bh = p.box
    a.add(Element("rect", x=num(bx), y=num(by), width=num(bw), height=num(bh), rx="4",
                  **{"class": "bmo-label-box"}))
    a.add(_label_text(p.lines, p.baselines, p.text_x, p.text_anchor == "end"))
    a.add(_region_shape(region))
    a.add(Element("polyline", points=points(p.leader), **{"class": "bmo-leader"}))
    a.add(Element("circle", cx=num(region.anchor[0]), cy=num(region.anchor[1]), r="3",
                  **{"class": "bmo-anchor"}))


def _label_text(lines: list[str], baselines: list[float], x: float, end: bool = False) -> Element:
    """A label's <text>: one line, or a <tspan> a line. A space between the lines, so the text
    reads "Medial femoral condyle" (not "femoralcondyle"), placed where it shifts nothing: before
    a line that ends at the anchor (``end``), after a line that starts there."""
    text = Element("text", **{"class": "bmo-label"})
    if end:
        text["text-anchor"] = "end"
    if len(lines) == 1:
        text["x"], text["y"] = num(x), num(baselines[0])
        text.text = lines[0]
        return text
    last = len(lines) - 1
    for i, (line, base) in enumerate(zip(lines, baselines)):
        if end and i:
            line = " " + line
        elif not end and i < last:
            line += " "
        text.add(Element("tspan", line, x=num(x), y=num(base)))
    return text


DIGIT_HEIGHT = 0.668     # the font's figures are cap height (OS/2 sCapHeight / unitsPerEm)


def _badge(a: Element, numbers: Element, centre, radius: float, number: int, size: float) -> None:
    """A badge: its circle in the region's link ``a`` (hover and focus restyle it), its number
    in ``numbers``, drawn over all links. A number inside the link would be text of the link
    that its accessible name ("Label: description") does not hold (WCAG 2.5.3, label in name)."""
    cx, cy = centre
    a.add(Element("circle", cx=num(cx), cy=num(cy), r=num(radius), **{"class": "bmo-badge"}))
    numbers.add(Element("text", str(number), x=num(cx), y=num(cy + DIGIT_HEIGHT * size / 2),
                        **{"class": "bmo-badge-number", "text-anchor": "middle"}))


def _callout(a: Element, numbers: Element, region: Region, c: Callout, radius: float, size: float) -> None:
    """A region with a numbered badge on the art and its row in the legend."""
    bx, by, bw, bh = c.row
    a.add(Element("rect", x=num(bx), y=num(by), width=num(bw), height=num(bh), rx="4",
                  **{"class": "bmo-label-box"}))
    a.add(_label_text(c.lines, c.baselines, c.text_x))
    a.add(_region_shape(region))
    ax, ay = region.anchor
    if abs(c.centre[0] - ax) > 0.5 or abs(c.centre[1] - ay) > 0.5:
        a.add(Element("polyline", points=points([region.anchor, c.centre]), **{"class": "bmo-leader"}))
        a.add(Element("circle", cx=num(ax), cy=num(ay), r="3", **{"class": "bmo-anchor"}))
    g = Element("g", **{"class": "bmo-callout", "aria-hidden": "true"})
    _badge(g, numbers, c.centre, radius, c.number, size)
    _badge(g, numbers, c.badge, radius, c.number, size)
    a.add(g)


def figure_caption(model: Anatomy) -> str:
    """The caption's content: title, description and orientation (views.py shows one a view)."""
    e = html.escape
    return (f'<span class="bmo-diagram__title">{e(model.title)}</span> {e(model.description)} '
            f'<span class="bmo-diagram__orientation">{e(model.orientation)}</span>')


def figure_frame(model: Anatomy, page: str) -> str:
    """The frame holding both variants of the drawing (CSS shows one)."""
    w, _ = model.size
    svg = _svg(model, page, xmlns=False)
    if model.narrow is not None:
        svg += _svg(model, page, xmlns=False, variant="narrow")
    return (f'<div class="bmo-diagram__frame bmo-wide-from-{wide_from(model)}" style="--bmo-w:{num(w)}px;'
            f'--bmo-nw:{num(model.narrow.box[2] if model.narrow else w)}px">{svg}</div>')


def region_items(model: Anatomy, page: str) -> list[str]:
    """The text alternative's list items, one a region, each linked to its section."""
    e = html.escape
    return [f'<li data-region-item="{e(r.id)}"><a href="{e(links.relative_href(r.link, page))}">'
            f'{e(r.label)}</a>: <span class="bmo-diagram__desc">{e(r.description)}</span></li>'
            for r in model.regions]


def render_figure(model: Anatomy, page: str | None = None) -> str:
    """The diagram as it appears on a page: figure, caption, the SVG in a scrolling frame,
    cause buttons (hidden until the script runs), the details panel and the text
    alternative. Links are relative to ``page`` (default: the spec's own page)."""
    page = page or model.page
    ids = Ids(model.id)
    e = html.escape
    names = {r.id: r.label for r in model.regions}
    out = [f'<figure class="bmo-diagram" data-diagram-figure="{e(model.id)}" id="{ids("figure")}">',
           f'<figcaption class="bmo-diagram__caption">{figure_caption(model)}</figcaption>',
           '<div class="bmo-diagram__body">',
           figure_frame(model, page),
           f'<div class="bmo-diagram__panel" id="{ids("panel")}" data-diagram-panel aria-live="polite" hidden></div>',
           '<div class="bmo-diagram__aside">']
    if model.patterns:
        out.append(f'<div class="bmo-diagram__controls" role="group" aria-labelledby="{ids("causes")}" hidden '
                   'data-search-exclude="true">'
                   f'<p class="bmo-diagram__controls-label" id="{ids("causes")}">Show where it typically '
                   f'shows, by cause:</p>')
        for pat in model.patterns:
            out.append(f'<button type="button" class="bmo-diagram__cause" data-pattern="{e(pat.id)}" '
                       f'data-regions="{e(" ".join(pat.regions))}" aria-pressed="false" '
                       f'aria-controls="{ids("panel")}" hidden>{e(pat.label)}</button>')
        out.append('</div>')
    out.append('</div></div>')

    # text alternative: every region (linked to its section) and every pattern with its regions
    out.append(f'<details class="bmo-diagram__text" open><summary>{e(_alt_summary(model))}</summary>')
    out.append('<ul class="bmo-diagram__regions">')
    out.extend(region_items(model, page))
    out.append('</ul>')
    if model.patterns:
        out.append('<p class="bmo-diagram__text-heading">Typical patterns by cause:</p>'
                   '<ul class="bmo-diagram__patterns">')
        for pat in model.patterns:
            href = links.relative_href(f"{model.page}#pattern-{pat.id}", page)
            parts = ", ".join(names[rid] for rid in pat.regions)
            out.append(f'<li data-pattern-item="{e(pat.id)}"><a href="{e(href)}">{e(pat.label)}</a>: '
                       f'<span class="bmo-diagram__desc">{e(pat.explanation)}</span> '
                       f'<span class="bmo-diagram__parts">Parts: {e(parts)}.</span></li>')
        out.append('</ul>')
    out.append('</details></figure>')
    return "\n".join(out)


def _alt_summary(model: Anatomy) -> str:
    return "The diagram in words: parts and typical patterns" if model.patterns else "The diagram in words"
