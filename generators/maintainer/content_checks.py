"""Checks on the pages themselves: front matter, review dates, reading grade, sources,
glossary coverage. Each returns ``Finding``s with file and line, in plain words.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..site.terms import load_terms

REQUIRED = ("title", "description", "reviewed", "next_review")
MAX_GRADE = 7.0
DUE_SOON_DAYS = 60
# Pages about the site rather than the condition: no reading-grade target, no sources needed.
REFERENCE_TYPES = {"reference"}

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
CITATION = re.compile(r"\[\^[A-Za-z0-9][A-Za-z0-9-]*\]")
# Words that look medical (Greek/Latin endings and stems a reader may not know).
MEDICAL_WORD = re.compile(
    r"\b[A-Za-z]*(?:itis|osis|opathy|ectomy|otomy|oplasty|chondral|physis|algia|aemia|emia|"
    r"ostosis|osseous|trochanter|condyle|malleol\w*|metatars\w*|tars\w*|phalan\w*|femor\w*|tibial|"
    r"fibular|navicular|cuneiform|calcane\w*|acetabul\w*|patell\w*|bisphosphonate|dronate|"
    r"intense|intensity)\b", re.I)


# Everyday words that the pattern above would catch.
EVERYDAY = {"diagnosis", "prognosis", "osmosis", "intense", "intensity", "hypnosis"}


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    check: str
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.level.upper():7} {where}: {self.message}"


@dataclass
class Page:
    path: Path
    rel: str
    meta: dict
    meta_lines: dict
    body: str
    body_start: int  # line number of the first body line

    @property
    def is_reference(self) -> bool:
        return self.meta.get("page_type") in REFERENCE_TYPES


def read_pages(docs_dir: Path) -> list[Page]:
    pages = []
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel.startswith("overrides/"):
            continue
        text = path.read_text(encoding="utf-8")
        m = FRONT_MATTER.match(text)
        meta, lines, start = {}, {}, 1
        if m:
            try:
                meta = yaml.safe_load(m.group(1)) or {}
            except yaml.YAMLError:
                meta = {"__invalid__": True}
            for i, line in enumerate(m.group(1).splitlines(), 2):
                key = line.split(":", 1)[0].strip()
                if key and not line.startswith((" ", "-")):
                    lines[key] = i
            start = text[: m.end()].count("\n") + 1
        pages.append(Page(path, rel, meta if isinstance(meta, dict) else {}, lines,
                          text[m.end():] if m else text, start))
    return pages


def check_front_matter(pages: list[Page], today: dt.date) -> list[Finding]:
    out = []
    for p in pages:
        f = f"docs/{p.rel}"
        if p.meta.get("__invalid__"):
            out.append(Finding("error", "front matter", f, 2, "the front matter is not valid YAML"))
            continue
        for name in REQUIRED:
            if not p.meta.get(name):
                out.append(Finding("error", "front matter", f, 1, f"missing '{name}' in the front matter"
                                   + (" (the date this page was last reviewed, e.g. reviewed: 2026-11-30)" if name == "reviewed" else "")
                                   + (" (three years after 'reviewed')" if name == "next_review" else "")))
        reviewed, due = p.meta.get("reviewed"), p.meta.get("next_review")
        for name, value in (("reviewed", reviewed), ("next_review", due)):
            if value and not isinstance(value, dt.date):
                out.append(Finding("error", "front matter", f, p.meta_lines.get(name),
                                   f"'{name}: {value}' is not a date (write YYYY-MM-DD)"))
        if isinstance(reviewed, dt.date) and isinstance(due, dt.date):
            if due <= reviewed:
                out.append(Finding("error", "review dates", f, p.meta_lines.get("next_review"),
                                   f"next_review {due} is not after reviewed {reviewed}"))
            if reviewed > today:
                out.append(Finding("error", "review dates", f, p.meta_lines.get("reviewed"),
                                   f"reviewed {reviewed} is in the future"))
            if due < today:
                out.append(Finding("error", "review dates", f, p.meta_lines.get("next_review"),
                                   f"review overdue: next_review was {due}; review the page and update both dates"))
            elif (due - today).days <= DUE_SOON_DAYS:
                out.append(Finding("warning", "review dates", f, p.meta_lines.get("next_review"),
                                   f"review due soon: next_review is {due} ({(due - today).days} days)"))
        if not p.is_reference and not CITATION.search(p.body):
            out.append(Finding("error", "sources", f, p.body_start,
                               "a patient page must cite its sources ([^Key] footnotes from data/references.yaml)"))
    return out


def plain_text(markdown_text: str) -> str:
    """The words a reader reads: no front matter, code, citations, link targets or markup."""
    t = re.sub(r"```.*?```", " ", markdown_text, flags=re.S)
    t = re.sub(r"<[^>]+>", " ", t)
    t = CITATION.sub("", t)
    t = re.sub(r"^\[\^[^\]]+\]:.*$", "", t, flags=re.M)
    t = re.sub(r"\{[#:.][^}]*\}", "", t)
    t = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"^\s*(?:!!!|\?\?\?)\+?\s*\w+(?:\s+\"([^\"]*)\")?", lambda m: (m.group(1) or "") + ".", t, flags=re.M)
    t = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", "", t, flags=re.M)  # table rules
    t = t.replace("|", ". ")
    t = re.sub(r"^\s*(?:#+|[-*+]|\d+\.)\s+", "", t, flags=re.M)
    t = re.sub(r"^\s*\[[ xX]\]\s*", "", t, flags=re.M)
    t = re.sub(r"[*_`>]", "", t)
    # headings and list items end a sentence even without a full stop
    t = re.sub(r"([^\s.!?:])\s*\n", r"\1.\n", t)
    return t


def reading_grades(pages: list[Page]) -> list[tuple[str, float, int, str]]:
    """(page, Flesch-Kincaid grade, words, note) for every page."""
    import textstat

    rows = []
    for p in pages:
        text = plain_text(p.body)
        words = textstat.lexicon_count(text)
        grade = textstat.flesch_kincaid_grade(text) if words else 0.0
        note = "reference page" if p.is_reference else str(p.meta.get("grade_exception", ""))
        rows.append((f"docs/{p.rel}", round(grade, 1), words, note))
    return rows


def check_reading_grade(pages: list[Page]) -> tuple[list[Finding], list[tuple]]:
    rows = reading_grades(pages)
    out = []
    for (name, grade, _words, note), p in zip(rows, pages):
        if p.is_reference or grade <= MAX_GRADE:
            continue
        if p.meta.get("grade_exception"):
            out.append(Finding("warning", "reading grade", name, p.meta_lines.get("grade_exception"),
                               f"grade {grade} is above {MAX_GRADE:g}, accepted because: {p.meta['grade_exception']}"))
        else:
            out.append(Finding("error", "reading grade", name, p.body_start,
                               f"reading grade {grade} is above {MAX_GRADE:g}: use shorter sentences and "
                               "everyday words, or justify it with 'grade_exception: <reason>' in the front matter"))
    return out, rows


def check_glossary_coverage(pages: list[Page], terms_file: Path) -> list[Finding]:
    """Medical-looking words on patient pages that the glossary does not define."""
    terms = load_terms(terms_file)
    known = {form.casefold() for t in terms for form in t.spellings()}
    known_words = {w for form in known for w in re.findall(r"[a-z]+", form)}
    out, reported = [], set()
    for p in pages:
        if p.is_reference:
            continue
        for n, line in enumerate(p.body.splitlines(), p.body_start):
            if line.lstrip().startswith(("[^", "```")):
                continue
            for word in MEDICAL_WORD.findall(re.sub(r"\]\([^)]*\)|\{[^}]*\}", "", CITATION.sub("", line))):
                w = word.casefold()
                if w in EVERYDAY or w in known or w in known_words or w.rstrip("s") in known_words or w in reported:
                    continue
                reported.add(w)
                out.append(Finding("warning", "glossary", f"docs/{p.rel}", n,
                                   f"'{word}' is used but not defined in data/terms.yaml"))
    return out


# --- Content a clinician would send patients to (issue 15) -------------------------------
# Site pages (one part of the leg each) and cause pages tell a reader what to do now and
# what to ask; every patient page opens with a summary and has a review record.
SITE_PAGES = {"hip.md", "knee.md", "ankle.md", "talus.md", "foot.md"}
SUMMARY = re.compile(r'^!!! abstract "Key points"', re.M)
ACTIONS = re.compile(r'^!!! tip "What you can do now"\n(?:    .*\n|\s*\n)*?    - \S', re.M)
QUESTIONS = re.compile(r'^!!! \w+ "Questions to ask"', re.M)


def needs_actions(p: Page) -> bool:
    return not p.is_reference and (p.rel in SITE_PAGES or p.rel.startswith("causes/"))


def check_page_structure(pages: list[Page]) -> list[Finding]:
    out = []
    for p in pages:
        if p.is_reference:
            continue
        f = f"docs/{p.rel}"
        if not SUMMARY.search(p.body):
            out.append(Finding("error", "page structure", f, p.body_start,
                               'a patient page opens with a summary: a !!! abstract "Key points" box'))
        if needs_actions(p):
            if not ACTIONS.search(p.body):
                out.append(Finding("error", "page structure", f, p.body_start,
                                   'add a !!! tip "What you can do now" box with a checklist (a list of steps)'))
            if not QUESTIONS.search(p.body):
                out.append(Finding("error", "page structure", f, p.body_start,
                                   'add a !!! question "Questions to ask" box'))
    return out


def check_references(references_file: Path, pages: list[Page]) -> list[Finding]:
    """Every source says who wrote it, when, where to find it and what kind of evidence it
    is; none links to a site that copies other people's papers."""
    from ..site.references import MIRROR_HOSTS, load_references

    refs = load_references(references_file)
    cited = {k for p in pages for k in re.findall(r"\[\^([A-Za-z0-9][A-Za-z0-9-]*)\]", p.body)}
    name = "data/references.yaml"
    out = []
    for key, r in refs.items():
        host = next((h for h in MIRROR_HOSTS if h in r.url), None)
        if host:
            out.append(Finding("error", "references", name, None,
                               f"{key}: links to a copy on {host}; cite the publisher, DOI or PubMed instead"
                               + (" (cited on a page)" if key in cited else "")))
        if not (r.authors or r.organisation or "authors" in r.gaps):
            out.append(Finding("error", "references", name, None,
                               f"{key}: add 'authors' or 'organisation' (or 'gaps: [authors]' if no copy shows them)"))
        paper = bool(r.doi or r.pmid or r.pmc)  # 'accessed' dates a web page, never a paper
        if not (r.year or "year" in r.gaps or (r.accessed and not paper)):
            out.append(Finding("error", "references", name, None,
                               f"{key}: add 'year' ('accessed' for an undated web page, or 'gaps: [year]')"
                               if not (r.accessed and paper) else
                               f"{key}: a paper (DOI, PMID or PMC) needs its 'year'; 'accessed' only stands in "
                               f"for the date of an undated web page"))
        if not r.evidence:
            out.append(Finding("error", "references", name, None,
                               f"{key}: add 'evidence' (guideline, systematic review, cohort study, ...)"))
        if r.gaps and key in cited:
            out.append(Finding("warning", "references", name, None,
                               f"{key}: still missing {' and '.join(r.gaps)}; look it up and fill it in"))
    return out


