"""``make bench``: how fast, light and accessible the site is, as one plain-text table.

Measured on this machine, on the site built from the working tree and served on loopback with
gzip (as GitHub Pages serves it; for Lighthouse over HTTP/2 with TLS too, as GitHub Pages serves
it, ``H2Server``; page weight, search and the explainer over HTTP/1.1, ``LoopbackServer``, which
records every path asked for: the bytes counted are those of the files, not of the protocol):

- the clean build time (``mkdocs build`` into a temporary folder);
- the time to render every diagram alone, and its share of the build (target <= 10 %);
- the time ``mkdocs serve`` takes to rebuild after one page is edited (in a temporary copy
  of the project, read from the server's own log);
- per diagram, the size of its SVG, raw and gzipped (target < 20 kB raw);
- per page, everything a first visit loads (HTML, CSS, JS, fonts, images, other), each body
  gzipped at level 6 as the server sends it: median (target < 100 kB) and heaviest (target
  < 150 kB), and each page type's weight by kind;
- search: what it loads with every page and when the reader first opens it (gzipped), and
  the seconds from the search key to the first results;
- the MRI-report explainer: milliseconds to read 20,000 characters of "no x, no x, ... or y" in
  Chromium (median of 5; target < 200 ms, issue #18);
- Lighthouse 12 (mobile, default simulated throttling) on each page type (home, a diagram page,
  a flowchart page, a treatment page, the MRI-report explainer, References, Glossary), median
  of 3 runs: the four scores, LCP (target < 1.8 s), TBT (target < 50 ms) and CLS (target 0),
  with the Lighthouse metrics that keep performance under 100; and the same for a default
  Material site of five short pages built in the same run, as a baseline for this machine;
  Lighthouse comes from package.json (``npm ci``);
- scale: the site at 40 and at 400 pages (copies of real pages, in a navigation section of
  groups of ten): build time per page, and the HTML per page (target: at 400 pages within 10 %
  of that at 40: the navigation must not grow with the site).

``python -m generators.maintainer.bench --only lighthouse [--pages ,knee/,mri-report/] [--runs 1]``
measures only Lighthouse (the site and the baseline built and served the same way): for a look
at one change without the twenty minutes of the whole run.

kB are 1,000 bytes. Nothing here is a test: times depend on the machine and on what else runs
on it (Lighthouse's TBT and LCP multiply the CPU time it observes; its "benchmark index" of the
machine is printed with each run); compare a run with the one recorded in the README on the same
kind of machine, and with the baseline of the same run.
"""
from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

from ..core.catalog import MAX_SVG_BYTES   # the budget the generator enforces on each SVG

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"   # pinned in package.json (npm ci)
LIGHTHOUSE_RUNS = 3
# page types: (label, URL path of a page of that type)
PAGE_TYPES = [("home", ""), ("diagram page", "knee/"), ("flowchart page", "causes/"),
              ("treatment page", "treatment/"), ("MRI-report explainer", "mri-report/"),
              ("References", "references/"), ("Glossary", "glossary/")]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SCALE_SIZES = (40, 400)
SCALE_GROUP = 10           # pages per navigation group in the scaled copies
_IGNORE_ANYWHERE = shutil.ignore_patterns(".git", ".venv", "node_modules", ".pytest_cache", "__pycache__", ".cache")
_IGNORE_AT_ROOT = {"site", "site.tmp"}   # the build output (not generators/site, the package)


def COPY_IGNORE(folder: str, names: list[str]) -> set[str]:  # noqa: N802 (shutil's ignore= callable)
    ignored = set(_IGNORE_ANYWHERE(folder, names))
    if Path(folder).resolve() == ROOT:
        ignored |= _IGNORE_AT_ROOT & set(names)
    return ignored

# targets
DIAGRAM_SHARE_MAX = 0.10
PAGE_MEDIAN_MAX = 100_000
PAGE_HEAVIEST_MAX = 150_000
SCALE_PER_PAGE_MAX = 1.5
SCALE_HTML_GROWTH_MAX = 0.10
LCP_MAX_MS = 1800
TBT_MAX_MS = 50

OK, NOT_OK = "✓", "✗"


# --- helpers -------------------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def mark(ok: bool) -> str:
    return OK if ok else NOT_OK


def build_env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("SOURCE_DATE_EPOCH", _git_epoch())
    env.pop("BMO_DEV_RELOAD", None)
    return env


