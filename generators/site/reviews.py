"""Review records: ``data/reviews.yaml`` loaded, validated and shown on each page.

One record per patient page says who reviewed it, in what role, when, against which sources
and what changed. A page is clinically reviewed only when a record has ``role: clinical`` and
names the clinician; until then the page says so ("clinical review pending").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.checks import Checker
from ..core.specfile import load
from .references import reference_keys

ROLES = ("editorial", "clinical")
# A clinical review must name a person, not a team.
TEAM_WORDS = ("team", "editorial", "editors")


@dataclass(frozen=True)
class Review:
    date: dt.date
    reviewer: str
    role: str
    against: str
    changes: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageReviews:
    page: str
    reviews: tuple[Review, ...]
    line: int | None = None

    @property
    def latest(self) -> Review:
        return self.reviews[-1]

    @property
    def clinical(self) -> Review | None:
        done = [r for r in self.reviews if r.role == "clinical"]
        return done[-1] if done else None

    def status(self) -> str:
        """One plain sentence for the foot of the page."""
        when = _day(self.latest.date)
        clinical = self.clinical
        if clinical:
            return (f"Reviewed by {clinical.reviewer} (clinical review) on {_day(clinical.date)}, "
                    f"against the sources below. Last checked on {when}.")
        return (f"Reviewed by the editorial team against the sources below on {when}. "
                "Clinical review pending: no doctor or physiotherapist has reviewed this page yet.")


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


REVIEW_FIELDS = {"date": dt.date, "reviewer": str, "role": str, "against": str, "changes": str}


def load_reviews(path: str | Path, references: str | Path | None = None) -> dict[str, PageReviews]:
    """Load and validate; raise SpecError listing every problem (file:line: field: message)."""
    refs = str(references) if references else ""
    return dict(_load_cached(str(path), Path(path).stat().st_mtime_ns, refs))


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int, references: str) -> tuple:
    src = load(path)
    c = Checker(src)
    ref_keys = reference_keys(references) if references else None
    out: dict[str, PageReviews] = {}
    seen = []
    for i, item in enumerate(c.list_of((), src.data)):
        k = (i,)
        if not c.mapping(k, item, {"page": str, "reviews": list}):
            continue
        page = item.get("page")
        if isinstance(page, str):
            seen.append((k + ("page",), page))
            if not page.endswith(".md"):
                c.fail(k + ("page",), f"'{page}' is not a page under docs/ (for example hip.md)")
        records = []
        for j, rec in enumerate(c.list_of(k + ("reviews",), item.get("reviews"))):
            rk = k + ("reviews", j)
            if not c.mapping(rk, rec, REVIEW_FIELDS, {"sources": list}):
                continue
            role, who = rec.get("role"), rec.get("reviewer", "")
            if role not in ROLES:
                c.fail(rk + ("role",), f"'{role}' is not one of {', '.join(ROLES)}")
            if role == "clinical" and any(w in str(who).lower() for w in TEAM_WORDS):
                c.fail(rk + ("reviewer",), "a clinical review must name the clinician who did it")
            sources = rec.get("sources", [])
            for s, key in enumerate(sources if isinstance(sources, list) else []):
                if ref_keys is not None and key not in ref_keys:
                    c.fail(rk + ("sources", s), f"no source '{key}' in the references")
            if records and isinstance(rec.get("date"), dt.date) and rec["date"] < records[-1].date:
                c.fail(rk + ("date",), "records must be in date order, newest last")
            if all(isinstance(rec.get(f), t) for f, t in REVIEW_FIELDS.items()):
                records.append(Review(rec["date"], rec["reviewer"], rec["role"], rec["against"],
                                      rec["changes"], tuple(str(s) for s in sources)))
        if isinstance(page, str) and records:
            out[page] = PageReviews(page, tuple(records), src.line(*k))
    c.unique(seen, "page")
    c.raise_if_any()
    return tuple(sorted(out.items()))


def review_status(path: str | Path, page: str | None) -> str | None:
    """The sentence for ``page``, or None when the file or the record is missing
    (``make check`` reports a patient page without a record)."""
    if not page or not Path(path).is_file():
        return None
    record = load_reviews(path).get(page)
    return record.status() if record else None
