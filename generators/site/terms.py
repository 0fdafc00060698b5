"""The glossary: ``data/terms.yaml`` loaded and validated.

One file feeds the Glossary page, the hover tooltips (abbreviations) on every page,
the MRI-report explainer and the site search (``lay``: the everyday words readers type,
such as "bruised bone"; see ``generators/site/search.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..core.checks import Checker
from ..core.links import check_page_link
from ..core.specfile import load
from .references import reference_keys

# a headword, variant or abbreviation: one line of plain characters (it becomes an abbreviation
# the page's text is matched against, and a heading in the glossary)
FORM = re.compile(r"[\w ’'().,/+-]+")
CATEGORIES = ("finding", "imaging", "anatomy", "cause", "treatment", "general")


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    explanation: str
    link: str
    category: str
    variants: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()
    diagram: str = ""
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lay: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    def spellings(self) -> tuple[str, ...]:
        """Every form a text may use for this term: headword, variants, abbreviations."""
        return (self.term, *self.variants, *self.abbr)

    def search_forms(self) -> tuple[str, ...]:
        """What a reader may type for this term: every spelling and the everyday phrases."""
        return (*self.spellings(), *self.lay)


def load_terms(path: str | Path) -> list[Term]:
    return list(_load_cached(str(path), Path(path).stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int) -> tuple[Term, ...]:
    src = load(path)
    c = Checker(src)
    docs = Path(path).resolve().parent.parent / "docs"  # data/terms.yaml beside docs/
    # the glossary page gets one section per term (its id) from the glossary fence
    glossary_ids = {item["id"] for item in src.data if isinstance(item, dict) and isinstance(item.get("id"), str)} \
        if isinstance(src.data, list) else set()
    # data/references.yaml beside it: a term's sources are keys there, like a spec's
    known_sources = reference_keys(Path(path).resolve().parent / "references.yaml")
    terms = []
    ids, spellings = [], []
    for i, item in enumerate(c.list_of((), src.data)):
        k = (i,)
        if not c.mapping(k, item, {"id": str, "term": str, "explanation": str, "link": str,
                                   "category": str},
                         {"variants": list, "abbr": list, "diagram": str, "regions": list,
                          "sources": list, "lay": list}):
            continue
        if isinstance(item.get("id"), str):
            c.ident(k + ("id",), item["id"])
            ids.append((k + ("id",), item["id"]))
        if item.get("category") not in CATEGORIES:
            c.fail(k + ("category",), f"'{item.get('category')}' is not one of {', '.join(CATEGORIES)}")
        for name in ("variants", "abbr", "regions", "sources", "lay"):
            for j, v in enumerate(item.get(name) or []):
                if not isinstance(v, str) or not v.strip():
                    c.fail(k + (name, j), "expected text")
                elif name == "sources" and known_sources is not None:
                    c.ref(k + (name, j), v, known_sources, "source")
        for name, value in [("term", item.get("term"))] + [((n, j), v) for n in ("variants", "abbr")
                                                            for j, v in enumerate(item.get(n) or [])]:
            if isinstance(value, str) and value.strip() and not FORM.fullmatch(value):
                c.fail(k + (name if isinstance(name, tuple) else (name,)),
                       f"'{value}' must be one line of letters, digits, spaces and - ' ’ ( ) . , / +")
        if isinstance(item.get("explanation"), str) and "\n" in item["explanation"].strip():
            c.fail(k + ("explanation",), "must be one paragraph (no blank line; write long text with >-)")
        if isinstance(item.get("link"), str) and item["link"].strip():
            check_page_link(c, k + ("link",), item["link"], docs if docs.is_dir() else None,
                            generated={"glossary.md": glossary_ids})
        if isinstance(item.get("diagram"), str) and item["diagram"].strip():
            c.ident(k + ("diagram",), item["diagram"])
        for j, v in enumerate(item.get("regions") or []):
            if isinstance(v, str) and v.strip():
                c.ident(k + ("regions", j), v)
        if bool(item.get("diagram")) != bool(item.get("regions")):
            c.fail(k, "'diagram' and 'regions' go together: give both or neither")
        forms = [item.get("term")] + list(item.get("variants") or []) + list(item.get("abbr") or [])
        for j, form in enumerate(forms):
            if isinstance(form, str):
                where = k + (("term",) if j == 0 else ("variants", j - 1) if j <= len(item.get("variants") or []) else ("abbr",))
                spellings.append((where, form.casefold()))
        for j, form in enumerate(item.get("lay") or []):
            if isinstance(form, str):
                spellings.append((k + ("lay", j), form.casefold()))
        try:
            terms.append(Term(
                id=item["id"], term=item["term"], explanation=" ".join(str(item["explanation"]).split()),
                link=item["link"], category=item["category"],
                variants=tuple(item.get("variants") or ()), abbr=tuple(item.get("abbr") or ()),
                diagram=item.get("diagram", ""), regions=tuple(item.get("regions") or ()),
                sources=tuple(item.get("sources") or ()), lay=tuple(item.get("lay") or ()),
                line=src.line(i)))
        except (KeyError, TypeError):
            pass
    c.unique(ids, "term id")
    c.unique(spellings, "spelling (each form belongs to one term)")
    c.raise_if_any()
    return tuple(terms)
