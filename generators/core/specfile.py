"""Read a YAML file into plain data and remember the line of every value.

``load(path)`` returns a ``Source`` whose ``data`` is plain dicts, lists and scalars
and whose ``line(*keys)`` gives the 1-based line where that value sits (falling back
to its nearest parent), so validation errors can say ``knee.yaml:42: regions[3].bone``.

This is the one loader for every YAML file the generators read (diagram specs and the
data files), and it expects files from strangers. It accepts only what a spec needs:

- UTF-8 text (a UTF-16 or binary file gets a plain message, not a decoding traceback);
- plain YAML types: mappings, lists, text, whole numbers, numbers, true/false, null and
  dates. Tags (``!foo``, ``!!python/name:…``, ``!!binary``, ``!!set``…) are refused;
- text keys only (no ``? [complex, key]``), each key once per mapping (a repeated key is
  an error naming both lines, not a silent "last one wins");
- no anchors and aliases (``&a`` / ``*a``): they are never needed in a spec, and refusing
  them makes "billion laughs" bombs and recursive aliases fail at once;
- limits: file size, nesting depth, number of values, length of each text value, numbers
  finite (no ``.nan``/``.inf``) and within ±``MAX_NUMBER``; no control characters in text.

Every problem is a ``SpecError`` whose lines read ``file:line: field: message``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, SpecError

MAX_FILE_BYTES = 1_000_000      # the largest file today is about 45 kB
MAX_DEPTH = 24                  # nesting of mappings and lists (specs use 5)
MAX_VALUES = 100_000            # scalars, mappings and lists in one file
MAX_TEXT = 4_000                # characters in one text value...
MAX_LONG_TEXT = 200_000         # ...except in fields holding path data (LONG_FIELDS)
LONG_FIELDS = frozenset({"outline", "details", "path", "cartilage"})
MAX_NUMBER = 1e9                # no spec or data value comes near; stops 1e308 and 10**4000
MAX_NUMBER_CHARS = 40

_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in
                                                ("str", "int", "float", "bool", "null", "timestamp"))
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
# C0 and C1 controls except tab and newline, DEL, lone surrogates, noncharacters, and the
# invisible direction overrides that can make text read differently from what it is.
_BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       "\u202a-\u202e\u2066-\u2069]")


@dataclass
class Source:
    path: str
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *keys) -> int | None:
        keys = tuple(keys)
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get(())

    def problem(self, keys: tuple, message: str) -> Problem:
        return Problem(self.path, self.line(*keys), field_name(keys), message)


def field_name(keys: tuple) -> str:
    """('regions', 3, 'bone') -> 'regions[3].bone'"""
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


class _Builder:
    """Turns a composed node graph into plain data, refusing what a spec never needs."""

    def __init__(self, shown: str, text: str = ""):
        self.shown = shown
        self.text = text
        self.lines: dict[tuple, int] = {}
        self.seen: set[int] = set()
        self.count = 0

    def fail(self, node, path: tuple, message: str):
        raise SpecError([Problem(self.shown, node.start_mark.line + 1, field_name(path), message)])

    def build(self, node, path: tuple = ()) -> object:
        # The composer gives an alias the very node its anchor named, so a node met twice is
        # an alias: refused before it is expanded (no exponential blow-up, no endless loop).
        if id(node) in self.seen:
            self._alias(node, path)
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_VALUES:
            self.fail(node, path, f"the file has more than {MAX_VALUES} values")
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node, path, _tag_message(node.tag))
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _alias(self, node, path: tuple):
        """The node is where its anchor is; the line to name is the first alias's (the walk
        meets values in the file's order, so the first repeat is the first alias)."""
        line = next((e.start_mark.line + 1 for e in yaml.parse(self.text, Loader=_LOADER)
                     if isinstance(e, yaml.AliasEvent)), node.start_mark.line + 1)
        raise SpecError([Problem(self.shown, line, field_name(path),
                                 "aliases (*name) are not allowed: write the value out in full")])

    def _mapping(self, node, path: tuple) -> dict:
        if node.tag != _MAP:
            self.fail(node, path, _tag_message(node.tag))
        out: dict = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a key must be plain text, not a list or mapping")
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, path, "merge keys (<<) are not allowed: write the fields out in full")
            if key_node.tag not in (_STR, _INT, _BOOL, _NULL, _FLOAT):
                self.fail(key_node, path, _tag_message(key_node.tag))
            if id(key_node) in self.seen:
                self._alias(key_node, path)
            self.seen.add(id(key_node))
            key = key_node.value
            line = key_node.start_mark.line + 1
            self._text(key_node, path + (key,), key)
            if key in first:
                self.fail(key_node, path + (key,),
                          f"duplicate key '{key}' (lines {first[key]} and {line}): keep one")
            first[key] = line
            self.lines[path + (key,)] = line
            out[key] = self.build(value_node, path + (key,))
        return out

    def _scalar(self, node, path: tuple) -> object:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.fail(node, path, _tag_message(tag))
        if tag in (_INT, _FLOAT) and len(node.value) > MAX_NUMBER_CHARS:
            self.fail(node, path, f"a number of {len(node.value)} characters is too long")
        try:
            value = yaml.SafeLoader.construct_object(_SCALAR_LOADER, node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.fail(node, path, f"cannot read '{_short(node.value)}': {str(exc).splitlines()[0]}")
        if isinstance(value, str):
            self._text(node, path, value)
        elif isinstance(value, float) and not math.isfinite(value):
            self.fail(node, path, f"'{node.value}' is not a finite number")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            self.fail(node, path, f"{_short(node.value)} is out of range (at most ±{MAX_NUMBER:.0e})")
        return value

    def _text(self, node, path: tuple, value: str) -> None:
        limit = MAX_LONG_TEXT if LONG_FIELDS.intersection(k for k in path if isinstance(k, str)) else MAX_TEXT
        if len(value) > limit:
            self.fail(node, path, f"text of {len(value)} characters is longer than the {limit} allowed")
        bad = _BAD_CHAR.search(value)
        if bad:
            self.fail(node, path, f"contains the control character U+{ord(bad.group()):04X} "
                                  f"at character {bad.start() + 1}: remove it")


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"the YAML tag '{_short(shown)}' is not allowed: write plain text, numbers, lists and mappings"


def _short(text: str, n: int = 40) -> str:
    text = repr(str(text))[1:-1]
    return text if len(text) <= n else text[: n - 1] + "…"


class _ScalarLoader(yaml.SafeLoader):
    def __init__(self):  # no stream: only used to construct scalar nodes
        yaml.SafeLoader.__init__(self, "")


_SCALAR_LOADER = _ScalarLoader()
# libyaml's parser (shipped in PyYAML's wheels) is about ten times faster and keeps the marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


ROOT = Path(__file__).resolve().parents[2]


def display_path(path: str | Path) -> str:
    """Path as a maintainer types it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def decode(raw: bytes, shown: str) -> str:
    """The file's text, or a SpecError saying plainly why it is not UTF-8 text."""
    def fail(line, message):
        raise SpecError([Problem(shown, line, "", message)])

    if len(raw) > MAX_FILE_BYTES:
        fail(None, f"the file is {len(raw):,} bytes, more than the {MAX_FILE_BYTES:,} allowed")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(1, "the file is UTF-16: save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless
    if b"\x00" in raw:
        fail(raw[: raw.index(b"\x00")].count(b"\n") + 1,
             "the file contains NUL bytes (UTF-16 or not text?): save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(raw[: exc.start].count(b"\n") + 1,
             f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): save the file as UTF-8")
    raise AssertionError  # unreachable


def load(path: str | Path, display: str | None = None) -> Source:
    """Parse ``path``; raise SpecError naming the file and line on bad or unsafe YAML."""
    shown = display or display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SpecError([Problem(shown, None, "", f"cannot read file: {exc.strerror}")]) from None
    return loads(decode(raw, shown), shown)


def loads(text: str, shown: str) -> Source:
    """Parse YAML text (see the module's notes); ``shown`` names it in errors."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecError([Problem(shown, line, "", f"not valid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:  # e.g. more than one document
        raise SpecError([Problem(shown, None, "", f"not valid YAML: {str(exc).splitlines()[0]}")]) from None
    except RecursionError:  # PyYAML without libyaml composes recursively
        raise SpecError([Problem(shown, None, "", f"nested more than {MAX_DEPTH} levels deep")]) from None
    if node is None:
        raise SpecError([Problem(shown, 1, "", "the file is empty")])
    builder = _Builder(shown, text)
    data = builder.build(node)
    return Source(shown, data, builder.lines)
