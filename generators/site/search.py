"""The site search's word list: ``data/terms.yaml`` as a small JSON file for the browser.

The theme's search (lunr, in a web worker) only knows the words on the pages. The search
script (``docs/assets/js/search-worker.js``) reads this file when a reader first opens
search, and uses it to

- find the page for a reader's own words: every headword, variant, abbreviation, the
  everyday phrases in ``lay`` and their UK/US spellings become keywords of the page or
  section the term links to;
- widen a query that uses one of those forms with the term's headword;
- map US to UK spellings and back ("tumor" -> "tumour") for any word;
- suggest the closest glossary words when nothing matches.

The file is committed (``docs/assets/data/search-terms.json``), so any engine that copies
``docs/`` serves it; ``python -m generators search-data`` rewrites it, and a test fails
when it is out of date with the terms file. Output is deterministic (sorted by id).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..core.files import write_if_changed
from ..core.links import relative_href
from .explainer import SPELLINGS, _other_spellings
from .terms import Term, load_terms

OUTPUT = Path("docs/assets/data/search-terms.json")
GLOSSARY = "glossary.md"
_SEPARATORS = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, words separated by one space: the form the search script compares.
    (The script does the same: lower case, anything but letters and digits is a space.)"""
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def search_data(terms: list[Term]) -> dict:
    out = []
    for t in sorted(terms, key=lambda t: t.id):
        forms: list[str] = []
        for form in t.search_forms():
            for f in (form, *_other_spellings(form)):
                key = normalise(f)
                if key and key not in forms:
                    forms.append(key)
        out.append({"id": t.id, "term": t.term, "href": relative_href(t.link, "index.md"),
                    "glossary": relative_href(f"{GLOSSARY}#{t.id}", "index.md"), "forms": forms})
    return {"spellings": [list(pair) for pair in SPELLINGS], "terms": out}


def render(terms_path: str | Path) -> str:
    data = search_data(load_terms(terms_path))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def write(terms_path: str | Path, out: str | Path = OUTPUT) -> bool:
    """Rewrite ``out`` from the terms file; True when it changed."""
    return write_if_changed(out, render(terms_path))