def _git_epoch() -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "0"


def mkdocs_build(project: Path, dest: Path) -> tuple[float, str]:
    """Clean strict build of ``project`` into ``dest``; falls back to a non-strict build (and
    says so) while the site still has warnings. Returns (seconds, note)."""
    note = ""
    for strict in ("--strict", "--no-strict"):
        shutil.rmtree(dest, ignore_errors=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", strict, "--quiet", "-d", str(dest)],
                                cwd=project, env=build_env(), capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if result.returncode == 0:
            return seconds, note
        note = "not strict: the strict build fails"
        last_error = (result.stderr or result.stdout).strip().splitlines()[-3:]
    raise SystemExit(f"bench: the site does not build in {project}:\n" + "\n".join(last_error))


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE, symlinks=True)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit("bench: no Chromium found (install Debian's chromium or set CHROMIUM=/path/to/chrome)")
    return path


def page_urls(site: Path) -> list[str]:
    from .sitecheck import built_pages

    return built_pages(site)


def shows_a_diagram(site: Path, url: str) -> bool:
    return re.search(r"<svg\b[^>]*\bdata-diagram=", (site / url / "index.html").read_text(encoding="utf-8")) \
        is not None


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, value: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append((what, value, target, "" if ok is None else mark(ok)))
        print(f"  … {what}: {value}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("measure", "value", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(4)]
        line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        return "\n".join([line(head), "  ".join("-" * w for w in widths), *map(line, self.rows)])


# --- measures ------------------------------------------------------------------------------------

def measure_diagrams() -> tuple[float, list[tuple[str, int, int]]]:
    """Seconds to render every diagram's figure, and each diagram's SVG size (raw, gzip)."""
    from ..core import catalog

    specs = catalog.all_specs()
    for kind in catalog.KINDS:  # import the renderers first: importing is not rendering
        catalog.kind_module(kind)
    start = time.perf_counter()
    for path in specs:
        catalog.render_figure(path)
    seconds = time.perf_counter() - start
    sizes = []
    for path in specs:
        for variant, text in catalog.render_svgs(path).items():
            svg = text.encode("utf-8")
            sizes.append((f"{path.stem} ({variant})", len(svg), gz(svg)))
    return seconds, sizes


GZIP_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}
KINDS = ("HTML", "CSS", "JS", "fonts", "images", "other")


