"""The Markdown extension: citations, tooltips, glossary and references lists, and
errors that stop the build instead of becoming a plain code block."""
from __future__ import annotations

import markdown
import pytest

from generators.site.markdown_ext import ContentError

REFS = """\
- key: Smith2020
  authors: Smith A, et al.
  title: A study of bones
  container: J Bones
  year: 2020
  doi: 10.1000/xyz
- key: Clinic-Page
  authors: A Clinic
  title: Bone marrow edema
  url: https://example.org/bme
  kind: clinic-page
"""
TERMS = """\
- id: subchondral
  term: Subchondral
  variants: [sub-chondral]
  explanation: Just under the cartilage.
  link: glossary.md
  category: anatomy
- id: mri
  term: Magnetic resonance imaging
  abbr: [MRI]
  explanation: A scan that uses a magnet.
  link: understanding/tests.md#mri
  category: imaging
"""


@pytest.fixture
def md(tmp_path):
    (tmp_path / "refs.yaml").write_text(REFS)
    (tmp_path / "terms.yaml").write_text(TERMS)

    def convert(text: str) -> str:
        from generators.site.markdown_ext import fence_format, fence_validator
        m = markdown.Markdown(extensions=[
            "footnotes", "abbr", "attr_list", "pymdownx.superfences", "generators.site.markdown_ext"],
            extension_configs={
                "pymdownx.superfences": {"custom_fences": [
                    {"name": n, "class": n, "format": fence_format, "validator": fence_validator}
                    for n in ("diagram", "references", "glossary")]},
                "generators.site.markdown_ext": {"references": str(tmp_path / "refs.yaml"),
                                            "terms": str(tmp_path / "terms.yaml"),
                                            "diagrams_dir": str(tmp_path / "diagrams")}})
        return m.convert(text)
    return convert


def test_citations_get_their_reference_under_a_sources_heading(md):
    out = md("Bones bruise.[^Smith2020] Clinics agree.[^Clinic-Page] Again.[^Smith2020]\n")
    # kept out of the search index (MkDocs' Material and Zensical both honour the mark): the page's
    # own text is what a search should find, and the same sources are listed on the References page
    assert '<h2 data-search-exclude id="sources">Sources</h2>' in out
    assert out.index('id="sources"') < out.index('class="footnote"')
    assert "https://doi.org/10.1000/xyz" in out and "A study of bones" in out
    assert "Clinic web page" in out  # the kind of a weaker source is said
    assert out.count('class="footnote-ref"') == 3


def test_pages_without_citations_get_no_sources_heading(md):
    assert "Sources" not in md("Plain text.\n")


def test_unknown_citation_stops_the_build_with_its_line(md):
    with pytest.raises(ContentError) as err:
        md("Line one.\n\nA claim.[^Smith2021]\n")
    assert "3: citation: no source 'Smith2021'" in str(err.value)


def test_glossary_terms_become_tooltips(md):
    out = md("The MRI showed subchondral change.\n")
    assert '<abbr tabindex="0" title="A scan that uses a magnet.">MRI</abbr>' in out
    assert '<abbr tabindex="0" title="Just under the cartilage.">subchondral</abbr>' in out


def test_glossary_and_references_lists_come_from_the_data_files(md):
    out = md("```glossary\nall\n```\n")
    assert '<dt id="mri">Magnetic resonance imaging</dt>' in out
    assert 'href="../understanding/tests/#mri"' in out  # relative to glossary/
    assert "Also: MRI." in out
    refs = md("```references\nall\n```\n")
    assert refs.index('id="Clinic-Page"') < refs.index('id="Smith2020"')
    assert 'href="https://doi.org/10.1000/xyz"' in refs


def test_unknown_diagram_stops_the_build_instead_of_a_code_block(md, tmp_path):
    (tmp_path / "diagrams" / "anatomy").mkdir(parents=True)
    (tmp_path / "diagrams" / "anatomy" / "knee.yaml").write_text("id: knee\n")
    with pytest.raises(ContentError, match="no diagram spec 'kne' \\(did you mean 'knee'\\?\\)"):
        md("```diagram\nkne\n```\n")


def test_bad_data_file_stops_the_build(md, tmp_path):
    (tmp_path / "refs.yaml").write_text("- key: X\n  title: T\n  yaer: 2020\n")
    with pytest.raises(ContentError) as err:
        md("Claim.[^X]\n")
    text = str(err.value)
    assert "refs.yaml:3: [0].yaer: unknown field 'yaer' (did you mean 'year'?)" in text
    assert "needs at least one of doi, pmid, pmc or url" in text


