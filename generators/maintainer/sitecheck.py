"""Checks on the built site: every internal link and anchor (read from the built HTML, each
page parsed once), and the link contract (``published-urls.txt``: every address we have
published must keep working). ``serve`` serves a built site on loopback (tests, bench)."""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import re
import sys
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from .content_checks import Finding

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "published-urls.txt"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+;\s*url=([^"]+)"', re.I)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that hangs up early (LinkChecker, browsers) is not an error here


@contextlib.contextmanager
def serve(site_dir: Path):
    """Serve ``site_dir`` on a free loopback port; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- internal links and anchors ----------------------------------------------------------------
#
# Every HTML file of the built site is parsed once (Python's own HTML tokenizer, which gives the
# line of each tag); every address in it that points into the site is then resolved against the
# files on disk and, where it has a #fragment, against the ids of the page it lands on. Nothing
# is fetched, nothing is cached between links, and the result depends only on the files, so the
# same broken links are reported, in the same order, on every run. External addresses are left
# to the weekly external-link job (.github/workflows/external-links.yml).

# attributes whose value is an address the browser follows or loads
LINK_ATTRS = frozenset({"href", "src", "xlink:href", "poster", "action", "formaction", "cite"})
SRCSET_ATTRS = frozenset({"srcset", "imagesrcset"})
REFRESH_CONTENT = re.compile(r"\s*\d+\s*;\s*url\s*=\s*['\"]?([^'\"]+)", re.I)


@dataclass
class ParsedPage:
    """What the checks need from one HTML file: its ids, its addresses (with the line of the
    element that holds each; "href"s in a script's JSON data count), its <base href>, for a
    redirect page where it sends readers, and anything that could not be read."""
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str]] = field(default_factory=list)
    base: str | None = None
    refresh: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._json_at: int | None = None  # line of an open <script type="application/json">
        self._json: list[str] = []

    def handle_data(self, data):
        if self._json_at is not None:
            self._json.append(data)

    def handle_endtag(self, tag):
        """The data of a script (the explainer's terms): each "href" in it is a link the script makes."""
        if tag != "script" or self._json_at is None:
            return
        line, self._json_at = self._json_at, None
        try:
            stack = [json.loads("".join(self._json))]
        except ValueError as exc:
            self.page.problems.append((line, f"the JSON data of this script does not parse: {exc}"))
            return
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("href"), str):
                    self.page.links.append((line, item["href"]))
                stack += item.values()
            elif isinstance(item, list):
                stack += item

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        page = self.page
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                page.ids.add(value)
            elif (name in LINK_ATTRS and tag != "base") or (name == "data" and tag == "object"):
                # (a <base href> is where the others resolve from, not one of them)
                page.links.append((line, value.strip()))
            elif name in SRCSET_ATTRS:
                page.links += [(line, c.split()[0]) for c in value.split(",") if c.strip()]
        if tag == "script" and (dict(attrs).get("type") or "").lower() == "application/json":
            self._json_at, self._json = line, []
        if tag == "base" and page.base is None:
            page.base = dict(attrs).get("href")
        elif tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            m = REFRESH_CONTENT.match(dict(attrs).get("content") or "")
            if m:
                page.refresh = html.unescape(m.group(1).strip())
                page.links.append((line, page.refresh))

    handle_startendtag = handle_starttag


def parse_page(text: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


def configured_site_url(config: Path = ROOT / "mkdocs.yml") -> str:
    """``site_url`` from mkdocs.yml (Zensical reads the same file): the site lives under its path."""
    url = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.BaseLoader).get("site_url") or "/"
    return url if url.endswith("/") else url + "/"


def page_url(rel: str) -> str:
    """'knee/index.html' -> 'knee/', 'index.html' -> '', '404.html' -> '404.html'."""
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


class SiteLinks:
    """The built site's HTML, each file parsed once, and the resolution of addresses in it."""

    def __init__(self, site_dir: Path, site_url: str | None = None):
        self.dir = site_dir
        self.site_url = site_url or configured_site_url()
        split = urlsplit(self.site_url)
        self.origin = (split.scheme, split.netloc)
        self.base_path = split.path if split.path.endswith("/") else split.path + "/"
        self.pages: dict[str, ParsedPage] = {
            f.relative_to(site_dir).as_posix(): parse_page(f.read_text(encoding="utf-8", errors="replace"))
            for f in sorted(site_dir.rglob("*.html"))}

    def target(self, rel: str, address: str) -> tuple[str, str, str | None] | None:
        """Where ``address`` on page ``rel`` leads: (file, fragment, problem), or None when it
        leaves the site (another host, mailto:, data: ...)."""
        scheme = urlsplit(address).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            return None
        here = urljoin(self.site_url, rel)
        base = self.pages[rel].base
        joined = urlsplit(urljoin(urljoin(here, base) if base else here, address))
        if (joined.scheme, joined.netloc) != self.origin:
            return None
        fragment = unquote(joined.fragment)
        path = unquote(joined.path)
        if not path.startswith(self.base_path):
            return "", fragment, f"points outside the site, which lives under {self.base_path}"
        path = path[len(self.base_path):]  # urljoin has resolved '.' and '..' already
        if path == "" or path.endswith("/"):
            file = path + "index.html"
        else:
            file = path
            if not (self.dir / path).is_file() and (self.dir / path / "index.html").is_file():
                file = path + "/index.html"
        if not (self.dir / file).is_file():
            return file, fragment, f"no such page or file (404): /{path}"
        return file, fragment, None

    def anchor_page(self, file: str, hops: int = 3) -> str | None:
        """The page a fragment is looked up in: ``file``, or where its redirect chain ends."""
        for _ in range(hops + 1):
            page = self.pages.get(file)
            if page is None or page.refresh is None:
                return file
            step = self.target(file, page.refresh)
            if step is None or step[2]:
                return None  # the redirect's own link is reported where it is written
            file = step[0]
        return None

    def check(self) -> list[Finding]:
        findings = []
        for rel, page in self.pages.items():
            where = f"site/{page_url(rel)}"
            findings += [Finding("error", "links", where, line, message) for line, message in page.problems]
            for line, address in page.links:
                resolved = self.target(rel, address)
                if resolved is None:
                    continue
                file, fragment, problem = resolved
                if problem is None and fragment and file.endswith(".html"):
                    landing = self.anchor_page(file)
                    if landing is not None and fragment not in self.pages[landing].ids and fragment != "top":
                        problem = f"anchor '#{fragment}' not found in /{page_url(landing)}"
                if problem:
                    findings.append(Finding("error", "links", where, line, f"link '{address}': {problem}"))
        return findings


def check_links(site_dir: Path, site_url: str | None = None) -> list[Finding]:
    """Every internal link and anchor in the built site, as 'site/page:line: link ...: problem'."""
    return SiteLinks(site_dir, site_url).check()

# --- the link contract ---------------------------------------------------------------

def read_contract(path: Path = CONTRACT) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((n, line.lstrip("/")))  # written as site paths: /knee/#acl-tear
    return out


def _page_file(site_dir: Path, path: str) -> Path | None:
    path = path.lstrip("/")
    candidates = [site_dir / path] if path.endswith(".html") else [site_dir / path / "index.html"]
    for c in candidates:
        if c.is_file():
            return c
    return None


def resolve(site_dir: Path, url: str, hops: int = 3) -> tuple[Path | None, str]:
    """The page file a published URL ends at (following redirect pages), and its anchor."""
    path, _, anchor = url.partition("#")
    for _ in range(hops + 1):
        page = _page_file(site_dir, path)
        if page is None:
            return None, anchor
        m = REFRESH.search(page.read_text(encoding="utf-8"))
        if not m:
            return page, anchor
        target = html.unescape(m.group(1))
        joined = urljoin("http://site/" + path.lstrip("/"), target)
        parts = urlsplit(joined)
        path, anchor = parts.path, parts.fragment or anchor
    return None, anchor


def built_pages(site_dir: Path) -> list[str]:
    """Every real page (not a redirect, not the 404 page) as a URL path: '', 'knee/' ..."""
    out = []
    for f in sorted(site_dir.rglob("index.html")):
        if REFRESH.search(f.read_text(encoding="utf-8")):
            continue
        rel = f.parent.relative_to(site_dir).as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


def check_contract(site_dir: Path, contract: Path = CONTRACT) -> list[Finding]:
    findings = []
    name = contract.name
    promised = read_contract(contract)
    for n, url in promised:
        page, anchor = resolve(site_dir, url)
        if page is None:
            findings.append(Finding("error", "link contract", name, n,
                                    f"published URL '/{url}' no longer resolves: restore the page or add a "
                                    "redirect (plugins.redirects.redirect_maps in mkdocs.yml)"))
        elif anchor and f'id="{anchor}"' not in page.read_text(encoding="utf-8"):
            findings.append(Finding("error", "link contract", name, n,
                                    f"published URL '/{url}': the section #{anchor} is gone from "
                                    f"{page.relative_to(site_dir).as_posix()}: keep the heading's explicit id"))
    listed = {url.partition("#")[0] for _, url in promised}
    for url in built_pages(site_dir):
        if url not in listed:
            findings.append(Finding("error", "link contract", name, None,
                                    f"page '/{url}' is not in {name}: add it, so that it keeps working"))
    return findings


def main(argv=None) -> int:
    """``python -m generators.maintainer.sitecheck SITE_DIR``: every internal link and anchor of a
    built site (``make build`` runs it after MkDocs, which does not see links inside diagrams and,
    run with --verbose or --quiet, does not report missing anchors)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generators.maintainer.sitecheck",
                                     description="check every internal link and anchor of a built site")
    parser.add_argument("site", type=Path, help="the built site's folder")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} holds no built site (no index.html)")
    findings = check_links(args.site)
    for f in findings:
        print(f)
    print(f"{len(findings)} broken internal link(s) or anchor(s)." if findings else
          "Every internal link and anchor resolves.", file=sys.stderr if findings else sys.stdout)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
