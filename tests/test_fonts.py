"""The served font faces are subsets (generators/maintainer/fonts.py): every character the site's
own text uses must be in them, with the full face's widths, and each must stay small."""
from __future__ import annotations

from fontTools.ttLib import TTFont

from generators.maintainer import fonts


def test_every_character_of_the_site_is_in_the_served_faces():
    gaps = fonts.missing()
    assert not gaps, f"characters missing from the served fonts: {gaps}; run: python -m generators.maintainer.fonts"


def test_the_subset_keeps_the_full_faces_widths_and_is_small():
    for face in fonts.FACES:
        name = fonts.FILE.format(face=face)
        full, served = TTFont(fonts.FULL_DIR / name), TTFont(fonts.OUT_DIR / name)
        full_cmap, served_cmap = full.getBestCmap(), served.getBestCmap()
        assert set(served_cmap) < set(full_cmap)
        for code in served_cmap:
            assert served["hmtx"][served_cmap[code]][0] == full["hmtx"][full_cmap[code]][0], (face, chr(code))
        assert (fonts.OUT_DIR / name).stat().st_size < 9_000, f"{name} is no longer a small subset"


def test_a_character_the_subset_lacks_is_reported(tmp_path):
    for sub in ("fonts", "docs/assets/fonts"):
        (tmp_path / sub).mkdir(parents=True)
        for face in fonts.FACES:
            src = (fonts.FULL_DIR if sub == "fonts" else fonts.OUT_DIR) / fonts.FILE.format(face=face)
            (tmp_path / sub / src.name).write_bytes(src.read_bytes())
    # characters the full face has and the site does not use (yet), whatever the pages say today
    full = TTFont(fonts.FULL_DIR / fonts.FILE.format(face="400-normal")).getBestCmap()
    used = fonts.site_characters()
    expected = [chr(c) for c in sorted(full) if chr(c).isprintable() and not chr(c).isspace()
                and chr(c) not in used][:4]
    assert expected, "the example needs a character the full face has and the site does not use"
    (tmp_path / "docs" / "page.md").write_text(f"Schäfer’s sign: {' '.join(expected)}", encoding="utf-8")
    gaps = fonts.missing(tmp_path)
    assert gaps["400-normal"] == sorted(expected)
