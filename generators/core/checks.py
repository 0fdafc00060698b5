"""Small, declarative checks shared by every kind of spec and data file.

A ``Checker`` collects ``Problem``s (file, line, field, message) instead of stopping
at the first, so one run of ``python -m generators check`` lists everything wrong.
"""
from __future__ import annotations

import re

from .errors import Problem, SpecError, did_you_mean
from .specfile import Source

IDENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "id\n" is not an id
UBERON = re.compile(r"^UBERON:[0-9]{7}\Z")  # ASCII digits, nothing after

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", list: "a list",
               dict: "a mapping", bool: "true or false"}


class Checker:
    def __init__(self, src: Source):
        self.src = src
        self.problems: list[Problem] = []

    def fail(self, keys: tuple, message: str) -> None:
        self.problems.append(self.src.problem(keys, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise SpecError(self.problems)

    # --- structure -----------------------------------------------------------
    def mapping(self, keys: tuple, value, required: dict, optional: dict | None = None) -> bool:
        """Check ``value`` is a mapping with the required keys, of the right types,
        and no unknown keys. Returns False when it is not a mapping at all."""
        optional = optional or {}
        if not isinstance(value, dict):
            self.fail(keys, f"expected a mapping with {', '.join(required)}")
            return False
        for name, typ in required.items():
            if name not in value:
                self.fail(keys, f"missing required field '{name}'")
            else:
                self.type(keys + (name,), value[name], typ)
        for name, typ in optional.items():
            if name in value:
                self.type(keys + (name,), value[name], typ)
        known = set(required) | set(optional)
        for name in value:
            if name not in known:
                self.fail(keys + (name,), f"unknown field '{name}'{did_you_mean(name, known)}")
        return True

    def type(self, keys: tuple, value, typ) -> bool:
        types = typ if isinstance(typ, tuple) else (typ,)
        if float in types and int not in types:
            types = types + (int,)
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            want = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types if t is not int or float not in types)
            self.fail(keys, f"expected {want}, got {_describe(value)}")
        elif str in types and isinstance(value, str) and not value.strip():
            self.fail(keys, "must not be empty")
            return False
        return ok

    def ident(self, keys: tuple, value) -> bool:
        if isinstance(value, str) and IDENT.match(value):
            return True
        self.fail(keys, f"'{value}' is not a valid id (lowercase letters, digits and single hyphens)")
        return False

    def unique(self, items: list[tuple[tuple, str]], what: str) -> None:
        seen: dict[str, tuple] = {}
        for keys, value in items:
            if value in seen:
                self.fail(keys, f"duplicate {what} '{value}' (first at line {self.src.line(*seen[value])})")
            else:
                seen[value] = keys

    def ref(self, keys: tuple, value, choices, what: str) -> bool:
        if value in choices:
            return True
        self.fail(keys, f"no {what} '{value}'{did_you_mean(value, choices)}")
        return False

    def list_of(self, keys: tuple, value, min_items: int = 1) -> list:
        if not isinstance(value, list):
            self.fail(keys, f"expected a list, got {_describe(value)}")
            return []
        if len(value) < min_items:
            self.fail(keys, f"needs at least {min_items} item{'s' if min_items > 1 else ''}")
        return value

    def number_pair(self, keys: tuple, value) -> bool:
        if (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
            return True
        self.fail(keys, "expected two numbers [x, y]")
        return False


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    return f"{_TYPE_NAMES.get(type(value), type(value).__name__)} {value!r}" if not isinstance(value, (dict, list)) \
        else _TYPE_NAMES[type(value)]
