"""Markup injected into every text field of the data files and specs reaches the page as
text: a site built from hostile copies shows it, runs none of it (not on load, not on
hovering a tooltip, not on clicking a link), and asks no other host for anything."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, all_pages

pytestmark = pytest.mark.browser

MARK = "window.__pwned"
# one line, no control characters: what the loader accepts in a text field
PAYLOAD = (' <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
           ' ![p](https://evil.example/p.gif) [click](javascript:window.__pwned=3)'
           ' <a href="javascript:window.__pwned=4">a</a> {: onclick="window.__pwned=5" } &lt;b&gt;')
SHORT = " <b&amp;"  # for labels, which must fit their column (the page checks for any on* attribute)
TEXT_FIELDS = {
    "anatomy": {"title", "description", "orientation", "explanation", "name"},
    "flowcharts": {"title", "description", "note"},
    "references.yaml": {"authors", "title", "container", "details", "note"},
    "terms.yaml": {"explanation"},
}
# every kind of page that shows data: diagrams (anatomy on the home page and the knee page,
# flowcharts), footnotes and tooltips (every page), the lists, the explainer, the handouts
PAGES = ["", "knee/", "foot/", "causes/", "treatment/", "references/", "glossary/", "mri-report/",
         "clinicians/", "about/"]
LABELS = {"anatomy": {"label"}, "flowcharts": {"text", "label"}}


def inject(value, fields: set[str], short: set[str], items: int):
    """Append the payload to every text field named in ``fields`` (``short``: the short one),
    in the first ``items`` entries of each list (a diagram has a weight budget)."""
    if isinstance(value, dict):
        return {k: (v + (SHORT if k in short else PAYLOAD) if isinstance(v, str) and k in fields | short
                    else inject(v, fields, short, items)) for k, v in value.items()}
    if isinstance(value, list):
        return [inject(v, fields, short, items) if i < items else v for i, v in enumerate(value)]
    return value


def hostile_copy(path: Path, kind: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # the first two entries of each list in a diagram (each SVG has a weight budget), every
    # entry in the data files
    data = inject(data, TEXT_FIELDS[kind], LABELS.get(kind, set()), 2 if kind in ("anatomy", "flowcharts") else 10_000)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from generators.maintainer.sitecheck import serve

    project = tmp_path_factory.mktemp("hostile") / "project"
    for name in ("docs", "data", "diagrams"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for spec in (project / "diagrams").glob("*/*.yaml"):
        # the foot's 20 kB are mostly its many bones; the other specs carry the payload. Its side
        # view shares the foot's cause buttons, so a cause must read the same in both views.
        if spec.stem not in ("foot", "foot-side"):
            hostile_copy(spec, spec.parent.name)
    for name in ("references.yaml", "terms.yaml"):
        hostile_copy(project / "data" / name, name)
    # the explainer's data document from the hostile terms and specs (make build writes it)
    from generators.site.explainer import write_data
    write_data(project / "docs", project / "data" / "terms.yaml", project / "diagrams")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"the hostile copy does not build:\n{result.stderr[-3000:]}"
    with serve(project / "site") as url:
        yield project / "site", url


def test_injected_markup_stays_text_and_asks_no_other_host(browser, hostile_site):
    site, url = hostile_site
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems = {}
    shown = 0
    for path in PAGES:
        page.goto(url + path, wait_until="load")
        if path == "mri-report/":  # the explainer shows explanations from its own copy of the terms
            page.locator("[data-explainer-input]").fill("Bone marrow oedema in the medial femoral condyle.")
            page.locator("[data-explainer-run]").click()
            page.locator("[data-explainer-status]").filter(has_text=re.compile(r"\S")).wait_for()
        # the tooltips (assets/js/tooltips.js): glossary terms, and footnotes (copies of the sources' nodes)
        for target in page.locator("article abbr").all()[:4] + page.locator("article .footnote-ref").all()[:2]:
            page.mouse.move(0, 0)
            page.locator("#bmo-tooltip:not([hidden])").wait_for(state="detached")
            target.hover()
        found = page.evaluate("""() => ({
            pwned: window.__pwned,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(
                a => /^on/i.test(a.name))).map(e => e.outerHTML.slice(0, 80)),
            scripts: [...document.querySelectorAll('script:not([src])')].filter(
                s => s.type !== 'application/json' && /__pwned/.test(s.textContent)).length,
            js_links: [...document.querySelectorAll('a[href], [*|href]')].filter(
                e => /^\\s*javascript:/i.test(e.getAttribute('href') || '')).length,
            imgs: [...document.querySelectorAll('img')].filter(i => /evil|^x$/.test(i.getAttribute('src'))).length,
            shown: (document.body.innerText.match(/onerror=/g) || []).length,
        })""")
        shown += found.pop("shown")
        if any(found.values()):
            problems[path] = found
    ctx.close()
    assert set(PAGES) <= set(all_pages(site))
    assert not problems, problems
    assert not outside and not dialogs, (outside, dialogs)
    assert shown > 0, "the injected text should be on the pages, as text"


def test_a_tooltip_shows_the_markup_as_text(browser, hostile_site):
    """The explanation in a glossary tooltip is shown as the characters it is."""
    site, url = hostile_site
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(url + "knee/", wait_until="load")
    abbr = page.locator("article abbr").first
    abbr.hover()
    tip = page.locator("#bmo-tooltip")   # assets/js/tooltips.js
    tip.wait_for()
    assert 'onerror="window.__pwned=1"' in tip.inner_text()
    assert tip.inner_text().endswith("&lt;b&gt;")   # the explanation's own characters, not decoded once more
    assert tip.locator("img, script, a").count() == 0
    assert page.evaluate(f"typeof {MARK}") == "undefined"
    ctx.close()
