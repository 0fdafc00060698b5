"""Flowcharts: a YAML spec of nodes and edges, laid out automatically (``layout``) and
drawn as an accessible inline SVG, with the same chart as a nested list beside it.

Spec (diagrams/flowcharts/<id>.yaml, data only)::

    id: treatment                   # = the file name
    title: How bone marrow oedema is treated
    description: One or two sentences saying what the chart shows.
    page: treatment/index.md        # docs-relative page that shows it
    nodes:
      - id: mri                     # lowercase, digits, single hyphens; unique
        kind: start                 # start | question | step | option | outcome | warning
        text: Bone marrow oedema seen on an MRI scan     # short; the generator wraps it
        link: understanding/index.md                     # optional: page.md or page.md#section
        evidence:                                        # optional
          note: Small trials
          sources: [Gao2015]                             # keys in data/references.yaml
    edges:
      - {from: mri, to: red-flags}
      - {from: red-flags, to: urgent, label: "yes"}      # optional label, short

Rules checked by ``load`` (every problem reported as ``file:line: field: message``):
exactly one start node, with no edge into it; every node reachable from it; no cycles
(no kind allows one); edges name existing nodes (with a did-you-mean); no duplicate
ids or edges; a question has at least two answers; links name existing pages and
sections; evidence sources exist in ``data/references.yaml`` (when that file exists).

The layout is part of loading: a chart whose layout is not clean (see
``layout.problems``) is reported as a spec error, so a broken drawing never ships. Two
layouts are made: the layered chart (``layout.layered``) and a one-column chart for a
phone (``layout.column``); the figure holds both and CSS shows one (``wide_from``).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import svgwrite

from ..core import catalog, links
from . import layout
from ..core.checks import Checker
from ..core.errors import did_you_mean
from ..site.references import load_references, reference_keys
from ..core.svgutil import Element, Ids, num, to_string
from ..core.textmeasure import text_width, wrap

KINDS = ("start", "question", "step", "option", "outcome", "warning")
KIND_WORDS = {  # what each shape means, for the key under the chart
    "start": "Where you start",
    "question": "A question",
    "step": "A step",
    "option": "An option a specialist may discuss",
    "outcome": "What usually happens",
    "warning": "Get help urgently",
}

# --- text and box metrics (px in the chart's own units) ------------------------------------
FONT = 16             # node text
LINE = 21
NOTE_FONT = 14        # evidence notes and edge labels: the smallest text
NOTE_LINE = 18
LABEL_FONT = 14
LABEL_H = 18
TEXT_W = 170          # node text wraps at this width (less the warning sign)
PAD_X = 14
PAD_Y = 10
NOTE_GAP = 5          # between the text and the evidence note
POINT = 14            # how far a question's pointed ends reach out
ICON_W = 26           # warning sign room, left of the text
CHEVRON_W = 14        # link chevron room, right of the text
CAP = 0.668           # the font's cap height (OS/2 sCapHeight / unitsPerEm)
MAX_WIDTH = 720       # layout width budget (the page's content column)
MAX_TEXT_CHARS = 90
MAX_LABEL_CHARS = 24
MAX_NOTE_CHARS = 60
NARROW_WIDTH = 300    # the one-column variant's canvas: a 288 px column shows it at 0.96
NARROW_NOTE_FONT = 15  # its notes and edge labels (>= 14 CSS px in a 288 px column)
NARROW_NOTE_LINE = 19
NARROW_LABEL_H = 19
WIDE_TEXT_PX = 13     # the wide variant shows only where its smallest text renders >= this

TOP_REQUIRED = {"id": str, "title": str, "description": str, "page": str, "nodes": list, "edges": list}
NODE_REQUIRED = {"id": str, "kind": str, "text": str}
NODE_OPTIONAL = {"link": str, "evidence": dict}
EVIDENCE_REQUIRED = {"note": str, "sources": list}
EDGE_REQUIRED = {"from": str, "to": str}
EDGE_OPTIONAL = {"label": str}


@dataclass(frozen=True)
class Evidence:
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    text: str
    link: str | None = None
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str | None = None


@dataclass(frozen=True)
class Placed:
    """A node's box and text after layout."""
    node: Node
    box: layout.Box
    lines: tuple[str, ...]
    note_lines: tuple[str, ...]


