"""Command line: validate specs and data files, render SVG.

    python -m generators check [FILE ...]       validate (all specs and data files by default;
                                                a FILE is a spec or data/references.yaml, data/terms.yaml)
    python -m generators render SPEC ... --out DIR   write one SVG per spec
    python -m generators search-data            rewrite the search word list from data/terms.yaml
    python -m generators explainer-data         rewrite the report explainer's data documents
                                                (docs/assets/data/explainer/) from the data and specs
    python -m generators outlines [SPEC ...] [--check]   derive bone outlines from 3D meshes
                                                (maintainers; needs numpy, scipy, trimesh, shapely)

Errors are printed one a line as ``file:line: field: message``; exit status 1.
``render`` writes nothing unless every spec is valid.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core import catalog
from .core.errors import SpecError
from .site import search
from .site.references import load_references
from .site.report_words import check_file as check_report_words
from .site.terms import load_terms

DATA = catalog.ROOT / "data"


def _check(paths: list[Path], with_data: bool, data_files: bool = True) -> list[str]:
    problems: list[str] = []
    data_loaders = {"references.yaml": load_references, "terms.yaml": load_terms}
    for path in paths:
        try:
            if data_files and path.name in data_loaders and path.parent.name == "data":  # a data file named on the command line
                data_loaders[path.name](path)
                continue
            catalog.load(path)
        except SpecError as exc:
            problems.extend(str(p) for p in exc.problems)
    if with_data:
        for loader, path in ((load_references, DATA / "references.yaml"), (load_terms, DATA / "terms.yaml")):
            if path.exists():
                try:
                    loader(path)
                except SpecError as exc:
                    problems.extend(str(p) for p in exc.problems)
        words = DATA / "report-words.yaml"     # the explainer's reading words, checked against the terms
        if words.exists() and (DATA / "terms.yaml").exists():
            try:
                check_report_words(words, DATA / "terms.yaml", catalog.ROOT / "diagrams")
            except SpecError as exc:
                problems.extend(str(p) for p in exc.problems)
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["outlines"]:     # its own options; imported only here (the mesh libraries)
        from .diagrams import outlines
        return outlines.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m generators", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate specs (all, with the data files, when none is named)")
    check.add_argument("specs", nargs="*", type=Path)
    render = sub.add_parser("render", help="render specs to SVG files")
    render.add_argument("specs", nargs="+", type=Path)
    render.add_argument("--out", type=Path, required=True, help="folder for the SVG files")
    sub.add_parser("search-data", help=f"rewrite {search.OUTPUT} from data/terms.yaml")
    sub.add_parser("explainer-data", help="rewrite the report explainer's data documents "
                                          "(docs/assets/data/explainer/) from data/ and diagrams/")
    sub.add_parser("outlines", help="derive bone outlines from 3D meshes (see generators/diagrams/outlines.py)")
    args = parser.parse_args(argv)

    if args.command == "search-data":
        try:
            changed = search.write(DATA / "terms.yaml", catalog.ROOT / search.OUTPUT)
        except SpecError as exc:
            print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
            return 1
        print(f"{'wrote' if changed else 'up to date:'} {search.OUTPUT}")
        return 0

    if args.command == "explainer-data":
        from .site import explainer
        try:
            changed = explainer.write_data(catalog.ROOT / "docs", DATA / "terms.yaml", catalog.ROOT / "diagrams")
        except SpecError as exc:
            print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
            return 1
        print("\n".join(f"wrote docs/{rel}" for rel in changed) or f"up to date: docs/{explainer.DATA_DIR}/")
        return 0

    specs = args.specs or catalog.all_specs()
    missing = [p for p in specs if not p.is_file()]
    if missing:
        for p in missing:
            print(f"{p}: no such spec file", file=sys.stderr)
        return 1
    problems = _check(specs, with_data=args.command == "check" and not args.specs,
                      data_files=args.command == "check")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) found; nothing written." if args.command == "render"
              else f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"{len(specs)} spec(s) valid.")
        return 0
    out_problem = _out_problem(args.out)
    if out_problem:
        print(f"{args.out}: --out: {out_problem}; nothing written.", file=sys.stderr)
        return 1
    rendered = {p: catalog.render_svg(p) for p in specs}  # all in memory before any write
    written: list[Path] = []
    try:
        args.out.mkdir(exist_ok=True)
        for path, svg in rendered.items():
            target = args.out / f"{path.stem}.svg"
            target.write_text(svg, encoding="utf-8")
            written.append(target)
    except OSError as exc:
        for target in written:  # all or nothing
            target.unlink(missing_ok=True)
        print(f"{exc.filename or args.out}: --out: cannot write: {exc.strerror}; nothing written.",
              file=sys.stderr)
        return 1
    for target in written:
        print(f"wrote {target}")
    return 0


def _out_problem(out: Path) -> str | None:
    """Why SVG files cannot go into ``out`` (a folder, or a new folder in an existing one)."""
    if out.exists():
        return None if out.is_dir() else "is a file, not a folder"
    if not out.parent.is_dir():
        return f"the folder '{out.parent}' does not exist"
    return None


if __name__ == "__main__":
    sys.exit(main())
