"""How the MRI-report explainer reads a report: ``data/report-words.yaml`` loaded and checked.

The glossary terms (``data/terms.yaml``) say *what* a report names and *where*; this file
holds the rest of the vocabulary the explainer reads: the state words (absent, normal,
uncertain), the location words that narrow a part ("posterolateral", "second", "head"),
the side words, which diagram regions each part is drawn as, and which findings carry
an "ask your doctor" pointer. The file's header describes every field.

``load_report_words(path, terms, diagrams_dir=None)`` returns a ``ReportWords``; every problem
is reported as ``file:line: field: message`` (all of them, then the build stops).
``ReportWords.to_json()`` is the plain data the browser script reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.checks import Checker
from ..core.errors import SpecError
from ..core.specfile import load

STATES = ("absent", "normal", "uncertain")
DIRECTIONS = ("before", "after", "either", "both")
AXES = ("across", "depth", "height", "length", "part", "ray")
SIDES = ("left", "right", "both", "both-of")


@dataclass(frozen=True)
class ReportWords:
    data: dict          # the checked file, as plain JSON-ready data (see to_json)
    path: str = ""

    def to_json(self) -> dict:
        return self.data

    @property
    def parts(self) -> list[dict]:
        return self.data["parts"]

    @property
    def locations(self) -> list[dict]:
        return self.data["locations"]


def load_report_words(path: str | Path, terms, diagrams_dir: str | Path | None = None) -> ReportWords:
    """Load and check ``path`` against ``terms`` (and, given ``diagrams_dir``, the diagrams' regions)."""
    ids = tuple(sorted(t.id for t in terms))
    regions = _diagram_regions(diagrams_dir) if diagrams_dir else None
    return _load_cached(str(path), Path(path).stat().st_mtime_ns, ids,
                        tuple(sorted((k, tuple(sorted(v))) for k, v in regions.items())) if regions is not None else None)


def check_file(path: str | Path, terms_file: str | Path, diagrams_dir: str | Path) -> None:
    """For ``check`` commands: raise SpecError for problems in ``path`` only (a broken terms
    file is reported by its own check, so it is left alone here)."""
    from .terms import load_terms

    try:
        terms = load_terms(terms_file)
    except SpecError:
        return
    load_report_words(path, terms, diagrams_dir)


def _diagram_regions(diagrams_dir) -> dict[str, set[str]]:
    from ..core import catalog

    out = {}
    for spec in sorted(Path(diagrams_dir).glob("anatomy/*.yaml")):
        try:
            out[spec.stem] = {r.id for r in catalog.load(spec).regions}
        except Exception:   # a broken spec reports itself where it is rendered
            out[spec.stem] = set()
    return out


def _texts(c: Checker, keys: tuple, value, what: str = "text") -> list[str]:
    """A list of non-empty strings (problems reported for the others)."""
    out = []
    for i, v in enumerate(c.list_of(keys, value, min_items=0)):
        if isinstance(v, str) and v.strip():
            out.append(" ".join(v.split()))
        elif isinstance(v, bool):
            c.fail(keys + (i,), f"expected {what}, got {str(v).lower()} (YAML reads no, yes, on and off "
                                "as true or false: write the word in quotes)")
        else:
            c.fail(keys + (i,), f"expected {what}")
    return out


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int, term_ids: tuple, regions) -> ReportWords:
    src = load(path)
    c = Checker(src)
    d = src.data
    terms = set(term_ids)
    regions = dict(regions) if regions is not None else None
    out: dict = {}
    if not c.mapping((), d, {"states": dict, "linking-verbs": list, "ask-doctor": list, "what": dict,
                             "locations": list, "fillers": list, "sides": dict, "parts": list},
                     {"shown-elsewhere": dict, "everyday": (str, list)}):
        c.raise_if_any()

    # states: every phrase once, in one state and one direction
    phrases: list[tuple[tuple, str]] = []
    states: dict = {}
    sd = d.get("states") if isinstance(d.get("states"), dict) else {}
    if isinstance(d.get("states"), dict):
        c.mapping(("states",), sd, {s: dict for s in STATES}, {"not-state": list})
    for state in STATES:
        block = sd.get(state)
        if not isinstance(block, dict):
            continue
        c.mapping(("states", state), block, {}, {k: list for k in DIRECTIONS})
        states[state] = {}
        for direction in DIRECTIONS:
            words = _texts(c, ("states", state, direction), block.get(direction, []))
            states[state][direction] = words
            phrases += [(("states", state, direction, i), w.casefold()) for i, w in enumerate(words)]
    not_state = _texts(c, ("states", "not-state"), sd.get("not-state", []))
    phrases += [(("states", "not-state", i), w.casefold()) for i, w in enumerate(not_state)]
    c.unique(phrases, "state phrase")
    out["states"] = states
    out["not-state"] = not_state
    out["linking-verbs"] = _texts(c, ("linking-verbs",), d.get("linking-verbs"))

    def term_list(keys, value) -> list[str]:
        got = _texts(c, keys, value, "a term id")
        for i, t in enumerate(got):
            c.ref(keys + (i,), t, terms, "term in data/terms.yaml")
        return got

    out["ask-doctor"] = term_list(("ask-doctor",), d.get("ask-doctor"))
    what = d.get("what") if isinstance(d.get("what"), dict) else {}
    c.mapping(("what",), what, {}, {"also": list, "not": list})
    out["what"] = {"also": term_list(("what", "also"), what.get("also", [])),
                   "not": term_list(("what", "not"), what.get("not", []))}

    # locations: one axis each, or a compound of others
    locations = []
    loc_ids: list[tuple[tuple, str]] = []
    forms: list[tuple[tuple, str]] = []
    for i, item in enumerate(c.list_of(("locations",), d.get("locations"))):
        k = ("locations", i)
        if not c.mapping(k, item, {"id": str, "forms": list}, {"axis": str, "means": list, "plain": str}):
            continue
        if isinstance(item.get("id"), str) and c.ident(k + ("id",), item["id"]):
            loc_ids.append((k + ("id",), item["id"]))
        words = _texts(c, k + ("forms",), item.get("forms"))
        forms += [(k + ("forms", j), w.casefold()) for j, w in enumerate(words)]
        if ("axis" in item) == ("means" in item):
            c.fail(k, "give either 'axis' (a location word) or 'means' (a compound of location words)")
        if "axis" in item:
            if item["axis"] not in AXES:
                c.fail(k + ("axis",), f"'{item['axis']}' is not one of {', '.join(AXES)}")
            if "plain" not in item:
                c.fail(k, "missing required field 'plain' (how the explainer says this word)")
        locations.append({key: item[key] for key in ("id", "axis", "means", "plain") if key in item} | {"forms": words})
    c.unique(loc_ids, "location id")
    c.unique(forms, "location form")
    axis_of = {loc["id"]: loc.get("axis") for loc in locations}
    simple = {i for i, a in axis_of.items() if a}
    for i, loc in enumerate(locations):
        for j, m in enumerate(loc.get("means") or []):
            c.ref(("locations", i, "means", j), m, simple, "location word with an axis")
    out["locations"] = locations
    out["fillers"] = _texts(c, ("fillers",), d.get("fillers"))

    sides = d.get("sides") if isinstance(d.get("sides"), dict) else {}
    c.mapping(("sides",), sides, {s: list for s in SIDES})
    out["sides"] = {s: _texts(c, ("sides", s), sides.get(s, [])) for s in SIDES}

    # parts: diagram regions and the terms that name them
    parts = []
    for i, item in enumerate(c.list_of(("parts",), d.get("parts"))):
        k = ("parts", i)
        if not c.mapping(k, item, {"diagram": str, "regions": dict, "terms": dict}, {"exact": list}):
            continue
        diagram = item.get("diagram")
        if regions is not None and isinstance(diagram, str):
            c.ref(k + ("diagram",), diagram, set(regions), "anatomy diagram")
        part = {"diagram": diagram, "regions": {}, "terms": {}, "exact": []}
        for field, choices, what in (("regions", None, "region"), ("terms", terms, "term in data/terms.yaml")):
            block = item.get(field)
            if not isinstance(block, dict):
                continue
            if not block:
                c.fail(k + (field,), "needs at least 1 item")
            for name, words in block.items():
                kk = k + (field, name)
                if field == "regions" and regions is not None and diagram in regions:
                    c.ref(kk, name, regions[diagram], f"region on the {diagram} diagram")
                elif field == "terms":
                    c.ref(kk, name, choices, what)
                got = _texts(c, kk, words if words is not None else [], "a location id")
                for j, w in enumerate(got):
                    c.ref(kk + (j,), w, simple, "location word with an axis")
                part[field][name] = got
        for j, r in enumerate(_texts(c, k + ("exact",), item.get("exact", []))):
            c.ref(k + ("exact", j), r, set(part["regions"]), "region of this part")
            part["exact"].append(r)
        parts.append(part)
    out["parts"] = parts

    elsewhere = d.get("shown-elsewhere") or {}
    out["shown-elsewhere"] = {}
    if c.type(("shown-elsewhere",), elsewhere, dict):
        for diagram, block in elsewhere.items():
            k = ("shown-elsewhere", diagram)
            if not c.type(k, block, dict):
                continue
            for region, other in block.items():
                if regions is not None:
                    c.ref(k, diagram, set(regions), "anatomy diagram")
                    if diagram in regions:
                        c.ref(k + (region,), region, regions[diagram], f"region on the {diagram} diagram")
                    c.ref(k + (region,), other, set(regions), "anatomy diagram")
            out["shown-elsewhere"][diagram] = dict(block)

    everyday = d.get("everyday", [])
    words = everyday.split() if isinstance(everyday, str) else _texts(c, ("everyday",), everyday)
    out["everyday"] = sorted({w.casefold() for w in words})
    c.raise_if_any()
    return ReportWords(out, src.path)
