"""The search word list (generators/site/search.py) and the terms file's `lay` field."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generators.core.errors import SpecError
from generators.site import search
from generators.site.terms import Term, load_terms

ROOT = Path(__file__).resolve().parent.parent
TERMS_FILE = ROOT / "data" / "terms.yaml"

ENTRY = """\
- id: bone-bruise
  term: Bone bruise
  variants: [bone contusion]
  lay: [{lay}]
  explanation: A bruise of the bone.
  link: mri-report.md#bone-bruise
  category: finding
- id: oedema
  term: Bone marrow oedema
  variants: [marrow oedema]
  explanation: Wetter than normal.
  link: understanding/index.md
  category: finding
"""


def terms_file(tmp_path, lay: str) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(ENTRY.format(lay=lay), encoding="utf-8")
    return path


def test_the_committed_word_list_is_up_to_date():
    committed = (ROOT / search.OUTPUT).read_text(encoding="utf-8")
    assert committed == search.render(TERMS_FILE), (
        f"{search.OUTPUT} is out of date with data/terms.yaml: run `python -m generators search-data`")


def test_lay_phrases_are_loaded_and_searchable(tmp_path):
    terms = load_terms(terms_file(tmp_path, "bruised bone, swelling in the bone"))
    bruise = next(t for t in terms if t.id == "bone-bruise")
    assert bruise.lay == ("bruised bone", "swelling in the bone")
    assert "bruised bone" in bruise.search_forms()
    assert "bruised bone" not in bruise.spellings()  # tooltips and the explainer do not use them


def test_a_lay_phrase_that_is_another_terms_form_is_an_error(tmp_path):
    with pytest.raises(SpecError) as err:
        load_terms(terms_file(tmp_path, "bruised bone, Marrow Oedema"))
    problem = str(err.value.problems[0])  # reported at the later form, naming the lay phrase's line
    assert "duplicate spelling" in problem and "'marrow oedema' (first at line 4)" in problem, problem


def test_a_lay_phrase_must_be_text(tmp_path):
    with pytest.raises(SpecError, match=r"lay\[0\]: expected text"):
        load_terms(terms_file(tmp_path, "''"))


def test_word_list_has_every_form_in_both_spellings_and_site_addresses():
    terms = [Term(id="oedema", term="Bone marrow oedema", explanation="x", link="understanding/index.md",
                  category="finding", abbr=("BMO",), lay=("Swelling-in the bone", "bone swelling")),
             Term(id="stir", term="STIR", explanation="x", link="mri-report.md#stir", category="imaging")]
    data = search.search_data(terms)
    oedema = data["terms"][0]
    assert oedema["forms"] == ["bone marrow oedema", "bone marrow edema", "bmo", "swelling in the bone",
                               "bone swelling"]
    assert oedema["href"] == "understanding/"
    assert oedema["glossary"] == "glossary/#oedema"
    assert data["terms"][1]["href"] == "mri-report/#stir"
    assert ["oedema", "edema"] in data["spellings"]


def test_word_list_is_deterministic_and_small():
    first, second = search.render(TERMS_FILE), search.render(TERMS_FILE)
    assert first == second
    assert len(first.encode()) < 60_000  # read once, when a reader first opens search
    assert {t["id"] for t in json.loads(first)["terms"]} == {t.id for t in load_terms(TERMS_FILE)}


def test_write_touches_nothing_when_up_to_date(tmp_path):
    out = tmp_path / "words.json"
    assert search.write(TERMS_FILE, out) is True
    assert search.write(TERMS_FILE, out) is False
    assert out.read_text(encoding="utf-8") == search.render(TERMS_FILE)