def kind_of(path: str) -> str:
    suffix = ".html" if path.endswith("/") else Path(path).suffix.lower()
    return {".html": "HTML", ".css": "CSS", ".js": "JS", ".mjs": "JS", ".woff2": "fonts", ".woff": "fonts",
            ".svg": "images", ".png": "images", ".jpg": "images", ".jpeg": "images", ".webp": "images",
            ".ico": "images"}.get(suffix, "other")


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files over HTTP/1.1 (kept-alive connections), text gzipped at level 6 when the
    browser accepts it, as GitHub Pages gzips them (GitHub Pages speaks HTTP/2: the Lighthouse
    runs use ``H2Server``); every path asked for is recorded."""
    served: list[str]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):
        self.served.append(self.path.split("?", 1)[0].split("#", 1)[0])
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if (not path.is_file() or path.suffix not in GZIP_TYPES
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")   # what GitHub Pages sends
        self.end_headers()
        import io

        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a browser closing a kept-alive connection
        pass


class LoopbackServer:
    """The built site on 127.0.0.1, gzipped, recording every path the browser asks for (the
    search worker's requests too, which the page's own network events do not show)."""

    def __init__(self, site: Path):
        self.site = site
        self.served: list[str] = []
        handler = type("Handler", (_RecordingHandler,), {"served": self.served})
        self.server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def file_for(self, path: str) -> Path | None:
        from urllib.parse import unquote

        rel = unquote(path).lstrip("/")
        f = self.site / rel
        if f.is_dir():
            f = f / "index.html"
        return f if f.is_file() else None


class H2Server:
    """The built site on 127.0.0.1 over HTTP/2 with TLS, gzipped, as GitHub Pages serves it
    (``h2serve.mjs``, on Node's own ``http2`` module: Node is here anyway for Lighthouse, so
    nothing more to install or pin). Chromium speaks h2 only over TLS: the certificate is a
    throwaway one, self-signed for 127.0.0.1, made by ``openssl`` for this server alone, and
    the browser is told to accept it (``--ignore-certificate-errors``, in Lighthouse's Chrome
    flags). For Lighthouse, whose simulated loading multiplexes every request of an h2
    origin on one connection, where over HTTP/1.1 it queues them on six."""

    SCRIPT = Path(__file__).with_name("h2serve.mjs")

    def __init__(self, site: Path):
        self.site = site
        self.url = ""
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._proc: subprocess.Popen | None = None

    def __enter__(self):
        node, openssl = shutil.which("node"), shutil.which("openssl")
        if not node or not openssl:
            raise SystemExit("bench: Lighthouse is served over HTTP/2 by node and a certificate made by openssl: "
                             f"{'node' if not node else 'openssl'} is not installed")
        self._tmp = tempfile.TemporaryDirectory(prefix="bmo-h2-")
        key, cert = Path(self._tmp.name) / "key.pem", Path(self._tmp.name) / "cert.pem"
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        self._proc = subprocess.Popen([node, str(self.SCRIPT), str(self.site), str(key), str(cert)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      start_new_session=True)
        line = self._proc.stdout.readline()
        if not line.startswith("listening "):
            self.__exit__()
            raise SystemExit(f"bench: the HTTP/2 server did not start: {line.strip()[:90]}")
        self.url = f"https://127.0.0.1:{int(line.split()[1])}/"
        return self

    def __exit__(self, *exc):
        if self._proc is not None:
            self._proc.stdin.close()   # it stops when its input closes, and on SIGTERM
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.terminate()
                self._proc.wait()
            self._proc.stdout.close()
            self._proc = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


class Settled:
    """Waits, on a page, until what opening it started is done: the page loaded, the main
    thread idle (the deferred scripts and what they set up at load have run) and no request in
    flight; again until both hold at once (a request started late, a script it brought). A wait
    on those conditions, not a fixed pause. Listen before the page is opened."""

    IDLE = "() => new Promise(done => requestIdleCallback(() => requestAnimationFrame(() => done()), {timeout: 5000}))"

    def __init__(self, page):
        self.page = page
        self.pending: set = set()
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", lambda r: self.pending.discard(r))

    def wait(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        self.page.wait_for_load_state("load")
        while True:
            self.page.evaluate(self.IDLE)
            if not self.pending:
                return
            while self.pending:   # events arrive while Playwright waits
                if time.monotonic() > deadline:
                    raise TimeoutError(f"requests still in flight after {timeout_s:.0f} s: "
                                       + ", ".join(r.url for r in list(self.pending)[:3]))
                self.page.wait_for_timeout(10)


def measure_page_weights(site: Path, server: LoopbackServer, urls: list[str] | None = None,
                         browser=None, loaded: dict[str, list[str]] | None = None
                         ) -> dict[str, tuple[dict[str, int], int]]:
    """For each page: ({kind: gzipped bytes}, requests) of a first visit, in a fresh browser
    context on a phone-sized viewport, until the page has settled (``Settled``). Sizes are of
    the files (gzipped at level 6 where the server gzips), so they do not depend on the machine.
    ``loaded``, if given, receives each page's list of paths the server was asked for."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                return measure_page_weights(site, server, urls, own, loaded)
            finally:
                own.close()
    weights = {}
    for url in (page_urls(site) if urls is None else urls):
        ctx = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
        page = ctx.new_page()
        settled = Settled(page)
        server.served.clear()
        page.goto(server.url + url, wait_until="load")
        settled.wait()
        # the tab's icon: the browser fetches it by itself, sometimes after the page has settled;
        # counted from the page's own <link rel="icon">, so every run counts the same
        icon = re.search(r'<link rel="icon" href="([^"]+)"', (site / url / "index.html").read_text(encoding="utf-8"))
        icon_path = urljoin("/" + url, icon.group(1)) if icon else None
        paths = [p for p in dict.fromkeys(server.served) if p != icon_path] + ([icon_path] if icon_path else [])
        by_kind = dict.fromkeys(KINDS, 0)
        for path in paths:
            f = server.file_for(path)
            if f is not None:
                data = f.read_bytes()
                by_kind[kind_of(path)] += gz(data) if f.suffix in GZIP_TYPES else len(data)
        weights[url] = (by_kind, len(paths))
        if loaded is not None:
            loaded[url] = paths
        ctx.close()
    return weights


