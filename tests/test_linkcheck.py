"""Every internal link and anchor in the built site resolves (our own checker, reading the built
HTML: page text, inline SVG diagrams, theme markup), and the link contract: every published
address still resolves. The checker is exact: the same broken links, with page and line, on
every run and whatever the order in which pages are read."""
from __future__ import annotations

import html
import re
import textwrap

import pytest

from generators.maintainer import sitecheck
from generators.maintainer.sitecheck import check_contract, check_links

SITE_URL = "https://example.org/site/"


def test_every_internal_link_and_anchor_resolves(built_site):
    findings = check_links(built_site)
    assert not findings, "\n".join(map(str, findings))


def test_every_published_url_still_resolves_and_every_page_is_published(built_site):
    findings = check_contract(built_site)
    assert not findings, "\n".join(map(str, findings))


def test_the_built_site_is_really_checked(built_site):
    """Not a checker that finds nothing because it reads nothing: the real site has thousands of
    internal links, anchors among them, some inside diagrams."""
    site = sitecheck.SiteLinks(built_site)
    internal = [(rel, line, address) for rel, page in site.pages.items() for line, address in page.links
                if site.target(rel, address) is not None]
    assert len(internal) > 1000
    assert sum("#" in a for _, _, a in internal) > 500
    in_svg = 0
    for rel, page in site.pages.items():
        text = (built_site / rel).read_text(encoding="utf-8")
        for svg in re.finditer(r"<svg\b[^>]*\bdata-diagram=.*?</svg>", text, re.S):
            for a in re.finditer(r'<a\b[^>]*\bhref="([^"]+)"', svg.group(0)):
                line = text.count("\n", 0, svg.start() + a.start()) + 1
                assert (line, html.unescape(a.group(1))) in page.links, (rel, line, a.group(1))
                in_svg += 1
    assert in_svg > 10, "the diagrams' own links are not among those checked"


# --- the checker on small sites made here -------------------------------------------------------

def write(site, rel, body):
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def seeded_site(tmp_path):
    """A target page with two sections, linked from five pages: each page links to the real
    sections and to missing ones; the broken anchors differ from page to page, and several
    pages break the same one."""
    site = tmp_path / "site"
    write(site, "target/index.html", """
        <html><body>
        <h2 id="real">Real</h2>
        <h2 id="also-real">Also real</h2>
        </body></html>
        """)
    expected = set()
    for n in range(5):
        lines = ["<html><body>", '<a href="../target/#real">ok</a>', '<a href="../target/#also-real">ok</a>']
        for k in range(n + 1):  # page n breaks anchors missing-0 .. missing-n
            lines.append(f'<p>text <a href="../target/#missing-{k}">broken {k}</a></p>')
            expected.add((f"site/from-{n}/", len(lines), f"../target/#missing-{k}"))
        lines.append('<a href="../target/">ok</a></body></html>')
        write(site, f"from-{n}/index.html", "\n".join(lines) + "\n")
    return site, expected


@pytest.mark.parametrize("run", range(5))
def test_broken_anchors_to_one_page_from_many_pages_are_all_reported_every_time(seeded_site, run):
    site, expected = seeded_site
    first = check_links(site, SITE_URL)
    seen = {(f.file, f.line, f.message.split("'")[1]) for f in first}
    assert seen == expected
    assert all("not found in /target/" in f.message for f in first)
    for _ in range(3):  # the same findings, in the same order, on every run
        assert check_links(site, SITE_URL) == first


def test_each_page_is_parsed_once(seeded_site, monkeypatch):
    site, _ = seeded_site
    calls = []
    real = sitecheck.parse_page
    monkeypatch.setattr(sitecheck, "parse_page", lambda text: calls.append(1) or real(text))
    check_links(site, SITE_URL)
    assert len(calls) == len(list(site.rglob("*.html"))) == 6


def test_links_in_diagrams_theme_markup_and_redirects_are_checked(tmp_path):
    site = tmp_path / "site"
    write(site, "knee/index.html", """
        <html><head>
        <link rel="stylesheet" href="../assets/site.css">
        <link rel="stylesheet" href="../assets/missing.css">
        <link rel="canonical" href="https://example.org/site/knee/">
        <script src="../assets/gone.js"></script>
        </head><body>
        <a href="#top">top of the page</a> <a href="#">this page</a> <a href="">this page</a>
        <figure><svg viewBox="0 0 10 10">
          <a href="#acl"><path id="acl-shape" d="M0 0h5v5z"/></a>
          <a href="#no-such-region"><path d="M5 5h5v5z"/></a>
          <a xlink:href="../hip/#nope"><path d="M5 0h5v5z"/></a>
          <use href="#acl-shape"/>
        </svg></figure>
        <h2 id="acl">ACL</h2>
        <img src="../assets/pic.png" srcset="../assets/pic.png 1x, ../assets/pic-2x.png 2x" alt="">
        <a href="https://example.org/site/hip/#head">absolute, to the site</a>
        <a href="/site/hip/#neck">root-relative, to the site</a>
        <a href="/elsewhere/">outside the site</a>
        <a href="https://other.example/page#x">another site: the weekly job's</a>
        <a href="mailto:someone@example.org">mail</a> <a href="tel:+441234">phone</a>
        <a href="../old-knee/#acl">through a redirect</a>
        <a href="../old-knee/#gone-after-redirect">through a redirect, missing</a>
        <a href="../moved/">a redirect to a page that is gone</a>
        <a href="../knee">a folder without its slash</a>
        <a href="../assets/site.css#x">a fragment on a file that is not a page</a>
        <a href="../knee/?q=1#acl">a query</a>
        <a href="../h%C3%BCfte/#a%20b">escaped</a>
        </body></html>
        """)
    write(site, "hip/index.html", '<html><body><h2 id="head">Head</h2><a name="neck"></a></body></html>\n')
    write(site, "hüfte/index.html", '<html><body><h2 id="a b">A b</h2></body></html>\n')
    write(site, "old-knee/index.html",
          '<html><head><meta http-equiv="refresh" content="0; url=../knee/"></head></html>\n')
    write(site, "moved/index.html",
          '<html><head><meta http-equiv="refresh" content="0; url=../nowhere/"></head></html>\n')
    write(site, "assets/site.css", "body{}\n")
    write(site, "assets/pic.png", "png\n")
    found = sorted((f.file, f.line, f.message) for f in check_links(site, SITE_URL))
    assert found == [
        ("site/knee/", 3, "link '../assets/missing.css': no such page or file (404): /assets/missing.css"),
        ("site/knee/", 5, "link '../assets/gone.js': no such page or file (404): /assets/gone.js"),
        ("site/knee/", 10, "link '#no-such-region': anchor '#no-such-region' not found in /knee/"),
        ("site/knee/", 11, "link '../hip/#nope': anchor '#nope' not found in /hip/"),
        ("site/knee/", 15, "link '../assets/pic-2x.png': no such page or file (404): /assets/pic-2x.png"),
        ("site/knee/", 18, "link '/elsewhere/': points outside the site, which lives under /site/"),
        ("site/knee/", 22, "link '../old-knee/#gone-after-redirect': anchor '#gone-after-redirect' "
                           "not found in /knee/"),
        ("site/moved/", 1, "link '../nowhere/': no such page or file (404): /nowhere/"),
    ]


