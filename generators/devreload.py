"""Live reload of the generator code for ``make serve``.

``mkdocs serve`` rebuilds in the same Python process, so an edited module under
``generators/`` would otherwise keep its old code until the server restarts. When
BMO_DEV_RELOAD=1 (set by ``make serve``), each new Markdown instance reloads the
modules whose files changed, dependencies first. Builds never set it.
"""
from __future__ import annotations

import importlib
import os
import re
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_seen: dict[str, int] = {}


def _mtimes() -> dict[str, int]:
    return {p.stem: p.stat().st_mtime_ns for p in _PACKAGE.glob("*.py")}


def refresh() -> None:
    if os.environ.get("BMO_DEV_RELOAD") != "1":
        return
    current = _mtimes()
    if not _seen:
        _seen.update(current)
        return
    changed = {name for name, mtime in current.items() if _seen.get(name) != mtime}
    _seen.update(current)
    if not changed:
        return
    # Reload every loaded module of the package, each after the modules it imports, so
    # that names bound with `from .x import y` point at the new code.
    for name in _dependency_order():
        module = sys.modules.get(f"generators.{name}")
        if module is not None and module.__name__ != __name__:
            importlib.reload(module)


_IMPORT = re.compile(r"^\s*from \.(\w*) import ([\w, ]+)", re.M)


def _dependency_order() -> list[str]:
    deps: dict[str, set[str]] = {}
    for path in _PACKAGE.glob("*.py"):
        found = set()
        for base, names in _IMPORT.findall(path.read_text(encoding="utf-8")):
            found |= {base} if base else {n.strip() for n in names.split(",")}
        deps[path.stem] = {d for d in found if (_PACKAGE / f"{d}.py").exists() and d != path.stem}
    order: list[str] = []

    def visit(name: str, stack: tuple = ()) -> None:
        if name in order or name in stack:
            return
        for dep in sorted(deps.get(name, ())):
            visit(dep, stack + (name,))
        order.append(name)

    for name in sorted(deps):
        visit(name)
    return order
