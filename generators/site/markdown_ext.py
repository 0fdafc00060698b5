"""Python-Markdown extension: diagrams, citations, glossary tooltips, References and
Glossary lists.

Everything here runs inside Markdown (no MkDocs hook), so any engine that reads
``mkdocs.yml`` and runs Python-Markdown extensions builds the same pages.

- SuperFences custom fences (registered in mkdocs.yml, formatter ``fence_format``):
  ```` ```diagram ```` + a spec id -> the inline SVG figure;
  ```` ```references ```` -> every source; ```` ```glossary ```` -> every term.
- Citations: a footnote label that is a source key (``[^Aravindh2018]``) gets its
  footnote text from ``data/references.yaml``, under a "Sources" heading.
- Tooltips: every term's headword and abbreviations from ``data/terms.yaml`` become
  abbreviations, which Material shows as tooltips.

Errors stop the build with the file, line and field (SuperFences would otherwise turn
a failing fence into a plain code block).
"""
from __future__ import annotations

import datetime as dt
import html
import re
import sys
from pathlib import Path

from functools import lru_cache

import segno
import yaml
import xml.etree.ElementTree as etree
from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.preprocessors import Preprocessor
from pymdownx.superfences import SuperFencesException

from ..core import catalog
from ..core.errors import Problem, SpecError
from ..core.links import page_url, rebase_on_source, relative_href
from .references import load_references
from .reviews import review_status
from .report_words import load_report_words
from .terms import load_terms

try:  # MkDocs prints a BuildError as a clean message, without a traceback.
    from mkdocs.exceptions import BuildError as _EngineError
except ImportError:  # another engine
    _EngineError = Exception


class ContentError(SuperFencesException, _EngineError):
    """Stops the build; the message names the file, line and field."""


FOOTNOTE_REF = re.compile(r"\[\^([A-Za-z0-9][A-Za-z0-9-]*)\](?!:)")
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:", re.M)
SOURCES_MARKER = "///Footnotes Go Here///"  # the footnotes extension's PLACE_MARKER
DEFAULT_PAGE = {"references": "references.md", "glossary": "glossary.md", "explainer": "mri-report.md",
                "handouts": "clinicians.md"}


class BmoExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "diagrams_dir": ["diagrams", "Folder of diagram specs"],
            "references": ["data/references.yaml", "Sources file"],
            "terms": ["data/terms.yaml", "Terms file (glossary, tooltips, explainer)"],
            "reviews": ["data/reviews.yaml", "Review records (who reviewed each page, shown on it)"],
            "docs_dir": ["docs", "Folder of the pages"],
            "site_url": ["", "The site's canonical address, for the handout QR code"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        configs = self.getConfigs()
        md.bmo = {k: Path(v) for k, v in configs.items() if k != "site_url"}
        md.bmo["site_url"] = configs["site_url"]
        md.registerExtension(self)
        # after SuperFences has stashed fenced blocks (priority 25), before block parsing
        md.preprocessors.register(ReviewStatusPreprocessor(md), "bmo_review_status", 21)  # before raw HTML blocks (20)
        md.preprocessors.register(CitationPreprocessor(md), "bmo_citations", 15)
        md.preprocessors.register(TooltipPreprocessor(md), "bmo_tooltips", 14)
        md.preprocessors.register(StrayFencePreprocessor(md), "bmo_stray_fences", 16)
        md.preprocessors.register(FrontMatterPreprocessor(md), "bmo_front_matter", 17)
        md.treeprocessors.register(HandoutQrTreeprocessor(md), "bmo_qr", 1)
        # after the abbr extension has marked every use (its treeprocessor runs at 7)
        md.treeprocessors.register(FirstUseTooltipTreeprocessor(md), "bmo_first_use", 6)
        # after the table of contents has added the section permalinks (its treeprocessor runs at 5)
        md.treeprocessors.register(LinkLabelTreeprocessor(md), "bmo_link_labels", 4)


def makeExtension(**kwargs):
    from ..maintainer import devreload  # no-op unless `make serve` asked for it

    devreload.refresh()
    module = sys.modules[__name__]
    return module.BmoExtension(**kwargs)


def _settings(md) -> dict:
    settings = getattr(md, "bmo", None)
    if settings is None:
        raise ContentError("add 'generators.site.markdown_ext' to markdown_extensions in mkdocs.yml")
    return settings


def current_page(md) -> str | None:
    """The page being built, when the engine tells: MkDocs through its relpath step, Zensical
    through its rendering-context step (``page.path``, the same docs-relative source path)."""
    relpath = md.treeprocessors["relpath"] if "relpath" in md.treeprocessors else None
    file = getattr(relpath, "file", None)
    if file is None and "rendering_context" in md.preprocessors:
        return getattr(getattr(md.preprocessors["rendering_context"], "page", None), "path", None)
    return getattr(file, "src_uri", None)


def _fail(error: SpecError | str, md) -> ContentError:
    """The error as the build reports it; problems without a file get the page's name."""
    page = current_page(md) or "(page)"
    if isinstance(error, SpecError):
        text = "\n".join(str(p).replace("(diagram fence)", f"docs/{page}") for p in error.problems)
    else:
        text = str(error)
    return ContentError(text)


class CitationPreprocessor(Preprocessor):
    """Append the footnote text of every cited source, under a Sources heading."""

    def run(self, lines):
        text = "\n".join(lines)
        prose = INLINE_CODE.sub("", text)  # `[^Key]` in code is an example, not a citation
        cited = list(dict.fromkeys(FOOTNOTE_REF.findall(prose)))
        if not cited:
            return lines
        defined = set(FOOTNOTE_DEF.findall(text))
        try:
            refs = load_references(_settings(self.md)["references"])
        except SpecError as exc:
            raise _fail(exc, self.md) from None
        missing = [k for k in cited if k not in refs and k not in defined]
        if missing:
            problems = [Problem(current_page(self.md) or "(page)", _line_of(lines, f"[^{k}]"), "citation",
                                f"no source '{k}' in {_settings(self.md)['references']}") for k in missing]
            raise _fail(SpecError(problems), self.md)
        # out of the search index (Material and Zensical both honour data-search-exclude): a search
        # finds the page's own words, not its list of sources (the References page has them all)
        extra = ["", "## Sources {#sources data-search-exclude}", "", SOURCES_MARKER, ""]
        extra += [f"[^{k}]: {refs[k].markdown(self.md.htmlStash)}" for k in cited if k not in defined]
        return lines + extra


OUR_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})\s*\{?\s*\.?(diagram|references|glossary|handouts|explainer)\b")


class StrayFencePreprocessor(Preprocessor):
    """One of our fences that SuperFences did not take (it stashes the fences it reads,
    priority 25) has a fence line it cannot read, e.g. ``diagram colour=red`` (values
    need quotes): stop the build instead of showing the fence as text."""

    def run(self, lines):
        for line in lines:
            m = OUR_FENCE.match(line)
            if m:
                page = current_page(self.md) or "(page)"
                number = _source_line(self.md, page, line)
                where = f"docs/{page}:{number}" if number else f"docs/{page}"
                raise ContentError(f"{where}: {m.group(1)} fence: "
                                   f"cannot read the fence line '{line.strip()}' (write ```{m.group(1)} "
                                   f"or ```{m.group(1)} page=\"file.md\")")
        return lines


class FrontMatterPreprocessor(Preprocessor):
    """Every page starts with its front matter (title, description, review dates): a page
    without it stops the build. A page whose ``next_review`` has passed builds with a warning
    (the site stays up; ``make check`` fails on it). The engine has already taken the front
    matter off the text, so the page's file is read (when the engine names the page)."""

    warned: set = set()  # one warning per page and date per process (`mkdocs serve` rebuilds)

    def run(self, lines):
        page = current_page(self.md)
        if not page:
            return lines
        from ..maintainer.content_checks import FRONT_MATTER, REQUIRED

        try:
            text = (_settings(self.md)["docs_dir"] / page).read_text(encoding="utf-8")
        except OSError:
            return lines  # not a file under docs_dir (the engine reports its own pages)
        m = FRONT_MATTER.match(text)
        meta = yaml.safe_load(m.group(1)) if m else None  # the engine has parsed it already
        if not isinstance(meta, dict):
            raise ContentError(f"docs/{page}:1: front matter: missing: start the page with ---, then "
                               f"{', '.join(REQUIRED)}, then ---")
        missing = [name for name in REQUIRED if not meta.get(name)]
        if missing:
            raise ContentError(f"docs/{page}:1: front matter: missing '{missing[0]}'")
        due = meta["next_review"]
        if not isinstance(due, dt.date):
            raise ContentError(f"docs/{page}:{_source_line(self.md, page, 'next_review: ' + str(due)) or 1}: "
                               f"next_review: '{due}' is not a date (write YYYY-MM-DD)")
        if due < dt.date.today() and (page, due) not in self.warned:
            self.warned.add((page, due))
            line = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("next_review:")), 1)
            # printed, not logged: a logged warning would stop the strict build and take the site down
            print(f"WARNING -  docs/{page}:{line}: next_review: review overdue since {due}; review the page "
                  f"and update both dates (make check fails until then)", file=sys.stderr)
        return lines