def weight_text(by_kind: dict[str, int]) -> str:
    return ", ".join(f"{k} {kb(v)}" for k, v in by_kind.items() if v)


# --- Lighthouse ----------------------------------------------------------------------------------

METRICS = (("largest-contentful-paint", "LCP"), ("total-blocking-time", "TBT"),
           ("cumulative-layout-shift", "CLS"), ("first-contentful-paint", "FCP"), ("speed-index", "SI"))
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def run_lighthouse(url: str) -> tuple[dict | None, str]:
    """One Lighthouse run (mobile, simulated throttling): {scores, metrics (value, score),
    failing (audit ids scoring < 1 in the other categories), benchmark}, or (None, why)."""
    if not LIGHTHOUSE.exists():
        return None, "Lighthouse is not installed: run npm ci (make bench does)"
    with tempfile.TemporaryDirectory(prefix="bmo-lh-") as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=chromium_path())
        cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
               "--only-categories=" + ",".join(CATEGORIES),
               # the H2Server's certificate is a throwaway self-signed one
               "--chrome-flags=--headless=new --ignore-certificate-errors " + " ".join(CHROMIUM_ARGS)]
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, "Lighthouse timed out after 300 s"
        if result.returncode or not out.exists():
            lines = (result.stderr or result.stdout).strip().splitlines()
            return None, f"Lighthouse failed: {(lines[-1] if lines else 'no output')[:90]}"
        report = json.loads(out.read_text())
    if report.get("runtimeError"):
        return None, f"Lighthouse: {report['runtimeError'].get('message', '')[:90]}"
    audits = report["audits"]
    failing = sorted({ref["id"] for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
                      if ref.get("weight") and audits[ref["id"]].get("score") not in (None, 1)})
    # the protocol of each request, as Lighthouse saw it (and simulated it): "h2" over H2Server
    protocols = [r.get("protocol") or "?" for r in audits["network-requests"].get("details", {}).get("items", [])
                 if r.get("protocol") not in ("data", "blob")]   # not the theme's inline icons
    return {"scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
            "metrics": {short: (audits[aid]["numericValue"], audits[aid]["score"]) for aid, short in METRICS},
            "failing": failing, "benchmark": report.get("environment", {}).get("benchmarkIndex"),
            "protocols": protocols}, ""


def lighthouse_median(url: str, runs: int = LIGHTHOUSE_RUNS) -> tuple[dict | None, str]:
    """The median of ``runs`` Lighthouse runs, each score and metric on its own."""
    got, why = [], ""
    for _ in range(runs):
        one, why = run_lighthouse(url)
        if one is not None:
            got.append(one)
    if not got:
        return None, why
    med = statistics.median_low
    return {"scores": {c: med([g["scores"][c] or 0 for g in got]) for c in CATEGORIES},
            "metrics": {m: (med([g["metrics"][m][0] for g in got]), med([g["metrics"][m][1] for g in got]))
                        for _, m in METRICS},
            "failing": sorted({a for g in got for a in g["failing"]}),
            "benchmark": med([g["benchmark"] or 0 for g in got]), "runs": len(got),
            "protocols": sorted({p for g in got for p in g["protocols"]})}, ""


def lighthouse_rows(table: "Table", label: str, url: str, base_url: str, runs: int = LIGHTHOUSE_RUNS) -> None:
    what = f"Lighthouse mobile, {label} /{url}"
    res, why = lighthouse_median(base_url + url, runs)
    if res is None:
        table.add(what, f"not run: {why}")
        return
    sc = res["scores"]
    m = res["metrics"]
    scores = ", ".join(f"{c.replace('best-practices', 'bp')} {round(sc[c] * 100)}" for c in CATEGORIES)
    held = [f"{name} {score:.2f}" for name, (value, score) in m.items() if score is not None and score < 1]
    ok = all(sc[c] == 1 for c in CATEGORIES)
    table.add(what + f" ({res['runs']} runs, {'/'.join(res['protocols'])}, benchmark index {res['benchmark']:.0f})",
              scores + (f"; below 1: {', '.join(held)}" if held else "")
              + (f"; failing: {', '.join(res['failing'])}" if res["failing"] else ""), "100 each", ok)
    table.add(f"  {label}: LCP, TBT, CLS",
              f"LCP {m['LCP'][0] / 1000:.2f} s, TBT {m['TBT'][0]:.0f} ms, CLS {m['CLS'][0]:.3f} "
              f"(FCP {m['FCP'][0] / 1000:.2f} s, SI {m['SI'][0] / 1000:.2f} s)",
              "< 1.8 s, < 50 ms, 0",
              m["LCP"][0] < LCP_MAX_MS and m["TBT"][0] < TBT_MAX_MS and round(m["CLS"][0], 3) == 0)


