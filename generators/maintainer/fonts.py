"""The site font, cut down to the characters the site writes.

``fonts/`` holds the full Atkinson Hyperlegible faces (Latin, SIL OFL 1.1); text measurement
(``generators/core/textmeasure.py``) reads them. The browser gets ``docs/assets/fonts/``:
the same faces subset to the characters of the site's own text (pages, data, diagram specs,
the strings our scripts and the theme write), without hinting, keeping the advance widths and
kerning, so a label measured with the full face is drawn at the same width. About 6 kB a face
instead of 17 kB.

    python -m generators.maintainer.fonts          # rewrite docs/assets/fonts/*.woff2
    python -m generators.maintainer.fonts --check  # exit 1 if a character is missing

The faces are declared at the top of ``docs/assets/css/site.css`` (not in a stylesheet of
their own: one render-blocking request less), the same four files under two names, so that
nothing moves when a font arrives:

- "Atkinson Hyperlegible Text", the page text: ``font-display: optional``. The regular and bold
  faces are preloaded (``docs/overrides/main.html``), so they are there for the first paint on
  all but the slowest connections; there the text keeps the system font (and does not reflow),
  and the next page opened has the font.
- "Atkinson Hyperlegible", the text in the diagrams (SVG labels, measured for this font by
  ``generators/core/textmeasure.py``): ``font-display: swap``. A diagram's size is fixed by its
  viewBox, so a label that swaps its font moves nothing around it.

A character that a page needs and the subset lacks would be drawn in a fallback font; the unit
test ``tests/test_fonts.py`` fails then (with this command to run). Output is deterministic.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FULL_DIR = ROOT / "fonts"
OUT_DIR = ROOT / "docs" / "assets" / "fonts"
FACES = ("400-normal", "700-normal", "400-italic", "700-italic")
FILE = "atkinson-hyperlegible-latin-{face}.woff2"
# where the site's visible text comes from
SOURCES = ("docs/**/*.md", "docs/overrides/**/*.html", "docs/assets/js/*.js", "data/*.yaml",
           "diagrams/**/*.yaml", "mkdocs.yml", "generators/**/*.py")
# always kept: printable ASCII, no-break space and the usual typographic punctuation (the theme's
# own strings, and what a reader pastes into the explainer, mostly)
ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "\u00a0\u00a9\u00b7\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026"


def site_characters(root: Path = ROOT) -> set[str]:
    chars = set(ALWAYS)
    for pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable() or c == "\u00a0"}


def subset_face(src: Path, dest: Path, chars: set[str]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence names
    font = TTFont(src, recalcTimestamp=False)
    cmap = font.getBestCmap()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars if ord(c) in cmap))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(dest, reorderTables=True)


def missing(root: Path = ROOT) -> dict[str, list[str]]:
    """For each served face, the site characters the full face has and the subset lacks."""
    from fontTools.ttLib import TTFont

    chars = site_characters(root)
    out = {}
    for face in FACES:
        full = TTFont(root / "fonts" / FILE.format(face=face)).getBestCmap()
        served = TTFont(root / "docs" / "assets" / "fonts" / FILE.format(face=face)).getBestCmap()
        lacking = sorted(c for c in chars if ord(c) in full and ord(c) not in served)
        if lacking:
            out[face] = lacking
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        gaps = missing()
        for face, chars in gaps.items():
            print(f"docs/assets/fonts/{FILE.format(face=face)}: lacks {''.join(chars)!r}; "
                  "run: python -m generators.maintainer.fonts")
        return 1 if gaps else 0
    chars = site_characters()
    for face in FACES:
        dest = OUT_DIR / FILE.format(face=face)
        subset_face(FULL_DIR / FILE.format(face=face), dest, chars)
        print(f"{dest.relative_to(ROOT)}: {dest.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