def _source_line(md, page: str, text: str) -> int | None:
    """The line of ``text`` in the page's file (Markdown sees it without its front matter
    and with fences stashed, so its own line numbers are not the file's)."""
    try:
        source = (_settings(md)["docs_dir"] / page).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((i for i, line in enumerate(source, 1) if line == text), None)


class ReviewStatusPreprocessor(Preprocessor):
    """Say who reviewed the page, from data/reviews.yaml, just above its Sources."""

    def run(self, lines):
        path = _settings(self.md).get("reviews")
        try:
            status = review_status(path, current_page(self.md)) if path else None
        except SpecError as exc:
            raise _fail(exc, self.md) from None
        if not status:
            return lines
        return lines + ["", f'<p class="bmo-review-status">{html.escape(status)}</p>', ""]


def _line_of(lines: list[str], needle: str) -> int | None:
    for i, line in enumerate(lines, 1):
        if needle in line:
            return i
    return None


class TooltipPreprocessor(Preprocessor):
    """Define each glossary headword and abbreviation as an abbreviation (hover tooltip)."""

    def run(self, lines):
        try:
            terms = load_terms(_settings(self.md)["terms"])
        except FileNotFoundError:
            return lines
        except SpecError as exc:
            raise _fail(exc, self.md) from None
        extra = [""]
        for term in terms:
            # The title's value is the explanation as it is: assets/js/tooltips.js shows it as
            # text. Escaped once because the serializer leaves an "&" that starts an entity as it
            # is ("&amp;" would reach the reader as "&"). tests/browser/test_hostile_browser.py
            # and test_tooltips.py check the result.
            tip = html.escape(term.explanation.replace("\n", " "), quote=False)
            forms = {term.term, term.term.lower(), *term.abbr}
            for form in sorted(forms):
                if "]" not in form:
                    # one definition per block: in a single block, Markdown re-tests the rest
                    # of the block after each definition, which is quadratic (build time)
                    extra += [f"*[{form}]: {tip}", ""]
        return lines + extra


HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTROLS = {"a", "button", "label", "summary"}


class FirstUseTooltipTreeprocessor(Treeprocessor):
    """Keep a term's tooltip on its first use on the page only, as a writer explains a
    word once: later uses are plain text (less visual noise, smaller pages)."""

    def run(self, root):
        self._walk(root, set())

    def _walk(self, parent, seen: set[str], plain: bool = False, in_control: bool = False) -> None:
        i = 0
        while i < len(parent):
            child = parent[i]
            if child.tag == "abbr" and len(child) == 0 and plain:
                # no tooltip in a heading (it reaches the contents and the tab title) nor in
                # the Sources list (an author's initials are not a term: "Wang FS")
                _unwrap(parent, i)
                continue
            if child.tag == "abbr" and len(child) == 0:
                key = (child.text or "").casefold()
                if key in seen:
                    _unwrap(parent, i)
                    continue  # the next element now sits at index i
                seen.add(key)
                if not in_control:   # (inside a link the link takes the focus: no control in a control)
                    # in the tab order: assets/js/tooltips.js shows the explanation on focus too
                    child.set("tabindex", "0")
            else:
                self._walk(child, seen, plain or child.tag in HEADINGS or _is_footnotes(child),
                           in_control or child.tag in CONTROLS)
            i += 1


class LinkLabelTreeprocessor(Treeprocessor):
    """The section permalinks and the footnotes' back-links are named by ``aria-label``, not
    ``title``: the same accessible name ("Link to this section", "Jump back to footnote 1 in
    the text"), but no hover tooltip to set up on each of the 40-100 links a page has."""

    CLASSES = {"headerlink", "footnote-backref"}

    def run(self, root):
        for a in root.iter("a"):
            if a.get("title") and self.CLASSES & set((a.get("class") or "").split()):
                a.set("aria-label", a.attrib.pop("title"))


def _is_footnotes(element) -> bool:
    """The footnotes block (the page's Sources list), as Python-Markdown writes it."""
    return element.tag == "div" and "footnote" in (element.get("class") or "").split()


