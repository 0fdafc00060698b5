"""Read a YAML file into plain data and remember the line of every value.

``load(path)`` returns a ``Source`` whose ``data`` is plain dicts, lists and scalars
and whose ``line(*keys)`` gives the 1-based line where that value sits (falling back
to its nearest parent), so validation errors can say ``knee.yaml:42: regions[3].bone``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, SpecError


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


def _build(node, path: tuple, lines: dict) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, path + (key,), lines)
            # keep the key's line for scalars written on the key's line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), lines) for i, child in enumerate(node.value)]
    # scalars: let PyYAML resolve the type (int, float, bool, str, date)
    return yaml.SafeLoader.construct_object(_SCALAR_LOADER, node, deep=True)


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


def load(path: str | Path, display: str | None = None) -> Source:
    """Parse ``path``; raise SpecError naming the file and line on bad YAML."""
    shown = display or display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([Problem(shown, None, "", f"cannot read file: {exc.strerror}")]) from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SpecError([Problem(shown, line, "", f"not valid YAML: {exc.problem}")]) from None
    if node is None:
        raise SpecError([Problem(shown, 1, "", "the file is empty")])
    lines: dict[tuple, int] = {}
    data = _build(node, (), lines)
    return Source(shown, data, lines)