@dataclass
class Flowchart:
    id: str
    title: str
    description: str
    page: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    start: str
    geometry: layout.Layout
    placed: dict[str, Placed]
    path: str
    narrow: layout.Layout | None = None          # the one-column variant (``_lay_out_narrow``)
    narrow_placed: dict[str, Placed] | None = None

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


# --- loading and validation ------------------------------------------------------------------

def load(path, docs_dir: Path | None = None, references: Path | None = None) -> Flowchart:
    """Read, validate and lay out one flowchart spec; raise SpecError listing every problem."""
    path = Path(path)
    src, docs_dir, references = catalog.open_spec(path, docs_dir, references)
    c = Checker(src)
    data = src.data
    if not c.mapping((), data, TOP_REQUIRED):
        c.raise_if_any()

    if isinstance(data.get("id"), str) and c.ident(("id",), data["id"]) and data["id"] != path.stem:
        c.fail(("id",), f"'{data['id']}' does not match the file name '{path.name}' (use '{path.stem}')")
    if isinstance(data.get("page"), str):
        links.check_page_link(c, ("page",), data["page"], docs_dir, anchor_allowed=False)
    ref_keys = reference_keys(references)

    # nodes
    nodes: list[Node] = []
    node_keys: dict[str, tuple] = {}
    raw_nodes = c.list_of(("nodes",), data.get("nodes"), min_items=2) if isinstance(data.get("nodes"), list) else []
    for i, item in enumerate(raw_nodes):
        k = ("nodes", i)
        if not c.mapping(k, item, NODE_REQUIRED, NODE_OPTIONAL):
            continue
        nid, kind, text = item.get("id"), item.get("kind"), item.get("text")
        ok = isinstance(nid, str) and c.ident(k + ("id",), nid)
        if ok:
            if nid in node_keys:
                c.fail(k + ("id",), f"duplicate node id '{nid}' (first at line {src.line(*node_keys[nid], 'id')})")
                ok = False
            else:
                node_keys[nid] = k
        if isinstance(kind, str) and kind not in KINDS:
            c.fail(k + ("kind",), f"unknown kind '{kind}'{did_you_mean(kind, KINDS)}; "
                                  f"use one of {', '.join(KINDS)}")
            ok = False
        if isinstance(text, str):
            text = " ".join(text.split())
            if len(text) > MAX_TEXT_CHARS:
                c.fail(k + ("text",), f"too long for a box ({len(text)} characters, at most {MAX_TEXT_CHARS}): "
                                      f"keep node text short and put detail on the page")
        link = item.get("link")
        if isinstance(link, str):
            links.check_page_link(c, k + ("link",), link, docs_dir)
        evidence = None
        if "evidence" in item and isinstance(item["evidence"], dict):
            evidence = _evidence(c, k + ("evidence",), item["evidence"], ref_keys, references)
        if ok and isinstance(text, str) and isinstance(kind, str) and text.strip():
            nodes.append(Node(nid, kind, text, link if isinstance(link, str) else None, evidence))

    # edges
    edges: list[Edge] = []
    edge_keys: dict[tuple, tuple] = {}
    raw_edges = c.list_of(("edges",), data.get("edges"), min_items=1) if isinstance(data.get("edges"), list) else []
    for i, item in enumerate(raw_edges):
        k = ("edges", i)
        if not c.mapping(k, item, EDGE_REQUIRED, EDGE_OPTIONAL):
            continue
        a, b, label = item.get("from"), item.get("to"), item.get("label")
        ok = True
        for name, value in (("from", a), ("to", b)):
            if isinstance(value, str) and value not in node_keys:
                c.fail(k + (name,), f"no node '{value}'{did_you_mean(value, node_keys)}")
                ok = False
            elif not isinstance(value, str):
                ok = False
        if isinstance(label, str):
            label = " ".join(label.split())
            if len(label) > MAX_LABEL_CHARS:
                c.fail(k + ("label",), f"too long ({len(label)} characters, at most {MAX_LABEL_CHARS})")
        elif label is not None:
            label = None
        if not ok:
            continue
        if a == b:
            c.fail(k + ("to",), f"an edge from '{a}' back to itself makes a cycle; flowcharts have no cycles")
            continue
        if (a, b) in edge_keys:
            c.fail(k, f"duplicate edge {a} -> {b} (first at line {src.line(*edge_keys[(a, b)])})")
            continue
        edge_keys[(a, b)] = k
        edges.append(Edge(a, b, label or None))

    # graph rules (only when every node and edge made sense)
    start = None
    if not c.problems:
        start = _graph_rules(c, src, nodes, edges, node_keys, edge_keys)
    c.raise_if_any()

    placed, geometry = _lay_out(nodes, edges)
    bad = layout.problems(geometry)
    if bad:
        c.fail(("nodes",), "the chart cannot be drawn cleanly: " + "; ".join(bad[:5]))
    if geometry.width > 2 * MAX_WIDTH:
        c.fail(("nodes",), f"the chart is {num(geometry.width)} px wide (at most {2 * MAX_WIDTH}): "
                           f"shorten the text or give a wide branch fewer nodes")
    narrow_placed, narrow = _lay_out_narrow(nodes, edges)
    bad = layout.problems(narrow)
    if bad:
        c.fail(("nodes",), "the chart cannot be drawn cleanly in one column: " + "; ".join(bad[:5]))
    c.raise_if_any()
    return Flowchart(data["id"], " ".join(data["title"].split()), " ".join(data["description"].split()),
                     data["page"], tuple(nodes), tuple(edges), start, geometry, placed, src.path,
                     narrow, narrow_placed)


