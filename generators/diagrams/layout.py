"""Layered layout, top to bottom, for flowcharts: a small Sugiyama-style algorithm.

Input: boxes of known size (``nodes``: id, width, height, in the preferred reading
order) and directed edges between them (``edges``: source, target and the size of an
optional label). The graph must be acyclic. Output: a ``Layout`` with every box placed,
every edge routed as an orthogonal polyline from the bottom centre of its source to
the top centre of its target, and every label placed.

Steps
1. Layers: longest path from the sources, so every edge points down. A layer wider
   than ``max_width`` wraps into rows: row r+1 moves below row r and below the nodes
   that hang only from row r (its "private" descendants), and each node of a later
   row is asked to line up with the node in the same column of the first row.
2. Dummy points: an edge that spans several layers gets one invisible point in each
   layer between, so it passes between nodes, never through them. Unlabelled edges
   from the same source share their points (they run as one trunk and branch out);
   a labelled edge keeps its own, so its label sits on a line of its own.
3. Order: barycentre sweeps, down and up, keeping the order with fewest crossings.
4. Coordinates: each sweep sets every node's wanted x (the middle of its neighbours
   in the previous layer, or its column) and solves for the closest positions that
   keep the minimum gaps (weighted isotonic regression, pool-adjacent-violators).
5. Routing: in the gap between two layers each source with bent edges gets its own
   horizontal track; the order of tracks avoids a line running on top of another
   and then minimises crossings. Labels sit in a band below the tracks, beside the
   edge's first vertical drop below its source, where no other line runs.

``column(...)`` lays the same graph out in one column, top to bottom, for a narrow
screen: boxes in reading order, straight drops between neighbours, side lanes for edges
that skip boxes.

``problems(layout)`` lists anything wrong with a result (overlaps, a line through a
box, a label on a line); tests and the flowchart loader use it.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

# --- geometry constants (px in the diagram's own units) ---------------------------------

NODE_GAP = 20         # between two boxes side by side
DUMMY_HALF = 5        # half the room a passing line takes in a layer
DUMMY_GAP = 12        # between a passing line and its neighbour
TRACK_TOP = 14        # from a layer's bottom to the first horizontal track
TRACK_SEP = 10        # between two tracks
LABEL_PAD = 6         # between the last track and the label band
LABEL_OFFSET = 7      # from a vertical line to its label
ARROW_ROOM = 16       # straight run above a box, room for the arrowhead
MIN_GAP = 40          # smallest gap between two layers
MARGIN = 8


class LayoutError(ValueError):
    """The graph cannot be laid out (a cycle, an unknown node)."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def shifted(self, dx: float, dy: float) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True)
class Route:
    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    label: Box | None = None


@dataclass
class Layout:
    width: float
    height: float
    boxes: dict[str, Box]
    routes: list[Route]
    layers: dict[str, int]
    rows: int = 0                      # how many extra rows wrapping added
    columns: dict[str, str] = field(default_factory=dict)  # node -> node it lines up under
    ports: str = "centre"              # 'centre': edges leave and enter boxes at the middle;
                                       # 'side': anywhere along the bottom and top (``column``)


class _Dummy(tuple):
    """An invisible point of a long edge: ('~', source, layer[, edge index])."""


def layered(nodes, edges, *, max_width: float = 720, equal_heights: bool = False) -> Layout:
    """Lay out ``nodes`` [(id, w, h)] and ``edges`` [(source, target, label_size or None)]
    where label_size is (w, h). Deterministic: the same input gives the same output."""
    ids, size, edges, succ, pred = _graph(nodes, edges)
    rank = _reading_order(ids, succ, pred)
    layer, columns, extra_rows = _layers_with_rows(ids, size, succ, pred, rank, max_width)
    chains, hops, up, down = _dummy_points(edges, layer)
    order = _minimise_crossings(_initial_order(ids, rank, layer, chains), up, down)
    labels_at = _label_slots(edges, chains)
    sep = _separation(size, labels_at)
    x = _coordinates(order, up, down, sep, columns)
    _snap(order, list(hops) + [(a, v) for v, a in columns.items()], x, sep)
    band, heights = _bands(order, ids, size, equal_heights)
    gaps = _gaps(order, hops, layer, labels_at, x)
    tops, total_h = _layer_tops(band, gaps)
    boxes = {v: Box(x[v] - size[v][0] / 2, tops[layer[v]] + (band[layer[v]] - heights[v]) / 2, size[v][0], heights[v])
             for v in ids}
    track_y = _track_ys(gaps, tops, band)
    routes = _routes(edges, chains, x, layer, tops, band, boxes, track_y, labels_at)
    boxes, routes, width = _into_margins(boxes, routes)
    return Layout(width, total_h + 2 * MARGIN, boxes, routes, {v: layer[v] for v in ids}, extra_rows, columns)


