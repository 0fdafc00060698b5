"""Writing the files the generators commit beside the sources (search words, the explainer's
data documents): whole or not at all, and untouched when nothing changed."""
from __future__ import annotations

from pathlib import Path


def write_if_changed(path: str | Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file beside it (a reader never sees half
    a file); leave the file alone when it already holds ``text``. True when it was written."""
    path = Path(path)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True