def build_baseline(dest: Path) -> Path:
    """A default Material site: five short pages, no configuration but the theme (without web font)."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    # font: false, as this site has: the theme's default Google font is a request to another host
    (dest / "mkdocs.yml").write_text("site_name: Baseline\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    for n, name in enumerate(["index", "one", "two", "three", "four"]):
        (docs / f"{name}.md").write_text(
            f"# Page {n}\n\nA short paragraph of plain text for page {n} of the baseline site, long enough "
            "to wrap on a phone.\n\n## A section\n\nAnother paragraph.\n", encoding="utf-8")
    site = dest / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(site)], cwd=dest,
                            env=build_env(), capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"bench: the baseline site does not build: {result.stderr.strip()[-200:]}")
    return site


def mkdocs_serve_rebuild(project: Path) -> tuple[float | None, float | None, str]:
    """Start ``mkdocs serve`` on a free loopback port in ``project``, edit one page, and read
    from the server's log when the rebuild is done. Returns (seconds from the edit until the
    server reloads the browsers, MkDocs' own 'built in' figure, note)."""
    port = free_port()
    env = build_env()
    env["BMO_DEV_RELOAD"] = "1"  # as `make serve` runs it
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}",
           "-w", "diagrams", "-w", "generators", "-w", "data"]
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    lines: list[tuple[float, str]] = []
    cond = threading.Condition()

    def reader():
        for line in proc.stdout:
            with cond:
                lines.append((time.perf_counter(), line.rstrip()))
                cond.notify_all()

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(pattern: str, since: int, timeout: float) -> tuple[int, float, str] | None:
        deadline = time.perf_counter() + timeout
        with cond:
            while True:
                for i in range(since, len(lines)):
                    if re.search(pattern, lines[i][1]):
                        return i, lines[i][0], lines[i][1]
                left = deadline - time.perf_counter()
                if left <= 0 or proc.poll() is not None:
                    return None
                cond.wait(min(left, 0.5))

    page = project / "docs" / "knee.md"
    if not page.exists():
        page = sorted((project / "docs").rglob("*.md"))[0]
    original = page.read_bytes()
    try:
        ready = wait_for(r"Serving on http://", 0, 300)
        if ready is None:
            tail = " / ".join(t for _, t in lines[-2:])
            return None, None, f"mkdocs serve did not start: {tail[:80]}"
        time.sleep(1.5)  # let the file watcher settle after the first build
        with cond:
            since = len(lines)
        edited = time.perf_counter()
        page.write_bytes(original + b"\n\nAn edit made by the benchmark.\n")
        done = wait_for(r"Reloading browsers", since, 300)
        if done is None:
            return None, None, "mkdocs serve did not rebuild within 300 s"
        built = [re.search(r"built in ([\d.]+) seconds", t) for _, t in lines[since:done[0] + 1]]
        own = next((float(m.group(1)) for m in reversed(built) if m), None)
        return done[1] - edited, own, ""
    finally:
        page.write_bytes(original)
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server started here, and only it
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def html_per_page(site: Path, urls: list[str] | None = None) -> float:
    """Average size of a page's HTML (of ``urls``, or of every page)."""
    pages = page_urls(site) if urls is None else urls
    return sum((site / u / "index.html").stat().st_size for u in pages) / len(pages)


