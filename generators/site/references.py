"""The site's sources: ``data/references.yaml`` loaded, validated and formatted.

Pages cite a source with a footnote whose label is its key (``[^Aravindh2018]``);
the Markdown extension appends the formatted reference as the footnote's text, and
the References page lists them all.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..core.checks import Checker
from ..core.errors import SpecError
from ..core.specfile import load

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\Z")
# Identifiers and addresses of an explicit shape; links are made from them by code (``links``)
# and written as HTML with every character escaped, never pasted into Markdown.
DOI = re.compile(r"10\.[0-9]{4,9}/[-._;()/:A-Za-z0-9]+", re.ASCII)      # Crossref's pattern
PMID = re.compile(r"[1-9][0-9]{0,8}", re.ASCII)
PMC = re.compile(r"PMC[0-9]{1,9}", re.ASCII)
URL = re.compile(r"https?://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
                 r"(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9._~!$&*+,;=:@%/?#-]*)?", re.ASCII)
TEXT_FIELDS = ("authors", "title", "container", "details", "note")
KINDS = ("peer-reviewed", "review", "reference-work", "clinic-page", "patient-site",
         "conference", "encyclopedia", "textbook")
KIND_NOTES = {"clinic-page": "Clinic web page", "patient-site": "Patient information site",
              "conference": "Conference abstract or poster", "encyclopedia": "Encyclopedia",
              "reference-work": "Professional reference", "textbook": "Textbook"}
# What kind of evidence a source is, strongest first; shown with every citation.
EVIDENCE = ("guideline", "systematic review", "randomised trial", "cohort study",
            "cross-sectional study", "case series", "case report", "laboratory study",
            "expert review", "reference work", "patient information", "conference abstract",
            "web page")
# What a source's record may honestly lack, shown with the citation ("gaps: [authors]").
GAPS = {"authors": "Authors not shown in the copies we found.",
        "year": "Year not shown in the copies we found."}
# Sites that copy other people's papers or pages: cite the original (publisher, DOI, PubMed).
MIRROR_HOSTS = ("coek.info", "scribd.com", "123dok.org", "nuuanu.net", "paperexplained.cn",
                "docslib.org", "doczz.net", "docobook.com", "vdocuments", "pages.dev",
                "api-pubmed-ncbi.laibokeji.com")


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    title: str
    container: str = ""
    year: int | None = None
    details: str = ""
    doi: str = ""
    pmid: str = ""
    pmc: str = ""
    url: str = ""
    kind: str = "peer-reviewed"
    note: str = ""
    organisation: str = ""
    evidence: str = ""
    accessed: str = ""
    gaps: tuple = ()

    def links(self) -> list[tuple[str, str]]:
        out = []
        if self.doi:
            out.append((f"https://doi.org/{quote(self.doi, safe='/:;._-()')}", f"doi:{self.doi}"))
        if self.pmid:
            out.append((f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/", f"PMID {self.pmid}"))
        if self.pmc:
            out.append((f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmc}/", self.pmc))
        if self.url and not out:
            out.append((self.url, "web page"))
        return out

    def markdown(self, stash=None, links: bool = True) -> str:
        """One line of Markdown for a footnote or the References list. With ``stash`` (a
        Markdown ``htmlStash``) the links go in as stashed HTML (``links_html``), else as
        Markdown links whose (validated) address is percent-encoded; ``links=False`` leaves
        them out (to add ``links_html()`` after conversion)."""
        e = _md_escape
        who = self.authors or self.organisation
        parts = [f"{e(who.rstrip('.'))}." if who else "", f"{e(self.title.rstrip('.'))}."]  # 'et al.' ends once
        # a site that is also the author is named once ("Radiopaedia. Title." not "... Radiopaedia.")
        where = "" if self.container.rstrip(".") == who.rstrip(".") else e(self.container)
        if self.year:
            where = f"{where} {self.year}" if where else str(self.year)
        if self.details:
            where = f"{where};{e(self.details)}"
        if where:
            parts.append(f"{where}.")  # NLM (Vancouver) style: no italics
        if self.kind in KIND_NOTES:
            parts.append(f"({KIND_NOTES[self.kind]}.)")
        if self.note:
            parts.append(e(self.note))
        if self.accessed:
            day = dt.date.fromisoformat(self.accessed)
            if not self.year:
                parts.append("No date shown.")  # APA's "n.d.": the page itself shows no date
            parts.append(f"Accessed {day.day} {day:%B %Y}.")
        parts.extend(GAPS[g] for g in self.gaps)
        if self.evidence:
            parts.append(f"Evidence: {e(self.evidence)}.")
        if links:
            parts.append(stash.store(self.links_html()) if stash is not None else
                         " · ".join(f"[{e(label)}]({quote(url, safe=_URL_SAFE)})" for url, label in self.links()))
        return " ".join(p for p in parts if p)

    def links_html(self) -> str:
        """The reference's links as HTML, every part escaped."""
        return " · ".join(f'<a href="{html.escape(url)}">{html.escape(label)}</a>' for url, label in self.links())