def test_the_site_path_comes_from_mkdocs_yml():
    assert sitecheck.configured_site_url().startswith("https://")
    assert sitecheck.configured_site_url().endswith("/")


# --- the same links under Zensical ----------------------------------------------------------------

def _zensical_reading(markup: str, source: str) -> list[str]:
    """What Zensical makes of the relative addresses in a page's raw HTML, as site paths: each is
    read as relative to the source file's folder (seen on 0.0.73 with a three-page project), except
    inside <noscript>, which is text to it and reaches the browser as written (page-relative)."""
    import posixpath
    from generators.core.links import page_url

    here = "/" + page_url(source)
    out = []
    for part in re.split(r"(<noscript>.*?</noscript>)", markup):
        for address in re.findall(r'href="([^"#][^"]*)"', part):
            if part.startswith("<noscript>"):
                out.append(urljoin_path(here, address))
                continue
            path, _, frag = address.partition("#")
            target = posixpath.normpath(posixpath.join(BASE + posixpath.dirname(source), path)) + "/"
            target = target.removeprefix(BASE.rstrip("/")) if target.startswith(BASE) else "(outside the site)"
            out.append(target.replace("//", "/") + (f"#{frag}" if frag else ""))
    return out


BASE = "/site/"  # the site lives under a path, as the real one does: a link may not climb above it


def urljoin_path(here: str, address: str) -> str:
    from urllib.parse import urljoin

    joined = urljoin("http://x" + BASE.rstrip("/") + here, address)[len("http://x"):]
    return joined.removeprefix(BASE.rstrip("/")) if joined.startswith(BASE) else "(outside the site)"


@pytest.mark.parametrize("source,markup", [
    ("foot.md", '<a href="../talus/#neck">t</a> <a href="#here">h</a> <a href="../">home</a>'),
    ("causes/injury.md", '<a href="../../knee/">k</a> <a href="../stress-fractures/#x">s</a>'),
    ("causes/index.md", '<a href="injury/">i</a> <a href="../hip/">h</a>'),
    ("index.md", '<a href="knee/#acl">k</a>'),
    ("mri-report.md", '<noscript><a href="../glossary/">g</a></noscript> <a href="../foot/#navicular">f</a>'),
    ("treatment/pain-relief.md", '<noscript><a href="../../glossary/">g</a></noscript> <a href="../#x">t</a>'),
])
def test_fence_links_rebased_for_zensical_end_where_mkdocs_puts_them(source, markup):
    """The links the fences write for MkDocs (relative to the page's URL), rebased on the source
    file for Zensical, land on the same pages and sections after Zensical's rewriting."""
    from generators.core.links import page_url, rebase_on_source

    here = "/" + page_url(source)
    mkdocs = [urljoin_path(here, a) for a in re.findall(r'href="([^"#][^"]*)"', markup)]
    rebased = rebase_on_source(markup, source, source)
    assert _zensical_reading(rebased, source) == mkdocs
    assert 'href="#here"' in rebased or "#here" not in markup  # same-page anchors stay as they are


def test_links_in_a_scripts_json_data_are_checked(tmp_path):
    """The explainer's terms travel as JSON in the page; the links its script makes from them
    are checked at the line of the <script> that holds them."""
    site = tmp_path / "site"
    write(site, "hip/index.html", '<html><body><h2 id="acetabulum">A</h2></body></html>\n')
    write(site, "mri-report/index.html", """
        <html><body>
        <script type="application/json" id="explainer-terms">[{"id": "a", "href": "../hip/#acetabulum"},
         {"id": "b", "href": "../hip/#labrum", "more": [{"href": "../gone/"}]}]</script>
        <script>const notData = {"href": "../not-checked/"};</script>
        <script type="application/json">{"broken": </script>
        </body></html>
        """)
    found = [(f.line, f.message) for f in check_links(site, SITE_URL)]
    assert sorted(found) == [
        (2, "link '../gone/': no such page or file (404): /gone/"),
        (2, "link '../hip/#labrum': anchor '#labrum' not found in /hip/"),
        (5, "the JSON data of this script does not parse: Expecting value: line 1 column 12 (char 11)"),
    ]
