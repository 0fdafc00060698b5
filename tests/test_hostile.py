"""Hostile and careless input, table-driven: every case goes through
``python -m generators check`` (or ``render``) and must give one clear
``file:line: field: message``, exit status 1, no traceback, and write nothing.
The build cases (marked slow) run ``mkdocs build --strict`` on a copy of the project.

Each case is (id, file, change, where, message): ``change`` turns the real file's text
into the hostile one (text or bytes); ``where`` is the text of the line the error must
name (None: no line) and the field; ``message`` a part of the message that must follow.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generators.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
KNEE = (ROOT / "diagrams" / "anatomy" / "knee.yaml").read_text(encoding="utf-8")
TREATMENT = (ROOT / "diagrams" / "flowcharts" / "treatment.yaml").read_text(encoding="utf-8")
REFS = (ROOT / "data" / "references.yaml").read_text(encoding="utf-8")
TERMS = (ROOT / "data" / "terms.yaml").read_text(encoding="utf-8")
FILES = {"knee": ("anatomy/knee.yaml", KNEE), "treatment": ("flowcharts/treatment.yaml", TREATMENT),
         "refs": ("data/references.yaml", REFS), "terms": ("data/terms.yaml", TERMS)}
BOMB = "lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
LONG = "x" * 5000


def sub(old: str, new: str, count: int = 1):
    def change(text: str) -> str:
        assert old in text, f"the real file no longer has {old!r}"
        return text.replace(old, new, count)
    return change


def add(extra: str):
    return lambda text: text + extra


CASES = [
    # --- the file is not UTF-8 text ---------------------------------------------------------
    ("utf-16", "knee", lambda t: t.encode("utf-16"), (1, ""), "the file is UTF-16: save it as UTF-8"),
    ("utf-16-no-bom", "knee", lambda t: t.encode("utf-16-le"), (1, ""), "contains NUL bytes"),
    ("latin-1", "knee", lambda t: sub("right knee from", "right kn\xe9e from")(t).encode("latin-1"),
     ("title: The right kn", ""), "not UTF-8 text (byte 0xe9"),
    ("too-big", "knee", add("#" + "x" * 1_100_000 + "\n"), (None, ""), "more than the 1,000,000 allowed"),
    # --- YAML beyond plain data ----------------------------------------------------------------
    ("tag", "knee", sub("title: The", "title: !foo The"), ("title: !foo", "title"), "the YAML tag '!foo' is not allowed"),
    ("python-name", "knee", sub("title: The right knee from the front", "title: !!python/name:os.system"),
     ("title: !!python", "title"), "the YAML tag '!!python/name:os.system' is not allowed"),
    ("python-apply", "knee", sub("side_labels: {left: Outer side, right: Inner side}",
                                 "side_labels: !!python/object/apply:os.system [echo pwned]"),
     ("side_labels: !!", "side_labels"), "the YAML tag '!!python/object/apply:os.system' is not allowed"),
    ("binary", "knee", sub("title: The right knee from the front", "title: !!binary aGVsbG8="),
     ("title: !!binary", "title"), "the YAML tag '!!binary' is not allowed"),
    ("set", "knee", sub("side_labels: {left: Outer side, right: Inner side}", "side_labels: !!set {left, right}"),
     ("side_labels: !!set", "side_labels"), "the YAML tag '!!set' is not allowed"),
    ("complex-key", "knee", add("? [a, b]\n: c\n"), ("? [a, b]", ""), "a key must be plain text"),
    ("billion-laughs", "knee", add(BOMB), ("  b: &b", "lol.b[0]"), "aliases (*name) are not allowed"),
    ("recursive-alias", "knee", add("loop: &r [*r]\n"), ("loop: &r", "loop[0]"), "aliases (*name) are not allowed"),
    ("alias", "knee", lambda t: sub("title: The", "title: &t The")(t).replace(
        "description: The lower end", "description: *t\nx: The lower end"), ("description: *t", "description"),
     "aliases (*name) are not allowed"),
    ("merge-key", "knee", sub("side_labels: {left: Outer side, right: Inner side}",
                              "side_labels: {<<: {left: Outer side}, right: Inner side}"),
     ("side_labels: {<<", "side_labels"), "merge keys (<<) are not allowed"),
    ("duplicate-key", "knee", add("title: Another title\n"), ("title: Another", "title"),
     "duplicate key 'title' (lines 5 and"),
    ("duplicate-nested-key", "knee", sub("    label: Lateral femoral condyle\n",
                                         "    label: Lateral femoral condyle\n    label: Hijacked\n"),
     ("label: Hijacked", "regions[0].label"), "duplicate key 'label'"),
    ("two-documents", "knee", add("---\nid: other\n"), ("---", ""), "not valid YAML: but found another document"),
    ("deep-nesting", "knee", add("deep: " + "[" * 30 + "]" * 30 + "\n"), ("deep: [[[", "deep" + "[0]" * 24),
     "nested more than 24 levels deep"),
    # --- numbers --------------------------------------------------------------------------------
    ("nan", "knee", sub("size: [640, 600]", "size: [.nan, 600]"), ("size: [.nan", "size[0]"), "'.nan' is not a finite number"),
    ("inf", "knee", sub("scale: 2.9 ", "scale: .inf "),
     ("scale: .inf", "derive.scale"), "'.inf' is not a finite number"),
    ("overflow-to-inf", "knee", sub("size: [640, 600]", "size: [640, 1.0e+400]"), ("size: [640, 1.0e", "size[1]"),
     "is not a finite number"),
    ("out-of-range", "knee", sub("size: [640, 600]", "size: [640, 1000000000000]"), ("size: [640, 1000", "size[1]"),
     "is out of range"),
    ("huge-integer", "knee", sub("size: [640, 600]", "size: [640, " + "9" * 5000 + "]"), ("size: [640, 999", "size[1]"),
     "a number of 5000 characters is too long"),
    ("bad-date", "knee", sub("title: The right knee from the front", "title: 2024-02-30"), ("title: 2024", "title"),
     "cannot read '2024-02-30'"),
    # --- text ------------------------------------------------------------------------------------
    ("long-text", "knee", sub("description: The lower end", f"description: {LONG} The lower end"),
     ("description: xxx", "description"), "is longer than the 4000 allowed"),
    ("control-character", "knee", sub("label: Lateral femoral condyle", 'label: "Lateral\\a femoral condyle"'),
     ("label: \"Lateral", "regions[0].label"), "control character U+0007"),
    ("escape-character", "treatment", sub("text: Bone marrow oedema seen on an MRI scan",
                                          'text: "Bone marrow \\e[31m oedema"'),
     ("text: \"Bone marrow", "nodes[0].text"), "control character U+001B"),
    ("direction-override", "knee", sub("title: The right knee from the front", 'title: "The right \\u202eknee"'),
     ("title: \"The right", "title"), "control character U+202E"),
    ("nul-escape", "knee", sub("title: The right knee from the front", 'title: "The right\\0 knee"'),
     ("title: \"The right", "title"), "control character U+0000"),
    # --- spec values ------------------------------------------------------------------------------
    ("uberon-newline", "knee", sub("uberon: UBERON:0001446", 'uberon: "UBERON:0001446\\n"'),
     ("uberon: \"UBERON:0001446", "bones[0].uberon"), "is not an UBERON id"),
    ("uberon-arabic-digits", "knee", sub("uberon: UBERON:0001446", "uberon: UBERON:\u0660\u0660\u0660\u0661\u0664\u0664\u0666"),
     ("uberon: UBERON:\u0660", "bones[0].uberon"), "is not an UBERON id"),
    ("region-id-newline", "knee", sub("  - id: lateral-femoral-condyle\n", '  - id: "lateral-femoral-condyle\\n"\n'),
     ("  - id: \"lateral-femoral-condyle", "regions[0].id"), "is not a valid id"),
    ("region-missing-section", "knee", sub("link: knee.md#lateral-femoral-condyle", "link: knee.md#no-such-part"),
     ("link: knee.md#no-such-part", "regions[0].link"), "no section '#no-such-part' in docs/knee.md"),
    ("region-javascript-link", "knee", sub("link: knee.md#patella", "link: javascript:alert(1)"),
     ("link: javascript", "regions[2].link"), "must be a page under docs/"),
    ("region-external-link", "knee", sub("link: knee.md#patella", "link: https://evil.example/knee.md"),
     ("link: https://evil", "regions[2].link"), "must be a page under docs/"),
    ("region-parent-link", "knee", sub("link: knee.md#patella", "link: ../../secret.md"),
     ("link: ../../secret", "regions[2].link"), "must be a page under docs/"),
    ("page-with-anchor", "knee", sub("page: knee.md", "page: knee.md#patella"), ("page: knee.md#", "page"),
     "must be a page without #section"),
    ("svg-over-budget", "knee", lambda t: re.sub(r"(    description: )(.*)", lambda m: m.group(1) + "y" * 3900, t),
     (None, ""), "over the 20,000-byte budget"),
    ("path-overflow", "knee", sub("    name: Outer leg bone (fibula)\n",
                                  '    name: Outer leg bone (fibula)\n    outline: "M1e400 384L200 300Z"\n'),
     ('outline: "M1e400', "bones[0].outline"), "shape reaches outside the 640×600 canvas"),
    ("flowchart-missing-section", "treatment", sub("link: treatment/index.md#red-flags", "link: treatment/index.md#nope"),
     ("link: treatment/index.md#nope", "nodes[1].link"), "no section '#nope' in docs/treatment/index.md"),
    ("flowchart-duplicate-key", "treatment", sub("    kind: start\n", "    kind: start\n    kind: warning\n"),
     ("kind: warning", "nodes[0].kind"), "duplicate key 'kind'"),
    # --- sources: identifiers and addresses ------------------------------------------------------
    ("doi-markdown-link", "refs", sub("doi: 10.5435/JAAOS-D-20-00142", "doi: 10.5435/x)[click me](javascript:alert(1))"),
     ("doi: 10.5435/x)", "[1].doi"), "is not a DOI (10.NNNN/suffix)"),
    ("pmid-image", "refs", sub("pmid: '32701688'", "pmid: '32701688)![](https://evil.example/p.gif)'"),
     ("pmid: '32701688)", "[1].pmid"), "is not a PMID (digits only)"),
    ("pmc-bad", "refs", sub("pmc: PMC4340462", "pmc: PMC4340462/../x"), ("pmc: PMC4340462/", "[0].pmc"), "is not a PMC"),
    ("url-javascript", "refs", sub("url: https://pmc.ncbi.nlm.nih.gov/articles/PMC4340462", "url: javascript:alert(1)"),
     ("url: javascript", "[0].url"), "is not a web address"),
    ("url-image", "refs", sub("url: https://pmc.ncbi.nlm.nih.gov/articles/PMC4340462",
                              "url: https://pmc.ncbi.nlm.nih.gov/x)![](https://evil.example/p.gif)"),
     ("url: https://pmc.ncbi.nlm.nih.gov/x)", "[0].url"), "is not a plain web address"),
    ("url-attribute", "refs", sub("url: https://pmc.ncbi.nlm.nih.gov/articles/PMC4340462",
                                  "url: 'https://pmc.ncbi.nlm.nih.gov/\" onmouseover=\"alert(1)'"),
     ("url: 'https://pmc", "[0].url"), "is not a plain web address"),
    ("url-userinfo", "refs", sub("url: https://pmc.ncbi.nlm.nih.gov/articles/PMC4340462",
                                 "url: https://pmc.ncbi.nlm.nih.gov@evil.example/"),
     ("url: https://pmc.ncbi.nlm.nih.gov@", "[0].url"), "is not a plain web address"),
    ("title-blank-lines", "refs", sub("  title: 'Bone bruises in anterior", "  title: |\n    Heading\n\n    # Injected\n  x_title: 'Bone"),
     ("  title: |", "[0].title"), "must be one paragraph"),
    ("year-range", "refs", sub("year: 2015", "year: 99999"), ("year: 99999", "[0].year"), "is not a year"),
    ("refs-duplicate-key", "refs", sub("  year: 2015\n", "  year: 2015\n  year: 2016\n"), ("year: 2016", "[0].year"),
     "duplicate key 'year'"),
    # --- glossary terms --------------------------------------------------------------------------
    ("term-javascript-link", "terms", sub("link: hip.md#acetabulum", "link: javascript:alert(1)"),
     ("link: javascript", "[0].link"), "must be a page under docs/"),
    ("term-external-link", "terms", sub("link: hip.md#acetabulum", "link: https://evil.example/"),
     ("link: https://evil", "[0].link"), "must be a page under docs/"),
    ("term-missing-page", "terms", sub("link: hip.md#acetabulum", "link: hips.md#acetabulum"),
     ("link: hips.md", "[0].link"), "no page 'hips.md' under docs/"),
    ("term-missing-section", "terms", sub("link: hip.md#acetabulum", "link: hip.md#nowhere"),
     ("link: hip.md#nowhere", "[0].link"), "no section '#nowhere' in docs/hip.md"),
    ("term-markup-form", "terms", sub("variants: [acetabular,", "variants: ['<img src=x onerror=alert(1)>',"),
     ("variants: ['<img", "[0].variants[0]"), "must be one line of letters"),
    ("term-blank-lines", "terms", sub("    The cup-shaped socket", "    Text.\n\n    # Injected\n\n    The cup-shaped socket"),
     ("  explanation: >-", "[0].explanation"), "must be one paragraph"),
    ("term-tag", "terms", sub("category: anatomy", "category: !!python/name:os.system", 1),
     ("category: !!python", "[0].category"), "the YAML tag '!!python/name:os.system' is not allowed"),
    ("term-unknown-source", "terms", sub("sources: [Vaananen2021]", "sources: [Vaananen2O21]"),
     ("sources: [Vaananen2O21]", "[0].sources[0]"), "no source 'Vaananen2O21'"),
]


def snapshot(folder: Path) -> dict:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*")}


def write_case(tmp_path: Path, target: str, change) -> Path:
    rel, text = FILES[target]
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    new = change(text)
    path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
    if target == "knee":  # the derived outlines the spec is filled from (diagrams/anatomy/outlines/)
        (path.parent / "outlines").symlink_to(ROOT / "diagrams" / "anatomy" / "outlines")
    if target == "terms":  # terms' links and sources are checked against docs/ and the sources beside
        (tmp_path / "docs").symlink_to(ROOT / "docs")
        (tmp_path / "data" / "references.yaml").symlink_to(ROOT / "data" / "references.yaml")
    return path


def expected_line(path: Path, marker) -> int | None:
    if marker is None or isinstance(marker, int):
        return marker
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return next(i for i, line in enumerate(lines, 1) if marker in line)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gives_a_clear_error_and_writes_nothing(tmp_path, capsys, case):
    name, target, change, (marker, field), message = case
    path = write_case(tmp_path, target, change)
    before = snapshot(tmp_path)
    out = tmp_path / "out"
    for argv in (["check", str(path)], ["render", str(path), "--out", str(out)]):
        if target in ("refs", "terms") and argv[0] == "render":
            continue  # data files are checked, not rendered
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert "Traceback" not in err
        line = expected_line(path, marker)
        where = f"{path}:{line}" if line else str(path)
        lead = f"{where}: {field}: " if field else f"{where}: "
        assert any(p.startswith(lead) and message in p for p in err.splitlines()), \
            f"{argv[0]}: wanted {lead}…{message}…\ngot:\n{err}"
        assert not out.exists() and snapshot(tmp_path) == before, "something was written"


def test_the_command_exits_1_without_a_traceback(tmp_path):
    path = write_case(tmp_path, "knee", add(BOMB))
    result = subprocess.run([sys.executable, "-m", "generators", "check", str(path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "aliases (*name) are not allowed" in result.stderr


@pytest.mark.parametrize("make_out, message", [
    (lambda tmp: (tmp / "a-file.svg").write_text("keep me") and tmp / "a-file.svg", "is a file, not a folder"),
    (lambda tmp: tmp / "no" / "such" / "folder", "does not exist"),
], ids=["out-is-a-file", "out-in-missing-folder"])
def test_render_out_must_be_a_folder(tmp_path, capsys, make_out, message):
    out = make_out(tmp_path)
    before = snapshot(tmp_path)
    assert main(["render", str(ROOT / "diagrams" / "anatomy" / "knee.yaml"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{out}: --out: ") and message in err and "nothing written" in err
    assert snapshot(tmp_path) == before


def test_there_are_enough_cases_of_each_kind():
    kinds = {target for _, target, *_ in CASES}
    assert len(CASES) >= 40 and kinds == set(FILES)


# --- the build -------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the site's sources (the generators are imported from the repository)."""
    dest = tmp_path / "project"
    for name in ("docs", "data", "diagrams"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def build(project: Path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
                          cwd=project, env=env, capture_output=True, text=True)


BUILD_CASES = [
    ("fence-junk", "docs/knee.md", sub("```diagram\n", "```diagram junk\n"),
     "docs/knee.md: diagram fence: unknown option 'junk'"),
    ("fence-unreadable-option", "docs/knee.md", sub("```diagram\n", "```diagram colour=red\n"),
     "docs/knee.md:{line}: diagram fence: cannot read the fence line '```diagram colour=red'", "```diagram colour"),
    ("fence-missing-page", "docs/knee.md", sub("```diagram\n", '```diagram page="kneee.md"\n'),
     "docs/knee.md: diagram fence: page: no page 'kneee.md' under docs/"),
    ("no-front-matter", "docs/faq.md", lambda t: t.split("\n---\n", 1)[1],
     "docs/faq.md:1: front matter: missing"),
    ("hostile-doi", "data/references.yaml",
     sub("doi: 10.5435/JAAOS-D-20-00142", "doi: 10.5435/x)[click me](javascript:alert(1))"),
     "data/references.yaml:{line}: [1].doi: '10.5435/x)[click me](javascript:alert(1))' is not a DOI", "doi: 10.5435/x)"),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_CASES, ids=[c[0] for c in BUILD_CASES])
def test_the_build_stops_with_a_clear_error_and_writes_no_page(project, case):
    name, rel, change, message, *marker = case
    path = project / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    if marker:
        message = message.replace("{line}", str(expected_line(path, marker[0])))
    result = build(project)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert not list((project / "site").rglob("*.html")), "pages were written"


@pytest.mark.slow
def test_an_overdue_review_warns_but_builds(project):
    path = project / "docs" / "faq.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^next_review: .*$", "next_review: 2001-01-01", text, count=1), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    line = expected_line(path, "next_review: 2001")
    assert f"docs/faq.md:{line}: next_review: review overdue since 2001-01-01" in result.stderr


