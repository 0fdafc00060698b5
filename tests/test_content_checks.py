"""Content a clinician would send patients to: each rule of `make check` fails on a page or
source that breaks it, and the repository's own pages and sources pass."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from generators.core.errors import SpecError
from generators.maintainer.content_checks import (check_built_site, check_glossary_coverage,
                                                  check_page_structure, check_references, check_reviews,
                                                  read_pages)
from generators.site.references import EVIDENCE, load_references
from generators.site.reviews import load_reviews

HEAD = "---\ntitle: T\ndescription: d\nreviewed: 2026-12-01\nnext_review: 2029-12-01\n---\n"
SUMMARY = '!!! abstract "Key points"\n    - A point.[^K]\n\n'
ACTIONS = '!!! tip "What you can do now"\n    - Ask your doctor.\n\n'
QUESTIONS = '!!! question "Questions to ask"\n    - What caused it?\n\n'


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def docs(tmp_path, pages: dict[str, str]):
    for name, body in pages.items():
        write(tmp_path / "docs", name, body)
    return read_pages(tmp_path / "docs")


def test_site_and_cause_pages_need_summary_checklist_and_questions(tmp_path):
    pages = docs(tmp_path, {
        "hip.md": HEAD + SUMMARY + QUESTIONS + "Text.[^K]\n",           # no checklist
        "causes/injury.md": HEAD + SUMMARY + ACTIONS + "Text.[^K]\n",   # no questions
        "knee.md": HEAD + SUMMARY + ACTIONS + QUESTIONS + "Text.[^K]\n",
        "faq.md": HEAD + "No summary.[^K]\n",                           # any patient page needs a summary
        "about.md": HEAD.replace("next_review: 2029-12-01\n", "next_review: 2029-12-01\npage_type: reference\n")
                    + "About.\n",
    })
    found = sorted((f.file, f.message.split(":")[0]) for f in check_page_structure(pages))
    assert found == [("docs/causes/injury.md", 'add a !!! question "Questions to ask" box'),
                     ("docs/faq.md", 'a patient page opens with a summary'),
                     ("docs/hip.md", 'add a !!! tip "What you can do now" box with a checklist (a list of steps)')]


def test_a_checklist_box_without_a_list_of_steps_does_not_count(tmp_path):
    plain = '!!! tip "What you can do now"\n    Ask your doctor.\n\n'
    pages = docs(tmp_path, {"foot.md": HEAD + SUMMARY + plain + QUESTIONS + "Text.[^K]\n"})
    assert [f.file for f in check_page_structure(pages)] == ["docs/foot.md"]


REF = """\
- key: Good2020
  authors: Smith J
  title: A study
  year: 2020
  doi: 10.1000/x
  evidence: cohort study
- key: Mirror2019
  authors: Jones K
  title: A copy
  year: 2019
  url: https://c.coek.info/pdf-a-copy.html
  evidence: expert review
- key: NoWho2018
  title: Nobody wrote this
  year: 2018
  doi: 10.1000/y
  evidence: case report
- key: NoYear
  organisation: NHS
  title: A page
  url: https://www.nhs.uk/x/
  evidence: patient information
- key: NoEvidence2017
  authors: Lee A
  title: A trial
  year: 2017
  pmid: '123'
- key: Gap2016
  title: Authors unknown
  year: 2016
  doi: 10.1000/z
  evidence: case series
  gaps: [authors]