def _graph(nodes, edges):
    """Ids, sizes, edges with label sizes as tuples, and the successor and predecessor lists."""
    ids = [n[0] for n in nodes]
    size = {n[0]: (float(n[1]), float(n[2])) for n in nodes}
    if len(size) != len(ids):
        raise LayoutError("duplicate node id")
    edges = [(e[0], e[1], tuple(e[2]) if e[2] else None) for e in edges]
    succ: dict = {v: [] for v in ids}
    pred: dict = {v: [] for v in ids}
    for u, v, _ in edges:
        if u not in size or v not in size:
            raise LayoutError(f"edge {u} -> {v} names an unknown node")
        if v not in succ[u]:
            succ[u].append(v)
            pred[v].append(u)
    return ids, size, edges, succ, pred


# --- 2. dummy points ------------------------------------------------------------------------

def _dummy_points(edges, layer):
    """Each edge as a chain of points, one per layer it crosses (``layer`` gains the dummy
    points), the hops between adjacent layers, and who is above and below whom."""
    chains: list[list] = []
    for i, (u, v, label) in enumerate(edges):
        chain = [u]
        for lv in range(layer[u] + 1, layer[v]):
            key = _Dummy(("~", u, lv) if label is None else ("~", u, lv, i))
            layer.setdefault(key, lv)
            chain.append(key)
        chain.append(v)
        chains.append(chain)
    hops: dict = {}          # (a, b) -> None, ordered, between adjacent layers
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            hops.setdefault((a, b), None)
    up: dict = {}
    down: dict = {}
    for a, b in hops:
        down.setdefault(a, []).append(b)
        up.setdefault(b, []).append(a)
    return chains, hops, up, down


def _initial_order(ids, rank, layer, chains) -> list[list]:
    """Each layer's points: the real nodes in reading order, then the dummies in edge order."""
    depth = max(layer.values()) + 1
    order: list[list] = [[] for _ in range(depth)]
    for v in sorted(ids, key=rank.__getitem__):
        order[layer[v]].append(v)
    for chain in chains:
        for d in chain[1:-1]:
            if d not in order[layer[d]]:
                order[layer[d]].append(d)
    return order


# --- 4. widths and label room -------------------------------------------------------------

def _label_slots(edges, chains) -> dict:
    """First point below each labelled edge's source -> [(edge index, (w, h), side)],
    sides alternating right, left."""
    labels_at: dict = {}
    for i, (u, v, label) in enumerate(edges):
        if label:
            first = chains[i][1]
            slot = labels_at.setdefault(first, [])
            slot.append((i, label, "right" if len(slot) % 2 == 0 else "left"))
    return labels_at


def _separation(size, labels_at):
    """sep(a, b): the smallest distance between the centres of neighbours a and b in a
    layer, keeping room for the labels beside their lines."""
    right_room = {v: LABEL_OFFSET + max(s[1][0] for s in lab if s[2] == "right")
                  for v, lab in labels_at.items() if any(s[2] == "right" for s in lab)}
    left_room = {v: LABEL_OFFSET + max(s[1][0] for s in lab if s[2] == "left")
                 for v, lab in labels_at.items() if any(s[2] == "left" for s in lab)}

    def half(v) -> float:
        return DUMMY_HALF if isinstance(v, _Dummy) else size[v][0] / 2

    def sep(a, b) -> float:
        real = not isinstance(a, _Dummy) and not isinstance(b, _Dummy)
        base = half(a) + half(b) + (NODE_GAP if real else DUMMY_GAP)
        room = right_room.get(a, 0) + left_room.get(b, 0)
        return max(base, room + 6 if room else 0)
    return sep


# --- heights, gaps and tracks ----------------------------------------------------------------

def _bands(order, ids, size, equal_heights):
    """Each layer's height (its tallest box) and each box's height (the band's, if equal)."""
    heights = {v: size[v][1] for v in ids}
    band = [max([heights[v] for v in row if not isinstance(v, _Dummy)] or [0]) for row in order]
    if equal_heights:
        for row, h in zip(order, band):
            for v in row:
                if not isinstance(v, _Dummy):
                    heights[v] = h
    return band, heights


