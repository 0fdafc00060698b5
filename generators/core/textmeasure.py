"""Measure text with the font file the site serves, so labels are sized, not guessed.

The widths come from the font's own advance widths (``hmtx``); kerning is ignored.
Browser tests compare these widths with what Chromium draws, so a drift shows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

# the full faces (docs/assets/fonts/ serves the same faces subset to the site's characters)
FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONT_FILES = {
    400: FONT_DIR / "atkinson-hyperlegible-latin-400-normal.woff2",
    700: FONT_DIR / "atkinson-hyperlegible-latin-700-normal.woff2",
}


@lru_cache(maxsize=None)
def _metrics(weight: int) -> tuple[dict[int, int], int, int]:
    font = TTFont(FONT_FILES[weight])
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    widths = {code: hmtx[name][0] for code, name in cmap.items()}
    fallback = hmtx[cmap[ord("M")]][0]
    return widths, fallback, font["head"].unitsPerEm


def text_width(text: str, size: float, weight: int = 400) -> float:
    """Width in px of ``text`` set in the site font at ``size`` px."""
    widths, fallback, upem = _metrics(weight)
    return sum(widths.get(ord(ch), fallback) for ch in text) * size / upem


def wrap(text: str, max_width: float, size: float, weight: int = 400) -> list[str]:
    """Greedy word wrap so that each line measures at most ``max_width``.
    A single word wider than the limit gets a line of its own (callers check)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, size, weight) > max_width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines
