"""Bone outlines derived from real 3D bone meshes (maintainer step; the site build does not run it).

    python -m generators outlines [SPEC ...]    rewrite diagrams/anatomy/outlines/<id>.json
    python -m generators outlines --check       say which derived files are out of date

What it does, for each anatomy spec with a ``derive:`` block:

1. **Place** every dense bone mesh of the Bone Mesh Female toolkit (BMF: smooth, each in its
   own frame, metres) where BodyParts3D (BP3D: coarse, every bone in one body frame) puts
   that bone: principal-axis pre-alignment (the four proper sign choices), then iterative
   closest point with uniform scale (``trimesh.registration.icp``); the best fit wins.
   The fits are cached in ``outlines/placements.json`` (keyed by the meshes' hashes).
2. **Project** the placed mesh onto the view plane (front, back, outer-side, inner-side,
   above) and take its **silhouette**: the union of the triangles that face the viewer
   (``shapely``). A left side (``side: left``) is the right side mirrored, framing included.
3. **Frame** it on the canvas (``centre`` in body mm shown at ``at`` px, ``scale`` px/mm,
   clipped to ``clip``; ``close``: px to join a group's pieces, like the bones of a toe),
   **simplify** (Douglas-Peucker at ``tolerance`` px, or ``tolerances`` by bone) and **smooth**
   (a closed Catmull-Rom curve written as cubic Béziers; cut edges stay straight), with
   integer coordinates: the precision of a drawing shown at 0.75-1.5x.
4. **Regions from the anatomy**: a part (``outlines/parts.yaml``) is a selection of a
   bone's surface cut by planes in the bone's own box (fractions along the body's axes:
   up, medial, front), so the same part is right in every view; its shape in a view is
   the projection of the selected surface, inside the bone's outline.
5. **Interior detail lines** (``detail_lines``): the occluding contours inside each bone's
   silhouette, from a z-buffer of its placed mesh in the view (``depth_buffer``): where the
   depth steps by more than a few mm between neighbouring cells (the outer femoral condyle
   over the inner one seen from the side), traced (``depth_edges``, ``chain_lines``), kept
   where the reader sees them and where they are long and a real step, smoothed like the
   outlines (``smooth_line``) and stored as the bone's ``details``. ``derive: details:``
   tunes or turns them off per view.
The output is deterministic JSON with the sha256 of every input (spec's derive block,
parts, meshes, this file), so a fast test can tell that the committed data is current.

Body frame: BodyParts3D's axes (x towards the body's left, y backwards, z up) scaled by
``MM`` to about millimetres. Needs numpy, scipy, trimesh and shapely (requirements.in).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

from ..core import catalog
from .derived import VERSION

# The meshes are not in this repository (see the credits): ../shared/anatomy-reference beside
# the checkout (or beside the folder of worktrees), or the folder in BMO_ANATOMY_REFERENCE.
_CANDIDATES = [catalog.ROOT.parent / "shared" / "anatomy-reference",
               catalog.ROOT.parent.parent / "shared" / "anatomy-reference"]
REFERENCE = Path(os.environ.get("BMO_ANATOMY_REFERENCE")
                 or next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0]))
OUT_DIR = catalog.ROOT / "diagrams" / "anatomy" / "outlines"
PARTS = OUT_DIR / "parts.yaml"
PLACEMENTS = OUT_DIR / "placements.json"
MM = 200.0              # BodyParts3D units (as decimated) to about millimetres
SAMPLE = 1500           # points per mesh used for the fit

# The spec's bone ids -> (BMF mesh names, BodyParts3D structure names)
MESHES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hip-bone": (("PelvisR",), ("right hip bone",)),
    "sacrum": (("Sacrum",), ("sacrum",)),
    "femur": (("FemurR",), ("right femur",)),
    "patella": (("PatellaR",), ("right patella",)),
    "tibia": (("TibiaR",), ("right tibia",)),
    "fibula": (("FibulaR",), ("right fibula",)),
    "talus": (("TalusR",), ("right talus",)),
    "calcaneus": (("CalcaneusR",), ("right calcaneus",)),
    "navicular": (("NavicularR",), ("navicular bone of right foot",)),
    "cuboid": (("CuboidR",), ("right cuboid bone",)),
    "medial-cuneiform": (("MedialCuneiformR",), ("right medial cuneiform bone",)),
    "intermediate-cuneiform": (("IntermediateCuneiformR",), ("right intermediate cuneiform bone",)),
    "lateral-cuneiform": (("LateralCuneiformR",), ("right lateral cuneiform bone",)),
    "metatarsal-1": (("FirstMetatarsalR",), ("right first metatarsal bone",)),
    "metatarsal-2": (("SecondMetatarsalR",), ("right second metatarsal bone",)),
    "metatarsal-3": (("ThirdMetatarsalR",), ("right third metatarsal bone",)),
    "metatarsal-4": (("FourthMetatarsalR",), ("right fourth metatarsal bone",)),
    "metatarsal-5": (("FifthMetatarsalR",), ("right fifth metatarsal bone",)),
}
_TOES = ("First", "Second", "Third", "Fourth", "Fifth")
_BP3D_TOES = ("big toe", "second toe", "third toe", "fourth toe", "little toe")
for _i, (_t, _b) in enumerate(zip(_TOES, _BP3D_TOES)):
    _levels = ("Prox", "Dist") if _i == 0 else ("Prox", "Mid", "Dist")
    _names = {"Prox": "proximal", "Mid": "middle", "Dist": "distal"}
    for _lv in _levels:
        MESHES[f"{_t.lower()}-{_names[_lv]}-phalanx"] = ((f"{_t}{_lv}PhalanxR",),
                                                          (f"{_names[_lv]} phalanx of right {_b}",))
MESHES["phalanges"] = (tuple(m for k, (b, _) in MESHES.items() if k.endswith("phalanx") for m in b),
                       tuple(m for k, (_, p) in MESHES.items() if k.endswith("phalanx") for m in p))

MESHES["foot-bones"] = (tuple(m for k in ("calcaneus", "navicular", "cuboid", "medial-cuneiform",
                                           "intermediate-cuneiform", "lateral-cuneiform", "metatarsal-1",
                                           "metatarsal-2", "metatarsal-3", "metatarsal-4", "metatarsal-5",
                                           "phalanges") for m in MESHES[k][0]),
                        tuple(m for k in ("calcaneus", "navicular", "cuboid", "medial-cuneiform",
                                          "intermediate-cuneiform", "lateral-cuneiform", "metatarsal-1",
                                          "metatarsal-2", "metatarsal-3", "metatarsal-4", "metatarsal-5",
                                          "phalanges") for m in MESHES[k][1]))

# view -> (direction the viewer looks, screen up), body frame; screen right = look x up
VIEWS = {
    "front": ((0, 1, 0), (0, 0, 1)),
    "back": ((0, -1, 0), (0, 0, 1)),
    "outer-side": ((1, 0, 0), (0, 0, 1)),     # right leg: seen from its right, the front on the right
    "inner-side": ((-1, 0, 0), (0, 0, 1)),
    "above": ((0, 0, -1), (0, -1, 0)),         # looking down, toes up: big toe on the left
}
# a part's axes in the body frame (right leg): up, medial (towards the body's middle), front
AXES = {"up": (0, 0, 1), "medial": (1, 0, 0), "front": (0, -1, 0)}


# --- geometry (pure functions, tested on known meshes) -------------------------------------

def view_matrix(view: str, side: str = "right") -> np.ndarray:
    """3x3: rows are screen right, screen down and the viewing direction (body frame)."""
    look, up = (np.array(v, float) for v in VIEWS[view])
    right = np.cross(look, up)
    m = np.array([right, -up, look])
    if side == "left":
        m[0] = -m[0]
    return m


def project(vertices: np.ndarray, view: str, side: str = "right") -> np.ndarray:
    """(n, 3) -> (n, 3): screen x (right), y (down), depth (away from the viewer)."""
    return np.asarray(vertices, float) @ view_matrix(view, side).T


def silhouette(vertices: np.ndarray, faces: np.ndarray, view: str, side: str = "right", all_faces: bool = False):
    """The shapely (Multi)Polygon a mesh covers in the view: the union of its projected
    triangles that face the viewer (for a closed mesh that is its whole shadow), or of all
    of them (``all_faces``: for an open piece of surface)."""
    import shapely

    p = project(vertices, view, side)
    tri = p[faces]
    # signed area in screen coordinates (y down): facing the viewer when the winding is clockwise
    a = tri[:, 1, :2] - tri[:, 0, :2]
    b = tri[:, 2, :2] - tri[:, 0, :2]
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    keep = np.abs(cross) > 1e-12
    front = keep & (cross < 0)
    if all_faces:
        front = keep
    elif not front.any() or (front.sum() < (keep.sum() // 4)):   # winding the other way round
        front = keep & (cross > 0)
    polys = shapely.polygons(tri[front][:, :, :2])
    shape = shapely.union_all(polys, grid_size=None)
    # close the hairline gaps a union of many triangles can leave (0.2 mm: far below a pixel)
    return shape.buffer(0.2, quad_segs=2).buffer(-0.2, quad_segs=2)


def rings(shape, min_area: float = 0.0) -> list[np.ndarray]:
    """Exterior and interior rings of a (Multi)Polygon as (n, 2) arrays, largest first,
    holes kept (drawn with even-odd fill); pieces smaller than ``min_area`` dropped."""
    from shapely.geometry import Polygon

    polys = [shape] if isinstance(shape, Polygon) else list(getattr(shape, "geoms", []))
    polys = [p for p in polys if isinstance(p, Polygon) and p.area > min_area]
    polys.sort(key=lambda p: (-round(p.area, 6), p.bounds))
    out = []
    for p in polys:
        out.append(np.asarray(p.exterior.coords)[:-1])
        for hole in sorted(p.interiors, key=lambda r: -Polygon(r).area):
            if Polygon(hole).area > max(min_area, p.area * 0.03):   # a real opening (obturator foramen)
                out.append(np.asarray(hole.coords)[:-1])
    return out


def smooth_path(ring_list, clip=None, tolerance: float = 0.8) -> str:
    """Path data: each ring simplified (Douglas-Peucker, ``tolerance`` px) then drawn as a
    closed Catmull-Rom curve (cubic Béziers), integer coordinates. Edges along the ``clip``
    box (where a bone is cut off by the frame) stay straight lines."""
    from shapely.geometry import LinearRing

    parts = []
    for ring in ring_list:
        lr = LinearRing(ring)
        simple = np.asarray(lr.simplify(tolerance, preserve_topology=True).coords)[:-1]
        if len(simple) < 3:
            continue
        pts = np.round(simple).astype(int)
        keep = [0] + [i for i in range(1, len(pts)) if (pts[i] != pts[i - 1]).any()]
        pts = pts[keep]
        if len(pts) > 1 and (pts[0] == pts[-1]).all():
            pts = pts[:-1]
        if len(pts) < 3:
            continue
        # start at the top-left-most point, so the text does not depend on the ring's start
        start = min(range(len(pts)), key=lambda i: (pts[i][1], pts[i][0]))
        pts = np.roll(pts, -start, axis=0)
        on_edge = np.zeros(len(pts), bool)
        if clip is not None:
            x0, y0, x1, y1 = clip
            on_edge = (np.abs(pts[:, 0] - x0) <= 1) | (np.abs(pts[:, 0] - x1) <= 1) | \
                      (np.abs(pts[:, 1] - y0) <= 1) | (np.abs(pts[:, 1] - y1) <= 1)
        n = len(pts)
        cmds = [f"M{pts[0][0]} {pts[0][1]}"]
        for i in range(n):
            p0, p1, p2, p3 = pts[i - 1], pts[i], pts[(i + 1) % n], pts[(i + 2) % n]
            if on_edge[i] and on_edge[(i + 1) % n]:
                cmds.append("Z" if i == n - 1 else f"L{p2[0]} {p2[1]}")
                continue
            c1 = p1 if on_edge[i] else p1 + (p2 - p0) / 6
            c2 = p2 if on_edge[(i + 1) % n] else p2 - (p3 - p1) / 6
            c1, c2 = np.round(c1).astype(int), np.round(c2).astype(int)
            cmds.append(f"C{c1[0]} {c1[1]} {c2[0]} {c2[1]} {p2[0]} {p2[1]}")
        if cmds[-1] != "Z":
            cmds.append("Z")
        parts.append("".join(cmds))
    return "".join(parts)


def path_polygon(d: str, steps: int = 6):
    """The shapely shape that path data written by ``smooth_path`` draws (even-odd fill),
    each cubic flattened into ``steps`` segments."""
    from shapely.geometry import Polygon

    from ..core.svgutil import parse_path

    rings, ring, pos = [], [], (0.0, 0.0)
    for cmd, args in parse_path(d):
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
                ring.append(tuple((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * c1 + 3 * (1 - t) * t ** 2 * c2
                                  + t ** 3 * p3))
            pos = tuple(p3)
        elif cmd == "Z" and ring:
            rings.append(ring)
            ring = []
    if ring:
        rings.append(ring)
    out = Polygon()
    for p in sorted((Polygon(r).buffer(0) for r in rings if len(r) >= 3), key=lambda p: -p.area):
        out = out.difference(p) if out.contains(p) else out.union(p)
    return out


def depth_buffer(vertices: np.ndarray, faces: np.ndarray, view: str, side: str = "right",
                 transform=(1.0, 0.0, 0.0), size=(100, 100), sub: int = 2) -> np.ndarray:
    """The mesh's depth (mm from the viewer's plane, ``inf`` where it is not seen) on a grid
    of ``sub`` x ``sub`` cells per canvas px: a z-buffer of the faces turned to the viewer
    (a closed mesh). ``transform`` = (px per mm, x offset, y offset) puts the screen
    coordinates on the canvas of ``size`` px. Each triangle is sampled finely enough (every
    half cell) that no cell it covers is missed."""
    scale, ox, oy = transform
    p = project(vertices, view, side)
    xy = (p[:, :2] * scale + (ox, oy)) * sub
    width, height = int(size[0]) * sub, int(size[1]) * sub
    buf = np.full(width * height, np.inf)
    tri = np.concatenate([xy, p[:, 2:]], axis=1)[np.asarray(faces)]          # (n, 3 corners, x y z)
    # only the faces turned to the viewer: faces seen edge-on would put stray depths along
    # the outline. Which winding faces the viewer: outward faces (a positive volume) turn
    # clockwise on the screen (y down) of a right side; a left side is mirrored.
    v, f = np.asarray(vertices, float), np.asarray(faces)
    volume = float(np.einsum("ij,ij->", v[f[:, 0]], np.cross(v[f[:, 1]], v[f[:, 2]])))
    a, b = tri[:, 1, :2] - tri[:, 0, :2], tri[:, 2, :2] - tri[:, 0, :2]
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    keep = np.abs(cross) > 1e-9
    if volume:                                  # a closed surface (else every face counts)
        keep &= cross * np.sign(volume) * (-1 if side == "left" else 1) < 0
    tri = tri[keep]
    lo, hi = tri[:, :, :2].min(axis=1), tri[:, :, :2].max(axis=1)
    tri = tri[(hi[:, 0] >= 0) & (lo[:, 0] < width) & (hi[:, 1] >= 0) & (lo[:, 1] < height)]
    edge = np.linalg.norm(tri[:, [1, 2, 0], :2] - tri[:, :, :2], axis=2).max(axis=1)
    steps = np.ceil(edge / 0.5).astype(int) + 1
    for k in np.unique(steps):
        t = tri[steps == k]
        i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1))
        a, b = i[i + j <= k] / k, j[i + j <= k] / k
        w = np.stack([1 - a - b, a, b], axis=1)                                # barycentric samples
        w = (w + 1e-6) / (1 + 3e-6)     # a hair inside the triangle: an edge on a cell line stays on its side
        pts = np.einsum("sc,ncd->nsd", w, t).reshape(-1, 3)
        xi, yi = np.floor(pts[:, 0]).astype(int), np.floor(pts[:, 1]).astype(int)
        ok = (xi >= 0) & (xi < width) & (yi >= 0) & (yi < height)
        np.minimum.at(buf, yi[ok] * width + xi[ok], pts[ok, 2])
    return buf.reshape(height, width)


def depth_edges(depth: np.ndarray, jump: float = 4.0, sub: int = 2) -> list[np.ndarray]:
    """Occluding contours inside a silhouette: the lines between neighbouring cells of a
    depth buffer whose depths differ by more than ``jump`` mm (one part of the bone in front
    of another, like the outer femoral condyle over the inner one in a side view), traced
    into polylines in canvas px. The outer silhouette (next to ``inf``) is not one."""
    from scipy.ndimage import binary_erosion
    from shapely import MultiLineString
    from shapely.ops import linemerge

    seen = np.isfinite(depth)
    d = np.where(seen, depth, 0.0)
    seen = binary_erosion(seen, iterations=2)     # not at the rim, seen edge-on (steep, not a step)
    segments = []
    # cells (y, x) and (y, x + 1): the cell edge x + 1 from y to y + 1, and likewise down
    step = seen[:, 1:] & seen[:, :-1] & (np.abs(d[:, 1:] - d[:, :-1]) > jump)
    for y, x in zip(*np.nonzero(step)):
        segments.append(((x + 1, y), (x + 1, y + 1)))
    step = seen[1:, :] & seen[:-1, :] & (np.abs(d[1:, :] - d[:-1, :]) > jump)
    for y, x in zip(*np.nonzero(step)):
        segments.append(((x, y + 1), (x + 1, y + 1)))
    if not segments:
        return []
    merged = linemerge(MultiLineString(sorted(segments)))
    lines = [np.asarray(line.coords, float) for line in getattr(merged, "geoms", [merged])]
    return [line / sub for line in chain_lines(lines, gap=2.5 * sub)]


def chain_lines(lines: list[np.ndarray], gap: float = 3.0) -> list[np.ndarray]:
    """Join polylines end to end where their ends meet or are at most ``gap`` apart: at a
    junction of several, the two longest go on as one line (the short spurs a pixel
    staircase leaves stay apart and are dropped later as short). Deterministic."""
    from scipy.spatial import cKDTree

    lines = [np.asarray(line, float) for line in lines if len(line) >= 2]

    def length(line):
        return float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())

    while True:
        ends = np.array([line[e] for line in lines for e in (0, -1)])
        if len(lines) < 2:
            return lines
        pairs = cKDTree(ends).query_pairs(gap, output_type="ndarray")
        pairs = pairs[pairs[:, 0] // 2 != pairs[:, 1] // 2] if len(pairs) else pairs
        if not len(pairs):
            return lines
        lens = [length(line) for line in lines]

        def heading(i):
            """Unit direction of line i // 2 going out of its end i % 2 (over the last few px)."""
            line = lines[i // 2] if i % 2 else lines[i // 2][::-1]
            back = line[max(0, len(line) - 1 - int(4 * gap)):-1]
            d = line[-1] - (back[0] if len(back) else line[0])
            n = np.linalg.norm(d)
            return d / n if n else d

        # the join that makes the longest line, not one that doubles back (a spur of the
        # staircase or two lines side by side); ties by position (deterministic)
        score = [(-(lens[a // 2] + lens[b // 2]) + np.linalg.norm(ends[a] - ends[b]), int(a), int(b))
                 for a, b in pairs if float(heading(a) @ heading(b)) < -0.5]
        if not score:
            return lines
        _, a, b = min(score)
        la, lb = lines[a // 2], lines[b // 2]
        if a % 2 == 0:
            la = la[::-1]                       # la now ends at the joining end
        if b % 2 == 1:
            lb = lb[::-1]                       # lb now starts at it
        joined = np.vstack([la, lb[1:] if (lb[0] == la[-1]).all() else lb])
        lines = [line for i, line in enumerate(lines) if i not in (a // 2, b // 2)] + [joined]


def line_jumps(depth: np.ndarray, line, sub: int = 2, reach: float = 2.0) -> np.ndarray:
    """The depth step (mm) across a line (canvas px) at 20 points along it: the largest
    difference of the depth buffer within ``reach`` px on either side."""
    from shapely.geometry import LineString

    line = LineString(line) if not hasattr(line, "interpolate") else line
    out = []
    for t in np.linspace(0.05, 0.95, 20) * line.length:
        p, q = (np.asarray(line.interpolate(t + e).coords[0]) for e in (-0.5, 0.5))
        n = np.array([-(q - p)[1], (q - p)[0]])
        n = n / (np.linalg.norm(n) or 1)
        vals = []
        for k in np.linspace(-reach, reach, 9):
            x, y = ((p + q) / 2 + k * n) * sub
            if 0 <= int(y) < depth.shape[0] and 0 <= int(x) < depth.shape[1]:
                vals.append(depth[int(y), int(x)])
        vals = np.array([v for v in vals if np.isfinite(v)])
        out.append(vals.max() - vals.min() if len(vals) else 0.0)
    return np.array(out)


def smooth_line(points: np.ndarray, tolerance: float = 1.0) -> str:
    """Path data of an open polyline: simplified (Douglas-Peucker, ``tolerance`` px) and
    drawn as a Catmull-Rom curve (cubic Béziers) with integer coordinates; it starts at
    the end that comes first (top, then left), so the text does not depend on the tracing."""
    from shapely.geometry import LineString

    pts = np.asarray(LineString(points).simplify(tolerance, preserve_topology=False).coords)
    pts = np.round(pts).astype(int)
    pts = pts[[0] + [i for i in range(1, len(pts)) if (pts[i] != pts[i - 1]).any()]]
    if len(pts) < 2:
        return ""
    if (pts[-1][1], pts[-1][0]) < (pts[0][1], pts[0][0]):
        pts = pts[::-1]
    n = len(pts)
    # a corner (a turn of more than 60 degrees) stays a corner: no overshoot beside it
    sharp = np.zeros(n, bool)
    for i in range(1, n - 1):
        u, w = pts[i] - pts[i - 1], pts[i + 1] - pts[i]
        sharp[i] = float(u @ w) < 0.5 * np.linalg.norm(u) * np.linalg.norm(w)
    cmds = [f"M{pts[0][0]} {pts[0][1]}"]
    for i in range(n - 1):
        p0, p1, p2, p3 = pts[max(i - 1, 0)], pts[i], pts[i + 1], pts[min(i + 2, n - 1)]
        c1 = p1 if sharp[i] else np.round(p1 + (p2 - p0) / 6).astype(int)
        c2 = p2 if sharp[i + 1] else np.round(p2 - (p3 - p1) / 6).astype(int)
        cmds.append(f"C{c1[0]} {c1[1]} {c2[0]} {c2[1]} {p2[0]} {p2[1]}")
    return "".join(cmds)


def part_mesh(vertices: np.ndarray, faces: np.ndarray, cuts, near=None):
    """The surface of a bone inside a part, cut exactly at the planes (so the part's edges
    are clean lines). ``cuts`` is a list of [axis, from, to]: an axis of the body (``up``,
    ``medial``, ``front``, or an oblique one as [medial, front, up] components) and a range
    of fractions of the extent, along that axis, of what the earlier cuts kept (0 = the
    lowest / most lateral / most posterior point, 1 = the highest / most medial / most
    anterior). ``near`` = (points, mm) then keeps only the faces
    within mm of those points (a joint surface: the hip bone next to the femoral head).
    Returns (vertices, faces), possibly empty."""
    import trimesh

    v, f = np.asarray(vertices, float), np.asarray(faces)
    for axis, lo, hi in cuts:
        if not len(f):
            break
        if isinstance(axis, str):
            d = np.array(AXES[axis], float)
        else:   # an oblique axis: [medial, front, up] components
            d = sum(float(k) * np.array(AXES[a], float) for k, a in zip(axis, ("medial", "front", "up")))
            d /= np.linalg.norm(d)
        t = v[np.unique(f)] @ d
        tmin, tmax = t.min(), t.max()
        mesh = trimesh.Trimesh(v, f, process=False)
        for frac, normal in ((lo, d), (hi, -d)):
            if 0 < frac < 1 and len(mesh.faces):
                origin = d * (tmin + frac * (tmax - tmin))
                mesh = trimesh.intersections.slice_mesh_plane(mesh, normal, origin)
        v, f = np.asarray(mesh.vertices), np.asarray(mesh.faces)
    if near is not None and len(f):
        from scipy.spatial import cKDTree

        pts, mm = near
        f = f[cKDTree(pts).query(v[f].mean(axis=1))[0] <= mm]
    return v, f


# --- meshes and their placement ----------------------------------------------------------

def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bp3d_files(reference: Path) -> dict[str, Path]:
    with open(reference / "bodyparts3d" / "parts.tsv", encoding="utf-8") as fh:
        return {row["structure"]: reference / "bodyparts3d" / row["file"] for row in csv.DictReader(fh, delimiter="\t")}


def _load(path: Path):
    import trimesh

    return trimesh.load(path, force="mesh", process=False)


def _pca(points: np.ndarray):
    centre = points.mean(axis=0)
    w, v = np.linalg.eigh(np.cov((points - centre).T))
    order = np.argsort(w)[::-1]
    return centre, v[:, order], np.sqrt(w[order])


def register(moving: np.ndarray, fixed: np.ndarray) -> tuple[np.ndarray, float]:
    """4x4 similarity transform putting point set ``moving`` onto ``fixed`` and its mean
    distance: principal axes first (each proper sign choice), then ICP with scale."""
    import trimesh
    from scipy.spatial import cKDTree

    cm, vm, sm = _pca(moving)
    cf, vf, sf = _pca(fixed)
    scale = float(np.mean(sf / sm))
    tree = cKDTree(fixed)
    best = None
    for signs in ((1, 1, 1), (1, 1, -1), (1, -1, 1), (1, -1, -1), (-1, 1, 1), (-1, 1, -1), (-1, -1, 1),
                  (-1, -1, -1)):
        rot = vf @ np.diag(signs) @ vm.T
        if np.linalg.det(rot) < 0:
            continue
        init = np.eye(4)
        init[:3, :3] = rot * scale
        init[:3, 3] = cf - (rot * scale) @ cm
        matrix, moved, _ = trimesh.registration.icp(moving, fixed, initial=init, threshold=1e-6,
                                                    max_iterations=60, reflection=False, scale=True)
        # mean distance both ways (a fit that covers only part of the target is a bad fit)
        cost = (tree.query(moved)[0].mean() + cKDTree(moved).query(fixed)[0].mean()) / 2
        if best is None or cost < best[1] - 1e-9:
            best = (matrix, float(cost))
    return best


def placements(reference: Path = REFERENCE, bones=None, refit: bool = False) -> dict:
    """{BMF mesh name: {'matrix': 4x4 to body mm, 'fit_mm': mean distance, 'sha': ...}},
    cached in placements.json (a fit is redone when a mesh file changes or ``refit``)."""
    cache = json.loads(PLACEMENTS.read_text()) if PLACEMENTS.exists() and not refit else {}
    bp3d = _bp3d_files(reference)
    wanted = [(b, p) for key in (bones or MESHES) for b, p in zip(*MESHES[key])]
    changed = False
    for bmf_name, bp_name in wanted:
        bmf_path, bp_path = reference / "bmf" / f"{bmf_name}.obj", bp3d[bp_name]
        sha = hashlib.sha256((_sha(bmf_path) + _sha(bp_path)).encode()).hexdigest()
        if bmf_name in cache and cache[bmf_name]["sha"] == sha:
            continue
        moving = _load(bmf_path)
        fixed = _load(bp_path)
        mv = np.asarray(moving.sample(SAMPLE, seed=13))
        fx = np.asarray(fixed.sample(4 * SAMPLE, seed=13)) * MM
        matrix, cost = register(np.asarray(mv), fx)
        cache[bmf_name] = {"bp3d": bp_name, "sha": sha, "fit_mm": round(cost, 2),
                           "matrix": [[round(float(x), 7) for x in row] for row in matrix]}
        changed = True
        print(f"placed {bmf_name} on '{bp_name}': mean distance {cost:.1f} mm", file=sys.stderr)
    if changed:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        PLACEMENTS.write_text(json.dumps(dict(sorted(cache.items())), indent=1) + "\n")
    return cache


def placed_mesh(bone: str, cache: dict, reference: Path = REFERENCE):
    """(vertices in body mm, faces) of a spec bone (several meshes joined for a group)."""
    verts, faces, offset = [], [], 0
    for bmf_name in MESHES[bone][0]:
        mesh = _load(reference / "bmf" / f"{bmf_name}.obj")
        m = np.array(cache[bmf_name]["matrix"])
        v = np.asarray(mesh.vertices) @ m[:3, :3].T + m[:3, 3]
        verts.append(v)
        faces.append(np.asarray(mesh.faces) + offset)
        offset += len(v)
    return np.vstack(verts), np.vstack(faces)


# --- one spec ----------------------------------------------------------------------------

class DeriveError(ValueError):
    """A spec or part that cannot be derived; the message names the file and field."""


def _spec_derive(spec_path: Path) -> tuple[dict, dict]:
    from ..core.specfile import load as load_yaml

    data = load_yaml(spec_path).data
    if not isinstance(data.get("derive"), dict):
        raise DeriveError(f"{catalog.display_path(spec_path)}: derive: no 'derive' block (nothing to derive)")
    return data, data["derive"]


def _parts() -> dict:
    from ..core.specfile import load as load_yaml

    return load_yaml(PARTS).data if PARTS.exists() else {}


def inputs_hash(spec_path: Path) -> str:
    """sha256 over everything the derived file depends on (fast: no mesh is read; the
    meshes enter through placements.json, which records their hashes)."""
    from . import derived

    data, _ = _spec_derive(spec_path)
    return derived.inputs_hash(data, spec_path, Path(__file__).read_bytes())


def derive_spec(spec_path: Path, reference: Path = REFERENCE, cache: dict | None = None) -> dict:
    """The derived outline data of one spec (bones' outlines, regions' shapes and anchors)."""
    from shapely import affinity
    from shapely.geometry import Polygon, box

    data, derive = _spec_derive(spec_path)
    view, side = data["view"], data["side"]
    width, height = data["size"]
    scale = float(derive["scale"])
    cu, cv = derive["centre"]
    if side == "left":       # the framing is written for the right side; a left side is its mirror image
        cu = -cu
    ax, ay = derive.get("at", [width / 2, height / 2])
    clip = tuple(derive.get("clip", [0, 0, width, height]))
    tol = float(derive.get("tolerance", 0.8))
    bones = [b["id"] for b in data["bones"] if isinstance(b, dict) and "outline" not in b]
    mesh_of = {b: derive.get("meshes", {}).get(b, b) for b in bones}
    where = catalog.display_path(spec_path)
    for b, m in mesh_of.items():
        if m not in MESHES:
            raise DeriveError(f"{where}: bones: no mesh for bone '{m}' (known: {', '.join(sorted(MESHES))})")
    details = derive.get("details", {})
    if details is not False and not (isinstance(details, dict) and set(details) <= set(DETAILS) | {"skip"}
                                     and all(isinstance(v, (int, float)) for k, v in details.items() if k != "skip")
                                     and isinstance(details.get("skip", []), list)):
        raise DeriveError(f"{where}: derive: details: expected false or a mapping of "
                          f"{', '.join(sorted(DETAILS))} (numbers) and skip (a list of bones)")
    for r in data.get("regions", []):
        if isinstance(r, dict) and "shape" not in r and r.get("part", r.get("id")) not in _parts():
            raise DeriveError(f"{where}: regions: no part '{r.get('part', r.get('id'))}' for region "
                              f"'{r.get('id')}' in {catalog.display_path(PARTS)}")
    cache = cache if cache is not None else placements(reference, sorted(set(mesh_of.values())))
    parts = _parts()
    frame = box(*clip)

    def to_canvas(geom):
        g = affinity.affine_transform(geom, [scale, 0, 0, scale, ax - cu * scale, ay - cv * scale])
        return g.intersection(frame)

    out = {"version": VERSION, "inputs": inputs_hash(spec_path), "bones": {}, "regions": {}}
    meshes, shapes, drawn = {}, {}, {}
    for bone in bones:
        v, f = placed_mesh(mesh_of[bone], cache, reference)
        meshes[bone] = (v, f)
        shapes[bone] = shape = to_canvas(silhouette(v, f, view, side))
        close = float(derive.get("close", {}).get(bone, 0))
        if close:   # join a group's pieces across the narrow gaps between them (each toe as one shape)
            shapes[bone] = shape = shape.buffer(close, quad_segs=4).buffer(-close, quad_segs=4).intersection(frame)
        entry = {"outline": smooth_path(rings(shape, min_area=4), clip,
                                        float(derive.get("tolerances", {}).get(bone, tol)))}
        drawn[bone] = path_polygon(entry["outline"])     # what the reader sees: regions stay inside it
        out["bones"][bone] = entry

    from shapely import union_all

    for bone, lines in detail_lines(data, derive, meshes, drawn, (scale, ax - cu * scale, ay - cv * scale),
                                    frame).items():
        out["bones"][bone]["details"] = lines

    def part_geom(name: str, bone_ids: list[str]):
        """The part's projected surface on the canvas, inside its bones' outlines."""
        part = parts[name]
        if "union" in part:             # several parts together (a joint on the body map)
            return union_all([part_geom(n, [parts[n]["bone"]] if isinstance(parts[n]["bone"], str)
                                        else list(parts[n]["bone"])) for n in part["union"]])
        pieces = []
        for bone_id in bone_ids:
            v, f = meshes[bone_id]
            near = None
            if "near" in part:
                other = meshes.get(part["near"]["bone"]) or placed_mesh(part["near"]["bone"], cache, reference)
                ov, of = part_mesh(other[0], other[1], part["near"].get("cuts", []))
                near = (ov[np.unique(of)], float(part["near"]["mm"]))
            pv, pf = part_mesh(v, f, part.get("cuts", []), near)
            sil = to_canvas(silhouette(pv, pf, view, side, all_faces=True)) if len(pf) else Polygon()
            pieces.append(sil.intersection(shapes[bone_id].buffer(-1.0)))
        return union_all(pieces)

    for r in data.get("regions", []):
        if not isinstance(r, dict) or "shape" in r:
            continue
        name = r.get("part", r["id"])
        part = parts[name]
        bone_ids = [r["bone"]] if isinstance(r["bone"], str) else list(r["bone"])
        inside = union_all([drawn[b].buffer(-3) for b in (bone_ids if "union" not in part else drawn)])
        geom = part_geom(name, bone_ids)
        if part.get("grow_into") == "all":   # a small bone's touch target may reach over its neighbours
            inside = union_all([g.buffer(-3) for g in drawn.values()])
        grow = float(part.get("grow", 0))
        if grow:
            geom = geom.buffer(grow).intersection(inside)
        for other in part.get("minus", []):     # leave out another part (no two regions on one spot)
            other_bones = [parts[other]["bone"]] if isinstance(parts[other]["bone"], str) else parts[other]["bone"]
            margin = 2.0 + (float(parts[other].get("grow", 0)) if parts[other].get("grow_into") == "all" else 0)
            geom = geom.difference(part_geom(other, other_bones).buffer(margin))
        # a clean shape: open (drop the zig-zag where the cut crosses triangles), keep inside
        radius = float(part.get("round", 3))
        geom = geom.buffer(radius, quad_segs=4).buffer(-2 * radius, quad_segs=4).buffer(radius, quad_segs=4)
        outline = union_all([drawn[b] for b in (bone_ids if "union" not in part and part.get("grow_into") != "all"
                                                else drawn)])
        # inside the drawn outline once smoothed too: where a curve cuts across a hollow of the
        # bone, keep further in and simplify less
        for margin, rtol in ((0, max(tol, 2.5)), (1.5, 1.5), (3, 1.0), (5, 0.6)):
            kept = geom.intersection(inside.buffer(-margin))
            polys = [g for g in (getattr(kept, "geoms", None) or [kept]) if isinstance(g, Polygon)
                     and g.area >= max(30.0, kept.area * 0.08)]
            if not polys:
                raise DeriveError(f"{where}: regions: part '{name}' of region '{r['id']}' is not seen in this view")
            polys.sort(key=lambda g: (round(g.bounds[1]), round(g.bounds[0])))
            d = smooth_path([np.asarray(g.exterior.coords)[:-1] for g in polys], None, rtol)
            shape = path_polygon(d)
            if shape.difference(outline).area <= 0.002 * shape.area:
                break
        centre = union_all(polys).centroid     # the anchor: in the piece nearest the middle of the region
        poly = min(polys, key=lambda g: (g.distance(centre), -g.area))
        anchor = poly.centroid if poly.centroid.within(poly.buffer(-3)) else poly.buffer(-3).representative_point()
        out["regions"][r["id"]] = {"shape": d, "anchor": [int(round(anchor.x)), int(round(anchor.y))]}
    return out


DETAILS = {"jump": 4.0, "strength": 11.0, "min": 40.0, "tolerance": 1.2, "budget": 1500, "inset": 3.0}


def detail_lines(data: dict, derive: dict, meshes: dict, drawn: dict, transform, frame) -> dict[str, str]:
    """{bone: path data} of the interior lines an illustrator would draw: the occluding
    contours of each bone's depth buffer (``depth_edges``: steps of more than ``jump`` mm),
    kept where the reader sees them (inside the bone's drawn outline, ``inset`` px clear of
    it and of the bones drawn over it), at least ``min`` px long, with a median step of at
    least ``strength`` mm (``line_jumps``), longest first until ``budget`` bytes of path data
    for the view. ``derive: details:`` sets these (``skip``: bones without lines; ``false``: none)."""
    from shapely import union_all
    from shapely.geometry import LineString

    cfg = derive.get("details", {})
    if cfg is False:
        return {}
    cfg = {**DETAILS, **cfg}
    order = [b["id"] for b in data["bones"] if isinstance(b, dict) and b.get("id") in drawn]
    inset = float(cfg["inset"])
    candidates = []
    for i, bone in enumerate(order):
        if bone in cfg.get("skip", []):
            continue
        over = [drawn[b] for b in order[i + 1:]]
        visible = drawn[bone].buffer(-inset)
        if over:
            visible = visible.difference(union_all(over).buffer(inset))
        visible = visible.intersection(frame.buffer(-inset))
        if visible.is_empty:
            continue
        depth = depth_buffer(*meshes[bone], data["view"], data["side"], transform, data["size"])
        for line in depth_edges(depth, float(cfg["jump"])):
            if len(line) < 2:
                continue
            kept = LineString(line).intersection(visible)
            for piece in getattr(kept, "geoms", [kept]):
                # long enough, and a real step (a rim seen at a grazing angle next to the
                # outline gives only a few mm): the lines a reader can make sense of
                if piece.geom_type == "LineString" and piece.length >= float(cfg["min"]) \
                        and np.median(line_jumps(depth, piece)) >= float(cfg["strength"]):
                    d = smooth_line(np.asarray(piece.coords), float(cfg["tolerance"]))
                    if d:
                        candidates.append((-round(piece.length, 3), bone, d))
    out: dict[str, list[str]] = {}
    used = 0
    for _, bone, d in sorted(candidates):
        if used + len(d) > int(cfg["budget"]):
            continue
        used += len(d)
        out.setdefault(bone, []).append(d)
    return {bone: "".join(sorted(ds)) for bone, ds in out.items()}


def output_path(spec_path: Path) -> Path:
    return OUT_DIR / f"{Path(spec_path).stem}.json"


def write(spec_path: Path, data: dict) -> Path:
    path = output_path(spec_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def derived_specs() -> list[Path]:
    from ..core.specfile import load as load_yaml

    return [p for p in catalog.all_specs() if p.parent.name == "anatomy"
            and isinstance(load_yaml(p).data.get("derive"), dict)]


def stale(specs=None) -> list[Path]:
    """Specs whose committed derived file does not match their inputs."""
    out = []
    for spec in specs or derived_specs():
        path = output_path(spec)
        try:
            recorded = json.loads(path.read_text())["inputs"]
        except (OSError, ValueError, KeyError):
            out.append(spec)
            continue
        if recorded != inputs_hash(spec):
            out.append(spec)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators outlines", description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="only say which derived files are out of date")
    parser.add_argument("--refit", action="store_true", help="redo the mesh placement fits")
    parser.add_argument("--preview", type=Path, metavar="DIR",
                        help="write DIR/<id>-preview.svg: the raw meshes beside the derived outlines")
    args = parser.parse_args(argv)
    specs = args.specs or derived_specs()
    if args.preview:
        args.preview.mkdir(parents=True, exist_ok=True)
        for spec in specs:
            (args.preview / f"{spec.stem}-preview.svg").write_text(preview_svg(spec), encoding="utf-8")
        return 0
    if args.check:
        old = stale(specs)
        for s in old:
            print(f"{catalog.display_path(s)}: derived outlines out of date; "
                  f"run: python -m generators outlines {catalog.display_path(s)}", file=sys.stderr)
        return 1 if old else 0
    cache = placements(refit=args.refit)
    try:
        derived_data = {spec: derive_spec(spec, cache=cache) for spec in specs}   # all before any write
    except DeriveError as exc:
        print(f"{exc}\nnothing written.", file=sys.stderr)
        return 1
    for spec, data in derived_data.items():
        path = write(spec, data)
        print(f"wrote {path.relative_to(catalog.ROOT)}", file=sys.stderr)
    return 0


def preview_svg(spec_path: Path, reference: Path = REFERENCE) -> str:
    """For looking at: the raw BodyParts3D meshes projected in the same frame (left, grey,
    faceted) beside the derived outlines and regions (right)."""
    from shapely import affinity
    from shapely.geometry import box

    data, derive = _spec_derive(spec_path)
    width, height = data["size"]
    scale = float(derive["scale"])
    cu, cv = derive["centre"]
    ax, ay = derive.get("at", [width / 2, height / 2])
    frame = box(*derive.get("clip", [0, 0, width, height]))
    derived = json.loads(output_path(spec_path).read_text())
    bp3d = _bp3d_files(reference)
    raw = []
    for b in data["bones"]:
        if "outline" in b:
            continue
        for name in MESHES[derive.get("meshes", {}).get(b["id"], b["id"])][1]:
            m = _load(bp3d[name])
            sil = silhouette(np.asarray(m.vertices) * MM, np.asarray(m.faces), data["view"], data["side"])
            g = affinity.affine_transform(sil, [scale, 0, 0, scale, ax - cu * scale, ay - cv * scale])
            raw.append(g.intersection(frame))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height}" '
           f'viewBox="0 0 {2 * width} {height}"><rect width="100%" height="100%" fill="#fff"/>']
    for g in raw:
        for ring in rings(g):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
            out.append(f'<polygon points="{pts}" fill="#ccc" fill-opacity="0.6" stroke="#333" stroke-width="0.7"/>')
    out.append(f'<g transform="translate({width},0)"><rect width="{width}" height="{height}" fill="none" '
               f'stroke="#999"/>')
    for b in data["bones"]:
        d = b.get("outline") or derived["bones"][b["id"]]["outline"]
        out.append(f'<path d="{d}" fill="#f6eedf" stroke="#6b5b4b" stroke-width="1.6" fill-rule="evenodd"/>')
    for rid, r in derived["regions"].items():
        out.append(f'<path d="{r["shape"]}" fill="#c0392b" fill-opacity="0.25" stroke="#c0392b" '
                   f'stroke-dasharray="4 3"/><circle cx="{r["anchor"][0]}" cy="{r["anchor"][1]}" r="3"/>'
                   f'<text x="{r["anchor"][0] + 5}" y="{r["anchor"][1]}" font-size="11">{rid}</text>')
    for b in data["bones"]:      # the detail lines on top, so they can be seen through the regions
        for dd in b.get("details") or [derived["bones"].get(b["id"], {}).get("details", "")]:
            if dd:
                out.append(f'<path d="{dd}" fill="none" stroke="#1a5fb4" stroke-width="1.2"/>')
    out.append("</g></svg>")
    return "".join(out)


if __name__ == "__main__":
    sys.exit(main())