def _unwrap(parent, index: int) -> None:
    """Replace ``parent[index]`` (an element with text only) by its text and tail."""
    child = parent[index]
    text = (child.text or "") + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text
    parent.remove(child)


class HandoutQrTreeprocessor(Treeprocessor):
    """Append a QR code of the page's own canonical address, shown only in print.

    Needs the page being built (MkDocs tells; another engine may not, and then the
    handout simply has no QR code) and ``site_url`` in the extension's config. The
    block is stashed raw HTML, added once to the document (not a postprocessor: those
    also run on every heading's table-of-contents title).
    """

    def run(self, root):
        page = current_page(self.md)
        site_url = _settings(self.md).get("site_url")
        if not page or not site_url:
            return
        block = qr_block(site_url.rstrip("/") + "/" + page_url(page))
        holder = etree.SubElement(root, "p")
        holder.text = self.md.htmlStash.store(block)


@lru_cache(maxsize=None)
def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (scalable; sized by CSS). Made once per address in a
    build: each page's own handout code and its row in the clinicians' table are the same code.
    Not a bounded cache: the table asks for every page's code in turn, and with more pages than
    the bound every request missed (a bound of 256 made each code again, 2.5 ms each, at 400 pages)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=1, border=2, omitsize=True, dark="#000", light="#fff")
    return svg.replace("<svg ", f'<svg role="img" aria-label="QR code: {html.escape(url)}" ', 1)


@lru_cache(maxsize=256)
def qr_block(url: str) -> str:
    svg = qr_svg(url)
    return (f'<div class="bmo-qr" data-qr="{html.escape(url)}">{svg}'
            f'<p>Scan to open this page:<br><span class="bmo-qr-url">{html.escape(url)}</span></p></div>')


# --- fences ---------------------------------------------------------------------------

def fence_validator(language, inputs, options, attrs, md):
    """Accept an optional ``page="x.md"`` on the fence line (the page that shows it, which
    must exist); anything else on the fence line stops the build (SuperFences would
    otherwise show the fence as code and drop the diagram without a word)."""
    where = f"docs/{current_page(md) or '(page)'}"
    unknown = [k for k in inputs if k != "page"] + [k for k in attrs]
    if unknown:
        raise ContentError(f"{where}: {language} fence: unknown option '{unknown[0]}' "
                           f"(the only option is page=\"file.md\")")
    if "page" in inputs:
        page = inputs.pop("page")
        docs = _settings(md)["docs_dir"]
        if not _FENCE_PAGE.fullmatch(page) or (docs.is_dir() and not (docs / page).is_file()):
            raise ContentError(f"{where}: {language} fence: page: no page '{page}' under docs/ "
                               f"(write page=\"knee.md\", the page that shows it)")
        options["page"] = page
    return True


_FENCE_PAGE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.md", re.ASCII)


def fence_format(source, language, class_name, options, md, **kwargs):
    out = _fence_format(source, language, class_name, options, md, **kwargs)
    built = current_page(md)
    if built and "relpath" not in md.treeprocessors:  # Zensical: see links.rebase_on_source
        out = rebase_on_source(out, options.get("page") or built, built)
    return out


def _fence_format(source, language, class_name, options, md, **kwargs):
    try:
        if language == "diagram":
            return _diagram(source, options, md)
        if language == "references":
            return _references(md, options.get("page") or current_page(md) or DEFAULT_PAGE[language])
        if language == "glossary":
            return _glossary(md, options.get("page") or current_page(md) or DEFAULT_PAGE[language])
        if language == "handouts":
            return _handouts(md, options.get("page") or current_page(md) or DEFAULT_PAGE[language])
        if language == "explainer":
            from .explainer import render_explainer

            settings = _settings(md)
            terms = load_terms(settings["terms"])
            words_file = Path(settings["terms"]).with_name("report-words.yaml")   # beside the terms
            words = load_report_words(words_file, terms, settings["diagrams_dir"]) if words_file.is_file() else None
            return render_explainer(terms, settings["diagrams_dir"].resolve(),
                                    options.get("page") or current_page(md) or DEFAULT_PAGE[language], words)
    except SpecError as exc:
        raise _fail(exc, md) from None
    raise ContentError(f"unknown fence '{language}'")