# --- text that Markdown must show as it is ------------------------------------------------------

MARKDOWN_PAYLOADS = [
    "# Heading", "1. listed", "- listed", "> quoted", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))",
    "![p](https://evil.example/p.gif)", "text {: onclick=\"alert(1)\" }", "*[BMO]: <b>x</b>", "`code` **bold** _em_",
    "| a | b |", "[^Other]", "<https://evil.example/>", "&lt;script&gt;", "    indented code",
]


SOURCE_TEXT_FIELDS = ("title", "authors", "container", "details", "note")


def convert_with_sources(tmp_path, payload: str) -> str:
    """A page citing one source whose every text field ends with ``payload``, and the
    References list, through the site's Markdown extensions."""
    import markdown
    import yaml

    from generators.site import markdown_ext as ext

    refs = tmp_path / "references.yaml"
    source = {"key": "Hostile", "doi": "10.1000/x", **{f: f"{f} {payload}" for f in SOURCE_TEXT_FIELDS}}
    refs.write_text(yaml.safe_dump([source]), encoding="utf-8")
    fences = [{"name": "references", "class": "references", "format": ext.fence_format,
               "validator": ext.fence_validator}]
    md = markdown.Markdown(extensions=["footnotes", "attr_list", "abbr", "md_in_html", "pymdownx.superfences",
                                       ext.BmoExtension(references=str(refs), terms=str(tmp_path / "none.yaml"),
                                                        diagrams_dir=str(ROOT / "diagrams"),
                                                        docs_dir=str(ROOT / "docs"))],
                           extension_configs={"pymdownx.superfences": {"custom_fences": fences}})
    return md.convert("A claim.[^Hostile]\n\n```references\n```\n")


def elements(html_text: str) -> list[tuple]:
    """Every element with its attributes, in order (the page's markup without its text)."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, tuple(attrs)))

    Parser().feed(html_text)
    return found


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_source_text_cannot_make_markup(tmp_path, payload):
    out = elements(convert_with_sources(tmp_path, payload))
    plain = elements(convert_with_sources(tmp_path, "plain words"))  # the same page without markup
    assert out == plain
    assert out.count(("a", (("href", "https://doi.org/10.1000/x"),))) == 2  # the footnote and the list