def _md_escape(text: str) -> str:
    """Text that Markdown shows as it is: one line (no blank line can start a block), no
    emphasis, link, HTML, table, attribute list ({: ...}) or heading, list or quote."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    text = re.sub(r"([\\`*_\[\]<>|{}#])", r"\\\1", text)
    return re.sub(r"^([-+>]|[0-9]+(?=[.)]))", r"\\\1", text)


_URL_SAFE = "/:?#=&%+,;@!$._~-"


FIELDS = {"authors": str, "container": str, "year": int, "details": (str, int), "doi": str,
          "pmid": (str, int), "pmc": str, "url": str, "kind": str, "note": str,
          "organisation": str, "evidence": str, "accessed": (str, dt.date), "gaps": list}


def load_references(path: str | Path) -> dict[str, Reference]:
    """Load and validate; raise SpecError listing every problem."""
    return dict(_load_cached(str(path), Path(path).stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _load_cached(path: str, _mtime: int) -> tuple:
    src = load(path)
    c = Checker(src)
    items = c.list_of((), src.data)
    refs: dict[str, Reference] = {}
    seen = []
    for i, item in enumerate(items):
        k = (i,)
        if not c.mapping(k, item, {"key": str, "title": str}, FIELDS):
            continue
        key = item.get("key")
        if isinstance(key, str) and not KEY.match(key):
            c.fail(k + ("key",), f"'{key}' is not a valid key (letters, digits and hyphens)")
        seen.append((k + ("key",), key))
        if item.get("kind", "peer-reviewed") not in KINDS:
            c.fail(k + ("kind",), f"'{item.get('kind')}' is not one of {', '.join(KINDS)}")
        if not any(item.get(f) for f in ("doi", "pmid", "pmc", "url")):
            c.fail(k, "needs at least one of doi, pmid, pmc or url so a reader can find it")
        url = item.get("url", "")
        if url and not str(url).startswith(("https://", "http://")):
            c.fail(k + ("url",), f"'{url}' is not a web address")
        elif isinstance(url, str) and url and not URL.fullmatch(url):
            c.fail(k + ("url",), f"'{_short(url)}' is not a plain web address (https://host/path, letters, digits "
                                 f"and - . _ ~ / ? # & = + , ; : @ % ! $ * only; encode anything else)")
        for name, pattern, shape in (("doi", DOI, "10.NNNN/suffix"), ("pmid", PMID, "digits only"),
                                     ("pmc", PMC, "PMC and digits")):
            value = item.get(name)
            if value not in (None, "") and not (isinstance(value, (str, int)) and not isinstance(value, bool)
                                                and pattern.fullmatch(str(value))):
                c.fail(k + (name,), f"'{_short(value)}' is not a {name.upper()} ({shape})")
        if isinstance(item.get("year"), int) and not 1800 <= item["year"] <= 2100:
            c.fail(k + ("year",), f"{item['year']} is not a year between 1800 and 2100")
        for name in TEXT_FIELDS:
            if isinstance(item.get(name), str) and "\n" in item[name].strip():
                c.fail(k + (name,), "must be one paragraph (no blank line; write long text with >-)")
        if "evidence" in item and item["evidence"] not in EVIDENCE:
            c.fail(k + ("evidence",), f"'{item['evidence']}' is not one of {', '.join(EVIDENCE)}")
        accessed = item.get("accessed")
        if accessed is not None and not isinstance(accessed, dt.date):
            c.fail(k + ("accessed",), f"'{accessed}' is not a date (write YYYY-MM-DD)")
        gaps = item.get("gaps", [])
        for g in gaps if isinstance(gaps, list) else []:
            if g not in GAPS:
                c.fail(k + ("gaps",), f"'{g}' is not one of {', '.join(GAPS)}")
            elif g == "authors" and (item.get("authors") or item.get("organisation")):
                c.fail(k + ("gaps",), "lists 'authors' as missing but the entry has authors")
            elif g == "year" and item.get("year"):
                c.fail(k + ("gaps",), "lists 'year' as missing but the entry has a year")
        fields = {f: (str(item[f]) if f in ("details", "pmid", "accessed") else item[f])
                  for f in FIELDS if f in item}
        fields = {f: " ".join(v.split()) if f in TEXT_FIELDS and isinstance(v, str) else v for f, v in fields.items()}
        if isinstance(gaps, list):
            fields["gaps"] = tuple(str(g) for g in gaps)
        if isinstance(key, str) and isinstance(item.get("title"), str):
            refs[key] = Reference(key=key, title=" ".join(item["title"].split()), **{"authors": "", **fields})
    c.unique(seen, "key")
    c.raise_if_any()
    return tuple(sorted(refs.items(), key=lambda kv: kv[0].lower()))


def _short(value, n: int = 60) -> str:
    text = repr(str(value))[1:-1]
    return text if len(text) <= n else text[: n - 1] + "…"


def reference_keys(path: str | Path) -> set[str] | None:
    """The source keys, for specs to check their citations against; None when the file is
    missing or broken (its loader reports its own problems)."""
    if not Path(path).is_file():
        return None
    try:
        return set(load_references(path))
    except SpecError:
        return None
