"""The "Explain my report" widget: a reader pastes an MRI report and the browser marks
the words it knows, lists them with plain explanations and shows where the named
parts are on the anatomy diagrams.

``render_explainer(terms, diagrams_dir, page)`` returns the widget's HTML for the
```` ```explainer ```` fence: the text box, its buttons and the empty results, and the address
of the widget's data (``data-explainer-data``). Everything the script needs only once a reader
types or pastes a report is in that data document, not in the page (a lighter first visit):
``data_document(terms, diagrams_dir, page, words)`` writes it, a small HTML file
(``docs/assets/data/explainer/<page>.html``, committed; ``python -m generators explainer-data``
rewrites it, and a test fails when it is out of date) with

- the terms as JSON (``<script type="application/json" id="explainer-terms">``, built from
  ``data/terms.yaml``) and the reading words of ``data/report-words.yaml`` as JSON
  (``id="explainer-words"``);
- the site diagrams (``data-explainer-diagrams``), their stylesheets and ``diagrams.js``.

Its addresses are written for the page that shows the widget (its ``<base href>`` is that
page), so the script uses them as they are and the site's link check reads them where they
are. The script (``docs/assets/js/explainer.js``) fetches it the first time the reader
reaches for the text box; it reads the report on the reader's device only: nothing is sent
and nothing is stored. Without JavaScript the tool is hidden (by CSS) and a <noscript>
message points to the word list on the page and to the glossary.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

from ..core import catalog
from ..core.files import write_if_changed
from ..core.links import page_url, relative_href
from .report_words import ReportWords
from .terms import Term

SITES = ("hip", "knee", "ankle", "talus", "foot")   # the site diagrams, in the order they show
SCRIPT = "assets/js/explainer.js"
STYLESHEET = "assets/css/explainer.css"
DIAGRAM_SCRIPT = "assets/js/diagrams.js"
DIAGRAM_STYLESHEETS = ("assets/css/diagrams.css", "assets/css/diagram-views.css")
DATA_DIR = "assets/data/explainer"     # under docs/: one data document per page with the widget
GLOSSARY = "glossary.md"
HELP = "when-to-get-help.md"
MAX_CHARS = 20_000

# Abbreviations that spell an everyday word ("SpA" / "spa", "US" / "us") only count when
# written in the case the terms file gives; every other form matches in any case.
EVERYDAY_WORDS = frozenset("""
a am an and as at be by do go he if in is it me my no of on or so to up us we
all any are ask bad can did due for has him his how its let may not now off old one our out
own per put see set she the too two was way who why yes yet you arm leg hip toe spa pet mad
""".split())

# UK and US spellings: each form also matches its other spelling (unless that spelling
# belongs to another term).
SPELLINGS = (("oedema", "edema"), ("oedemat", "edemat"), ("haem", "hem"), ("ischaem", "ischem"),
             ("anaem", "anem"), ("paediatric", "pediatric"), ("orthopaed", "orthoped"),
             ("tumour", "tumor"), ("centre", "center"), ("fibre", "fiber"), ("oestrogen", "estrogen"),
             ("oesophag", "esophag"), ("localis", "localiz"), ("mineralis", "mineraliz"),
             ("computeris", "computeriz"), ("pressuris", "pressuriz"))


def render_explainer(terms: list[Term], diagrams_dir: Path, page: str, words: ReportWords | None = None) -> str:
    """The widget HTML for ``page`` (a docs-relative path such as 'mri-report.md'); ``words``:
    the reading words (data/report-words.yaml), without which only terms and "no ..." are read."""
    e = html.escape
    here = page_url(page) or "."
    script_src = posixpath.relpath(SCRIPT, here)
    css_href = posixpath.relpath(STYLESHEET, here)
    glossary = relative_href(GLOSSARY, page)
    data_href = posixpath.relpath(data_path(page), here)
    out = [
        f'<div class="explainer" id="explain-tool" data-explainer data-explainer-data="{e(data_href)}">',
        f'<link rel="stylesheet" href="{e(css_href)}">',
        '<noscript><p class="explainer__noscript" data-explainer-noscript>'
        'The report explainer needs JavaScript, which is switched off in this browser. '
        'The words that reports use are explained in the sections below, and every word is in the '
        f'<a href="{e(glossary)}">glossary</a>.</p></noscript>',
        # shown from the first paint, so nothing moves when the script starts; without JavaScript
        # explainer.css hides it (@media (scripting: none)) and the <noscript> message shows
        '<div class="explainer__tool" data-explainer-tool>',
        '<p class="explainer__privacy" id="explainer-privacy" data-explainer-privacy>'
        '<strong>Private:</strong> your report stays on this device. This page reads it in your browser. '
        'It is not sent anywhere and it is not saved.</p>',
        '<label class="explainer__label" for="explainer-input">Paste or type the words of your MRI report</label>',
        '<p class="explainer__hint" id="explainer-hint">For example, the "Findings" and "Conclusion" parts. '
        'You can leave out your name and dates. This tool explains words only: it cannot say what your report '
        'means for you, and it can misread a sentence. Your doctor can.</p>',
        '<textarea class="explainer__input" id="explainer-input" data-explainer-input rows="7" '
        'aria-describedby="explainer-hint explainer-privacy" spellcheck="false" autocomplete="off" '
        'autocapitalize="off" data-gramm="false" data-enable-grammarly="false"></textarea>',
        '<p class="explainer__limit" data-explainer-limit hidden></p>',
        '<div class="explainer__buttons">'
        '<button type="button" class="explainer__button explainer__button--main" data-explainer-run>Explain</button> '
        '<button type="button" class="explainer__button" data-explainer-clear>Clear</button></div>',
        '<p class="explainer__status" role="status" aria-live="polite" data-explainer-status></p>',
        '<div class="explainer__results" data-explainer-results-area hidden>',
        '<p class="explainer__side" data-explainer-side hidden></p>',
        '<p class="explainer__unknown" data-explainer-unknown hidden></p>',
        '<h3 class="explainer__heading" id="explainer-report-heading">Your report, with the words we know '
        'marked</h3>',
        '<p class="explainer__key"><span class="explainer__swatch">Marked like this</span>: a word explained '
        'below. <span class="explainer__swatch explainer__swatch--absent">Marked like this</span>: the report '
        'says it is not present. <span class="explainer__swatch explainer__swatch--normal">Marked like this'
        '</span>: the report says it looks normal. <span class="explainer__swatch explainer__swatch--uncertain">'
        'Marked like this</span>: the report is not sure.</p>',
        '<div class="explainer__report" data-explainer-output role="region" tabindex="0" '
        'aria-labelledby="explainer-report-heading"></div>',
        '<h3 class="explainer__heading" id="explainer-list-heading">The words, in the order they appear</h3>',
        '<ol class="explainer__list" data-explainer-list aria-labelledby="explainer-list-heading"></ol>',
        '</div>',
    ]
    out += [
        '</div>',
        f'<script type="module" src="{e(script_src)}"></script>',
        '</div>',
    ]
    return "\n".join(out)


def data_path(page: str) -> str:
    """Where the data document of the widget on ``page`` is, docs-relative:
    'mri-report.md' -> 'assets/data/explainer/mri-report.html' (an index page's is 'index-page.html':
    a file named index.html would be a page of the site)."""
    stem = re.sub(r"(^|/)index$", r"\1index-page", page[:-3] if page.endswith(".md") else page)
    return f"{DATA_DIR}/{stem}.html"


def data_document(terms: list[Term], diagrams_dir: Path, page: str, words: ReportWords | None = None) -> str:
    """The data document of the widget on ``page``: what the script needs once a reader types
    or pastes a report (see the module's docstring). Deterministic."""
    e = html.escape
    here = page_url(page) or "."
    data_folder = posixpath.dirname(data_path(page))
    base = posixpath.relpath(here, data_folder) + "/"
    figures = _figures(terms, diagrams_dir, page)
    markup = "".join(figure for _, figure in figures)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Data of the report explainer on {e(page)}</title>",
        '<meta name="robots" content="noindex">',
        # every address below is written for the page that shows the widget
        f'<base href="{e(base)}">',
    ]
    if figures:
        head += [f'<link rel="stylesheet" href="{e(posixpath.relpath(css, here))}">'
                 for css in DIAGRAM_STYLESHEETS if css != DIAGRAM_STYLESHEETS[1] or "bmo-views" in markup]
    head += [
        "</head>",
        "<body>",
        '<p>The words and drawings of the report explainer, read by its script on '
        '<a href="./">the page that shows it</a>.</p>',
        f'<script type="application/json" id="explainer-terms">{script_json(terms_json(terms, page))}</script>',
        f'<script type="application/json" id="explainer-words">{script_json(words_json(words, page))}</script>',
    ]
    out = head
    if figures:
        # kept hidden until a report names a part; search finds the diagrams on their own pages
        out.append('<div class="explainer__diagrams" data-explainer-diagrams hidden>'
                   '<h3 class="explainer__heading" data-search-exclude="true">Where the parts named in your report are</h3>'
                   '<p class="explainer__hint" data-explainer-diagram-note data-search-exclude="true">The coloured areas show where '
                   'these parts of the body are.</p>'
                   '<ul class="explainer__approx" data-explainer-approx hidden></ul>')
        for site, figure in figures:
            figure = figure.replace("<figure ", "<figure data-search-exclude=\"true\" ", 1)
            out.append(f'<div class="explainer__site" data-explainer-site="{e(site)}" hidden>{figure}</div>')
        out.append('</div>')
        # diagrams.js: its highlight() marks the parts a report names on the diagrams
        out.append(f'<script defer src="{e(posixpath.relpath(DIAGRAM_SCRIPT, here))}"></script>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def terms_json(terms: list[Term], page: str) -> list[dict]:
    """The compact term list the script reads: every spelling, links relative to ``page``."""
    owners = {form.casefold(): t.id for t in terms for form in t.spellings()}
    out = []
    for t in terms:
        forms, exact = [], []
        seen: set[str] = set()
        for form in t.spellings():
            key = form.casefold()
            if key in seen:
                continue
            seen.add(key)
            (exact if form in t.abbr and key in EVERYDAY_WORDS else forms).append(form)
        for form in list(forms):
            for other in _other_spellings(form):
                if other.casefold() not in seen and owners.get(other.casefold(), t.id) == t.id:
                    seen.add(other.casefold())
                    forms.append(other)
        item = {"id": t.id, "term": t.term, "forms": forms, "explanation": t.explanation,
                "href": relative_href(t.link, page), "category": t.category}
        if exact:
            item["exact"] = exact
        if t.diagram:
            item["diagram"] = t.diagram
            item["regions"] = list(t.regions)
        out.append(item)
    return out


def words_json(words: ReportWords | None, page: str) -> dict:
    """The reading words the script reads, with the link to When to get help relative to ``page``."""
    data = dict(words.to_json()) if words else {}
    data["help"] = relative_href(HELP, page)
    return data


def _other_spellings(form: str) -> list[str]:
    """'bone marrow oedema' -> ['bone marrow edema'] (and the reverse)."""
    out = []
    low = form.casefold()
    for uk, us in SPELLINGS:
        for a, b in ((uk, us), (us, uk)):
            pattern = re.compile(rf"\b{re.escape(a)}")
            if pattern.search(low) and not (a == us and re.search(rf"\b{re.escape(uk)}", low)):
                out.append(pattern.sub(b, low))
    return out


def script_json(data) -> str:
    """JSON safe inside <script>: no '</' (closing tag), no '<!--', no line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _figures(terms: list[Term], diagrams_dir: Path, page: str) -> list[tuple[str, str]]:
    """(site, figure HTML) for every site diagram a term points to and that exists."""
    wanted = {t.diagram for t in terms if t.diagram}
    available = {p.stem for p in Path(diagrams_dir).glob("anatomy/*.yaml")}
    order = [s for s in SITES if s in wanted] + sorted(wanted - set(SITES))
    return [(site, catalog.render_figure(catalog.find(site, Path(diagrams_dir)), page))
            for site in order if site in available]


# --- the committed data documents ----------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})\s*\{?\s*\.?explainer\b", re.M)


def pages_with_explainer(docs_dir: Path) -> list[str]:
    """The docs-relative pages whose source has an explainer fence, sorted."""
    docs_dir = Path(docs_dir)
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                  if "overrides" not in p.relative_to(docs_dir).parts and _FENCE.search(p.read_text(encoding="utf-8")))


def render_data(docs_dir: Path, terms_path: Path, diagrams_dir: Path) -> dict[str, str]:
    """{docs-relative path: text} of every data document the site needs (the terms file's
    reading words, data/report-words.yaml, beside it, as the Markdown extension reads them)."""
    from .report_words import load_report_words
    from .terms import load_terms

    terms = load_terms(terms_path)
    words_file = Path(terms_path).with_name("report-words.yaml")
    words = load_report_words(words_file, terms, diagrams_dir) if words_file.is_file() else None
    return {data_path(page): data_document(terms, Path(diagrams_dir).resolve(), page, words)
            for page in pages_with_explainer(docs_dir)}


def write_data(docs_dir: Path, terms_path: Path, diagrams_dir: Path) -> list[str]:
    """Rewrite the data documents under ``docs_dir`` (and remove any no page needs); all are
    rendered before anything is written. Returns the docs-relative paths that changed."""
    docs_dir = Path(docs_dir)
    wanted = render_data(docs_dir, terms_path, diagrams_dir)
    changed = [rel for rel, text in wanted.items() if write_if_changed(docs_dir / rel, text)]
    folder = docs_dir / DATA_DIR
    for old in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
        rel = old.relative_to(docs_dir).as_posix()
        if rel not in wanted:
            old.unlink()
            changed.append(rel)
    return changed