def _gaps(order, hops, layer, labels_at, x) -> list[dict]:
    """Per gap between two layers: its tracks (top first), its label stack and its height."""
    gaps: list[dict] = []
    for lv in range(len(order) - 1):
        gap_hops = [(a, b) for (a, b) in hops if layer[a] == lv]
        tracks = _tracks(gap_hops, x)
        stack = 0
        for b in order[lv + 1]:
            if b in labels_at:
                n_right = sum(1 for s in labels_at[b] if s[2] == "right")
                n_left = len(labels_at[b]) - n_right
                lab_h = max(s[1][1] for s in labels_at[b])
                stack = max(stack, max(n_right, n_left) * (lab_h + 2) - 2)
        need = TRACK_TOP + max(len(tracks) - 1, 0) * TRACK_SEP + (LABEL_PAD + stack if stack else 0) + ARROW_ROOM
        gaps.append({"tracks": tracks, "stack": stack, "height": max(MIN_GAP, need + 4)})
    return gaps


def _layer_tops(band, gaps):
    tops = []
    y = 0.0
    for lv in range(len(band)):
        tops.append(y)
        y += band[lv] + (gaps[lv]["height"] if lv < len(band) - 1 else 0)
    return tops, y


def _track_ys(gaps, tops, band) -> dict:
    """The height of each source's horizontal track in the gap below it."""
    track_y: dict = {}
    for lv, gap in enumerate(gaps):
        y0 = tops[lv] + band[lv] + TRACK_TOP
        k = len(gap["tracks"])
        free = gap["height"] - TRACK_TOP - ARROW_ROOM - (LABEL_PAD + gap["stack"] if gap["stack"] else 0)
        used = max(k - 1, 0) * TRACK_SEP
        y0 += max(0.0, (free - used) / 2) if not gap["stack"] else 0.0
        for i, src in enumerate(gap["tracks"]):
            track_y[src] = y0 + i * TRACK_SEP
    return track_y


# --- routes ----------------------------------------------------------------------------------

def _routes(edges, chains, x, layer, tops, band, boxes, track_y, labels_at) -> list[Route]:
    """Each edge as an orthogonal polyline through its points, with its label placed."""
    def top(v) -> float:
        return tops[layer[v]] if isinstance(v, _Dummy) else boxes[v].y

    def bottom(v) -> float:
        return tops[layer[v]] + band[layer[v]] if isinstance(v, _Dummy) else boxes[v].bottom

    routes: list[Route] = []
    for i, (u, v, label) in enumerate(edges):
        chain = chains[i]
        pts = [(x[u], bottom(u))]
        for a, b in zip(chain, chain[1:]):
            if not _straight(x[a], x[b]):
                ty = track_y[a]
                pts += [(x[a], ty), (x[b], ty)]
            pts.append((x[b], top(b)))
            if b is not v:
                pts.append((x[b], bottom(b)))
        label_box = None
        if label:
            first = chain[1]
            slot = labels_at[first]
            k = [s[0] for s in slot].index(i)
            side = slot[k][2]
            level = sum(1 for s in slot[:k] if s[2] == side)
            lw, lh = label
            ly = tops[layer[first]] - ARROW_ROOM - lh - level * (lh + 2)
            lx = x[first] + LABEL_OFFSET if side == "right" else x[first] - LABEL_OFFSET - lw
            label_box = Box(lx, ly, lw, lh)
        routes.append(Route(u, v, tuple(_simplify(pts)), label_box))
    return routes


def _into_margins(boxes, routes):
    """Everything moved right and down inside the margins; returns boxes, routes, width."""
    xs = [b.x for b in boxes.values()] + [p[0] for r in routes for p in r.points]
    xs += [r.label.x for r in routes if r.label]
    xe = [b.right for b in boxes.values()] + [p[0] for r in routes for p in r.points]
    xe += [r.label.right for r in routes if r.label]
    dx = MARGIN - min(xs)
    dy = MARGIN
    boxes = {k: b.shifted(dx, dy) for k, b in boxes.items()}
    routes = [Route(r.source, r.target, tuple((px + dx, py + dy) for px, py in r.points),
                    r.label.shifted(dx, dy) if r.label else None) for r in routes]
    return boxes, routes, max(xe) + dx + MARGIN


# --- 1. layers -------------------------------------------------------------------------------

def _reading_order(ids, succ, pred) -> dict:
    """Breadth first from the sources, successors in edge order: the order a reader meets nodes."""
    seen: dict = {}
    queue = [v for v in ids if not pred[v]]
    for v in queue:
        seen.setdefault(v, len(seen))
    while queue:
        nxt = []
        for v in queue:
            for c in succ[v]:
                if c not in seen:
                    seen[c] = len(seen)
                    nxt.append(c)
        queue = nxt
    for v in ids:                      # nodes on a cycle (reported by _longest_path)
        seen.setdefault(v, len(seen))
    return seen


