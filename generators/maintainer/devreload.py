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

_PACKAGE = Path(__file__).resolve().parents[1]
_seen: dict[str, int] = {}


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name: ``generators.core.specfile`` ..."""
    found = {}
    for path in _PACKAGE.rglob("*.py"):
        parts = path.relative_to(_PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _mtimes() -> dict[str, int]:
    return {name: path.stat().st_mtime_ns for name, path in _modules().items()}


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
        module = sys.modules.get(name)
        if module is not None and module.__name__ != __name__ and not name.endswith("__main__"):
            importlib.reload(module)


_IMPORT = re.compile(r"^\s*from (\.+)([\w.]*) import ([\w, ]+)", re.M)


def _resolve(name: str, path: Path, dots: str, base: str, imported: str) -> set[str]:
    """The package modules one ``from {dots}{base} import {imported}`` line names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for _ in range(len(dots) - 1):
        package = package.rpartition(".")[0]
    target = f"{package}.{base}" if base else package
    names = {f"{target}.{n.strip()}" for n in imported.split(",")}
    return {target} | names


def _dependency_order() -> list[str]:
    modules = _modules()
    deps: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for dots, base, imported in _IMPORT.findall(path.read_text(encoding="utf-8")):
            found |= _resolve(name, path, dots, base, imported)
        deps[name] = {d for d in found if d in modules and d != name}
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
