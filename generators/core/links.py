"""Links from a diagram to the pages that explain it.

Specs write links the way Markdown pages do: a path to a page's source file under
``docs/`` plus an optional ``#anchor`` (``knee.md#medial-femoral-condyle``). The
renderer turns that into the URL relative to the page that shows the diagram, using
MkDocs' directory URLs (``knee.md`` -> ``knee/``, ``causes/index.md`` -> ``causes/``).
"""
from __future__ import annotations

import posixpath
from pathlib import Path


def page_url(md_path: str) -> str:
    """Directory URL of a page, relative to the site root: 'causes/injury.md' -> 'causes/injury/'."""
    stem = md_path[:-3] if md_path.endswith(".md") else md_path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return stem.lstrip("/") if stem != "/" else ""


def split(link: str) -> tuple[str, str]:
    path, _, anchor = link.partition("#")
    return path, anchor


def relative_href(link: str, from_page: str) -> str:
    """URL of ``link`` (docs-relative 'page.md#anchor') as seen from ``from_page``."""
    path, anchor = split(link)
    target = page_url(path)
    here = page_url(from_page)
    if target == here:
        rel = ""
    else:
        rel = posixpath.relpath(target or ".", here or ".")
        rel = "./" if rel == "." else rel + "/"
    if anchor:
        return f"{rel}#{anchor}"
    return rel or "./"


def missing_page(link: str, docs_dir: Path) -> str | None:
    """The page path if ``link`` names a page that does not exist under ``docs_dir``."""
    path, _ = split(link)
    if not path.endswith(".md"):
        return path or "(empty)"
    return None if (docs_dir / path).is_file() else path