def _evidence(c: Checker, keys: tuple, value: dict, ref_keys, references: Path) -> Evidence | None:
    if not c.mapping(keys, value, EVIDENCE_REQUIRED):
        return None
    note, sources = value.get("note"), value.get("sources")
    if isinstance(note, str) and len(note) > MAX_NOTE_CHARS:
        c.fail(keys + ("note",), f"too long ({len(note)} characters, at most {MAX_NOTE_CHARS})")
    good: list[str] = []
    if isinstance(sources, list):
        if not sources:
            c.fail(keys + ("sources",), "needs at least one source key")
        for j, key in enumerate(sources):
            if not isinstance(key, str) or not key.strip():
                c.fail(keys + ("sources", j), "expected a source key such as Gao2015")
            elif ref_keys is not None and key not in ref_keys:
                c.fail(keys + ("sources", j), f"no source '{key}' in {catalog.display_path(references)}"
                                              f"{did_you_mean(key, ref_keys)}")
            else:
                good.append(key)
    if isinstance(note, str) and note.strip():
        return Evidence(" ".join(note.split()), tuple(good))
    return None


def _graph_rules(c: Checker, src, nodes, edges, node_keys, edge_keys) -> str | None:
    succ: dict[str, list[str]] = {n.id: [] for n in nodes}
    pred: dict[str, list[str]] = {n.id: [] for n in nodes}
    for e in edges:
        succ[e.source].append(e.target)
        pred[e.target].append(e.source)
    starts = [n for n in nodes if n.kind == "start"]
    start = None
    if not starts:
        c.fail(("nodes",), "needs one node of kind 'start' (where the chart begins)")
    else:
        start = starts[0].id
        for extra in starts[1:]:
            c.fail(node_keys[extra.id] + ("kind",),
                   f"a second start node (the first is '{start}' at line {src.line(*node_keys[start], 'id')}); "
                   f"a flowchart has exactly one")
        for e in edges:
            if e.target == start:
                c.fail(edge_keys[(e.source, e.target)] + ("to",),
                       f"leads into the start node '{start}'; nothing may come before the start")
    # cycles: depth first, report each edge that closes one
    state: dict[str, int] = {}
    for root in [n.id for n in nodes]:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        path = [root]
        state[root] = 1
        while stack:
            v, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[v] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                loop = path[path.index(nxt):] + [nxt]
                c.fail(edge_keys[(v, nxt)], f"the edges make a cycle: {' -> '.join(loop)}; flowcharts have no cycles")
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
                path.append(nxt)
    if start and len(starts) == 1:
        seen = {start}
        todo = [start]
        while todo:
            for t in succ[todo.pop()]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        for n in nodes:
            if n.id not in seen:
                c.fail(node_keys[n.id] + ("id",), f"'{n.id}' cannot be reached from the start node '{start}'")
    for n in nodes:
        if n.kind == "question" and len(succ[n.id]) < 2:
            c.fail(node_keys[n.id] + ("kind",), f"the question '{n.id}' needs at least two answers "
                                                f"(edges from it), it has {len(succ[n.id])}")
    return start


