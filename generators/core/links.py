"""Links from a diagram to the pages that explain it.

Specs write links the way Markdown pages do: a path to a page's source file under
``docs/`` plus an optional ``#anchor`` (``knee.md#medial-femoral-condyle``). The
renderer turns that into the URL relative to the page that shows the diagram, using
MkDocs' directory URLs (``knee.md`` -> ``knee/``, ``causes/index.md`` -> ``causes/``).
"""
from __future__ import annotations

import posixpath
import re
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


_NOSCRIPT = re.compile(r"(<noscript\b.*?</noscript>)", re.I | re.S)
_RELATIVE_ADDRESS = re.compile(r'(\s(?:xlink:)?(?:href|src)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]*)(")')


def rebase_on_source(markup: str, page: str, source: str) -> str:
    """``markup`` whose relative addresses are written from ``page``'s URL, with each address
    rewritten relative to the folder of the source file ``source`` instead.

    Zensical reads every relative address in a page's HTML, raw HTML included, as relative to
    the page's source file (as Markdown links are) and rewrites it for the page's URL; MkDocs
    leaves raw HTML alone. Written this way, both engines end at the same address. (Zensical
    is recognised by its rendering-context step: ``markdown_ext.current_page``.)
    """
    here = "/" + page_url(page)
    folder = "/" + posixpath.dirname(source)

    def rebase(m: re.Match) -> str:
        address = m.group(2)
        path, mark, rest = address.partition("#")
        path, qmark, query = path.partition("?")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here + "x"), path or "."))
        rel = posixpath.relpath(target, folder)
        if (path.endswith("/") or not path) and not rel.endswith("/"):
            rel = "./" if rel == "." else rel + "/"
        return f"{m.group(1)}{rel}{qmark}{query}{mark}{rest}{m.group(3)}"

    # an HTML parser with scripting on reads <noscript> as text: Zensical leaves what is inside alone
    parts = _NOSCRIPT.split(markup)
    return "".join(p if p[:9].lower() == "<noscript" else _RELATIVE_ADDRESS.sub(rebase, p) for p in parts)