def make_scaled_copy(project: Path, total: int, stub: bool = False) -> int:
    """Grow the copy in ``project`` to ``total`` pages: real pages duplicated under new names
    next to their originals (so relative links still resolve). They are listed as a site would
    list them: a new navigation section of groups of ten, groups of groups above a hundred.
    With ``stub``, every page, old and new, is a one-paragraph page (keeping its front matter):
    the same navigation, theme and templates, cheap to build (for the test of the navigation's
    cost). Returns the number of pages added."""
    import yaml

    docs = project / "docs"
    sources = sorted(p for p in docs.rglob("*.md") if "overrides" not in p.parts)
    if stub:
        for src in sources:
            text = src.read_text(encoding="utf-8")
            head = re.match(r"(?s)\A---\n.*?\n---\n", text)
            # its headings kept, so the sections that data files link to still exist
            headings = "".join(f"\n{line}\n" for line in text.splitlines() if re.match(r"#{2,6} ", line))
            src.write_text((head.group(0) if head else "") + f"# {src.stem}\n\nA short page.\n{headings}",
                           encoding="utf-8")
    config_path = project / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    real = len(sources)
    extra = max(0, total - real)
    added = []
    for i in range(extra):
        src = sources[i % len(sources)]
        if stub:
            dest = docs / "scale" / f"page-{i:04d}.md"
            dest.parent.mkdir(exist_ok=True)
            dest.write_text("---\ntitle: Scale test page\ndescription: One of many short pages.\n"
                            "reviewed: 2026-11-30\nnext_review: 2029-11-30\n---\n"
                            f"# Scale test page {i}\n\nA short page, one of many, to see what the navigation "
                            "costs as the site grows.\n", encoding="utf-8")
        else:
            dest = src.with_name(f"{src.stem}-copy-{i:04d}.md")
            dest.write_bytes(src.read_bytes())
        added.append(dest.relative_to(docs).as_posix())

    def tree(items: list[str], depth: int) -> list[str]:
        pad = "  " * depth
        if len(items) <= SCALE_GROUP:
            return [f"{pad}- Copy {added.index(rel):04d}: {rel}" for rel in items]
        size = SCALE_GROUP
        while len(items) > size * SCALE_GROUP:
            size *= SCALE_GROUP
        out = []
        for n in range(0, len(items), size):
            out.append(f"{pad}- Group {n // size + 1}:")
            out += tree(items[n:n + size], depth + 1)
        return out

    if added:
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if re.match(r"^nav:\s*$", line))
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
            end += 1
        lines[end:end] = ["  - Scale test:", *tree(added, 3)]
        text = "\n".join(lines) + "\n"
        config_path.write_text(text, encoding="utf-8")
    yaml.load(text, Loader=yaml.BaseLoader)  # still valid YAML (the !!python tags load as text)
    return len(added)


def scale_row(table: "Table", site: Path, seconds: float, note: str, pages: list[str]) -> dict:
    n = len(page_urls(site))
    sizes = {u: (site / u / "index.html").stat().st_size for u in pages}
    table.add(f"scale: {n} pages" + (f" ({note})" if note else ""),
              f"build {seconds:.1f} s, {seconds / n * 1000:.0f} ms/page; HTML per page {kb(html_per_page(site))} "
              f"(the site's own pages: {kb(statistics.median(sizes.values()))} median)")
    return {"n": n, "seconds": seconds, "sizes": sizes}


def scale_summary(table: "Table", small: dict, large: dict, pages: list[str]) -> None:
    """How much the site's own pages grow between the two sizes: the median page (the navigation
    is in every page), and the page that grows most (a page that lists every page, such as the
    handout table, grows by design)."""
    growth = {u: large["sizes"][u] / small["sizes"][u] - 1 for u in pages}
    median = statistics.median(growth.values())
    worst = max(growth, key=growth.get)
    table.add(f"scale: HTML of a page, {large['n']} against {small['n']} pages",
              f"median {median:+.1%}; most: /{worst} {growth[worst]:+.0%}", f"median ≤ +{SCALE_HTML_GROWTH_MAX:.0%}",
              median <= SCALE_HTML_GROWTH_MAX)
    ratio = (large["seconds"] / large["n"]) / (small["seconds"] / small["n"])
    table.add(f"scale: build time per page, {large['n']} against {small['n']} pages", f"{ratio:.2f} ×",
              f"≤ {SCALE_PER_PAGE_MAX} ×", ratio <= SCALE_PER_PAGE_MAX)


# --- the run -------------------------------------------------------------------------------------

def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
        ram = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    try:
        chromium = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError, SystemExit):
        chromium = "Chromium unknown"
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {cpu}, {ram}; "
            f"Python {platform.python_version()}; {chromium}; {datetime.date.today().isoformat()}")


EXPLAINER_MAX_MS = 200     # issue #18: 20,000 characters of "no x, no x, ... or y"


