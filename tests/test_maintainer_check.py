"""`make check` catches each kind of breakage with a message a maintainer understands."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from generators.maintainer.content_checks import check_front_matter, check_reading_grade, read_pages
from generators.maintainer.sitecheck import check_contract, check_links

TODAY = dt.date(2026, 11, 30)


def page(tmp_path, name, text):
    path = tmp_path / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_missing_review_date_is_named_with_file_and_field(tmp_path):
    page(tmp_path, "knee.md", """\
        ---
        title: Knee
        description: About the knee.
        next_review: 2029-11-30
        ---
        # Knee
        A claim.[^Smith2020]
        """)
    messages = [str(f) for f in check_front_matter(read_pages(tmp_path / "docs"), TODAY)]
    assert any("docs/knee.md:1: missing 'reviewed' in the front matter" in m for m in messages), messages


def test_overdue_and_soon_due_reviews(tmp_path):
    page(tmp_path, "a.md", "---\ntitle: A\ndescription: d\nreviewed: 2023-01-01\nnext_review: 2026-01-01\n---\nX.[^K]\n")
    page(tmp_path, "b.md", "---\ntitle: B\ndescription: d\nreviewed: 2024-01-01\nnext_review: 2027-01-10\n---\nX.[^K]\n")
    findings = check_front_matter(read_pages(tmp_path / "docs"), TODAY)
    assert [(f.level, f.file, f.line) for f in findings] == [("error", "docs/a.md", 5), ("warning", "docs/b.md", 5)]
    assert "review overdue" in findings[0].message and "review due soon" in findings[1].message


def test_patient_page_without_sources_fails_but_reference_pages_need_none(tmp_path):
    head = "---\ntitle: T\ndescription: d\nreviewed: 2026-11-30\nnext_review: 2029-11-30\n"
    page(tmp_path, "a.md", head + "---\nNo citation here.\n")
    page(tmp_path, "b.md", head + "page_type: reference\n---\nAbout us.\n")
    findings = check_front_matter(read_pages(tmp_path / "docs"), TODAY)
    assert [f.file for f in findings] == ["docs/a.md"] and "must cite its sources" in findings[0].message


def test_hard_reading_level_fails_unless_justified(tmp_path):
    hard = ("Pharmacological interventions encompassing intravenous bisphosphonate administration "
            "demonstrate heterogeneous effectiveness characteristics. ") * 5
    head = "---\ntitle: T\ndescription: d\nreviewed: 2026-11-30\nnext_review: 2029-11-30\n"
    page(tmp_path, "a.md", head + "---\n" + hard)
    page(tmp_path, "b.md", head + "grade_exception: drug names are long\n---\n" + hard)
    findings, rows = check_reading_grade(read_pages(tmp_path / "docs"))
    assert [(f.level, f.file) for f in findings] == [("error", "docs/a.md"), ("warning", "docs/b.md")]
    assert rows[0][1] > 7


@pytest.fixture
def tiny_site(tmp_path):
    site = tmp_path / "site"
    (site / "knee").mkdir(parents=True)
    (site / "old-knee").mkdir()
    (site / "index.html").write_text(
        '<html><body><a href="knee/#acl-tear">ok</a> <a href="knee/#gone">missing anchor</a>'
        ' <a href="hip/">dead</a></body></html>')
    (site / "knee" / "index.html").write_text('<html><body><h2 id="acl-tear">ACL</h2></body></html>')
    (site / "old-knee" / "index.html").write_text(
        '<html><head><meta http-equiv="refresh" content="0; url=../knee/"></head></html>')
    return site


@pytest.mark.parametrize("run", range(3))
def test_dead_link_and_missing_anchor_are_reported_with_page_and_line(tiny_site, run):
    messages = [str(f) for f in check_links(tiny_site)]
    assert any("site/:1: link 'hip/'" in m and "404" in m for m in messages), messages
    assert any("link 'knee/#gone'" in m and "gone" in m and "not found" in m.lower() for m in messages), messages
    assert not any("acl-tear" in m for m in messages)
    assert len(messages) == 2, messages


def test_removed_published_url_fails_and_redirects_count(tiny_site, tmp_path):
    contract = tmp_path / "published-urls.txt"
    contract.write_text("# promised\n\nknee/\nknee/#acl-tear\nold-knee/#acl-tear\nhip/\nknee/#renamed\n")
    findings = check_contract(tiny_site, contract)
    text = "\n".join(map(str, findings))
    assert "published-urls.txt:6: published URL '/hip/' no longer resolves" in text
    assert "published-urls.txt:7: published URL '/knee/#renamed': the section #renamed is gone" in text
    assert "old-knee" not in text  # a redirect keeps a published URL working
    assert "page '/' is not in published-urls.txt" in text  # a new page must be added


def test_broken_spec_fails_the_cli_with_file_line_and_field(tmp_path):
    spec = tmp_path / "anatomy" / "knee.yaml"
    spec.parent.mkdir()
    spec.write_text("id: knee\ntitle: [unclosed\n")
    result = subprocess.run([sys.executable, "-m", "generators", "check", str(spec)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{spec}:" in result.stderr and "not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_make_check_passes_on_the_repository(built_site):
    """The same checks as `make check`, on the site the suite built (the link check runs in
    test_linkcheck.py)."""
    from generators.maintainer.maintainer_check import run

    findings, _ = run(dt.date.today(), with_links=False, site=built_site)
    errors = [str(f) for f in findings if f.level == "error"]
    assert not errors, "\n".join(errors)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def test_make_check_reports_a_dead_link_a_missing_anchor_and_a_broken_diagram_link(built_site, tmp_path):
    """`make check` on a built site with three breakages seeded into one diagram page: a link to a
    page that does not exist and a link to a missing section in the page text, and a diagram
    region (inside the inline SVG) that links to a missing section. Each is reported with the
    page and the line of the element that links."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page_file = next(f for f in sorted(site.rglob("index.html"))
                     if re.search(r'<svg\b[^>]*\bdata-diagram=[^>]*>.*?<a\b[^>]*\bhref="#',
                                  f.read_text(encoding="utf-8"), re.S))
    url = page_file.parent.relative_to(site).as_posix() + "/"
    text = page_file.read_text(encoding="utf-8")
    svg = re.search(r'<svg\b[^>]*\bdata-diagram=', text)
    region = re.compile(r'(<a\b[^>]*\bhref=")#[^"]+(")').search(text, svg.start())
    text = text[:region.start()] + region.group(1) + "#no-such-region" + region.group(2) + text[region.end():]
    heading = re.search(r"<h2\b", text)
    seeded = '<p><a href="../no-such-page/">gone</a>\n<a href="#no-such-section">missing</a></p>\n'
    text = text[:heading.start()] + seeded + text[heading.start():]
    text_line = _line_of(text, text.index(seeded))
    diagram_line = _line_of(text, text.index('href="#no-such-region"'))
    page_file.write_text(text, encoding="utf-8")

    result = subprocess.run([sys.executable, "-m", "generators.maintainer.maintainer_check", "--site", str(site)],
                            cwd=ROOT, capture_output=True, text=True)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert f"ERROR   site/{url}:{text_line}: link '../no-such-page/': no such page or file (404)" in out, out
    assert f"ERROR   site/{url}:{text_line + 1}: link '#no-such-section': anchor '#no-such-section' not found " \
           f"in /{url}" in out, out
    assert f"ERROR   site/{url}:{diagram_line}: link '#no-such-region': anchor '#no-such-region' not found " \
           f"in /{url}" in out, out
    assert re.search(r"^\s+links\s+FAIL\s+3\s", out, re.M), out
