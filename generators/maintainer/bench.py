"""``make bench``: how fast, light and accessible the site is, as one plain-text table.

Measured on this machine, on the site built from the working tree and served on loopback:

- the clean build time (``mkdocs build`` into a temporary folder);
- the time to render every diagram alone, and its share of the build (target <= 10 %);
- the time ``mkdocs serve`` takes to rebuild after one page is edited (in a temporary copy
  of the project, read from the server's own log);
- per diagram, the size of its SVG, raw and gzipped (target < 20 kB raw);
- per page, everything the browser loads for it (HTML, CSS, JS, fonts, images, the search
  index), each body gzipped at level 6 as a web server would send it: median (target
  < 150 kB) and heaviest (target < 250 kB);
- search: what it loads with every page and when the reader first opens it (gzipped), and
  the seconds from the search key to the first results;
- Lighthouse 12 (mobile) on the home page and the heaviest diagram page: the four scores,
  as they come (installed on first use into ~/.cache/bmo-bench with npm);
- the MRI-report explainer: milliseconds to read 20,000 characters of "no x, no x, ... or y" in
  Chromium (median of 5; target < 200 ms, issue #18);
- scale: the build time of a copy of the site with 300 more pages, per page, against the real
  site's (target: <= 1.5 x the real site's per page, i.e. close to linear growth), with the
  average HTML size of a page (the theme writes the whole navigation into every page, so each
  page grows with the number of pages).

kB are 1,000 bytes. Nothing here is a test: numbers depend on the machine; compare a run with
the one recorded in the README on the same kind of machine.
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

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = Path(os.environ.get("BMO_BENCH_CACHE", Path.home() / ".cache" / "bmo-bench"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SCALE_PAGES = 300
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "site.tmp", ".pytest_cache",
                                     "__pycache__", ".cache")

# targets
DIAGRAM_SHARE_MAX = 0.10
SVG_RAW_MAX = 20_000
PAGE_MEDIAN_MAX = 150_000
PAGE_HEAVIEST_MAX = 250_000
SCALE_PER_PAGE_MAX = 1.5

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
    from . import catalog

    specs = catalog.all_specs()
    for kind in catalog.KINDS:  # import the renderers first: importing is not rendering
        catalog.kind_module(kind)
    start = time.perf_counter()
    for path in specs:
        catalog.render_figure(path)
    seconds = time.perf_counter() - start
    sizes = []
    for path in specs:
        svg = catalog.render_svg(path).encode("utf-8")
        sizes.append((path.stem, len(svg), gz(svg)))
    return seconds, sizes


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    served: list[str]

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.served.append(self.path.split("?", 1)[0].split("#", 1)[0])
        super().do_GET()


class LoopbackServer:
    """The built site on 127.0.0.1, recording every path the browser asks for (the search
    worker's fetch of the index too, which the page's own network events do not show)."""

    def __init__(self, site: Path):
        self.site = site
        self.served: list[str] = []
        handler = type("Handler", (_RecordingHandler,), {"served": self.served})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      functools.partial(handler, directory=str(site)))
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


def measure_page_weights(site: Path, server: LoopbackServer) -> dict[str, tuple[int, int]]:
    """For each page: (gzipped bytes, requests), loading it in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for url in page_urls(site):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            server.served.clear()
            page.goto(server.url + url, wait_until="networkidle")
            page.wait_for_timeout(300)  # the search worker fetches the index after load
            paths = list(dict.fromkeys(server.served))
            total = 0
            for path in paths:
                f = server.file_for(path)
                if f is not None:
                    total += gz(f.read_bytes())
            weights[url] = (total, len(paths))
            ctx.close()
        browser.close()
    return weights


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


def lighthouse_bin() -> tuple[Path | None, str]:
    exe = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    pkg = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    if exe.exists() and pkg.exists() and json.loads(pkg.read_text()).get("version") == LIGHTHOUSE_VERSION:
        return exe, ""
    if not shutil.which("npm"):
        return None, "npm not found (Lighthouse needs Node 18+ and npm)"
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"  … installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", file=sys.stderr, flush=True)
    result = subprocess.run(["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund",
                             "--no-save", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                            capture_output=True, text=True, timeout=600)
    if result.returncode or not exe.exists():
        why = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["unknown error"]
        return None, f"npm install lighthouse@{LIGHTHOUSE_VERSION} failed: {why[0][:80]}"
    return exe, ""


def run_lighthouse(exe: Path, url: str) -> tuple[dict | None, str]:
    with tempfile.TemporaryDirectory(prefix="bmo-lh-") as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=chromium_path())
        cmd = [str(exe), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
               "--only-categories=performance,accessibility,best-practices,seo",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, "Lighthouse timed out after 300 s"
        if result.returncode or not out.exists():
            lines = (result.stderr or result.stdout).strip().splitlines()
            return None, f"Lighthouse failed: {(lines[-1] if lines else 'no output')[:90]}"
        report = json.loads(out.read_text())
    scores = {k: report["categories"][k]["score"] for k in ("performance", "accessibility", "best-practices", "seo")}
    if report.get("runtimeError"):
        return None, f"Lighthouse: {report['runtimeError'].get('message', '')[:90]}"
    return scores, ""


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


def html_per_page(site: Path) -> float:
    """Average size of a page's HTML: the navigation in every page grows with the page count."""
    pages = page_urls(site)
    return sum((site / u / "index.html").stat().st_size for u in pages) / len(pages)


def make_scaled_copy(project: Path, extra: int) -> int:
    """Add ``extra`` pages to the copy in ``project``: real pages duplicated under new names
    next to their originals (so relative links still resolve), listed in a new nav section."""
    import yaml

    docs = project / "docs"
    sources = sorted(p for p in docs.rglob("*.md") if "overrides" not in p.parts)
    added = []
    for i in range(extra):
        src = sources[i % len(sources)]
        dest = src.with_name(f"{src.stem}-copy-{i:03d}.md")
        dest.write_bytes(src.read_bytes())
        added.append(dest.relative_to(docs).as_posix())
    config_path = project / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    nav = "\n".join(f"      - Copy {i:03d}: {rel}" for i, rel in enumerate(added))
    if re.search(r"^nav:\s*$", text, re.M):
        # append a top-level section at the end of the nav list (nav is the last key or not:
        # insert right after the nav block's last item line)
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if re.match(r"^nav:\s*$", line))
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
            end += 1
        lines[end:end] = ["  - Scale test:", *nav.splitlines()]
        text = "\n".join(lines) + "\n"
    config_path.write_text(text, encoding="utf-8")
    yaml.load(text, Loader=yaml.BaseLoader)  # still valid YAML (the !!python tags load as text)
    return len(added)


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