def measure_search(server: LoopbackServer, query: str = "bruised bone") -> dict:
    """What search costs (issue #16): gzipped bytes fetched for it when a page opens and when
    the reader first opens search, and the seconds from the search key to the first results
    (fetching the index and the word list, building the index in the worker, one query)."""
    from playwright.sync_api import sync_playwright

    def search_files(paths):
        return [p for p in dict.fromkeys(paths) if re.search(r"search|/workers/", p)]

    def weight(paths):
        return sum(gz(f.read_bytes()) for f in map(server.file_for, paths) if f is not None)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        server.served.clear()
        page.goto(server.url + "knee/", wait_until="networkidle")
        on_load = search_files(server.served)
        server.served.clear()
        start = time.perf_counter()
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially(query)
        try:  # search.js marks the result list with the query it answers
            page.wait_for_function("q => document.querySelector('[data-md-component=search-result]')"
                                   "?.getAttribute('data-bmo-query') === q", arg=query, timeout=60_000)
            seconds = time.perf_counter() - start
        except Exception:  # noqa: BLE001 (Playwright's TimeoutError): no results in a minute
            seconds = None
        on_open = search_files(server.served)
        browser.close()
    return {"on_load": (weight(on_load), [p.rsplit("/", 1)[-1] for p in on_load]),
            "on_open": (weight(on_open), [p.rsplit("/", 1)[-1] for p in on_open]), "seconds": seconds}


def measure_explainer(url: str, runs: int = 5) -> float:
    """Milliseconds the MRI-report explainer takes, in Chromium, to read and show 20,000
    characters of "no effusion, no effusion, ... or fracture" (the report that froze it):
    the median of ``runs`` presses of Explain on ``url`` (the page with the explainer)."""
    from playwright.sync_api import sync_playwright

    text = ("no effusion, " * 2000)[:19988] + " or fracture"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.locator("[data-explainer-input]").wait_for(state="visible")
            page.locator("[data-explainer-input]").fill(text)
            # its data and reading code, fetched when the box first has focus (not timed here)
            page.locator("[data-explainer][data-explainer-loaded]").wait_for(state="attached")
            times = page.evaluate("""runs => {
                const out = [];
                for (let i = 0; i < runs; i++) {
                  const t0 = performance.now();
                  document.querySelector('[data-explainer-run]').click();   // reads and shows it, synchronously
                  out.push(performance.now() - t0);
                }
                return out;
            }""", runs)
        finally:
            browser.close()
    return statistics.median(times)