def test_a_citation_shown_as_code_is_not_cited(md):
    out = md("Write `[^Smith2020]` after the claim.\n")
    assert "Sources" not in out and "<code>[^Smith2020]</code>" in out


def test_handout_qr_code_is_added_once_and_stays_out_of_the_table_of_contents():
    from markdown.treeprocessors import Treeprocessor

    class Page:
        src_uri = "causes/injury.md"

    class RelPath(Treeprocessor):  # what MkDocs registers: it tells which page is built
        file = Page()

        def run(self, root):
            pass

    m = markdown.Markdown(extensions=["toc", "attr_list", "generators.site.markdown_ext"],
                          extension_configs={"generators.site.markdown_ext": {"site_url": "https://x.org/site/"}})
    m.treeprocessors.register(RelPath(m), "relpath", 0)
    out = m.convert("# Title\n\n## First {#first}\n\n## Second {#second}\n")
    assert out.count("data-qr=") == 1 and 'data-qr="https://x.org/site/causes/injury/"' in out
    assert [c["name"] for c in m.toc_tokens[0]["children"]] == ["First", "Second"]


def test_a_term_gets_its_tooltip_on_first_use_only(md):
    out = md("The MRI was clear.\n\nA second MRI and a *third MRI* came later. Subchondral, then subchondral.\n")
    assert out.count("<abbr") == 2
    assert "A second MRI and a <em>third MRI</em> came later." in out
    assert '<abbr tabindex="0" title="Just under the cartilage.">Subchondral</abbr>, then subchondral.' in out


def test_headings_get_no_tooltip_and_the_first_use_in_the_text_keeps_it(md):
    out = md("# What an MRI shows\n\nThe MRI was clear.\n\n## Subchondral bone\n\nSubchondral.\n")
    assert "<h1" in out and "<abbr" not in out.split("</h1>")[0]
    assert "<abbr" not in out.split("<h2")[1].split("</h2>")[0]
    assert '<abbr tabindex="0" title="A scan that uses a magnet.">MRI</abbr> was clear.' in out
    assert '<abbr tabindex="0" title="Just under the cartilage.">Subchondral</abbr>.' in out


def test_the_sources_list_gets_no_tooltip(tmp_path, md):
    # an author's initials ("Smith MRI") are not the term, and a citation is not prose
    (tmp_path / "refs.yaml").write_text(REFS.replace("Smith A, et al.", "Smith MRI, Jones A"))
    out = md("A claim about subchondral bone.[^Smith2020]\n")
    sources = out.split('class="footnote"')[1]
    assert "Smith MRI, Jones A" in sources and "<abbr" not in sources
    assert '<abbr tabindex="0" title="Just under the cartilage.">subchondral</abbr>' in out.split('class="footnote"')[0]


def test_permalinks_and_footnote_back_links_are_named_without_a_title():
    """Named by aria-label (no hover tooltip to set up on each of them), with the same words."""
    m = markdown.Markdown(extensions=["footnotes", "toc", "generators.site.markdown_ext"],
                          extension_configs={"toc": {"permalink": True, "permalink_title": "Link to this section"}})
    out = m.convert("## Part\n\nA claim.[^n]\n\n[^n]: A note.\n")
    assert '<a aria-label="Link to this section" class="headerlink" href="#part">' in out
    assert 'aria-label="Jump back to footnote 1 in the text" class="footnote-backref"' in out
    assert "title=" not in out


def test_each_qr_code_is_made_once_however_many_pages(monkeypatch):
    """The clinicians' table asks for every page's code in turn, and each page for its own: with
    more pages than a bounded cache holds, every request would make its code again."""
    from generators.site import markdown_ext

    made = []
    real = markdown_ext.segno.make
    monkeypatch.setattr(markdown_ext.segno, "make", lambda url, **kw: made.append(url) or real(url, **kw))
    urls = [f"https://x.org/once/page-{i}/" for i in range(300)]
    for _ in range(2):
        for url in urls:
            markdown_ext.qr_svg(url)
    assert len(made) == len(urls)


def test_a_term_is_in_the_tab_order_except_inside_a_link(md):
    out = md("The [MRI scan](x.md) and the subchondral bone.\n")
    assert '<a href="x.md"><abbr title="A scan that uses a magnet.">MRI</abbr> scan</a>' in out
    assert '<abbr tabindex="0" title="Just under the cartilage.">subchondral</abbr>' in out
