"""Where specs live and which module handles each kind.

``diagrams/anatomy/<id>.yaml`` are anatomy diagrams (module ``anatomy``),
``diagrams/flowcharts/<id>.yaml`` are flowcharts (module ``flowchart``). Each kind
module offers ``load(path) -> model`` (raises SpecError), ``render_svg(model) -> str``,
``render_svgs(model) -> {variant: svg}`` (every variant a page shows; each within the budget)
and ``render_figure(model, page) -> str`` (the SVG inside its <figure> with caption,
text alternative and controls, links made relative to ``page``).
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

from .errors import Problem, SpecError, did_you_mean
from .specfile import display_path  # noqa: F401  (re-exported for callers)

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS_DIR = ROOT / "diagrams"
DOCS_DIR = ROOT / "docs"
KINDS = {"anatomy": "generators.diagrams.anatomy", "flowcharts": "generators.diagrams.flowchart"}


def kind_module(kind: str):
    return importlib.import_module(KINDS[kind])


def all_specs(diagrams_dir: Path = DIAGRAMS_DIR) -> list[Path]:
    return sorted(p for kind in KINDS for p in (diagrams_dir / kind).glob("*.yaml"))


def kind_of(path: Path) -> str:
    kind = Path(path).parent.name
    if kind not in KINDS:
        raise SpecError([Problem(str(path), None, "", f"specs live in diagrams/{{{','.join(KINDS)}}}/, not {kind}/")])
    return kind


def find(spec_id: str, diagrams_dir: Path = DIAGRAMS_DIR) -> Path:
    specs = {p.stem: p for p in all_specs(diagrams_dir)}
    if spec_id not in specs:
        raise SpecError([Problem("(diagram fence)", None, "diagram", f"no diagram spec '{spec_id}'"
                                 f"{did_you_mean(spec_id, specs)} in {display_path(diagrams_dir)}/")])
    return specs[spec_id]


def open_spec(path, docs_dir=None, references=None):
    """What every kind's ``load`` starts from: the parsed spec (with lines), the pages
    folder its links are checked against and the sources file its keys are checked against."""
    from .specfile import load as load_yaml

    path = Path(path)
    docs = DOCS_DIR if docs_dir is None else Path(docs_dir)
    refs = ROOT / "data" / "references.yaml" if references is None else Path(references)
    return load_yaml(path, display_path(path)), docs, refs


def load(path: Path):
    """The validated model of a spec; loaded once per version of the file."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return kind_module(kind_of(path)).load(path)  # reports the unreadable file
    # Keyed on the spec's own mtime: pages showing the same diagram (the explainer shows
    # all five) share one load. Checks against other files (pages, sources) rerun when
    # the spec changes or in a new process (`make check`, CI).
    return _load(path, kind_of(path), mtime)


MAX_SVG_BYTES = 20_000  # the weight budget of one diagram's SVG, each variant (wide, narrow) on its own


@lru_cache(maxsize=64)
def _load(path: Path, kind: str, _mtime: int):
    module = kind_module(kind)
    model = module.load(path)
    for variant, svg in module.render_svgs(model).items():   # each variant a page may show
        size = len(svg.encode("utf-8"))
        if size > MAX_SVG_BYTES:
            raise SpecError([Problem(display_path(path), None, "", f"the diagram's {variant} SVG is {size:,} bytes, "
                                     f"over the {MAX_SVG_BYTES:,}-byte budget: shorten its texts or simplify its "
                                     f"outlines")])
    return model


def render_svg(path: Path) -> str:
    return kind_module(kind_of(path)).render_svg(load(path))


def render_svgs(path: Path) -> dict[str, str]:
    """Every variant of the diagram a page may show (wide, narrow), by name."""
    return kind_module(kind_of(path)).render_svgs(load(path))


def render_figure(path: Path, page: str | None = None) -> str:
    return kind_module(kind_of(path)).render_figure(load(path), page)
