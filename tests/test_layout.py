"""The layered layout (generators/diagrams/layout.py): clean on the real flowcharts and on many
random DAGs (seeded, so every run checks the same graphs), deterministic, and its own
checker catches the faults it is meant to catch."""
from __future__ import annotations

import random

import pytest

from generators.core import catalog
from generators.diagrams import flowchart, layout
from generators.diagrams.layout import Box, Layout, LayoutError, Route, layered, problems

SPECS = sorted((catalog.DIAGRAMS_DIR / "flowcharts").glob("*.yaml"))


def random_dag(seed: int):
    """A connected DAG with a single source, random box sizes and some labelled edges."""
    rng = random.Random(seed)
    n = rng.randint(2, 22)
    nodes = [(f"n{i}", rng.randint(40, 230), rng.randint(28, 110)) for i in range(n)]
    edges = {}
    for i in range(1, n):  # every node gets a parent earlier in the order: reachable from n0
        p = rng.randrange(0, i)
        edges[(p, i)] = None
    for _ in range(rng.randint(0, 2 * n)):
        a, b = sorted(rng.sample(range(n), 2))
        edges.setdefault((a, b), None)
    out = []
    for (a, b) in sorted(edges):
        label = (rng.randint(14, 90), 18) if rng.random() < 0.3 else None
        out.append((f"n{a}", f"n{b}", label))
    rng.shuffle(out)
    return nodes, out


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_real_flowcharts_lay_out_cleanly(spec):
    model = flowchart.load(spec)
    assert problems(model.geometry) == []
    assert len(model.geometry.routes) == len(model.edges)
    assert model.geometry.width <= flowchart.MAX_WIDTH + 1, "wider than the page's content column"


@pytest.mark.parametrize("seed", range(80))
def test_random_dags_lay_out_cleanly(seed):
    nodes, edges = random_dag(seed)
    result = layered(nodes, edges, max_width=720)
    assert problems(result) == []
    assert [(r.source, r.target) for r in result.routes] == [(e[0], e[1]) for e in edges]
    for (u, v, label), route in zip(edges, result.routes):
        assert len(route.points) >= 2
        assert (route.label is not None) == (label is not None)
        assert result.layers[u] < result.layers[v], "every edge points down"


@pytest.mark.parametrize("seed", range(0, 80, 7))
def test_random_dags_with_equal_heights(seed):
    nodes, edges = random_dag(seed)
    assert problems(layered(nodes, edges, equal_heights=True)) == []


@pytest.mark.parametrize("seed", [3, 11, 42])
def test_layout_is_deterministic(seed):
    nodes, edges = random_dag(seed)
    assert layered(nodes, edges) == layered(nodes, edges)


def test_wide_fan_wraps_into_rows_and_columns_line_up():
    nodes = [("root", 200, 40)] + [(f"c{i}", 200, 40) for i in range(9)] + [(f"d{i}", 190, 80) for i in range(9)]
    edges = [("root", f"c{i}", None) for i in range(9)] + [(f"c{i}", f"d{i}", None) for i in range(9)]
    result = layered(nodes, edges, max_width=720)
    assert problems(result) == []
    assert result.width <= 760, "three columns and a trunk, not nine boxes side by side"
    rows = sorted({result.layers[f"c{i}"] for i in range(9)})
    assert len(rows) == 3
    for i in range(9):  # each description straight below its group
        assert result.boxes[f"d{i}"].cx == pytest.approx(result.boxes[f"c{i}"].cx)
        assert result.layers[f"d{i}"] == result.layers[f"c{i}"] + 1
    for i in range(3, 9):  # later rows line up under the first
        assert result.boxes[f"c{i}"].cx == pytest.approx(result.boxes[f"c{i % 3}"].cx, abs=1)


def test_long_edges_pass_between_boxes():
    # a -> d skips two layers; b and c sit in its way unless it is routed round them
    nodes = [("a", 120, 40), ("b", 300, 40), ("c", 300, 40), ("d", 120, 40)]
    edges = [("a", "b", None), ("b", "c", None), ("c", "d", None), ("a", "d", (30, 18))]
    result = layered(nodes, edges)
    assert problems(result) == []
    route = result.routes[3]
    assert len(route.points) > 2  # it bends round b and c


