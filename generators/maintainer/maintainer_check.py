"""``make check``: one command that tells a maintainer what is broken, in plain words.

Runs, in order: spec and data validation; a strict build (into a temporary folder, or
the site given with ``--site``); every internal link and anchor in the built HTML (page
text, diagrams, theme markup: ``sitecheck.check_links``, each page parsed once); content
checks (front matter, review dates, reading grade, sources, glossary coverage, copy check);
the link contract.
Prints every finding as ``LEVEL file:line: message``, then a summary table. Exits 1 on
any error; warnings (such as a review due within 60 days) do not fail it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core import catalog
from .content_checks import (Finding, check_built_site, check_front_matter, check_glossary_coverage,
                             check_page_structure, check_reading_grade, check_references, check_reviews,
                             read_pages)
from ..core.errors import SpecError
from ..site.references import load_references
from ..site.reviews import load_reviews
from .sitecheck import check_contract, check_links
from ..site.report_words import check_file as check_report_words
from ..site.terms import load_terms

ROOT = catalog.ROOT
COPYCHECK = ROOT.parent / "shared" / "tools" / "copycheck.py"


def check_specs() -> list[Finding]:
    out = []
    targets = [(catalog.load, p) for p in catalog.all_specs()]
    targets += [(load_references, ROOT / "data" / "references.yaml"), (load_terms, ROOT / "data" / "terms.yaml")]
    targets += [(load_reviews, ROOT / "data" / "reviews.yaml")]
    targets += [(lambda p: check_report_words(p, ROOT / "data" / "terms.yaml", ROOT / "diagrams"),
                 ROOT / "data" / "report-words.yaml")]
    for loader, path in targets:
        try:
            loader(path)
        except SpecError as exc:
            out += [Finding("error", "specs", p.file, p.line, f"{p.field}: {p.message}" if p.field else p.message)
                    for p in exc.problems]
        except FileNotFoundError:
            out.append(Finding("error", "specs", catalog.display_path(path), None, "file is missing"))
    return out


def build(dest: Path) -> list[Finding]:
    env = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in env:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        env["SOURCE_DATE_EPOCH"] = out.stdout.strip() or "0"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    findings = []
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith(("WARNING", "ERROR")):
            level, _, message = line.partition("-")
            findings.append(Finding("error", "build", "mkdocs build", None, message.strip()))
    if result.returncode and not findings:
        findings.append(Finding("error", "build", "mkdocs build", None, (result.stderr or result.stdout)[-800:]))
    return findings


def copy_check() -> list[Finding]:
    if not COPYCHECK.exists():
        return [Finding("warning", "copy check", str(COPYCHECK), None, "copy check not found; skipped")]
    result = subprocess.run([sys.executable, str(COPYCHECK), "docs"], cwd=ROOT, capture_output=True, text=True)
    out = []
    for line in result.stdout.splitlines():
        if ": copied run" in line:
            file, _, message = line.partition(": ")
            out.append(Finding("error", "copy check", file, None,
                               message + " (from the source article: say it in our own words)"))
    return out


def run(today: dt.date, with_links: bool = True, site: Path | None = None) -> tuple[list[Finding], list[tuple]]:
    """Every check; ``site`` is a site already built from this tree (else it is built here)."""
    findings: list[Finding] = []
    findings += check_specs()
    pages = read_pages(ROOT / "docs")
    grade_findings, grades = check_reading_grade(pages)
    with tempfile.TemporaryDirectory(prefix="bmo-check-") as tmp:
        build_findings = []
        if site is None:
            site = Path(tmp) / "site"
            build_findings = build(site)
            findings += build_findings
        if not build_findings:
            if with_links:
                findings += check_links(site)
            findings += check_contract(site)
            findings += check_built_site(site)
    findings += check_front_matter(pages, today)
    findings += check_page_structure(pages)
    try:
        findings += check_references(ROOT / "data" / "references.yaml", pages)
        findings += check_reviews(pages, ROOT / "data" / "reviews.yaml", ROOT / "data" / "references.yaml")
    except (SpecError, FileNotFoundError):
        pass  # reported by check_specs
    findings += grade_findings
    try:
        findings += check_glossary_coverage(pages, ROOT / "data" / "terms.yaml")
    except (SpecError, FileNotFoundError):
        pass  # reported by check_specs
    findings += copy_check()
    return findings, grades


CHECKS = ["specs", "build", "links", "front matter", "review dates", "sources", "reading grade", "glossary",
          "copy check", "link contract", "page structure", "references", "reviews", "clinical review", "site"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="check review dates as on this day (YYYY-MM-DD)")
    parser.add_argument("--no-links", action="store_true", help="skip the link and anchor check")
    parser.add_argument("--site", type=Path, help="check this site, already built from this tree, "
                        "instead of building one")
    args = parser.parse_args(argv)
    findings, grades = run(args.today, with_links=not args.no_links, site=args.site)

    print("Reading grade (Flesch-Kincaid; patient pages aim for 7 or below)")
    print(f"  {'page':48} {'grade':>5} {'words':>6}  note")
    for name, grade, words, note in grades:
        flag = "" if note or grade <= 7 else "  <- too hard"
        print(f"  {name:48} {grade:5.1f} {words:6d}  {note}{flag}")
    print()
    for f in sorted(findings, key=lambda f: (f.level != "error", f.check, f.file, f.line or 0)):
        print(f)
    print()
    print(f"  {'check':16} {'result':8} {'errors':>6} {'warnings':>8}")
    for name in CHECKS:
        errors = sum(1 for f in findings if f.check == name and f.level == "error")
        warnings = sum(1 for f in findings if f.check == name and f.level == "warning")
        result = "FAIL" if errors else ("skipped" if name == "links" and args.no_links else "ok")
        print(f"  {name:16} {result:8} {errors:6d} {warnings:8d}")
    errors = sum(1 for f in findings if f.level == "error")
    print(f"\n{errors} error(s), {len(findings) - errors} warning(s).")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