def _longest_path(ids, succ, pred, minimum) -> dict:
    indeg = {v: len(pred[v]) for v in ids}
    ready = [v for v in ids if indeg[v] == 0]
    layer: dict = {}
    done = []
    while ready:
        v = ready.pop(0)
        done.append(v)
        layer[v] = max([layer[p] + 1 for p in pred[v]] + [minimum.get(v, 0)])
        for c in succ[v]:
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
    if len(done) != len(ids):
        stuck = [v for v in ids if v not in layer]
        raise LayoutError(f"the edges form a cycle through {', '.join(map(str, stuck))}")
    return layer


def _private_depth(v, succ, pred) -> int:
    """How many layers of nodes hang from ``v`` alone (children with no other parent)."""
    kids = [c for c in succ[v] if len(pred[c]) == 1]
    return 1 + max((_private_depth(c, succ, pred) for c in kids), default=0) if kids else 0


def _layers_with_rows(ids, size, succ, pred, rank, max_width):
    minimum: dict = {}
    columns: dict = {}
    extra = 0
    lv = 0
    budget = max_width - 2 * MARGIN
    for _ in range(4 * len(ids) + 4):
        layer = _longest_path(ids, succ, pred, minimum)
        if lv > max(layer.values()):
            return layer, columns, extra
        members = sorted((v for v in ids if layer[v] == lv), key=rank.__getitem__)
        rows = _wrap_rows(members, {v: _profile(v, size, succ, pred) for v in members}, budget)
        if len(rows) > 1:
            delay = 0
            for r in range(1, len(rows)):
                delay += 1 + max(_private_depth(v, succ, pred) for v in rows[r - 1])
                for k, v in enumerate(rows[r]):
                    minimum[v] = max(minimum.get(v, 0), lv + delay)
                    if k < len(rows[0]):
                        columns[v] = rows[0][k]
            extra += len(rows) - 1
        lv += 1
    raise LayoutError("could not wrap the wide layers")  # pragma: no cover - bounded above


def _profile(v, size, succ, pred) -> list[float]:
    """Widths of ``v`` and of the nodes that hang from it alone, one entry per layer below,
    as they would sit side by side."""
    kids = [c for c in succ[v] if len(pred[c]) == 1]
    out = [size[v][0]]
    below = [_profile(c, size, succ, pred) for c in kids]
    for d in range(max((len(p) for p in below), default=0)):
        parts = [p[d] for p in below if d < len(p)]
        out.append(sum(parts) + NODE_GAP * (len(parts) - 1))
    return out


