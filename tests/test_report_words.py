"""data/report-words.yaml: the explainer's reading words, checked like the specs
(generators/site/report_words.py), and what they must cover."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generators.core import catalog
from generators.core.errors import SpecError
from generators.site.explainer import SITES
from generators.site.report_words import load_report_words
from generators.site.terms import load_terms

ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "data" / "report-words.yaml"
TERMS = load_terms(ROOT / "data" / "terms.yaml")


def test_the_real_file_is_valid_and_matches_the_terms_and_diagrams():
    words = load_report_words(WORDS, TERMS, ROOT / "diagrams")
    data = words.to_json()
    assert set(data["states"]) == {"absent", "normal", "uncertain"}
    for word in ("no", "without", "negative for"):
        assert word in data["states"]["absent"]["before"]
    assert {"unremarkable", "intact", "normal"} <= set(data["states"]["normal"]["either"])
    assert "preserved" in data["states"]["normal"]["after"] and "no abnormality" in data["states"]["normal"]["before"]
    assert {"possible", "likely"} <= set(data["states"]["uncertain"]["either"])
    assert {"in keeping with", "consistent with"} <= set(data["states"]["uncertain"]["before"])
    assert "cannot be excluded" in data["states"]["uncertain"]["after"]
    ids = {loc["id"] for loc in data["locations"]}
    assert {"medial", "lateral", "anterior", "posterior", "posterolateral", "proximal", "distal", "head", "neck",
            "shaft", "base", "dome", "plateau", "condyle", "facet", "first", "second", "third", "fourth", "fifth"} <= ids


def test_every_region_of_the_explainers_diagrams_can_be_named():
    """Each region of a site diagram is drawn for some part of a report, or left to a diagram
    that shows it in more detail; each anatomy term is drawn on its own diagram."""
    data = load_report_words(WORDS, TERMS, ROOT / "diagrams").to_json()
    drawn: dict[str, set[str]] = {}
    named: dict[str, set[str]] = {}
    for part in data["parts"]:
        drawn.setdefault(part["diagram"], set()).update(part["regions"])
        named.setdefault(part["diagram"], set()).update(part["terms"])
    for site in SITES:
        regions = {r.id for r in catalog.load(catalog.find(site)).regions}
        elsewhere = set(data["shown-elsewhere"].get(site, {}))
        assert regions - drawn.get(site, set()) - elsewhere == set(), site
    for t in TERMS:
        if t.category == "anatomy" and t.diagram in SITES:
            assert t.id in named.get(t.diagram, set()), f"{t.id} is drawn on no part of the {t.diagram} diagram"


def test_every_finding_that_needs_a_doctor_is_a_term_that_names_one():
    data = load_report_words(WORDS, TERMS, ROOT / "diagrams").to_json()
    by_id = {t.id: t for t in TERMS}
    assert {"fracture", "collapse", "osteomyelitis", "infection", "tumour"} <= set(data["ask-doctor"])
    assert all(by_id[i].category in ("finding", "cause") for i in data["ask-doctor"])


def _broken(tmp_path, edit) -> str:
    data = yaml.safe_load(WORDS.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "report-words.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_report_words(path, TERMS, ROOT / "diagrams")
    return str(exc.value)


def _line_of(tmp_path, text: str) -> int:
    lines = (tmp_path / "report-words.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip() == text)


CASES = [
    ("an unknown state", lambda d: d["states"].update(maybe={"before": ["perhaps"]}),
     "states.maybe: unknown field 'maybe'"),
    ("a phrase in two states", lambda d: d["states"]["normal"]["before"].append("possible"),
     "duplicate state phrase 'possible'"),
    ("a yes/no read as true or false", lambda d: d["states"]["absent"]["before"].append(False),
     "write the word in quotes"),
    ("an unknown direction", lambda d: d["states"]["absent"].update(around=["no"]),
     "states.absent.around: unknown field 'around'"),
    ("an ask-doctor term that does not exist", lambda d: d["ask-doctor"].append("fractur"),
     "no term in data/terms.yaml 'fractur' (did you mean 'fracture'?)"),
    ("a location on no axis", lambda d: d["locations"].append({"id": "deep", "forms": ["deep"], "plain": "deep"}),
     "give either 'axis'"),
    ("a location on an unknown axis", lambda d: d["locations"].append(
        {"id": "deep", "axis": "depthwise", "forms": ["deep"], "plain": "deep"}), "'depthwise' is not one of"),
    ("a compound of an unknown word", lambda d: d["locations"].append(
        {"id": "posterodeep", "means": ["posterior", "deep"], "forms": ["posterodeep"]}),
     "no location word with an axis 'deep'"),
    ("a location form twice", lambda d: d["locations"][0]["forms"].append("lateral"), "duplicate location form 'lateral'"),
    ("a region not on its diagram", lambda d: d["parts"][0]["regions"].update({"medial-condyle": ["condyle"]}),
     "no region on the knee diagram 'medial-condyle'"),
    ("an unknown diagram", lambda d: d["parts"][0].update(diagram="elbow"), "no anatomy diagram 'elbow'"),
    ("a part's term that does not exist", lambda d: d["parts"][0]["terms"].update({"femoral-condyles": ["condyle"]}),
     "no term in data/terms.yaml 'femoral-condyles'"),
    ("a region picked by an unknown word", lambda d: d["parts"][0]["regions"].update(
        {"medial-femoral-condyle": ["condyle", "inside"]}), "no location word with an axis 'inside'"),
    ("a missing field", lambda d: d.pop("fillers"), "missing required field 'fillers'"),
    ("an unknown field", lambda d: d.update(synonyms=[]), "synonyms: unknown field 'synonyms'"),
]


@pytest.mark.parametrize("edit,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_file_is_reported_with_file_line_and_field(tmp_path, edit, message):
    text = _broken(tmp_path, edit)
    assert message in text, text
    first = next(line for line in text.splitlines() if message in line)
    assert re.match(rf"^{re.escape(str(tmp_path / 'report-words.yaml'))}:\d+: ", first), first


def test_the_line_is_the_line_of_the_bad_value(tmp_path):
    text = _broken(tmp_path, lambda d: d["ask-doctor"].append("fractur"))
    line = int(text.split(": ", 1)[0].rsplit(":", 1)[1])
    assert line == _line_of(tmp_path, "- fractur")


def test_check_reports_a_broken_file(tmp_path):
    """`python -m generators check` names the file, line and field, and exits 1."""
    copy = tmp_path / "repo"
    for part in ("generators", "data", "diagrams"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    words = copy / "data" / "report-words.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("ask-doctor: [fracture,", "ask-doctor: [fractur,"),
                     encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "generators", "check"], cwd=copy, capture_output=True, text=True)
    assert out.returncode == 1
    assert "data/report-words.yaml:" in out.stderr and "ask-doctor[0]: no term in data/terms.yaml 'fractur'" in out.stderr
    assert "Traceback" not in out.stderr