def main() -> int:
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
            table.add(f"diagram {name}: SVG raw / gzip", f"{kb(raw)} / {kb(zipped)}", "< 20 kB raw",
                      raw < SVG_RAW_MAX)

        with LoopbackServer(site) as server:
            weights = measure_page_weights(site, server)
            ordered = sorted(weights.items(), key=lambda kv: kv[1][0])
            median = statistics.median(w for w, _ in weights.values())
            heaviest_url, (heaviest, requests) = ordered[-1]
            lightest_url, (lightest, _) = ordered[0]
            table.add(f"page weight, gzip: median of {len(weights)} pages", kb(median), "< 150 kB",
                      median < PAGE_MEDIAN_MAX)
            table.add(f"page weight, gzip: heaviest, /{heaviest_url} ({requests} requests)", kb(heaviest),
                      "< 250 kB", heaviest < PAGE_HEAVIEST_MAX)
            table.add(f"page weight, gzip: lightest, /{lightest_url}", kb(lightest))

            cost = measure_search(server)
            table.add("search: loaded with every page, gzip (" + ", ".join(cost["on_load"][1]) + ")",
                      kb(cost["on_load"][0]))
            table.add("search: loaded when the reader opens it, gzip (" + ", ".join(cost["on_open"][1]) + ")",
                      kb(cost["on_open"][0]))
            table.add("search: search key to first results (fetch, index, query)",
                      "no results in 60 s" if cost["seconds"] is None else f"{cost['seconds']:.2f} s")

            ms = measure_explainer(server.url + "mri-report/")
            table.add("explainer: 20,000 characters of “no x, ... or y”, Chromium", f"{ms:.0f} ms",
                      f"< {EXPLAINER_MAX_MS} ms", ms < EXPLAINER_MAX_MS)

            diagram_pages = [u for u, _ in ordered if shows_a_diagram(site, u)]
            targets = [("home page", "")] + ([("heaviest diagram page", diagram_pages[-1])] if diagram_pages else [])
            exe, why = lighthouse_bin()
            for label, url in targets:
                what = f"Lighthouse {LIGHTHOUSE_VERSION} mobile, {label} /{url}"
                if exe is None:
                    table.add(what, f"not run: {why}")
                    continue
                scores, why_not = run_lighthouse(exe, server.url + url)
                if scores is None:
                    table.add(what, f"not run: {why_not}")
                    continue
                value = ", ".join(f"{k.replace('best-practices', 'best practices')} "
                                  f"{'n/a' if v is None else round(v * 100)}" for k, v in scores.items())
                table.add(what, value)

        scale_copy = copy_project(tmp / "scale-copy")
        added = make_scaled_copy(scale_copy, SCALE_PAGES)
        scaled_seconds, scaled_note = mkdocs_build(scale_copy, tmp / "scale-site")
        scaled_pages = len(page_urls(tmp / "scale-site"))
        real_per_page = build_seconds / len(pages)
        scaled_per_page = scaled_seconds / scaled_pages
        marginal = (scaled_seconds - build_seconds) / max(scaled_pages - len(pages), 1)
        real_html = html_per_page(site)
        scaled_html = html_per_page(tmp / "scale-site")
        table.add(f"scale: real site, {len(pages)} pages", f"{build_seconds:.1f} s, {real_per_page * 1000:.0f} ms/page, "
                  f"HTML {kb(real_html)}/page")
        table.add(f"scale: +{added} copied pages, {scaled_pages} pages"
                  + (f" ({scaled_note})" if scaled_note else ""),
                  f"{scaled_seconds:.1f} s, {scaled_per_page * 1000:.0f} ms/page "
                  f"({marginal * 1000:.0f} ms per added page), HTML {kb(scaled_html)}/page",
                  f"≤ {SCALE_PER_PAGE_MAX} × real per page", scaled_per_page <= SCALE_PER_PAGE_MAX * real_per_page)

    print()
    print(table.render())
    print()
    print(f"Machine: {machine()}")
    failed = sum(1 for r in table.rows if r[3] == NOT_OK)
    print(f"Targets met: {sum(1 for r in table.rows if r[3] == OK)}, missed: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