# --- sizing and layout -------------------------------------------------------------------------

def _weight(node: Node) -> int:
    return 700 if node.kind in ("warning", "start") else 400


def _extras(node: Node, height: float) -> tuple[float, float]:
    """Room left and right of the text block beyond the padding."""
    left = right = 0.0
    if node.kind == "question":
        left = right = POINT
    elif node.kind == "warning":
        left = ICON_W
    if node.link:
        right += CHEVRON_W
    return left, right


def _note_text(node: Node) -> str:
    return f"Evidence: {node.evidence.note}" if node.evidence else ""


def _measure(nodes) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], float, float, float]]:
    """Per node: lines, note lines, text block width, box width, box height.
    Boxes of one kind share one width, so a row of them lines up."""
    out = {}
    for n in nodes:
        lines = tuple(wrap(n.text, TEXT_W - (ICON_W if n.kind == "warning" else 0), FONT, _weight(n)))
        note = tuple(wrap(_note_text(n), TEXT_W, NOTE_FONT)) if n.evidence else ()
        block = max([text_width(s, FONT, _weight(n)) for s in lines] + [text_width(s, NOTE_FONT) for s in note])
        h = 2 * PAD_Y + len(lines) * LINE + (NOTE_GAP + len(note) * NOTE_LINE if note else 0)
        out[n.id] = [lines, note, block, 0.0, h]
    widest: dict[str, float] = {}
    for n in nodes:
        widest[n.kind] = max(widest.get(n.kind, 0.0), out[n.id][2])
    for n in nodes:
        left, right = _extras(n, out[n.id][4])
        block = widest[n.kind] if n.kind != "start" else out[n.id][2]
        out[n.id][3] = block + 2 * PAD_X + left + right
    # linked and unlinked boxes of one kind: same outer width
    outer: dict[str, float] = {}
    for n in nodes:
        outer[n.kind] = max(outer.get(n.kind, 0.0), out[n.id][3])
    for n in nodes:
        if n.kind != "start":
            out[n.id][3] = outer[n.kind]
    return {k: tuple(v) for k, v in out.items()}


def _label_size(label: str) -> tuple[float, float]:
    return (text_width(label, LABEL_FONT, 700), LABEL_H)


def _lay_out(nodes, edges):
    sizes = _measure(nodes)
    geometry = layout.layered(
        [(n.id, sizes[n.id][3], sizes[n.id][4]) for n in nodes],
        [(e.source, e.target, _label_size(e.label) if e.label else None) for e in edges],
        max_width=MAX_WIDTH, equal_heights=True)
    placed = {n.id: Placed(n, geometry.boxes[n.id], sizes[n.id][0], sizes[n.id][1]) for n in nodes}
    return placed, geometry