"""


def test_references_need_who_when_where_and_evidence_and_no_mirror(tmp_path):
    refs = write(tmp_path, "refs.yaml", REF)
    pages = docs(tmp_path, {"a.md": HEAD + "Claim.[^Mirror2019][^Gap2016]\n"})
    findings = check_references(refs, pages)
    errors = sorted(f.message for f in findings if f.level == "error")
    assert errors == [
        "Mirror2019: links to a copy on coek.info; cite the publisher, DOI or PubMed instead (cited on a page)",
        "NoEvidence2017: add 'evidence' (guideline, systematic review, cohort study, ...)",
        "NoWho2018: add 'authors' or 'organisation' (or 'gaps: [authors]' if no copy shows them)",
        "NoYear: add 'year' ('accessed' for an undated web page, or 'gaps: [year]')",
    ]
    # a recorded gap is not an error, but a cited one stays on the list of work to do
    assert [f.message for f in findings if f.level == "warning"] == [
        "Gap2016: still missing authors; look it up and fill it in"]


def test_reference_loader_rejects_unknown_evidence_and_false_gaps(tmp_path):
    refs = write(tmp_path, "refs.yaml", """\
        - key: A2020
          authors: Smith J
          title: T
          year: 2020
          doi: 10.1000/x
          evidence: anecdote
          gaps: [authors]
        """)
    with pytest.raises(SpecError) as err:
        load_references(refs)
    text = str(err.value)
    assert ":6: [0].evidence: 'anecdote' is not one of guideline" in text
    assert ":7: [0].gaps: lists 'authors' as missing but the entry has authors" in text


def test_citation_shows_organisation_evidence_and_gaps(tmp_path):
    refs = load_references(write(tmp_path, "refs.yaml", REF))
    assert refs["NoYear"].markdown().startswith("NHS. A page.")
    assert "Evidence: cohort study." in refs["Good2020"].markdown()
    assert "Authors not shown in the copies we found." in refs["Gap2016"].markdown()


def test_an_undated_web_page_is_complete_with_its_accessed_date_but_a_paper_is_not(tmp_path):
    refs = write(tmp_path, "refs.yaml", """\
        - key: Page
          organisation: Radiopaedia
          title: Bone marrow oedema
          container: Radiopaedia
          url: https://radiopaedia.org/articles/x
          accessed: 2026-12-01
          kind: reference-work
          evidence: reference work
        - key: Paper
          authors: Smith J
          title: A study
          doi: 10.1000/x
          accessed: 2026-12-01
          evidence: cohort study
        """)
    findings = check_references(refs, docs(tmp_path, {"a.md": HEAD + "Claim.[^Page][^Paper]\n"}))
    assert [f.message for f in findings] == [
        "Paper: a paper (DOI, PMID or PMC) needs its 'year'; 'accessed' only stands in for the date of an "
        "undated web page"]
    text = load_references(refs)["Page"].markdown(links=False)
    # the site that wrote the page is named once, and the citation says the page shows no date
    assert text == ("Radiopaedia. Bone marrow oedema. (Professional reference.) No date shown. "
                    "Accessed 1 December 2026. Evidence: reference work.")


def test_every_real_reference_is_complete_or_says_what_is_missing():
    refs_file = ROOT / "data" / "references.yaml"
    pages = read_pages(ROOT / "docs")
    errors = [str(f) for f in check_references(refs_file, pages) if f.level == "error"]
    assert not errors, "\n".join(errors)
    refs = load_references(refs_file)
    assert {r.evidence for r in refs.values()} <= set(EVIDENCE)


REVIEWS = """\
- page: hip.md
  reviews:
  - date: 2026-12-01
    reviewer: Editorial team
    role: editorial
    against: the sources cited on the page
    changes: Checked.
- page: knee.md
  reviews:
  - date: 2026-11-30
    reviewer: Editorial team
    role: editorial
    against: the sources cited on the page
    changes: Checked.
- page: gone.md
  reviews:
  - date: 2026-12-01
    reviewer: Dr A Patel, consultant rheumatologist
    role: clinical
    against: the sources cited on the page
    changes: Signed off.
