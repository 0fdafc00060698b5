"""Checks on the built site: LinkChecker over loopback HTTP, and the link contract
(``published-urls.txt``: every address we have published must keep working)."""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .content_checks import Finding

ROOT = Path(__file__).resolve().parents[2]
LINKCHECKER_CONFIG = ROOT / "tests" / "linkcheckerrc"
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


def linkchecker_executable() -> str:
    exe = Path(sys.executable).with_name("linkchecker")
    return str(exe) if exe.exists() else (shutil.which("linkchecker") or "linkchecker")


def run_linkchecker(base_url: str, pages: list[str] | None = None,
                    config: Path = LINKCHECKER_CONFIG) -> tuple[int, str]:
    """LinkChecker on every page (the given ones, or a crawl from the home page).

    Given the full page list, LinkChecker starts at each page and checks its links one
    level deep: every link and anchor on every page is checked, without parsing each
    anchor's target page again for more links (a recursive crawl re-parses a page once
    per anchor linked to it, which is many times slower). Checking an anchor means
    parsing its page, which is CPU-bound, so the pages are shared out between one
    LinkChecker process per core.
    """
    base = [linkchecker_executable(), "--config", str(config), "--no-status", "--output=text"]
    if not pages:
        result = subprocess.run([*base, "--recursion-level=-1", base_url],
                                capture_output=True, text=True, timeout=1800)
        return result.returncode, result.stdout + result.stderr
    workers = max(1, min(4, os.cpu_count() or 1, len(pages)))
    procs = [subprocess.Popen([*base, "--recursion-level=1", *(base_url + p for p in pages[i::workers])],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for i in range(workers)]
    outputs = [proc.communicate(timeout=1800)[0] for proc in procs]
    return max(proc.returncode for proc in procs), "\n\n".join(outputs)


def parse_linkchecker(report: str, base_url: str) -> list[Finding]:
    """Turn LinkChecker's text report into findings: 'page:line: link -> problem'."""
    findings = []
    for block in re.split(r"\n\s*\n", report):
        fields = {}
        for line in block.splitlines():
            m = re.match(r"^(Parent URL|URL|Result|Warning|Name)\s+(.*)$", line)
            if m:
                fields.setdefault(m.group(1), []).append(m.group(2).strip())
        if "URL" not in fields:
            continue
        url = fields["URL"][0].strip("`'")
        parent, line_no = "(start)", None
        if "Parent URL" in fields:
            pm = re.match(r"(\S+), line (\d+)", fields["Parent URL"][0])
            if pm:
                parent, line_no = pm.group(1).removeprefix(base_url), int(pm.group(2))
        problems = [("error", r) for r in fields.get("Result", []) if r.startswith("Error")]
        problems += [("error", w) for w in fields.get("Warning", [])]
        for level, text in problems:
            findings.append(Finding(level, "links", f"site/{parent}", line_no,
                                    f"link '{url}': {_plain(text)}"))
    return findings


def _plain(text: str) -> str:
    text = re.sub(r"^\[[\w-]+\]\s*", "", text)
    text = re.sub(r"\(decoded: `[^']*'\)\s*", "", text)
    return text.replace("`", "'").replace("Error: ", "")


def check_links(site_dir: Path) -> list[Finding]:
    with serve(site_dir) as base:
        code, report = run_linkchecker(base, built_pages(site_dir))
    findings = parse_linkchecker(report, base)
    if code and not findings:
        findings.append(Finding("error", "links", "site/", None, f"LinkChecker failed: {report[-500:]}"))
    return findings


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