def test_labels_sit_beside_their_own_line():
    nodes = [("q", 160, 50), ("yes", 120, 40), ("no", 120, 40)]
    edges = [("q", "yes", (28, 18)), ("q", "no", (22, 18))]
    result = layered(nodes, edges)
    assert problems(result) == []
    for route in result.routes:
        target = result.boxes[route.target]
        assert route.label.x >= target.cx  # to the right of the drop into the target
        assert route.label.bottom <= target.y


def test_cycles_and_unknown_nodes_are_refused():
    with pytest.raises(LayoutError, match="cycle"):
        layered([("a", 10, 10), ("b", 10, 10)], [("a", "b", None), ("b", "a", None)])
    with pytest.raises(LayoutError, match="unknown node"):
        layered([("a", 10, 10)], [("a", "zz", None)])


def test_pava_is_the_least_squares_monotone_fit():
    assert layout._pava([1, 3, 2, 4], [1, 1, 1, 1]) == [1, 2.5, 2.5, 4]
    assert layout._pava([5, 1], [3, 1]) == [4, 4]


def test_checker_catches_overlaps_lines_through_boxes_and_labels_on_lines():
    a, b, c = Box(0, 0, 100, 40), Box(30, 20, 100, 40), Box(0, 200, 100, 40)
    through = Route("a", "c", ((50, 40), (50, 200)))
    other = Route("b", "c", ((80, 60), (80, 120), (50, 120), (50, 200)), label=Box(40, 150, 40, 18))
    found = problems(Layout(300, 300, {"a": a, "b": b, "c": c}, [through, other], {}))
    assert "boxes a and b overlap" in found
    assert "edge a -> c passes through box b" in found
    assert "label of b -> c sits on edge a -> c" in found
    slanted = Route("a", "c", ((50, 40), (55, 200)))
    assert "edge a -> c has a slanted segment" in problems(Layout(300, 300, {"a": a, "c": c}, [slanted], {}))


# --- one column ------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(40))
def test_one_column_layout_is_clean_on_random_dags(seed):
    nodes, edges = random_dag(seed)
    # labels are short answers ("yes", "no"): at most 30 px here; a longer one beside a side
    # entry can meet the straight drop into the same box when many lanes narrow the boxes,
    # which problems() reports (and the flowchart loader turns into a spec error)
    edges = [(u, v, (min(lab[0], 30), lab[1]) if lab else None) for u, v, lab in edges]
    order = layout.column_order([n[0] for n in nodes], edges)
    box_w = 300 - layout.MARGIN - layout.column_left(layout.column_lanes(order, edges)[1])
    nodes = [(v, box_w, h) for v, _, h in nodes]
    geo = layout.column(nodes, edges, width=300)
    assert problems(geo) == [], seed
    tops = sorted(geo.boxes.values(), key=lambda b: b.y)
    for a, b in zip(tops, tops[1:]):
        assert b.y >= a.bottom                             # one column, top to bottom
    order = sorted(geo.boxes, key=lambda v: geo.boxes[v].y)
    pos = {v: i for i, v in enumerate(order)}
    assert all(pos[u] < pos[v] for u, v, _ in edges)     # every edge points down
    assert geo.width == 300


def test_one_column_lanes_never_share_a_gap():
    order = ["a", "b", "c", "d", "e"]
    edges = [("a", "b"), ("a", "d"), ("b", "c"), ("b", "e"), ("c", "d"), ("d", "e")]
    lanes, n = layout.column_lanes(order, edges)
    assert set(lanes) == {"a", "b"} and n == 2 and lanes["a"] != lanes["b"]
    lanes, n = layout.column_lanes(order, [("a", "c"), ("c", "e"), ("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    assert n == 1            # a's lane ends in the gap above c, c's starts in the gap below: one lane


def test_one_column_order_follows_reading_order_and_rejects_cycles():
    assert layout.column_order(["s", "x", "y", "j"], [("s", "x"), ("s", "y"), ("x", "j"), ("y", "j")]) == \
        ["s", "x", "y", "j"]
    with pytest.raises(LayoutError):
        layout.column_order(["a", "b"], [("a", "b"), ("b", "a")])
