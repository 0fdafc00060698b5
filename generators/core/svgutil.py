"""Small SVG helpers shared by the diagram generators (anatomy, flowcharts).

Kept generic and stable: other generators import these.

- ``num(x)``: a coordinate as short text, rounded to one decimal ("12", "12.5", "-0.3").
- ``parse_path(d)``: check SVG path data (commands M L H V C S Q T Z, their numbers)
  and return its segments; raises ``PathError`` with a plain message.
- ``format_path(d)`` / ``format_segments(segs)``: the same path, rounded and compact.
- ``path_bbox(d)``: a bounding box that contains the path (control points included).
- ``Ids``: ids prefixed by the diagram id, so several diagrams can share a page.
- ``Element``: any SVG element by name for svgwrite (for ``a``, ``title`` with ids ...).
- ``to_string(drawing)``: deterministic serialisation without XML declaration or
  editor/legacy namespaces.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from svgwrite.base import BaseElement

# --- numbers -------------------------------------------------------------------------


def num(value: float) -> str:
    """Round to at most one decimal and drop a trailing '.0' (and '-0')."""
    rounded = round(float(value) + 0.0, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def points(pairs) -> str:
    """'x1,y1 x2,y2 …' for polyline/polygon ``points``."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in pairs)


# --- path data -----------------------------------------------------------------------

ARG_COUNTS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}
ALLOWED = "M L H V C S Q T Z"
_TOKEN = re.compile(r"\s*(?:([A-Za-z])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))\s*,?")


class PathError(ValueError):
    """Path data that does not parse; the message says where and why."""


def parse_path(d: str) -> list[tuple[str, list[float]]]:
    """Segments of path data as (command, numbers). Repeated argument groups are split
    into separate segments (an 'M' followed by extra pairs continues as 'L')."""
    if not isinstance(d, str) or not d.strip():
        raise PathError("path data is empty")
    tokens: list[tuple[str, object]] = []
    pos = 0
    text = d.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise PathError(f"unexpected {text[pos]!r} at character {pos + 1}")
        if m.group(1):
            cmd = m.group(1)
            if cmd.upper() not in ARG_COUNTS:
                raise PathError(f"command {cmd!r} at character {pos + 1} is not allowed (use {ALLOWED})")
            tokens.append(("cmd", cmd))
        else:
            tokens.append(("num", float(m.group(2))))
        pos = m.end()
    if tokens[0][0] != "cmd" or tokens[0][1] not in "Mm":
        raise PathError("path data must start with M (move to)")
    segments: list[tuple[str, list[float]]] = []
    i = 0
    while i < len(tokens):
        cmd = tokens[i][1]
        i += 1
        args: list[float] = []
        while i < len(tokens) and tokens[i][0] == "num":
            args.append(tokens[i][1])
            i += 1
        n = ARG_COUNTS[cmd.upper()]
        if n == 0:
            if args:
                raise PathError(f"'{cmd}' takes no numbers, got {len(args)}")
            segments.append((cmd, []))
            continue
        if not args or len(args) % n:
            raise PathError(f"'{cmd}' needs {n} number{'s' if n > 1 else ''} (or a multiple), got {len(args)}")
        for k in range(0, len(args), n):
            this = cmd
            if k and cmd in "Mm":  # implicit line-to after the first pair of a move
                this = "L" if cmd == "M" else "l"
            segments.append((this, args[k:k + n]))
    return segments


def format_segments(segments) -> str:
    out = []
    prev = None
    for cmd, args in segments:
        nums = " ".join(num(a) for a in args)
        # the repeated command letter may be dropped, except after M
        if cmd == prev and cmd not in "Mm":
            out.append(" " + nums)
        else:
            out.append(cmd + nums)
        prev = cmd
    return "".join(out).replace(" -", "-")


def format_path(d: str) -> str:
    """Path data rounded to one decimal, in a compact canonical form."""
    return format_segments(parse_path(d))


def absolute_points(segments) -> list[tuple[float, float]]:
    """Every end point and control point of the path, in absolute coordinates."""
    pts: list[tuple[float, float]] = []
    cx = cy = 0.0
    sx = sy = 0.0
    for cmd, a in segments:
        rel = cmd.islower()
        c = cmd.upper()
        ox, oy = (cx, cy) if rel else (0.0, 0.0)
        if c == "Z":
            cx, cy = sx, sy
            continue
        if c == "H":
            cx = a[0] + (cx if rel else 0.0)
            pts.append((cx, cy))
            continue
        if c == "V":
            cy = a[0] + (cy if rel else 0.0)
            pts.append((cx, cy))
            continue
        pairs = [(a[k] + ox, a[k + 1] + oy) for k in range(0, len(a), 2)]
        pts.extend(pairs)
        cx, cy = pairs[-1]
        if c == "M":
            sx, sy = cx, cy
    return pts


def path_bbox(d: str) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of a box containing the whole path."""
    pts = absolute_points(parse_path(d))
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def union_bbox(boxes):
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


# --- ids and elements ----------------------------------------------------------------


class Ids:
    """Ids unique within a page: every id is ``<prefix>-<local name>``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, local: str) -> str:
        return f"{self.prefix}-{local}"

    def ref(self, local: str) -> str:
        """'url(#prefix-local)' for fill/marker references."""
        return f"url(#{self(local)})"


class Element(BaseElement):
    """Any SVG element by name: ``Element('a', href='#x')``. Attribute names are
    used as given (``**{'aria-label': …}``); svgwrite escapes values and text."""

    def __init__(self, name: str, text: str | None = None, **attrs):
        self.elementname = name
        super().__init__(debug=False, **attrs)
        self.text = text

    def get_xml(self):
        xml = super().get_xml()
        if self.text is not None:
            xml.text = self.text
        return xml


_DROP_ROOT_ATTRS = ("baseProfile", "version", "xmlns:ev", "xmlns:xlink")


def to_string(drawing, keep_xmlns: bool = True) -> str:
    """Serialise a svgwrite Drawing deterministically (attributes sorted by svgwrite),
    without the XML declaration, the legacy ``baseProfile``/``version`` attributes,
    unused namespaces or an empty ``<defs/>``."""
    xml = drawing.get_xml()
    for name in _DROP_ROOT_ATTRS:
        xml.attrib.pop(name, None)
    if not keep_xmlns:
        xml.attrib.pop("xmlns", None)
    for child in list(xml):
        if child.tag == "defs" and len(child) == 0:
            xml.remove(child)
    return etree.tostring(xml, encoding="unicode", short_empty_elements=True)