def check_reviews(pages: list[Page], reviews_file: Path, references_file: Path | None = None) -> list[Finding]:
    """Each patient page has a review record that matches its front matter; pages still
    waiting for a clinician are listed."""
    from ..site.reviews import load_reviews

    records = load_reviews(reviews_file, references_file)
    name = "data/reviews.yaml"
    out = []
    known = {p.rel for p in pages}
    for page, rec in records.items():
        if page not in known:
            out.append(Finding("error", "reviews", name, rec.line, f"'{page}' is not a page under docs/"))
    for p in pages:
        if p.is_reference:
            continue
        f = f"docs/{p.rel}"
        rec = records.get(p.rel)
        if rec is None:
            out.append(Finding("error", "reviews", f, 1,
                               f"no review record in {name}: say who checked the page, when and against what"))
            continue
        reviewed = p.meta.get("reviewed")
        if isinstance(reviewed, dt.date) and rec.latest.date != reviewed:
            out.append(Finding("error", "reviews", f, p.meta_lines.get("reviewed"),
                               f"front matter says reviewed {reviewed}, but the last record in {name} "
                               f"is {rec.latest.date}"))
        if rec.clinical is None:
            out.append(Finding("warning", "clinical review", f, None,
                               "waiting for clinical review (no clinician has signed off this page)"))
    return out


HEADING_WITH_TOOLTIP = re.compile(r"<h([1-6])\b[^>]*>(?:(?!</h\1>).)*<abbr\b", re.S)


def check_built_site(site: Path) -> list[Finding]:
    """What only the built pages show: tooltips in headings, the help page's call links,
    the licence in the footer."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if HEADING_WITH_TOOLTIP.search(path.read_text(encoding="utf-8")):
            out.append(Finding("error", "site", rel, None, "a heading contains a glossary tooltip (<abbr>)"))
    help_page = site / "when-to-get-help" / "index.html"
    if help_page.is_file():
        text = help_page.read_text(encoding="utf-8")
        for link in ('href="tel:999"', 'href="tel:111"', 'href="https://111.nhs.uk/"', 'href="tel:911"'):
            if link not in text:
                out.append(Finding("error", "site", "when-to-get-help/index.html", None,
                                   f"the help page needs a tap-to-call or online link: {link}"))
    home = site / "index.html"
    if home.is_file():
        footer = home.read_text(encoding="utf-8").split('class="md-footer', 1)[-1]
        for words in ("CC BY-SA 4.0", "MIT"):
            if words not in footer:
                out.append(Finding("error", "site", "index.html", None, f"the footer must state the licence ({words})"))
    return out