def _lay_out_narrow(nodes, edges):
    """The one-column variant: every box as wide as the column beside the side lanes, its
    text wrapped (and measured) for that width, notes and labels a little larger."""
    order = layout.column_order([n.id for n in nodes], [(e.source, e.target) for e in edges])
    _, n_lanes = layout.column_lanes(order, [(e.source, e.target) for e in edges])
    box_w = NARROW_WIDTH - layout.MARGIN - layout.column_left(n_lanes)
    sized = {}
    for n in nodes:
        left, right = _extras(n, 0)
        inner = box_w - 2 * PAD_X - left - right
        lines = tuple(wrap(n.text, inner, FONT, _weight(n)))
        note = tuple(wrap(_note_text(n), inner, NARROW_NOTE_FONT)) if n.evidence else ()
        h = 2 * PAD_Y + len(lines) * LINE + (NOTE_GAP + len(note) * NARROW_NOTE_LINE if note else 0)
        sized[n.id] = (lines, note, h)
    geometry = layout.column(
        [(n.id, box_w, sized[n.id][2]) for n in nodes],
        [(e.source, e.target, (text_width(e.label, NARROW_NOTE_FONT, 700), NARROW_LABEL_H) if e.label else None)
         for e in edges], width=NARROW_WIDTH, order=order)
    placed = {n.id: Placed(n, geometry.boxes[n.id], sized[n.id][0], sized[n.id][1]) for n in nodes}
    return placed, geometry


# --- SVG -------------------------------------------------------------------------------------------

def render_svg(model: Flowchart) -> str:
    """The standalone SVG (links relative to the spec's own page)."""
    return _svg(model, model.page)


def render_svgs(model: Flowchart) -> dict[str, str]:
    """Every variant a page shows, by name (the size budget holds for each)."""
    out = {"wide": _svg(model, model.page)}
    if model.narrow is not None:
        out["narrow"] = _svg(model, model.page, variant="narrow")
    return out


def _shape(kind: str, b: layout.Box) -> Element:
    x, y, w, h = b.x, b.y, b.w, b.h
    if kind == "start":
        return Element("rect", x=num(x), y=num(y), width=num(w), height=num(h), rx=num(min(h / 2, 26)),
                       **{"class": "fc-shape"})
    if kind == "question":
        p = POINT
        d = (f"M{num(x)} {num(y + h / 2)}L{num(x + p)} {num(y)}H{num(x + w - p)}L{num(x + w)} {num(y + h / 2)}"
             f"L{num(x + w - p)} {num(y + h)}H{num(x + p)}Z")
        return Element("path", d=d, **{"class": "fc-shape"})
    radius = {"step": 3, "option": 3, "outcome": 14, "warning": 6}[kind]
    return Element("rect", x=num(x), y=num(y), width=num(w), height=num(h), rx=str(radius), **{"class": "fc-shape"})