def _diagram(source: str, options: dict, md) -> str:
    spec_ids = source.split()
    settings = _settings(md)
    paths = [catalog.find(spec_id, settings["diagrams_dir"].resolve()) for spec_id in spec_ids or [""]]
    page = options.get("page") or current_page(md)
    script = _script_once(md, catalog.kind_of(paths[0]), page)
    if len(paths) > 1:   # several views of one joint: a view switch and one set of cause buttons
        from ..diagrams.views import render_views

        if any(catalog.kind_of(p) != "anatomy" for p in paths):
            raise SpecError([Problem("(diagram fence)", None, "diagram", "several specs in one fence must all "
                                     "be anatomy diagrams (views of one joint)")])
        return script + render_views([catalog.load(p) for p in paths], page, paths)
    return script + catalog.render_figure(paths[0], page)


# The script an anatomy diagram needs (its stylesheet is linked in the head by the theme override,
# on the pages that show one): linked by the first such diagram on a page, from the page's content,
# which the theme's instant navigation runs again on each page it opens.
DIAGRAM_SCRIPTS = {"anatomy": "assets/js/diagrams.js"}


def script_tag(asset: str, page: str | None, site_url: str | None) -> str:
    """A deferred <script> for ``asset`` (a site-relative path), relative to ``page``, or from the
    site's root path when the engine does not say which page it builds."""
    import posixpath
    from urllib.parse import urlsplit

    from ..core.links import page_url

    if page:
        src = posixpath.relpath(asset, page_url(page) or ".")
    else:
        src = urlsplit(site_url or "/").path.rstrip("/") + "/" + asset
    return f'<script defer src="{html.escape(src)}"></script>'


def _script_once(md, kind: str, page: str | None) -> str:
    asset = DIAGRAM_SCRIPTS.get(kind)
    seen = md.__dict__.setdefault("_bmo_scripts_linked", set())
    if asset is None or (page, asset) in seen:
        return ""
    seen.add((page, asset))
    return script_tag(asset, page, _settings(md).get("site_url")) + "\n"


def _references(md, page: str) -> str:
    refs = load_references(_settings(md)["references"])
    import markdown as _markdown  # a plain converter for the one-line entries
    conv = _markdown.Markdown()
    items = []
    for key, ref in refs.items():
        body = conv.reset().convert(ref.markdown(links=False))
        body = body.removeprefix("<p>").removesuffix("</p>") + " " + ref.links_html()
        items.append(f'<li id="{html.escape(key)}"><span class="ref-key">{html.escape(key)}</span> {body}</li>')
    return '<ol class="bmo-references">\n' + "\n".join(items) + "\n</ol>"


def _handouts(md, page: str) -> str:
    """Every patient page with its short address and a QR code, for clinicians."""
    from ..maintainer.content_checks import read_pages

    settings = _settings(md)
    site_url = settings.get("site_url", "").rstrip("/") + "/"
    rows = []
    for p in read_pages(settings["docs_dir"]):
        if p.is_reference or not p.meta.get("reviewed"):
            continue
        url = site_url + page_url(p.rel)
        title = html.escape(str(p.meta.get("title", p.rel)))
        href = html.escape(relative_href(p.rel, page))
        rows.append(f'<tr><td><a href="{href}">{title}</a></td><td><code>{html.escape(url)}</code></td>'
                    f'<td class="bmo-handout-qr">{qr_svg(url)}</td></tr>')
    return ('<table class="bmo-handouts"><thead><tr><th scope="col">Page</th><th scope="col">Address</th>'
            '<th scope="col">QR code</th></tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>")


def _glossary(md, page: str) -> str:
    terms = sorted(load_terms(_settings(md)["terms"]), key=lambda t: t.term.casefold())
    rows = []
    for t in terms:
        also = [v for v in (*t.abbr, *t.variants) if v.casefold() != t.term.casefold()]
        also_html = f'<span class="glossary-also">Also: {html.escape(", ".join(also))}.</span> ' if also else ""
        more = ""
        if t.link.partition("#")[0] != DEFAULT_PAGE["glossary"]:  # the glossary is the explanation
            href = html.escape(relative_href(t.link, page))
            more = (f'<a href="{href}">Read more<span class="bmo-visually-hidden"> about '
                    f'{html.escape(t.term.lower())}</span></a>')
        rows.append(f'<dt id="{t.id}">{html.escape(t.term)}</dt>\n'
                    f'<dd>{html.escape(t.explanation)} {also_html}{more}</dd>')
    return '<dl class="bmo-glossary">\n' + "\n".join(rows) + "\n</dl>"
