"""Links from a diagram to the pages that explain it.

Specs write links the way Markdown pages do: a path to a page's source file under
``docs/`` plus an optional ``#anchor`` (``knee.md#medial-femoral-condyle``). The
renderer turns that into the URL relative to the page that shows the diagram, using
MkDocs' directory URLs (``knee.md`` -> ``knee/``, ``causes/index.md`` -> ``causes/``).
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

from .errors import did_you_mean


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


_SECTION_ID = re.compile(r"\{[^}\n]*#([A-Za-z0-9_-]+)[^}\n]*\}|\bid=[\"']([A-Za-z0-9_-]+)[\"']")
_ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_PAGE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.md", re.ASCII)


def section_ids(page_file: Path) -> set[str]:
    """Explicit ids in a page's source: ``{#id}`` attribute lists and ``id="..."``."""
    return set(_section_ids(page_file, page_file.stat().st_mtime_ns))


@lru_cache(maxsize=256)
def _section_ids(page_file: Path, _mtime: int) -> frozenset[str]:
    return frozenset(a or b for a, b in _SECTION_ID.findall(page_file.read_text(encoding="utf-8")))


def check_page_link(c, keys: tuple, link: str, docs_dir: Path | None, anchor_allowed: bool = True,
                    generated: dict[str, set[str]] | None = None) -> bool:
    """Report on Checker ``c`` unless ``link`` is a page under ``docs_dir`` written like
    ``knee.md#section`` whose page exists and (when given) whose section exists.
    ``generated`` lists ids a page gets from generated content (e.g. the glossary's
    term ids). Without ``docs_dir`` only the link's shape is checked."""
    page, _, anchor = link.partition("#")
    if not _PAGE.fullmatch(page):
        c.fail(keys, f"'{link}' must be a page under docs/ written like 'knee.md#section' "
                     f"(letters, digits, -, _ and /; no address, no ..)")
        return False
    if "#" in link and not anchor_allowed:
        c.fail(keys, "must be a page without #section")
        return False
    if "#" in link and not _ANCHOR.fullmatch(anchor):
        c.fail(keys, f"'#{anchor}' is not a valid section id")
        return False
    if docs_dir is None:
        return True
    if not (docs_dir / page).is_file():
        pages = sorted(str(p.relative_to(docs_dir)) for p in docs_dir.rglob("*.md")) if docs_dir.is_dir() else []
        c.fail(keys, f"no page '{page}' under docs/{_did_you_mean(page, pages)}")
        return False
    if anchor:
        found = section_ids(docs_dir / page) | (generated or {}).get(page, set())
        if anchor not in found:
            c.fail(keys, f"no section '#{anchor}' in docs/{page}{_did_you_mean(anchor, found)}")
            return False
    return True


def _did_you_mean(name, choices) -> str:
    return did_you_mean(name, sorted(choices))