def _node_group(model: Flowchart, p: Placed, note_font: float = NOTE_FONT, note_line: float = NOTE_LINE) -> Element:
    n, b = p.node, p.box
    g = Element("g", **{"class": f"fc-node fc-{n.kind}", "data-node": n.id})
    if n.link:
        g.add(Element("rect", x=num(b.x - 4), y=num(b.y - 4), width=num(b.w + 8), height=num(b.h + 8), rx="8",
                      **{"class": "fc-focus"}))
    g.add(_shape(n.kind, b))
    if n.kind == "option":  # double border
        g.add(Element("rect", x=num(b.x + 4), y=num(b.y + 4), width=num(b.w - 8), height=num(b.h - 8), rx="1",
                      **{"class": "fc-inner"}))
    left, right = _extras(n, b.h)
    cx = (b.x + left + b.right - right) / 2
    content = len(p.lines) * LINE + (NOTE_GAP + len(p.note_lines) * note_line if p.note_lines else 0)
    top = b.y + (b.h - content) / 2
    if n.kind == "warning":
        ix, iy = b.x + PAD_X - 2, b.y + b.h / 2
        g.add(Element("path", d=f"M{num(ix)} {num(iy + 9)}L{num(ix + 10.5)} {num(iy - 10)}L{num(ix + 21)} "
                                f"{num(iy + 9)}Z", **{"class": "fc-icon"}))
        g.add(Element("path", d=f"M{num(ix + 10.5)} {num(iy - 3.5)}V{num(iy + 2.5)}M{num(ix + 10.5)} "
                                f"{num(iy + 5)}V{num(iy + 6.5)}", **{"class": "fc-icon-mark"}))
    text = Element("text", x=num(cx), **{"class": "fc-text", "text-anchor": "middle"})
    for i, line in enumerate(p.lines):
        base = top + i * LINE + LINE / 2 + CAP * FONT / 2
        text.add(Element("tspan", line, x=num(cx), y=num(base)))
    if p.note_lines:
        note_top = top + len(p.lines) * LINE + NOTE_GAP
        for i, line in enumerate(p.note_lines):
            base = note_top + i * note_line + note_line / 2 + CAP * note_font / 2
            text.add(Element("tspan", line, x=num(cx), y=num(base), **{"class": "fc-note"}))
    g.add(text)
    if n.link:
        vx, vy = b.right - PAD_X + 2 - (POINT if n.kind == "question" else 0), b.y + b.h / 2
        g.add(Element("path", d=f"M{num(vx - 5)} {num(vy - 6)}L{num(vx)} {num(vy)}L{num(vx - 5)} {num(vy + 6)}",
                      **{"class": "fc-chevron"}))
    return g


def _rounded(points, radius: float = 8.0, shorten: float = 0.0) -> str:
    """Orthogonal polyline with rounded corners; the last segment is cut by ``shorten``."""
    pts = [list(p) for p in points]
    if shorten and len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        length = abs(x1 - x0) + abs(y1 - y0)
        if length > shorten:
            f = (length - shorten) / length
            pts[-1] = [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f]
    d = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
    for i in range(1, len(pts) - 1):
        (ax, ay), (bx, by), (cx, cy) = pts[i - 1], pts[i], pts[i + 1]
        r = min(radius, (abs(bx - ax) + abs(by - ay)) / 2, (abs(cx - bx) + abs(cy - by)) / 2)

        def toward(px, py, qx, qy, dist):
            length = abs(qx - px) + abs(qy - py)
            return (px + (qx - px) * dist / length, py + (qy - py) * dist / length) if length else (px, py)
        s = toward(bx, by, ax, ay, r)
        e = toward(bx, by, cx, cy, r)
        d.append(f"L{num(s[0])} {num(s[1])}Q{num(bx)} {num(by)} {num(e[0])} {num(e[1])}")
    d.append(f"L{num(pts[-1][0])} {num(pts[-1][1])}")
    return "".join(d)


ARROW_LEN = 9
ARROW_HALF = 5