def lighthouse_only(pages: list[str] | None, runs: int) -> Table:
    """``--only lighthouse``: the site and the baseline built and served as ``make bench`` does,
    and only the Lighthouse rows (of ``pages``, URL paths, or of every page type)."""
    table = Table()
    wanted = [(label, url) for label, url in PAGE_TYPES if pages is None or url in pages]
    wanted += [(f"page /{u}", u) for u in (pages or []) if u not in {url for _, url in PAGE_TYPES}]
    with tempfile.TemporaryDirectory(prefix="bmo-bench-") as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        mkdocs_build(ROOT, site)
        with H2Server(site) as server:
            for label, url in wanted:
                lighthouse_rows(table, label, url, server.url, runs)
        baseline = build_baseline(tmp / "baseline")
        with H2Server(baseline) as server:
            lighthouse_rows(table, "baseline default Material home", "", server.url, runs)
    return table


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m generators.maintainer.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["lighthouse"], help="only this part (the site and the baseline are built)")
    parser.add_argument("--pages", help="with --only lighthouse: comma-separated URL paths ('' is home: ',knee/')")
    parser.add_argument("--runs", type=int, default=LIGHTHOUSE_RUNS, help="Lighthouse runs per page (median)")
    args = parser.parse_args(argv)
    if args.only == "lighthouse":
        pages = None if args.pages is None else [p.strip() for p in args.pages.split(",")]
        table = lighthouse_only(pages, args.runs)
        print()
        print(table.render())
        print()
        print(f"Machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return 0
    table = Table()
    print("bench: measuring (this takes a few minutes) …", file=sys.stderr, flush=True)

    diagram_seconds, sizes = measure_diagrams()

    with tempfile.TemporaryDirectory(prefix="bmo-bench-") as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        build_seconds, note = mkdocs_build(ROOT, site)
        pages = page_urls(site)
        table.add(f"build: clean build, {len(pages)} pages" + (f" ({note})" if note else ""),
                  f"{build_seconds:.1f} s")
        table.add(f"build: all {len(sizes)} diagrams rendered alone", f"{diagram_seconds:.2f} s")
        share = diagram_seconds / build_seconds
        table.add("build: diagrams' share of the build", f"{share:.1%}", f"≤ {DIAGRAM_SHARE_MAX:.0%}",
                  share <= DIAGRAM_SHARE_MAX)

        serve_copy = copy_project(tmp / "serve-copy")
        edit_seconds, own_seconds, why = mkdocs_serve_rebuild(serve_copy)
        if edit_seconds is None:
            table.add("serve: rebuild after one page edit", f"not measured: {why}")
        else:
            own = f" (MkDocs says {own_seconds:.1f} s)" if own_seconds is not None else ""
            table.add("serve: rebuild after one page edit", f"{edit_seconds:.1f} s{own}")
        shutil.rmtree(serve_copy, ignore_errors=True)

        for name, raw, zipped in sizes:
            table.add(f"diagram {name}: SVG raw / gzip", f"{kb(raw)} / {kb(zipped)}",
                      f"< {kb(MAX_SVG_BYTES)} raw", raw < MAX_SVG_BYTES)

        with LoopbackServer(site) as server:
            weights = measure_page_weights(site, server)
            totals = {u: sum(k.values()) for u, (k, _) in weights.items()}
            ordered = sorted(totals, key=totals.get)
            median = statistics.median(totals.values())
            heaviest_url, lightest_url = ordered[-1], ordered[0]
            table.add(f"page weight, gzip: median of {len(weights)} pages", kb(median), "< 100 kB",
                      median < PAGE_MEDIAN_MAX)
            table.add(f"page weight, gzip: heaviest, /{heaviest_url} ({weights[heaviest_url][1]} requests)",
                      kb(totals[heaviest_url]), "< 150 kB", totals[heaviest_url] < PAGE_HEAVIEST_MAX)
            table.add(f"page weight, gzip: lightest, /{lightest_url}", kb(totals[lightest_url]))
            for label, url in PAGE_TYPES:
                if url in weights:
                    by_kind, requests = weights[url]
                    table.add(f"  weight of {label} /{url} ({requests} requests)",
                              f"{kb(totals[url])}: {weight_text(by_kind)}")

            cost = measure_search(server)
            table.add("search: loaded with every page, gzip (" + (", ".join(cost["on_load"][1]) or "nothing") + ")",
                      kb(cost["on_load"][0]))
            table.add("search: loaded when the reader opens it, gzip (" + ", ".join(cost["on_open"][1]) + ")",
                      kb(cost["on_open"][0]))
            table.add("search: search key to first results (fetch, index, query)",
                      "no results in 60 s" if cost["seconds"] is None else f"{cost['seconds']:.2f} s")

            ms = measure_explainer(server.url + "mri-report/")
            table.add("explainer: 20,000 characters of “no x, ... or y”, Chromium", f"{ms:.0f} ms",
                      f"< {EXPLAINER_MAX_MS} ms", ms < EXPLAINER_MAX_MS)

        with H2Server(site) as server:
            for label, url in PAGE_TYPES:
                if url in weights:
                    lighthouse_rows(table, label, url, server.url)
        baseline = build_baseline(tmp / "baseline")
        with LoopbackServer(baseline) as server:
            by_kind, requests = measure_page_weights(baseline, server, [""])[""]
            table.add(f"baseline: default Material, 5 short pages, home ({requests} requests)",
                      f"{kb(sum(by_kind.values()))}: {weight_text(by_kind)}")
        with H2Server(baseline) as server:
            lighthouse_rows(table, "baseline default Material home", "", server.url)

        scaled = {}
        for size in SCALE_SIZES:
            copy = copy_project(tmp / f"scale-{size}")
            make_scaled_copy(copy, size)
            scaled_site = tmp / f"scale-{size}-site"
            seconds, scaled_note = mkdocs_build(copy, scaled_site)
            shutil.rmtree(copy, ignore_errors=True)
            scaled[size] = scale_row(table, scaled_site, seconds, scaled_note, pages)
        scale_summary(table, scaled[SCALE_SIZES[0]], scaled[SCALE_SIZES[-1]], pages)

    print()
    print(table.render())
    print()
    print(f"Machine: {machine()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    failed = sum(1 for r in table.rows if r[3] == NOT_OK)
    print(f"Targets met: {sum(1 for r in table.rows if r[3] == OK)}, missed: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
