"""The explainer's reading step on its own: docs/assets/js/explainer-reading.js run by Node, with the
real terms (data/terms.yaml) and reading words (data/report-words.yaml), on the sentences of
tests/explainer_reading.yaml and tests/explainer_examples.yaml. (The browser test runs the same
sentences through the page.)"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generators.site.explainer import terms_json, words_json
from generators.site.report_words import load_report_words
from generators.site.terms import load_terms

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "tests" / "js" / "explainer_harness.mjs"
READING = yaml.safe_load((ROOT / "tests" / "explainer_reading.yaml").read_text(encoding="utf-8"))
EXAMPLES = yaml.safe_load((ROOT / "tests" / "explainer_examples.yaml").read_text(encoding="utf-8"))
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node is not installed")


def run(reports: list[str]) -> list[dict]:
    terms = load_terms(ROOT / "data" / "terms.yaml")
    words = load_report_words(ROOT / "data" / "report-words.yaml", terms, ROOT / "diagrams")
    data = {"terms": terms_json(terms, "mri-report.md"), "words": words_json(words, "mri-report.md"), "reports": reports}
    out = subprocess.run([NODE, "--no-warnings", str(HARNESS)], input=json.dumps(data), capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def reading() -> list[dict]:
    return run([e["sentence"] for e in READING])


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    return run([e["sentence"] for e in EXAMPLES])


def test_the_sentences_cover_what_reports_say():
    """At least 60 sentences, every site, location word, state and side."""
    assert len(READING) >= 60
    text = " ".join(e["sentence"].lower() for e in READING)
    for word in ("medial", "lateral", "anterior", "posterior", "posterolateral", "posteromedial", "anterolateral",
                 "superolateral", "proximal", "distal", "head", "neck", "shaft", "base", "dome", "plateau", "condyle",
                 "facet", "first", "second", "third", "fourth", "fifth", "5th"):
        assert re.search(rf"\b{word}\b", text), word
    for cue in ("no ", "without", "negative for", "unremarkable", "intact", "normal", "preserved",
                "no abnormality", "possible", "cannot be excluded", "likely", "in keeping with", "consistent with"):
        assert cue in text, cue
    sites = {d for e in READING for d in e["regions"]}
    assert sites == {"knee", "hip", "ankle", "talus", "foot"}
    states = {s for e in READING for m in e["regions"].values() for s in m.values()}
    assert states == {"finding", "normal", "uncertain"}
    assert {s for e in READING for s in e["sides"]} == {"left", "right", "both"}
    assert sum(len([r for m in e["regions"].values() for r in m]) > 1 for e in READING) >= 15


@pytest.mark.parametrize("i", range(len(READING)), ids=[f"{i:02d}" for i in range(1, len(READING) + 1)])
def test_each_sentence_is_read_into_its_regions_and_states(reading, i):
    e, got = READING[i], reading[i]
    assert got["regions"] == e["regions"], e["sentence"]
    first = {}
    for term, _negated, state in got["marks"]:
        first.setdefault(term, state)
    for term, state in (e.get("states") or {}).items():
        assert term in first, (term, e["sentence"])
        assert first[term] == state, (term, e["sentence"])
    assert got["sides"] == e["sides"], e["sentence"]
    approx = [p["text"] for p in got["parts"] if p["missing"] or not p["regions"]]
    assert approx == e.get("approx", []), e["sentence"]


@pytest.mark.parametrize("i", range(len(EXAMPLES)), ids=[f"{i:02d}" for i in range(1, len(EXAMPLES) + 1)])
def test_the_examples_read_the_same_without_a_page(examples, i):
    e, got = EXAMPLES[i], examples[i]
    assert list(dict.fromkeys(m[0] for m in got["marks"])) == e["terms"]
    assert {m[0] for m in got["marks"] if m[1]} == set(e["negated"])
    assert got["regions"] == e["regions"]


def test_the_reading_functions_one_by_one():
    """tests/js/explainer_units.test.mjs: node's own test runner, on the same module."""
    out = subprocess.run([NODE, "--no-warnings", "--test", str(ROOT / "tests" / "js" / "explainer_units.test.mjs")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert re.search(r"^# pass [1-9]\d*$", out.stdout, flags=re.M) and re.search(r"^# fail 0$", out.stdout, flags=re.M)


def test_hedges_are_not_negations():
    got = run(["Likely stress fracture.", "In keeping with a stress fracture.", "Stress fracture cannot be excluded.",
               "Consistent with a stress fracture.", "Possible stress fracture.", "No stress fracture."])
    assert [g["marks"][0][1:] for g in got] == [[False, "uncertain"]] * 5 + [[True, "absent"]]


def test_an_unknown_word_is_said_and_never_guessed():
    got = run(["Marked enostosis in the talar body. Bone bruise."])[0]
    assert got["unknown"] == ["enostosis"]
    assert [m[0] for m in got["marks"]] == ["talar-body", "bone-bruise"]


def test_a_long_list_is_read_to_its_end():
    """"no x, no x, ... or y": every part of the list is read (the one that made it freeze)."""
    text = ("no effusion, " * 1500) + "or fracture"
    got = run([text])[0]
    assert len(got["marks"]) == 1501 and all(m[1] for m in got["marks"])


# Quoted words on the MRI-report page that are not report words of their own: the page uses
# them to explain a word by its parts ("'Sub' means under") or in its own sentences.
NOT_REPORT_WORDS = {"Sub", "switch off", "Occult"}


def _explained_on_the_site() -> list[tuple[str, str]]:
    """(page, phrase) for every report word the site's pages explain: the headings of the word
    sections of docs/mri-report.md and every word they quote, and the headings of the parts and
    patterns on the anatomy pages."""
    out = []
    text = (ROOT / "docs" / "mri-report.md").read_text(encoding="utf-8")
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title = section.split("\n", 1)[0]
        if not (title.startswith("What do the words") or "clinical correlation" in title):
            continue
        for heading in re.findall(r"^### (.+?)(?: \{#.*\})?$", section, flags=re.M):
            out += [("mri-report.md", p) for p in _names(heading)]
        out += [("mri-report.md", q) for q in re.findall(r'"([^"]+)"', section) if q not in NOT_REPORT_WORDS]
    for page in ("knee", "hip", "ankle", "talus", "foot"):
        text = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
        for heading in re.findall(r"^### (.+?) \{#(?:pattern-)?[a-z0-9-]+\}$", text, flags=re.M):
            out += [(f"{page}.md", p) for p in _names(heading)]
    return out


def _names(heading: str) -> list[str]:
    """'Signal, hyperintense and hypointense' -> ['Signal', 'hyperintense', 'hypointense'];
    'Bone marrow lesion (BML)' -> ['Bone marrow lesion', 'BML']."""
    heading = heading.replace("(", ",").replace(")", "")
    return [p.strip() for p in re.split(r",| and | or ", heading) if p.strip()]


def test_every_report_word_the_site_explains_is_known_to_the_explainer():
    phrases = _explained_on_the_site()
    assert len(phrases) > 60
    got = run([p for _, p in phrases])
    unknown = [(page, phrase, [w for w, kind in g["words"] if kind is None])
               for (page, phrase), g in zip(phrases, got) if any(kind is None for _, kind in g["words"])]
    assert unknown == [], "words the site explains that the explainer does not know:\n" + \
        "\n".join(f"{page}: “{phrase}”: {words}" for page, phrase, words in unknown)