def _svg(model: Flowchart, page: str, xmlns: bool = True, variant: str = "wide") -> str:
    """One variant of the chart: 'wide' (layered, ``layout.layered``) or 'narrow' (one
    column, ``layout.column``). Both carry the same nodes and links."""
    narrow = variant == "narrow"
    ids = Ids(f"{model.id}-narrow" if narrow else model.id)
    geo = model.narrow if narrow else model.geometry
    placed = model.narrow_placed if narrow else model.placed
    note_font, note_line = (NARROW_NOTE_FONT, NARROW_NOTE_LINE) if narrow else (NOTE_FONT, NOTE_LINE)
    label_font = NARROW_NOTE_FONT if narrow else LABEL_FONT
    w, h = geo.width, geo.height
    dwg = svgwrite.Drawing(size=(num(w), num(h)), debug=False)
    dwg.attribs.update({
        "viewBox": f"0 0 {num(w)} {num(h)}", "class": f"fc-svg bmo-v-{variant}", "data-diagram": model.id,
        "data-variant": variant, "role": "group", "aria-labelledby": f"{ids('title')} {ids('desc')}",
        "data-search-exclude": "true",  # search indexes the chart as a list, not the drawn labels
    })
    dwg.add(Element("title", model.title, id=ids("title")))
    dwg.add(Element("desc", f"{model.description} The same chart follows as a list.", id=ids("desc")))

    edges_g = Element("g", **{"class": "fc-edges", "aria-hidden": "true"})
    for e, route in zip(model.edges, geo.routes):
        g = Element("g", **{"class": "fc-edge", "data-edge": f"{e.source}-{e.target}"})
        g.add(Element("path", d=_rounded(route.points, shorten=ARROW_LEN - 1), **{"class": "fc-line"}))
        tx, ty = route.points[-1]
        g.add(Element("path", d=f"M{num(tx - ARROW_HALF)} {num(ty - ARROW_LEN)}L{num(tx)} {num(ty)}"
                                f"L{num(tx + ARROW_HALF)} {num(ty - ARROW_LEN)}Z", **{"class": "fc-arrow"}))
        if e.label and route.label:
            lb = route.label
            g.add(Element("text", e.label, x=num(lb.x), y=num(lb.y + lb.h / 2 + CAP * label_font / 2),
                          **{"class": "fc-label"}))
        edges_g.add(g)
    dwg.add(edges_g)

    nodes_g = Element("g", **{"class": "fc-nodes"})
    for n in model.nodes:
        group = _node_group(model, placed[n.id], note_font, note_line)
        if n.link:
            a = Element("a", href=links.relative_href(n.link, page), **{"class": "fc-link"})
            a.add(group)
            nodes_g.add(a)
        else:
            nodes_g.add(group)
    dwg.add(nodes_g)
    return to_string(dwg, keep_xmlns=xmlns)


# --- the figure: chart, key and the same chart as a list ------------------------------------------

