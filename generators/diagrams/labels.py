"""Label placement for illustrated diagrams: two label columns, leader lines.

The layout medical illustrations use: the art in the middle, labels in a column on
each side, each label joined to its point on the art by a leader line. In each column
labels are sorted by the height of their anchor, wrapped to the column's width
(measured with the site's font, see ``textmeasure``) and pushed apart so that none
overlaps another or leaves the canvas. Overlapping labels are merged into clusters
that sit centred on their anchors' mean height, so labels move as little as possible.

``place(...)`` raises ``LabelError`` when labels cannot fit (a word wider than the
column, or a column taller than the canvas): the caller turns that into a spec error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from fontTools.ttLib import TTFont

from ..core.textmeasure import FONT_FILES, text_width, wrap

FONT_SIZE = 16          # px in the diagram's own units
LINE_HEIGHT = 1.2       # times the font size
PAD_X = 6               # inside the label box, left and right
MIN_BOX_HEIGHT = 32     # touch target: 24 CSS px at 0.75 scale
GAP = 6                 # between two label boxes
LEADER_END = 12         # the leader's last, horizontal run into the label


class LabelError(ValueError):
    """Labels that cannot be placed; ``key`` says which label (or None)."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class LabelRequest:
    key: str
    text: str
    anchor: tuple[float, float]
    side: str                       # 'left' or 'right'


@dataclass
class PlacedLabel:
    key: str
    side: str
    lines: list[str]
    anchor: tuple[float, float]
    box: tuple[float, float, float, float]     # x, y, width, height
    text_x: float
    baselines: list[float]
    leader: list[tuple[float, float]] = field(default_factory=list)
    font_size: float = FONT_SIZE
    weight: int = 400

    @property
    def text_anchor(self) -> str:
        return "end" if self.side == "left" else "start"

    def line_widths(self) -> list[float]:
        return [text_width(line, self.font_size, self.weight) for line in self.lines]


@lru_cache(maxsize=None)
def font_extents(weight: int = 400) -> tuple[float, float]:
    """(ascent, descent) as fractions of the font size, from the font's hhea table."""
    font = TTFont(FONT_FILES[weight])
    upem = font["head"].unitsPerEm
    return font["hhea"].ascent / upem, -font["hhea"].descent / upem


def box_height(n_lines: int, size: float = FONT_SIZE) -> float:
    return max(MIN_BOX_HEIGHT, n_lines * size * LINE_HEIGHT + 8)


def place(requests: list[LabelRequest], canvas: tuple[float, float],
          columns: dict[str, tuple[float, float]], top: float = 4, bottom: float | None = None,
          size: float = FONT_SIZE, weight: int = 400) -> list[PlacedLabel]:
    """Place every label in its side's column (x range ``columns[side]``) between ``top``
    and ``bottom`` (default: the canvas height minus 4). Returns the placed labels in
    the order of ``requests``."""
    width, height = canvas
    bottom = height - 4 if bottom is None else bottom
    placed: dict[str, PlacedLabel] = {}
    for side in ("left", "right"):
        items = [r for r in requests if r.side == side]
        if not items:
            continue
        if side not in columns:
            raise LabelError(f"no room for labels on the {side}", items[0].key)
        x0, x1 = columns[side]
        inner = x1 - x0 - 2 * PAD_X
        if inner < size * 2:
            raise LabelError(f"the {side} label column is only {x1 - x0:.0f} px wide", items[0].key)
        boxes = []
        for r in sorted(items, key=lambda r: (r.anchor[1], r.key)):
            lines = wrap(r.text, inner, size, weight)
            too_wide = [w for w in lines if text_width(w, size, weight) > inner]
            if too_wide:
                raise LabelError(f"the word '{too_wide[0]}' is wider than the {side} label column "
                                 f"({inner:.0f} px)", r.key)
            w = max(text_width(line, size, weight) for line in lines) + 2 * PAD_X
            h = box_height(len(lines), size)
            boxes.append((r, lines, w, h))
        tops = _spread([r.anchor[1] - h / 2 for r, _, _, h in boxes], [h for *_, h in boxes], top, bottom)
        if tops is None:
            raise LabelError(f"the {side} labels need more height than the canvas has "
                             f"({sum(h for *_, h in boxes) + GAP * (len(boxes) - 1):.0f} > {bottom - top:.0f} px)",
                             boxes[0][0].key)
        ascent, descent = font_extents(weight)
        for (r, lines, w, h), y in zip(boxes, tops):
            bx = x1 - w if side == "left" else x0
            lh = size * LINE_HEIGHT
            text_h = len(lines) * lh
            first = y + (h - text_h) / 2 + (lh - (ascent + descent) * size) / 2 + ascent * size
            baselines = [first + i * lh for i in range(len(lines))]
            text_x = bx + w - PAD_X if side == "left" else bx + PAD_X
            mid = y + h / 2
            edge = bx + w if side == "left" else bx
            step = LEADER_END if side == "left" else -LEADER_END
            ax, ay = r.anchor
            leader = [(ax, ay)]
            if abs(ay - mid) > 0.5 and abs(edge + step - ax) > 1:
                leader.append((edge + step, mid))
            leader.append((edge, mid))
            placed[r.key] = PlacedLabel(r.key, side, lines, r.anchor, (bx, y, w, h), text_x, baselines,
                                        leader, size, weight)
    return [placed[r.key] for r in requests]


def _spread(wanted: list[float], heights: list[float], top: float, bottom: float) -> list[float] | None:
    """Tops for boxes (already sorted by wanted position) so that none overlaps the next
    (GAP apart) and all lie within [top, bottom]; None when they cannot fit."""
    n = len(wanted)
    if sum(heights) + GAP * (n - 1) > bottom - top + 1e-6:
        return None
    # clusters of consecutive boxes: [first index, last index, top]
    clusters: list[list] = []
    for i in range(n):
        clusters.append([i, i, wanted[i]])
        while True:
            cl = clusters[-1]
            cl[2] = _cluster_top(cl, wanted, heights, top, bottom)
            if len(clusters) < 2:
                break
            prev = clusters[-2]
            prev_bottom = prev[2] + _span(prev, heights)
            if prev_bottom + GAP <= cl[2] + 1e-9:
                break
            clusters.pop()
            prev[1] = cl[1]
    tops: list[float] = []
    for first, last, y in clusters:
        for i in range(first, last + 1):
            tops.append(y)
            y += heights[i] + GAP
    return tops


def _span(cluster, heights) -> float:
    first, last, _ = cluster
    return sum(heights[first:last + 1]) + GAP * (last - first)


def _cluster_top(cluster, wanted, heights, top, bottom) -> float:
    """Top of a cluster placed so its boxes' offsets from their wanted tops average zero,
    clamped to the usable height."""
    first, last, _ = cluster
    offsets, y = [], 0.0
    for i in range(first, last + 1):
        offsets.append(wanted[i] - y)
        y += heights[i] + GAP
    best = sum(offsets) / len(offsets)
    span = _span(cluster, heights)
    return min(max(best, top), bottom - span)


def overlaps(labels: list[PlacedLabel]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap (for tests and checks)."""
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ax, ay, aw, ah = a.box
            bx, by, bw, bh = b.box
            if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                out.append((a.key, b.key))
    return out
