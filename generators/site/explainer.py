"""The "Explain my report" widget: a reader pastes an MRI report and the browser marks
the words it knows, lists them with plain explanations and shows where the named
parts are on the anatomy diagrams.

``render_explainer(terms, diagrams_dir, page)`` returns the widget's HTML for the
```` ```explainer ```` fence. Everything the script needs travels in the page: the
terms as inline JSON (``<script type="application/json" id="explainer-terms">``), the
reading words of ``data/report-words.yaml`` as JSON in the widget's ``data-explainer-words``
attribute (escaped as any attribute; instant navigation keeps it as it is), and
the site diagrams, in a <template> until a report names one of their parts. The script
(``docs/assets/js/explainer.js``) reads the report on the reader's device only: it
makes no request and stores nothing. Without JavaScript the tool is hidden (by CSS) and a
<noscript> message points to the word list on the page and to the glossary.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

from ..core import catalog
from ..core.links import page_url, relative_href
from .report_words import ReportWords
from .terms import Term

SITES = ("hip", "knee", "ankle", "talus", "foot")   # the site diagrams, in the order they show
SCRIPT = "assets/js/explainer.js"
STYLESHEET = "assets/css/explainer.css"
DIAGRAM_SCRIPT = "assets/js/diagrams.js"
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
    data = terms_json(terms, page)

    # in a single-quoted attribute, so the JSON's double quotes need no escaping (a lighter page)
    words_data = html.escape(json.dumps(words_json(words, page), ensure_ascii=False, separators=(",", ":")),
                             quote=False).replace("'", "&#x27;")
    out = [
        f'<div class="explainer" id="explain-tool" data-explainer data-explainer-words=\'{words_data}\'>',
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
    figures = _figures(terms, diagrams_dir, page)
    if figures:
        # inert until a report names a part: a <template> is neither drawn nor in the page's DOM
        # (about 650 elements less to style and lay out when the page opens)
        out.append('<template data-explainer-diagrams-template>')
        out.append('<div class="explainer__diagrams" data-explainer-diagrams hidden>'
                   '<h3 class="explainer__heading" data-search-exclude="true">Where the parts named in your report are</h3>'
                   '<p class="explainer__hint" data-explainer-diagram-note data-search-exclude="true">The coloured areas show where '
                   'these parts of the body are.</p>'
                   '<ul class="explainer__approx" data-explainer-approx hidden></ul>')
        for site, figure in figures:
            # hidden copies of the site diagrams: search finds them on their own pages
            figure = figure.replace("<figure ", "<figure data-search-exclude=\"true\" ", 1)
            out.append(f'<div class="explainer__site" data-explainer-site="{e(site)}" hidden>{figure}</div>')
        out.append('</div>')
        out.append('</template>')
    out += [
        '</div>',
        f'<script type="application/json" id="explainer-terms">{script_json(data)}</script>',
        f'<script type="module" src="{e(script_src)}"></script>',
        # diagrams.js: its highlight() marks the parts a report names on the diagrams
        *([f'<script defer src="{e(posixpath.relpath(DIAGRAM_SCRIPT, here))}"></script>'] if figures else []),
        '</div>',
    ]
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