def wide_from(model: Flowchart) -> int:
    """Smallest column width (CSS px, a multiple of 40) where the wide chart's smallest
    text renders at least WIDE_TEXT_PX; below it the page shows the one-column chart."""
    need = model.geometry.width * WIDE_TEXT_PX / min(NOTE_FONT, LABEL_FONT, FONT)
    return int(-(-need // 40) * 40)


def render_figure(model: Flowchart, page: str | None = None) -> str:
    """The chart as it appears on a page: caption, the chart (wide, and one column for a
    narrow screen; CSS shows one), a key to the shapes and the same chart as a nested list."""
    page = page or model.page
    ids = Ids(model.id)
    e = html.escape
    svg = _svg(model, page, xmlns=False)
    if model.narrow is not None:
        svg += _svg(model, page, xmlns=False, variant="narrow")
    has_links = any(n.link for n in model.nodes)
    frame_attrs = "" if has_links else f' tabindex="0" role="region" aria-label="{e(model.title)}"'
    out = [f'<figure class="fc" id="{ids("figure")}" data-flowchart="{e(model.id)}">',
           f'<figcaption class="fc-caption"><span class="fc-title">{e(model.title)}</span> '
           f'{e(model.description)}</figcaption>',
           f'<div class="fc-frame bmo-wide-from-{wide_from(model)}" style="--fc-w:{num(model.geometry.width)}px;'
           f'--fc-nw:{num(model.narrow.width if model.narrow else model.geometry.width)}px"'
           f'{frame_attrs}>{svg}</div>',
           _key(model),
           '<div class="fc-text">',
           f'<p class="fc-text-heading" id="{ids("list")}">The same chart as a list</p>',
           _as_list(model, page, ids),
           '</div></figure>']
    return "\n".join(out)


def _key(model: Flowchart) -> str:
    used = [k for k in KINDS if any(n.kind == k for n in model.nodes)]
    items = "".join(f'<li class="fc-key-{k}"><span class="fc-swatch" aria-hidden="true"></span>{KIND_WORDS[k]}</li>'
                    for k in used)
    links_note = ('<li class="fc-key-link"><span class="fc-swatch" aria-hidden="true"></span>'
                  'Select a box with an arrow › to read more</li>') if any(n.link for n in model.nodes) else ""
    return f'<ul class="fc-key" aria-label="Key to the shapes">{items}{links_note}</ul>'


def _answer(label: str | None) -> str:
    if not label:
        return ""
    low = label.lower()
    if low in ("yes", "no"):
        return f"If {low}: "
    return f"{label[0].upper()}{label[1:]}: "


def _reference_order() -> list[str]:
    """Source keys in the order the References page numbers them."""
    path = catalog.ROOT / "data" / "references.yaml"
    return list(load_references(path)) if path.is_file() else []


def _as_list(model: Flowchart, page: str, ids: Ids) -> str:
    """The chart as nested lists, walked from the start. A node reached by several edges
    becomes a numbered step of its own, and the edges that lead to it say 'go to step N'
    (a link), so nothing is repeated and the walk always ends."""
    e = html.escape
    succ: dict[str, list[Edge]] = {n.id: [] for n in model.nodes}
    indeg: dict[str, int] = {n.id: 0 for n in model.nodes}
    for edge in model.edges:
        succ[edge.source].append(edge)
        indeg[edge.target] += 1
    layer = model.geometry.layers
    index = {n.id: i for i, n in enumerate(model.nodes)}
    steps = [model.start] + sorted((n.id for n in model.nodes if indeg[n.id] > 1 and n.id != model.start),
                                   key=lambda v: (layer[v], index[v]))
    number = {v: i + 1 for i, v in enumerate(steps)}
    refs_page = catalog.DOCS_DIR / "references.md"
    expanded: set[str] = set()

    def content(n: Node) -> str:
        text = e(n.text)
        if n.kind == "warning":
            text = f"<strong>{text}</strong>"
        if n.link:
            text = f'<a href="{e(links.relative_href(n.link, page))}">{text}</a>'
        if n.evidence:
            sources = ""
            if n.evidence.sources and refs_page.is_file():
                # numbered like the References page's list (and the pages' citations), not raw keys
                order = {k: i for i, k in enumerate(_reference_order(), 1)}
                keys = ", ".join(f'<a href="{e(links.relative_href("references.md#" + k, page))}" '
                                 f'aria-label="Source {order[k]} on the References page">[{order[k]}]</a>'
                                 if k in order else e(k) for k in n.evidence.sources)
                sources = f" (sources: {keys})"
            text += f' <span class="fc-evidence">Evidence: {e(n.evidence.note)}{sources}.</span>'
        return text

    def children(v: str) -> str:
        items = []
        for edge in succ[v]:
            t = edge.target
            lead = f'<span class="fc-answer">{e(_answer(edge.label))}</span>' if edge.label else ""
            if t in number:
                target = model.node(t)
                go = "go to" if lead else "Then go to"
                items.append(f'<li>{lead}{go} step {number[t]}: <a href="#{ids("step-" + t)}">'
                             f'{e(target.text)}</a></li>')
            else:
                items.append(f"<li>{lead}{item(t)}</li>")
        return f"<ul>{''.join(items)}</ul>" if items else ""

    def item(v: str) -> str:
        if v in expanded:  # cannot happen in a valid chart; keeps the walk finite regardless
            return e(model.node(v).text)
        expanded.add(v)
        return f"{content(model.node(v))}{children(v)}"

    tag = "ol" if len(steps) > 1 else "ul"
    body = "".join(f'<li id="{ids("step-" + v)}">{item(v)}</li>' for v in steps)
    return f'<{tag} class="fc-list" aria-labelledby="{ids("list")}">{body}</{tag}>'