def _wrap_rows(members, profile, budget) -> list[list]:
    def fits(row) -> bool:
        for d in range(max(len(profile[v]) for v in row)):
            parts = [profile[v][d] for v in row if d < len(profile[v])]
            # a node whose own subtree is too wide wraps later: no row split helps it
            if sum(parts) + NODE_GAP * (len(parts) - 1) > max([budget] + parts):
                return False
        return True
    if len(members) < 2 or fits(members):
        return [members]
    for n_rows in range(2, len(members) + 1):
        per = -(-len(members) // n_rows)
        rows = [members[i:i + per] for i in range(0, len(members), per)]
        if all(fits(r) for r in rows):
            return rows
    return [[v] for v in members]


# --- 3. order ----------------------------------------------------------------------------

def _crossings(order, down) -> int:
    total = 0
    for lv in range(len(order) - 1):
        pos = {v: i for i, v in enumerate(order[lv + 1])}
        segs = [(i, pos[b]) for i, a in enumerate(order[lv]) for b in down.get(a, ())]
        for (a1, b1), (a2, b2) in itertools.combinations(segs, 2):
            if (a1 - a2) * (b1 - b2) < 0:
                total += 1
    return total


def _minimise_crossings(order, up, down, sweeps: int = 12):
    best = [list(r) for r in order]
    best_c = _crossings(best, down)
    cur = [list(r) for r in order]
    for it in range(sweeps):
        downward = it % 2 == 0
        layers = range(1, len(cur)) if downward else range(len(cur) - 2, -1, -1)
        for lv in layers:
            ref = cur[lv - 1] if downward else cur[lv + 1]
            pos = {v: i for i, v in enumerate(ref)}
            nbrs = up if downward else down

            def key(item):
                i, v = item
                ns = [pos[n] for n in nbrs.get(v, ()) if n in pos]
                return (sum(ns) / len(ns) if ns else i, i)
            cur[lv] = [v for _, v in sorted(enumerate(cur[lv]), key=key)]
        c = _crossings(cur, down)
        if c < best_c:
            best, best_c = [list(r) for r in cur], c
    return best


# --- 4. coordinates --------------------------------------------------------------------------

def _pava(values, weights):
    """Least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []
    for v, w in zip(values, weights):
        blocks.append([v * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, ww, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += ww
            blocks[-1][2] += c
    out: list[float] = []
    for s, w, c in blocks:
        out += [s / w] * int(c)
    return out


def _coordinates(order, up, down, sep, columns, rounds: int = 60) -> dict:
    """Closest positions to the neighbours that keep the gaps: block coordinate descent
    on  sum w(a, b) (x_a - x_b)^2  over hops (and columns), one layer at a time, each
    layer solved exactly with isotonic regression. Weights: a node's pull on its
    children is shared among them (a fan centres its parent), a trunk of passing points
    stays straight, and the first hop into a shared trunk barely pulls (the trunk goes
    where there is room)."""
    x: dict = {}
    for row in order:
        pos = 0.0
        for i, v in enumerate(row):
            if i:
                pos += sep(row[i - 1], v)
            x[v] = pos
    start = dict(x)

    def dummy(v) -> bool:
        return isinstance(v, _Dummy)

    weights: dict = {}
    for a, kids in down.items():
        for b in kids:
            if dummy(a) and dummy(b):
                w = 20.0                     # a passing line stays straight
            elif dummy(a) or dummy(b):
                w = 1.0 if len(kids) == 1 else 0.05   # where a shared trunk runs matters little
            elif len(kids) == 1 and len(up.get(b, ())) == 1:
                w = 2.0                      # a chain stays straight
            else:
                w = 1.0 / len(kids)          # a fan centres its parent
            weights[(a, b)] = w
    nbrs: dict = {}
    for (a, b), w in weights.items():
        nbrs.setdefault(a, []).append((b, w))
        nbrs.setdefault(b, []).append((a, w))
    for v, anchor in columns.items():
        nbrs.setdefault(v, []).append((anchor, 4.0))
        nbrs.setdefault(anchor, []).append((v, 4.0))

    def place(row):
        offsets = [0.0]
        for a, b in zip(row, row[1:]):
            offsets.append(offsets[-1] + sep(a, b))
        want, weight = [], []
        for v in row:
            total = 1e-3
            acc = 1e-3 * start[v]
            for n, w in nbrs.get(v, ()):
                total += w
                acc += w * x[n]
            want.append(acc / total)
            weight.append(total)
        fit = _pava([d - o for d, o in zip(want, offsets)], weight)
        for v, f, o in zip(row, fit, offsets):
            x[v] = f + o

    for _ in range(rounds):
        for row in order:
            place(row)
        for row in reversed(order):
            place(row)
    return x


def _snap(order, hops, x, sep, reach: float = 12.0) -> None:
    """Make nearly straight hops (and columns) exactly straight where the gaps allow."""
    where = {v: (lv, i) for lv, row in enumerate(order) for i, v in enumerate(row)}

    def fits(v, value) -> bool:
        lv, i = where[v]
        row = order[lv]
        if i and value - x[row[i - 1]] < sep(row[i - 1], v) - 1e-6:
            return False
        return not (i + 1 < len(row) and x[row[i + 1]] - value < sep(v, row[i + 1]) - 1e-6)

    for v in list(x):
        x[v] = round(x[v], 2)
    for _ in range(4):
        changed = False
        for a, b in sorted(hops, key=lambda h: where[h[0]]):
            d = x[b] - x[a]
            if 0 < abs(d) < reach:
                if fits(b, x[a]):
                    x[b] = x[a]
                    changed = True
                elif fits(a, x[b]):
                    x[a] = x[b]
                    changed = True
        if not changed:
            break


# --- 5. tracks -----------------------------------------------------------------------------------

def _straight(xa: float, xb: float) -> bool:
    return abs(xa - xb) < 1e-6


def _tracks(gap_hops, x) -> list:
    """Sources with bent edges in one gap, top track first."""
    by_src: dict = {}
    for a, b in gap_hops:
        by_src.setdefault(a, []).append(b)
    bent = [a for a, bs in by_src.items() if any(not _straight(x[a], x[b]) for b in bs)]
    if len(bent) < 2:
        return bent
    span = {a: (min([x[a]] + [x[b] for b in by_src[a]]), max([x[a]] + [x[b] for b in by_src[a]])) for a in bent}
    targets = {a: set(by_src[a]) for a in bent}

    def inside(v, lo_hi):
        return lo_hi[0] + 0.5 < v < lo_hi[1] - 0.5

    def cost(upper, lower) -> int:
        """Cost of ``upper``'s track lying above ``lower``'s."""
        c = 0
        if inside(x[lower], span[upper]):          # lower's stub crosses upper's track
            c += 1
        for b in by_src[upper]:
            if _straight(x[upper], x[b]):
                continue
            if inside(x[b], span[lower]) and b not in targets[lower]:   # upper's drop crosses lower's track
                c += 1
            if abs(x[b] - x[lower]) < 2:           # upper's drop would run down lower's stub
                c += 1000
            elif abs(x[b] - x[lower]) < 8:         # ... or run close beside it
                c += 50
        return c

    pair = {(p, q): cost(p, q) for p in bent for q in bent if p != q}
    if len(bent) <= 6:
        best = min(itertools.permutations(bent),
                   key=lambda perm: sum(pair[(perm[i], perm[j])] for i in range(len(perm))
                                        for j in range(i + 1, len(perm))))
        return list(best)
    # many tracks: insert one at a time where it costs least, then move single tracks
    # to their best place while that helps
    def total(seq) -> int:
        return sum(pair[(seq[i], seq[j])] for i in range(len(seq)) for j in range(i + 1, len(seq)))

    placed: list = []
    for a in sorted(bent, key=lambda s: x[s]):
        options = [(total(placed[:k] + [a] + placed[k:]), k) for k in range(len(placed) + 1)]
        placed.insert(min(options)[1], a)
    best = total(placed)
    for _ in range(4 * len(bent)):
        improved = False
        for a in list(placed):
            rest = [t for t in placed if t != a]
            cost, k = min((total(rest[:k] + [a] + rest[k:]), k) for k in range(len(rest) + 1))
            if cost < best:
                placed, best, improved = rest[:k] + [a] + rest[k:], cost, True
        if not improved:
            break
    return placed


def _simplify(pts):
    out: list = []
    for p in pts:
        if out and abs(out[-1][0] - p[0]) < 1e-9 and abs(out[-1][1] - p[1]) < 1e-9:
            continue
        out.append(p)
    keep = [out[0]]
    for i in range(1, len(out) - 1):
        a, b, c = keep[-1], out[i], out[i + 1]
        same_x = abs(a[0] - b[0]) < 1e-9 and abs(b[0] - c[0]) < 1e-9
        same_y = abs(a[1] - b[1]) < 1e-9 and abs(b[1] - c[1]) < 1e-9
        if same_x or same_y:
            continue
        keep.append(b)
    if len(out) > 1:
        keep.append(out[-1])
    return keep


# --- checks -------------------------------------------------------------------------------------

def _overlap(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a.x < b.right + pad and b.x < a.right + pad and a.y < b.bottom + pad and b.y < a.bottom + pad


def _segment_hits_box(p, q, box: Box, inset: float = 0.5) -> bool:
    x0, y0, x1, y1 = min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])
    return x0 < box.right - inset and x1 > box.x + inset and y0 < box.bottom - inset and y1 > box.y + inset


def problems(layout: Layout, tol: float = 0.6) -> list[str]:
    """Everything wrong with a layout, one message each (empty when clean)."""
    out: list[str] = []
    items = sorted(layout.boxes.items())
    for (ka, a), (kb, b) in itertools.combinations(items, 2):
        if _overlap(a, b):
            out.append(f"boxes {ka} and {kb} overlap")
    for k, b in items:
        if b.x < -tol or b.y < -tol or b.right > layout.width + tol or b.bottom > layout.height + tol:
            out.append(f"box {k} leaves the canvas")
    for r in layout.routes:
        name = f"edge {r.source} -> {r.target}"
        pts = r.points
        if len(pts) < 2:
            out.append(f"{name} is not drawn")
            continue
        s, t = layout.boxes[r.source], layout.boxes[r.target]
        if layout.ports == "side":
            if not (s.x < pts[0][0] < s.right) or abs(pts[0][1] - s.bottom) > tol:
                out.append(f"{name} does not start at the bottom of {r.source}")
            if not (t.x < pts[-1][0] < t.right) or abs(pts[-1][1] - t.y) > tol:
                out.append(f"{name} does not end at the top of {r.target}")
        elif abs(pts[0][0] - s.cx) > tol or abs(pts[0][1] - s.bottom) > tol:
            out.append(f"{name} does not start at the bottom centre of {r.source}")
        if layout.ports != "side" and (abs(pts[-1][0] - t.cx) > tol or abs(pts[-1][1] - t.y) > tol):
            out.append(f"{name} does not end at the top centre of {r.target}")
        if pts[-1][1] - pts[-2][1] < ARROW_ROOM - tol or abs(pts[-1][0] - pts[-2][0]) > tol:
            out.append(f"{name} has no straight run for its arrowhead")
        for p, q in zip(pts, pts[1:]):
            if abs(p[0] - q[0]) > 1e-6 and abs(p[1] - q[1]) > 1e-6:
                out.append(f"{name} has a slanted segment")
            for k, b in items:
                if _segment_hits_box(p, q, b):
                    out.append(f"{name} passes through box {k}")
        for px, py in pts:
            if px < -tol or py < -tol or px > layout.width + tol or py > layout.height + tol:
                out.append(f"{name} leaves the canvas")
                break
    labelled = [r for r in layout.routes if r.label]
    for r in labelled:
        name = f"label of {r.source} -> {r.target}"
        lb = r.label
        if lb.x < -tol or lb.y < -tol or lb.right > layout.width + tol or lb.bottom > layout.height + tol:
            out.append(f"{name} leaves the canvas")
        for k, b in items:
            if _overlap(lb, b):
                out.append(f"{name} overlaps box {k}")
        for other in layout.routes:
            if other is r:
                continue
            for p, q in zip(other.points, other.points[1:]):
                if _segment_hits_box(p, q, lb, inset=-2):
                    out.append(f"{name} sits on edge {other.source} -> {other.target}")
                    break
        for p, q in zip(r.points, r.points[1:]):
            if _segment_hits_box(p, q, lb, inset=-1):
                out.append(f"{name} sits on its own line")
                break
    for r1, r2 in itertools.combinations(labelled, 2):
        if _overlap(r1.label, r2.label):
            out.append(f"labels of {r1.source} -> {r1.target} and {r2.source} -> {r2.target} overlap")
    out += _collinear_overlaps(layout)
    return out


def _collinear_overlaps(layout: Layout) -> list[str]:
    """Two edges that share neither source nor target must not run along the same line."""
    out = []
    segs = []
    for r in layout.routes:
        for p, q in zip(r.points, r.points[1:]):
            segs.append((r, p, q))
    for (r1, p1, q1), (r2, p2, q2) in itertools.combinations(segs, 2):
        if r1 is r2 or r1.source == r2.source or r1.target == r2.target:
            continue
        # axis 0: both segments vertical on one x; axis 1: both horizontal on one y
        for fixed, along in ((0, 1), (1, 0)):
            straight = abs(p1[fixed] - q1[fixed]) < 1e-6 and abs(p2[fixed] - q2[fixed]) < 1e-6
            if straight and abs(p1[fixed] - p2[fixed]) < 2:
                lo = max(min(p1[along], q1[along]), min(p2[along], q2[along]))
                hi = min(max(p1[along], q1[along]), max(p2[along], q2[along]))
                if hi - lo > 1:
                    out.append(f"edges {r1.source} -> {r1.target} and {r2.source} -> {r2.target} run on one line")
    return out


# --- one column, for a narrow screen ---------------------------------------------------------

LANE_SEP = 10         # between two side lanes
LANE_TO_BOX = 12      # from the innermost lane to the boxes
EXIT_IN = 16          # a side exit leaves its box this far in from the left edge
ENTRY_IN = 32         # a side entry reaches its box this far in from the left edge
EXIT_DROP = 12        # from a box's bottom to its exit's horizontal run
ENTRY_SEP = 10        # from the exit's run to the entry's run in one gap


def column_order(ids, edges) -> list:
    """Reading order for one column: depth first from the start, each node once all the
    nodes leading to it are placed (a topological order), successors in edge order."""
    succ: dict = {v: [] for v in ids}
    indeg: dict = {v: 0 for v in ids}
    for u, v, *_ in edges:
        if u not in succ or v not in succ:
            raise LayoutError(f"edge {u} -> {v} names an unknown node")
        if v not in succ[u]:
            succ[u].append(v)
            indeg[v] += 1
    stack = [v for v in reversed(ids) if indeg[v] == 0]
    order: list = []
    while stack:
        v = stack.pop()
        order.append(v)
        for c in reversed(succ[v]):
            indeg[c] -= 1
            if indeg[c] == 0:
                stack.append(c)
    if len(order) != len(ids):
        stuck = [v for v in ids if v not in order]
        raise LayoutError(f"the edges form a cycle through {', '.join(map(str, stuck))}")
    return order


def column_lanes(order, edges) -> tuple[dict, int]:
    """Side lanes for the edges that skip nodes: one lane per source (its edges share it),
    the fewest lanes so that no two overlap. Returns ({source: lane}, number of lanes)."""
    pos = {v: i for i, v in enumerate(order)}
    spans: dict = {}
    for u, v, *_ in edges:
        if pos[v] != pos[u] + 1:
            lo, hi = spans.get(u, (pos[u], pos[u]))
            spans[u] = (lo, max(hi, pos[v] - 1))     # the gaps it runs through
    lanes: dict = {}
    ends: list[int] = []                             # per lane, the last gap in use
    for u in sorted(spans, key=lambda s: (spans[s][0], pos[s])):
        lo, hi = spans[u]
        free = next((k for k, end in enumerate(ends) if end < lo), None)
        if free is None:
            ends.append(hi)
            lanes[u] = len(ends) - 1
        else:
            ends[free] = hi
            lanes[u] = free
    return lanes, len(ends)


def column(nodes, edges, *, width: float, order=None) -> Layout:
    """Lay out ``nodes`` [(id, w, h)] in one column, top to bottom, in ``order`` (default:
    ``column_order``). Each box is centred; an edge to the next box is a straight drop
    from centre to centre, an edge that skips boxes runs down a side lane left of the
    boxes: out of its source's bottom near the left edge, down the lane, into its
    target's top. Labels sit right of the last drop, above the arrowhead. Box widths are
    the caller's (it measures text for the width left beside the lanes, ``column_box``)."""
    ids = [n[0] for n in nodes]
    size = {n[0]: (float(n[1]), float(n[2])) for n in nodes}
    edges = [(e[0], e[1], tuple(e[2]) if e[2] else None) for e in edges]
    order = order or column_order(ids, edges)
    pos = {v: i for i, v in enumerate(order)}
    lanes, n_lanes = column_lanes(order, edges)
    left = column_left(n_lanes)
    lane_x = {u: left - LANE_TO_BOX - k * LANE_SEP for u, k in lanes.items()}
    # heights of the gaps: room for an exit run, an entry run and a label
    exits = {pos[u] for u in lanes}
    label_rows: dict = {}                            # gap -> labelled edges into its box
    for k, (u, v, lab) in enumerate(edges):
        if lab:
            label_rows.setdefault(pos[v] - 1, []).append(k)
    entries = {pos[v] - 1 for u, v, lab in edges if pos[v] != pos[u] + 1}
    boxes: dict = {}
    y1: dict = {}
    y2: dict = {}
    y = MARGIN
    label_h = max([lab[1] for *_, lab in edges if lab] or [0])
    for i, v in enumerate(order):
        w, h = size[v]
        boxes[v] = Box(left + (width - MARGIN - left - w) / 2, y, w, h)
        y += h
        if i == len(order) - 1:
            break
        top = y
        if i in exits:
            y1[i] = y = top + EXIT_DROP
        if i in entries:
            y2[i] = y = max(y, top) + ENTRY_SEP
        rows = len(label_rows.get(i, ()))
        y += max(ARROW_ROOM + 4, rows * (label_h + 2) + 8) if rows else ARROW_ROOM + 4
        y = max(y, top + MIN_GAP * 0.7)
    routes: list[Route] = []
    for k, (u, v, lab) in enumerate(edges):
        s, t = boxes[u], boxes[v]
        if pos[v] == pos[u] + 1:
            pts = [(s.cx, s.bottom), (t.cx, t.y)] if abs(s.cx - t.cx) < 1e-6 else \
                [(s.cx, s.bottom), (s.cx, t.y - ARROW_ROOM - 2), (t.cx, t.y - ARROW_ROOM - 2), (t.cx, t.y)]
            drop = t.cx
        else:
            ex, nx, lx = s.x + EXIT_IN, t.x + ENTRY_IN, lane_x[u]
            pts = [(ex, s.bottom), (ex, y1[pos[u]]), (lx, y1[pos[u]]), (lx, y2[pos[v] - 1]),
                   (nx, y2[pos[v] - 1]), (nx, t.y)]
            drop = nx
        label = None
        if lab:
            row = label_rows[pos[v] - 1].index(k)    # several labels into one box: stacked
            label = Box(drop + LABEL_OFFSET, t.y - 4 - lab[1] - row * (label_h + 2), lab[0], lab[1])
        routes.append(Route(u, v, tuple(pts), label))
    height = y + MARGIN
    return Layout(width, height, boxes, routes, {v: pos[v] for v in ids}, 0, {}, ports="side")


def column_left(n_lanes: int) -> float:
    """Where the boxes start, right of ``n_lanes`` side lanes."""
    return MARGIN + (LANE_TO_BOX + (n_lanes - 1) * LANE_SEP + 2 if n_lanes else 0)