"""


def test_reviews_must_exist_match_the_front_matter_and_list_pages_awaiting_a_clinician(tmp_path):
    reviews = write(tmp_path, "reviews.yaml", REVIEWS)
    pages = docs(tmp_path, {"hip.md": HEAD + "A.[^K]\n", "knee.md": HEAD + "B.[^K]\n",
                            "foot.md": HEAD + "C.[^K]\n"})
    findings = check_reviews(pages, reviews)
    got = sorted((f.level, f.check, f.file, f.message.split(" (")[0].split(":")[0]) for f in findings)
    assert got == [
        ("error", "reviews", "data/reviews.yaml", "'gone.md' is not a page under docs/"),
        ("error", "reviews", "docs/foot.md", "no review record in data/reviews.yaml"),
        ("error", "reviews", "docs/knee.md", "front matter says reviewed 2026-12-01, but the last record in "
                                            "data/reviews.yaml is 2026-11-30"),
        ("warning", "clinical review", "docs/hip.md", "waiting for clinical review"),
        ("warning", "clinical review", "docs/knee.md", "waiting for clinical review"),
    ]


def test_a_clinical_review_must_name_a_person(tmp_path):
    reviews = write(tmp_path, "reviews.yaml", REVIEWS.replace("Dr A Patel, consultant rheumatologist",
                                                              "Clinical team"))
    with pytest.raises(SpecError) as err:
        load_reviews(reviews)
    assert ":18: [2].reviews[0].reviewer: a clinical review must name the clinician" in str(err.value)


def test_the_page_says_who_reviewed_it(tmp_path):
    records = load_reviews(write(tmp_path, "reviews.yaml", REVIEWS))
    assert records["hip.md"].status() == (
        "Reviewed by the editorial team against the sources below on 1 December 2026. "
        "Clinical review pending: no doctor or physiotherapist has reviewed this page yet.")
    assert records["gone.md"].status().startswith(
        "Reviewed by Dr A Patel, consultant rheumatologist (clinical review) on 1 December 2026")


def test_every_patient_page_has_a_review_record():
    pages = read_pages(ROOT / "docs")
    findings = check_reviews(pages, ROOT / "data" / "reviews.yaml", ROOT / "data" / "references.yaml")
    assert not [str(f) for f in findings if f.level == "error"]
    assert not [str(f) for f in check_page_structure(pages)]


def test_citation_keys_are_not_taken_for_medical_words(tmp_path):
    terms = write(tmp_path, "terms.yaml", "- id: mri\n  term: MRI\n  explanation: A scan.\n"
                                          "  link: a.md\n  category: imaging\n")
    pages = docs(tmp_path, {"a.md": HEAD + "A hot joint.[^NHS-SepticArthritis] Then osteitis.\n"})
    words = [f.message.split("'")[1] for f in check_glossary_coverage(pages, terms)]
    assert words == ["osteitis"]


def site_with(tmp_path, home: str, help_page: str, other: str = "<h2>Plain</h2>") -> Path:
    site = tmp_path / "site"
    write(site, "index.html", home)
    write(site, "when-to-get-help/index.html", help_page)
    write(site, "knee/index.html", other)
    return site


GOOD_HELP = ('<a href="tel:999">Call 999</a><a href="tel:111">Call 111</a>'
             '<a href="https://111.nhs.uk/">NHS 111 online</a><a href="tel:911">911</a>')
GOOD_HOME = '<footer class="md-footer">Text: CC BY-SA 4.0. Code: MIT licence.</footer>'


def test_built_site_needs_call_links_a_licence_footer_and_plain_headings(tmp_path):
    assert check_built_site(site_with(tmp_path, GOOD_HOME, GOOD_HELP)) == []
    bad = site_with(tmp_path / "bad", '<footer class="md-footer">No licence.</footer>',
                    GOOD_HELP.replace('tel:111', 'tel:0111'),
                    '<h1 id="x">Bone <abbr title="t">MRI</abbr></h1>')
    messages = sorted(f"{f.file}: {f.message}" for f in check_built_site(bad))
    assert messages == [
        "index.html: the footer must state the licence (CC BY-SA 4.0)",
        "index.html: the footer must state the licence (MIT)",
        "knee/index.html: a heading contains a glossary tooltip (<abbr>)",
        'when-to-get-help/index.html: the help page needs a tap-to-call or online link: href="tel:111"',
    ]


def test_built_pages_say_who_reviewed_them_and_pass_the_site_checks(built_site):
    hip = (built_site / "hip" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="bmo-review-status">Reviewed by the editorial team against the sources below on '
            in hip and "Clinical review pending" in hip)
    assert hip.index("bmo-review-status") < hip.index('id="sources"')
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "bmo-review-status" not in about  # pages about the site have no review record
    assert check_built_site(built_site) == []
