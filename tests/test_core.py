"""The shared core: YAML with line numbers, checks and their messages, links, text measure."""
from __future__ import annotations

import pytest

from generators.core import links
from generators.core.checks import Checker
from generators.core.errors import SpecError, did_you_mean
from generators.core.specfile import field_name, load
from generators.core.textmeasure import text_width, wrap


def write(tmp_path, text, name="spec.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_are_remembered_for_nested_values(tmp_path):
    src = load(write(tmp_path, "id: knee\nregions:\n  - id: a\n    bone: femur\n  - id: b\n    bone: tibia\n"))
    assert src.line("regions", 1, "bone") == 6
    assert src.line("regions", 1, "missing") == 5  # falls back to the parent
    assert field_name(("regions", 1, "bone")) == "regions[1].bone"


def test_bad_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "id: knee\nregions:\n  - id: [a\n")
    with pytest.raises(SpecError) as err:
        load(path)
    assert f"{path}:" in str(err.value) and "not valid YAML" in str(err.value)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(SpecError, match="the file is empty"):
        load(write(tmp_path, ""))
    with pytest.raises(SpecError, match="cannot read file"):
        load(tmp_path / "nope.yaml")


def test_checker_reports_every_problem_with_field_and_suggestion(tmp_path):
    src = load(write(tmp_path, "id: Knee X\ntitel: x\nsize: big\n"))
    c = Checker(src)
    c.mapping((), src.data, {"id": str, "title": str}, {"size": int})
    c.ident(("id",), src.data["id"])
    messages = [str(p) for p in c.problems]
    assert any(":1: id: 'Knee X' is not a valid id" in m for m in messages)
    assert any(":2: titel: unknown field 'titel' (did you mean 'title'?)" in m for m in messages)
    assert any("missing required field 'title'" in m for m in messages)
    assert any(":3: size: expected a whole number, got text 'big'" in m for m in messages)
    with pytest.raises(SpecError):
        c.raise_if_any()


def test_duplicates_and_references(tmp_path):
    src = load(write(tmp_path, "bones:\n  - femur\n  - femur\nref: femurr\n"))
    c = Checker(src)
    c.unique([(("bones", i), b) for i, b in enumerate(src.data["bones"])], "bone id")
    c.ref(("ref",), src.data["ref"], {"femur", "tibia"}, "bone")
    text = "\n".join(map(str, c.problems))
    assert ":3: bones[1]: duplicate bone id 'femur' (first at line 2)" in text
    assert ":4: ref: no bone 'femurr' (did you mean 'femur'?)" in text


def test_did_you_mean_is_quiet_without_a_close_match():
    assert did_you_mean("xyz", ["femur"]) == ""


@pytest.mark.parametrize("link,page,expected", [
    ("knee.md#a", "knee.md", "#a"),
    ("knee.md", "index.md", "knee/"),
    ("causes/injury.md", "causes/index.md", "injury/"),
    ("treatment/surgery.md#core", "causes/index.md", "../treatment/surgery/#core"),
    ("index.md", "knee.md", "../"),
    ("causes/index.md", "causes/index.md", "./"),
])
def test_links_are_relative_to_the_page_showing_the_diagram(link, page, expected):
    assert links.relative_href(link, page) == expected


def test_missing_pages_are_found(tmp_path):
    (tmp_path / "knee.md").write_text("# Knee")
    assert links.missing_page("knee.md#x", tmp_path) is None
    assert links.missing_page("kne.md", tmp_path) == "kne.md"
    assert links.missing_page("https://example.org", tmp_path) == "https://example.org"


def test_text_is_measured_with_the_site_font():
    narrow, wide = text_width("iiii", 16), text_width("MMMM", 16)
    assert 0 < narrow < wide
    assert text_width("Knee", 32) == pytest.approx(2 * text_width("Knee", 16))
    assert text_width("Knee", 16, weight=700) > text_width("Knee", 16)


def test_wrap_fits_each_line():
    lines = wrap("Transient bone marrow oedema syndrome of the hip", 120, 14)
    assert len(lines) > 1 and all(text_width(line, 14) <= 120 for line in lines)
    assert " ".join(lines) == "Transient bone marrow oedema syndrome of the hip"
