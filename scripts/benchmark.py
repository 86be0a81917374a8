"""Benchmark the built site in headless Chromium: what a reader waits for, and what a reader downloads.

Run ``python -m scripts.benchmark [--site DIR] [--runs N] [--json]`` after ``make build``
(the default site is ``site/``).  The site is served on 127.0.0.1 by a small threaded
server (keep-alive, no caching headers beyond the standard library's), on the port and
path of the ``site_url`` it was built with (read back from its sitemap.xml), because
Material's instant navigation only intercepts links that match the sitemap's port and
path; if that port is taken, on a free port, and (d) then measures reloads.  Headless
Chromium is driven by Playwright.  Every figure is the median over ``--runs`` (default 3),
each run in fresh browser contexts, i.e. with a cold HTTP cache.  All times are taken
*inside the page* with ``performance.now()``, so the driver's polling does not enter them.

The figures
-----------

(a) FLOOR: the least any page can do.  A bare page, written by this script into a
    temporary directory served as ``__bench__/`` under the site's root, starts a module
    worker that loads ``pyodide.mjs`` from the **official, uncompiled** Pyodide files (the
    verified cache, linked into the overlay: runtime, official lock, numpy wheel), loads
    numpy with ``checkIntegrity`` and answers ``import numpy as np; float(np.arange(10).sum())``.
    ``floor.html?base=DIR/`` runs the same page on other files (used to choose what to
    byte-compile, README).  Two definitions:
      a_nav     navigation start (``performance.timeOrigin``) → the worker's answer;
      a_worker  ``new Worker(...)`` → the worker's answer (no page load in it).

(b) CHAPTER 1, FIRST RUN: ``/01-intro/`` is opened and left to settle (network quiet,
    then one idle callback: its HTML, CSS, search index, KaTeX and figures loaded, as
    when a reader has scrolled to the demo); then ``text_continuation``'s 运行 is clicked, and
    b = the click (a capture-phase listener) → ``data-state`` = ``done`` (a
    MutationObserver).  b covers downloading and starting Pyodide, numpy and the demos
    wheel, importing the demo, training its n-gram model, the run and the rendering.
    **The ratio is b / a_worker**: neither includes the page's own load (target ≤ 0.6).
    The settled page has already started the worker's thread and scripts (client.warm(),
    at idle) but no Pyodide file; Playwright moves the mouse onto the button before
    clicking, so the hover prefetch starts loading a few ms before the click (a real
    reader's head start is longer).  The breakdown counts from the click.

(c) SECOND RUN: 运行 again on the same page, click → ``done``.  The status line says
    「完成，用时 N 毫秒」, N being the Python call's time measured in the worker; reported:
    the total, N, and the overhead = total − N (target ≤ 100 ms).

(d) CROSS-PAGE WARM: after (c), an in-site link to the first other page with a demo is
    clicked (Material's instant navigation should swap the content and keep the worker);
    once that page is settled (network quiet, one idle callback, as in (b)), its first
    demo is run: click → ``done`` (target ≤ 500 ms).  Also reported: link click → the
    new page's demos mounted.  Checked: the document was not reloaded (the boot id of our
    init script is unchanged, one navigation entry) and ``pyodide.asm.wasm`` was
    requested once.  A block that does not react to 运行 within ``REACT_MS`` is reported
    as failed, with the page's uncaught errors, and the benchmark goes on.

(e) READ-ONLY BYTES: a fresh context opens ``/01-intro/`` (and, separately, the home
    page), scrolls to the bottom and waits until no request has been in flight for
    ``QUIET_MS``.  Reported: the bytes transferred, i.e. the sum over every request of
    the context (workers' included) of response headers + body as sent
    (``request.sizes()``, the same CDP figures as DevTools' "transferred"), and the
    number of requests.  The server gzips text (level 6), as static hosts do, so this is
    what a reader really transfers (target ≤ 200 KB for 01-intro); the gzip estimate
    (bodies only) is kept for comparison.  No request may touch ``/pyodide/`` or the
    search index, and no demo may leave ``idle``.

(f) PER DEMO: every demo block of the site (found by scanning the built HTML for
    ``data-demo``) is run with its defaults in the worker of (b)–(d), after following a
    link to its page, twice: N of the first run (what a reader sees; it includes
    importing the demo's module) and of a repeat.  ``text_continuation``'s first run is
    (b), on a freshly started worker.  Target, checked on the first run: N < 1 s ("well
    under a second", CONTRIBUTING.md).  If links reload the page (every page then starts
    a cold worker) or demos fail, the sweep runs in the first run only, to keep the
    benchmark within ~3 minutes.

(i) EDITOR AND LIVE CONTROLS: a fresh context opens ``/01-intro/`` and lets it settle;
    g_open = click on 代码 (capture phase) → the block's ``data-editor`` = ``ready`` (the
    CodeMirror view exists and takes input), the bundle fetched cold (target ≤ 300 ms).
    The bundle's size as served and gzipped (level 6) is read from the built site.  Then
    运行 twice (cold start, then warm), and one value is changed: g_live = the input
    event → ``done`` of the live rerun; overhead = g_live − N − the deliberate debounce
    (``assets/js/live.js``, 150 ms), target ≤ 100 ms.

(j) LIGHTHOUSE: Lighthouse 13 (npm, ``scripts/lighthouse.py``) on the home page and every
    chapter of the Simplified edition, on the same server, against the same Chromium, with
    its default mobile profile (simulated slow 4G, 4× CPU slow-down); ``--lighthouse-runs``
    per page (default 3, like every other figure; the median kept: one run varies by
    ±0.05).  Reported: the performance, accessibility, best-practices and SEO scores
    (target: performance ≥ 0.95 everywhere), and for pages under target what costs the
    most.  ``--no-lighthouse`` skips it.

Targets are reported with PASS/MISS, never enforced: the exit status is 0 unless the
measurement itself failed (1) or there is no built site (2).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from scripts import lighthouse, paths, pyodide_assets

CHROMIUM, CHROMIUM_ARGS = paths.CHROMIUM, paths.CHROMIUM_ARGS

BENCH_DIR = "__bench__/"  # the overlay (floor page), under the site's root path
FIRST_PAGE = "01-intro/"
FIRST_DEMO = "text_continuation"
RUN_TIMEOUT_MS = 120_000  # a cold Pyodide start on a slow machine, with margin
REACT_MS = 5_000  # a click on 运行 must change data-state within this
QUIET_MS = 500  # "network idle": no request in flight for this long
DONE_RE = re.compile(r"用[时時]\s*(\d+)\s*毫秒")  # either edition's status line

TARGET_RATIO = 0.6
TARGET_SECOND_OVERHEAD_MS = 100
TARGET_CROSS_PAGE_MS = 500
TARGET_READ_BYTES = 200_000
TARGET_DEMO_MS = 1000
TARGET_EDITOR_OPEN_MS = 300
TARGET_LIVE_OVERHEAD_MS = 100
LIVE_DEBOUNCE_MS = 150  # assets/js/live.js DEBOUNCE_MS
EDITOR_BUNDLE = "assets/vendor/editor/editor.js"
TARGETS = {
    "b_over_a": TARGET_RATIO,
    "c_overhead_ms": TARGET_SECOND_OVERHEAD_MS,
    "d_ms": TARGET_CROSS_PAGE_MS,
    "e_01-intro_bytes": TARGET_READ_BYTES,
    "per_demo_ms": TARGET_DEMO_MS,
    "g_open_ms": TARGET_EDITOR_OPEN_MS,
    "g_live_overhead_ms": TARGET_LIVE_OVERHEAD_MS,
}


class MeasurementError(RuntimeError):
    """The benchmark could not measure something (a run failed, a check did not hold)."""


class DemoFailed(MeasurementError):
    """A demo did not answer: fatal for (b) and (c), recorded and reported for (d) and (f)."""


# --------------------------------------------------------------------------- the site


@dataclass(frozen=True)
class DemoPage:
    """A page of the built site (URL path relative to the root) and the demos on it."""

    path: str
    demos: tuple[str, ...]


def runtime_config(site: Path) -> dict:
    """The JSON object that scripts/hooks.py wrote into assets/js/runtime/config.js."""
    text = (site / "assets/js/runtime/config.js").read_text(encoding="utf-8")
    return json.loads(text.split("export default", 1)[1].strip().rstrip(";"))


def demo_pages(site: Path) -> list[DemoPage]:
    """Every page with a demo block, in path order (chapters are numbered, so nav order).
    The zh-Hant edition runs the same code on the same runtime, so it is not swept again."""
    found = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search", "zh-Hant")):
            continue
        names = re.findall(r'<div class="demo"[^>]*\bdata-demo="([a-z0-9_]+)"', html.read_text(encoding="utf-8"))
        if names:
            found.append(DemoPage("" if rel == "." else rel + "/", tuple(dict.fromkeys(names))))
    return found


def sitemap_locs(site: Path) -> list[str]:
    """The page URLs sitemap.xml lists: Material's instant navigation only follows those."""
    sitemap = site / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8") if sitemap.is_file() else ""
    return re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)


def built_for(site: Path) -> tuple[int | None, str]:
    """(port, root path) the site was built for (mkdocs.yml's site_url, via the sitemap).

    Material rewrites a sitemap URL's scheme and host to the page's, but not its port
    or path: links are intercepted only if the site is served on that port and path.
    """
    locs = sitemap_locs(site)
    if not locs:
        return None, "/"
    root = urlsplit(min(locs, key=len))
    return root.port, root.path if root.path.endswith("/") else root.path + "/"


def site_problem(site: Path) -> str | None:
    """Why `site` cannot be benchmarked (not built, not this project's), or None."""
    if not (site / "index.html").is_file():
        return f"no built site at {site} (run `make build`, or pass --site DIR)"
    if not (site / "assets/js/runtime/config.js").is_file():
        return f"{site} has no assets/js/runtime/config.js; is it this project's site?"
    if not (site / FIRST_PAGE / "index.html").is_file():
        return f"{site} has no {FIRST_PAGE}; the chapter-1 figures need it"
    return None


# --------------------------------------------------------------------------- the floor page

FLOOR_HTML = """<!doctype html>
<meta charset="utf-8"><title>benchmark floor</title><link rel="icon" href="data:,">
<script type="module">
// Start the worker at once; every time is in this page's clock (ms since navigation start).
const workerStart = performance.now();
const base = new URLSearchParams(location.search).get("base") || "./official/";
const worker = new Worker(`./floor-worker.js?base=${encodeURIComponent(base)}`, { type: "module" });
worker.onmessage = ({ data }) => {
  const answer = performance.now();
  if (!data || !data.marks) return;     // only the final message carries marks
  // The worker sends absolute times: map them onto this page's clock.
  const marks = Object.fromEntries(Object.entries(data.marks || {}).map(([k, v]) => [k, v - performance.timeOrigin]));
  window.__floor = { ...data, marks, workerStart, answer };
};
worker.onerror = (event) => { window.__floor = { error: event.message || "worker failed to start" }; };
</script>
"""

# The same loading as assets/js/runtime/worker.js, minus everything the site adds
# (progress counting, error reporting, the demos wheel, byte-compiled files): the
# official runtime, lock and numpy wheel, as verified (scripts/pyodide_assets.py).
FLOOR_WORKER_JS = """const now = () => performance.timeOrigin + performance.now();
const marks = { boot: now() };
try {
  // The official, uncompiled files (the overlay's official/ folder), unless ?base= names others.
  const base = new URL(new URL(import.meta.url).searchParams.get("base"), import.meta.url).href;
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: base });
  marks.runtime = now();
  await pyodide.loadPackage(["numpy"], { checkIntegrity: true, messageCallback: () => {} });
  marks.packages = now();
  const value = pyodide.runPython("import numpy as np; float(np.arange(10).sum())");
  marks.python = now();
  postMessage({ value, marks });
} catch (err) {
  postMessage({ error: String((err && err.message) || err), marks });
}
"""


def write_overlay(directory: Path) -> None:
    """Write the floor page and its worker into the overlay directory."""
    (directory / "floor.html").write_text(FLOOR_HTML, encoding="utf-8")
    (directory / "floor-worker.js").write_text(FLOOR_WORKER_JS, encoding="utf-8")
    # The floor runs on the official files, as verified in the cache (symlinks, served as files).
    official = directory / "official"
    official.mkdir()
    for f in pyodide_assets.official_files():
        (official / f.name).symlink_to(f)


# --------------------------------------------------------------------------- the server


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve the site at `mount` (its root path), and the overlay at mount + __bench__/."""

    # Keep-alive, as any real host does; SimpleHTTPRequestHandler sends Content-Length.
    protocol_version = "HTTP/1.1"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def __init__(self, *args, overlay: str, mount: str, **kwargs):
        self.overlay, self.mount = overlay, mount
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if not url_path.startswith(self.mount):
            return os.path.join(self.directory, "__outside_the_site__")  # → 404
        rest = "/" + url_path[len(self.mount) :]
        if not rest.startswith("/" + BENCH_DIR):
            return super().translate_path(rest)
        # Reuse the base class's traversal-safe mapping, rooted at the overlay.
        site, self.directory = self.directory, self.overlay
        try:
            return super().translate_path(rest[len(BENCH_DIR) :])
        finally:
            self.directory = site

    def do_GET(self):
        """Gzip text bodies when the browser accepts it, as static hosts do (level 6)."""
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            file = file / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and file.is_file() and compressible(file)):
            return super().do_GET()
        body = _gzipped(file.resolve(), file.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


INCOMPRESSIBLE = (".woff2", ".png", ".jpg", ".webp", ".zip", ".gz", ".whl")


def compressible(file: Path) -> bool:
    """Whether the server gzips `file`: text and wasm, not formats compressed already."""
    return file.suffix not in INCOMPRESSIBLE


@functools.cache
def _gzipped(file: Path, mtime_ns: int) -> bytes:
    """``file`` (a resolved path) gzipped at level 6, once per version of the file."""
    return gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)


def precompress(*roots: Path) -> int:
    """Gzip every compressible file under ``roots`` now, before the first request; return the count.

    A static host answers from compressed copies it already has (precompressed files, or its
    cache), so its first byte comes at once. This server compresses a file whole before its
    headers: without this, run 1 waited ~0.5 s for the 10 MB wasm (the floor and chapter 1
    alike, each from its own path), which made run 1 unlike runs 2 and 3.
    """
    count = 0
    for root in roots:
        for file in root.rglob("*"):
            if compressible(file) and file.is_file():
                _gzipped(file.resolve(), file.stat().st_mtime_ns)
                count += 1
    return count


class _Server(http.server.ThreadingHTTPServer):
    """A threaded server that stays quiet when the browser drops a connection (a closed context)."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path, overlay: Path):
    """Serve `site` (+ the overlay) on 127.0.0.1; yield the site's base URL.

    The port and path are those the site was built for, so that instant navigation
    works; if that port is taken (or privileged), a free port, with a warning.
    """
    port, mount = built_for(site)
    handler = functools.partial(_Handler, directory=str(site), overlay=str(overlay), mount=mount)
    server = None
    if port and port >= 1024:
        try:
            server = _Server(("127.0.0.1", port), handler)
        except OSError as err:
            log(f"warning: port {port}, which the site was built for, is taken ({err.strerror})")
    if server is None:
        server = _Server(("127.0.0.1", 0), handler)
        if sitemap_locs(site):
            log(
                f"warning: serving on port {server.server_address[1]}, not the site's own "
                f"({port or 'default'}): links will reload pages instead of instant navigation; "
                "build with SITE_URL=http://127.0.0.1:PORT/ for a free PORT to measure (d)"
            )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- in-page probes

# Installed in every document of a context before the page's own scripts.  It records,
# in the page's clock: clicks on 运行 (capture phase: before the block's own handler),
# every data-state change of a demo block (one observer on the whole document, so blocks
# swapped in by instant navigation are seen too), the worker's messages (stage changes
# only, not every progress tick), and when each worker was created.
PROBE_JS = """(() => {
  const bench = window.__bench = {
    boot: Math.random().toString(36).slice(2), clicks: [], states: [], messages: [], workers: [], errors: [],
  };
  addEventListener("error", (event) => bench.errors.push(String(event.message)));
  addEventListener("unhandledrejection", (event) => bench.errors.push(String(event.reason)));
  const RealWorker = window.Worker;
  window.Worker = class extends RealWorker {
    constructor(url, options) {
      super(url, options);
      const rec = { url: String(url), name: options && options.name, t: performance.now() };
      bench.workers.push(rec);
      let stage = null;
      this.addEventListener("message", ({ data }) => {
        if (!data || typeof data !== "object" || !data.type) return;
        if (data.type === "progress") { if (data.stage === stage) return; stage = data.stage; }
        bench.messages.push({ t: performance.now(), worker: rec.name || rec.url, type: data.type,
                              stage: data.stage || null, ms: data.ms ?? null });
      });
    }
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-action=run]");
    const block = button && button.closest(".demo[data-demo]");
    if (block) bench.clicks.push({ t: performance.now(), demo: block.dataset.demo });
  }, true);
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const el = r.target;
      if (!el.matches || !el.matches(".demo[data-demo]")) continue;
      const status = el.querySelector("[data-role=status]");
      bench.states.push({ t, demo: el.dataset.demo, state: el.dataset.state,
                          status: status ? status.textContent : "" });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
})();"""


def new_context(browser):
    """A fresh context: its own, empty HTTP cache (cold), as for a first-time reader."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(30_000)
    return context


def median(values):
    """Median of the non-None values, or None."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Traffic:
    """A context's requests: all of them, the finished ones, and how many are in flight."""

    def __init__(self, context):
        self.urls: list[str] = []
        self.finished = []
        self.inflight = 0
        self.last_change = time.monotonic()
        context.on("request", self._sent)
        context.on("requestfinished", lambda r: self._ended(r, True))
        context.on("requestfailed", lambda r: self._ended(r, False))

    def _sent(self, request):
        self.urls.append(request.url)
        self.inflight += 1
        self.last_change = time.monotonic()

    def _ended(self, request, ok: bool):
        if ok:
            self.finished.append(request)
        self.inflight -= 1
        self.last_change = time.monotonic()

    def count(self, suffix: str) -> int:
        """How many requests (cache hits included) had a path ending with `suffix`."""
        return sum(1 for u in self.urls if urlsplit(u).path.endswith(suffix))

    def span(self, test) -> tuple[float, float] | None:
        """(start, end), epoch ms, of the first finished request whose path passes `test`."""
        for request in self.finished:
            if test(urlsplit(request.url).path):
                timing = request.timing
                return timing["startTime"], timing["startTime"] + max(timing["responseEnd"], 0)
        return None

    def wait_quiet(self, page, timeout_s: float = 30) -> None:
        """Wait until nothing has been in flight for QUIET_MS (events arrive while we wait)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            if self.inflight <= 0 and time.monotonic() - self.last_change >= QUIET_MS / 1000:
                return
        raise MeasurementError(f"the network never went quiet ({self.inflight} requests in flight)")


def transferred(request, site: Path | None = None) -> int:
    """Bytes of a finished request's response as sent: headers + (encoded) body.

    CDP gives no body size for a worker's own scripts (0: Material's search worker, our
    runtime worker and its modules); with `site`, such a body counts as what our server
    sent for it, the file gzipped at level 6 like every text response (gzip_size).
    """
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    if body <= 0 and site is not None:
        body = gzip_size(site, request.url)
    return max(sizes["responseHeadersSize"], 0) + max(body, 0)


# --------------------------------------------------------------------------- (a) floor


# Throttled links (CDP Network.emulateNetworkConditions on the page; Chromium applies
# it to the page's dedicated workers too): label → (Mbit/s down and up, round trip ms).
NETWORKS = {"20 Mbit/s, 40 ms": (20, 40), "5 Mbit/s, 40 ms": (5, 40)}
TARGET_THROTTLED_RATIO = 0.9


def throttle(context, page, network: str | None) -> None:
    """Throttle `page` (and its workers) to NETWORKS[network]; no-op for None."""
    if network is None:
        return
    mbit, rtt = NETWORKS[network]
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = mbit * 1_000_000 / 8  # bytes/s
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": rtt, "downloadThroughput": rate, "uploadThroughput": rate},
    )


def wait_cpu_quiet(max_s: float = 20, window_s: float = 0.25, idle: float = 0.9) -> float:
    """Wait until the machine's CPUs have been at least `idle` idle over one `window_s` window
    (at most `max_s`); return the seconds waited.

    A context closed a moment ago may leave its renderer compiling wasm in the background
    (V8's optimising tier: seconds of CPU after a Pyodide start), which slows whatever is
    measured next.  (a) and (b) each start on a quiet machine, so neither pays for the other.
    Linux only (/proc/stat); elsewhere it returns at once.
    """
    stat = Path("/proc/stat")
    if not stat.exists():
        return 0.0

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in stat.read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total (jiffies)

    start = time.monotonic()
    before = sample()
    while time.monotonic() - start < max_s:
        time.sleep(window_s)
        now = sample()
        if now[1] > before[1] and (now[0] - before[0]) / (now[1] - before[1]) >= idle:
            break
        before = now
    return time.monotonic() - start


def measure_floor(browser, base: str, files: str = "official/", network: str | None = None) -> dict:
    """(a): the bare page's times, in ms, plus the worker's stage marks (on `files`, over `network`)."""
    context = new_context(browser)
    try:
        page = context.new_page()
        throttle(context, page, network)
        wait_cpu_quiet()
        page.goto(base + BENCH_DIR + "floor.html?base=" + files)
        page.wait_for_function("window.__floor", timeout=RUN_TIMEOUT_MS, polling=50)
        floor = page.evaluate("window.__floor")
    finally:
        context.close()
    if floor.get("error") or floor.get("value") != 45.0:
        raise MeasurementError(f"floor page failed: {floor.get('error') or floor}")
    start, marks = floor["workerStart"], floor["marks"]
    return {
        "a_nav_ms": floor["answer"],
        "a_worker_ms": floor["answer"] - start,
        "stages": {  # ms from the previous mark, as in the first run's breakdown
            "runtime (pyodide.mjs + wasm + stdlib)": marks["runtime"] - start,
            "loadPackage(numpy)": marks["packages"] - marks["runtime"],
            "runPython: import numpy + one line": marks["python"] - marks["packages"],
            "answer reaches the page": floor["answer"] - marks["python"],
        },
    }


# --------------------------------------------------------------------------- (b)–(d), (f)


def run_demo(page, demo: str) -> dict:
    """Click the demo's 运行 and wait for done; return the in-page record of the run.

    Raises DemoFailed if the click changes nothing within REACT_MS (the block is dead,
    e.g. it failed to mount), or if the run ends in the error state.
    """
    before = page.evaluate(
        "() => ({ clicks: __bench.clicks.length, states: __bench.states.length, messages: __bench.messages.length })"
    )
    page.locator(f'.demo[data-demo="{demo}"] [data-action=run]').first.click()
    try:
        page.wait_for_function(
            "([demo, i]) => __bench.states.slice(i).some(s => s.demo === demo)",
            arg=[demo, before["states"]],
            timeout=REACT_MS,
            polling=50,
        )
    except PlaywrightTimeout:
        errors = page.evaluate("[...new Set(__bench.errors)]")
        raise DemoFailed(
            f"{demo}: clicking 运行 changed nothing in {REACT_MS / 1000:.0f} s"
            + (f"; page errors: {errors}" if errors else "")
        ) from None
    page.wait_for_function(
        """([demo, i]) => __bench.states.slice(i).some(
             s => s.demo === demo && (s.state === "done" || s.state === "error"))""",
        arg=[demo, before["states"]],
        timeout=RUN_TIMEOUT_MS,
        polling=50,
    )
    rec = page.evaluate(
        """([demo, b]) => ({
             click: __bench.clicks.slice(b.clicks).find(c => c.demo === demo),
             end: __bench.states.slice(b.states).find(
               s => s.demo === demo && (s.state === "done" || s.state === "error")),
             messages: __bench.messages.slice(b.messages),
           })""",
        [demo, before],
    )
    if rec["end"]["state"] != "done":
        raise DemoFailed(f"{demo}: the run ended in error: {rec['end']['status']}")
    if not rec["click"]:
        raise MeasurementError(f"{demo}: the click on 运行 was not seen by the page")
    match = DONE_RE.search(rec["end"]["status"])
    if not match:
        raise MeasurementError(f"{demo}: no 「用时 N 毫秒」 in the status: {rec['end']['status']!r}")
    total, compute = rec["end"]["t"] - rec["click"]["t"], int(match.group(1))
    return {
        "demo": demo,
        "total_ms": total,
        "compute_ms": compute,
        "overhead_ms": total - compute,
        "click": rec["click"]["t"],
        "done": rec["end"]["t"],
        "messages": rec["messages"],
    }


def instant_navigate(page, base: str, target: DemoPage) -> dict:
    """Follow an in-site link, as a reader does (Material's instant navigation intercepts it).

    Returns the ms until the target's demos are mounted (wall clock: it must survive a
    reload) and whether the document was reloaded instead (our probe's boot id changed).
    """
    url = base + target.path
    boot, t0 = page.evaluate("[__bench.boot, Date.now()]")
    page.evaluate(
        """url => { const a = document.createElement("a"); a.href = url;
                     document.querySelector(".md-content").append(a); a.click(); }""",
        url,
    )
    page.wait_for_url(url)
    # The old page's blocks may still be there for a moment: wait for the target's own.
    page.wait_for_function(
        "demo => document.querySelector(`.demo[data-demo='${demo}']`)?.dataset.mounted === 'true'",
        arg=target.demos[0],
        polling=50,
    )
    boot_after, t1 = page.evaluate("[__bench.boot, Date.now()]")
    return {"navigation_ms": t1 - t0, "reloaded": boot_after != boot}


# Files whose download the breakdown shows: label → test on the URL path.
FETCHES = {
    "pyodide.asm.wasm": lambda p: p.endswith("/pyodide.asm.wasm"),
    "python_stdlib.zip": lambda p: p.endswith("/python_stdlib.zip"),
    "numpy wheel": lambda p: "/numpy-" in p and p.endswith(".whl"),
    "demos wheel": lambda p: "/genai_course_demos-" in p and p.endswith(".whl"),
}
STAGE_NUMPY = "加载 numpy"  # protocol.js STAGE.NUMPY: the worker has loaded the runtime


def settle(page, requests: Traffic) -> None:
    """Let the page finish its own work (figures, search index, KaTeX) before a click.

    The floor has no such work, and a reader reads or scrolls to a demo before running
    it; without this, a click right after an instant navigation waits ~50–100 ms behind
    the new page's main-thread work, which is not the runtime's cost.
    """
    requests.wait_quiet(page)
    page.evaluate("new Promise(r => requestIdleCallback(r, { timeout: 2000 }))")


def first_run_breakdown(run: dict, page, requests: Traffic) -> dict:
    """Where the first run's time goes, from the worker's messages and the request timings.

    Stages are ms from the previous mark; fetches are [start, end] in ms after the click or
    the worker's start, the later (from Playwright's request timing, so only roughly aligned).
    """
    workers = [w for w in page.evaluate("__bench.workers") if w["name"] == "pyodide"]
    if not workers:
        raise MeasurementError("the page never started its Pyodide worker")
    spawn = workers[0]["t"]
    # The worker is usually created before the click (client.warm() at idle, or the hover
    # prefetch): the stages count from whichever came later, when loading could begin.
    begin = max(spawn, run["click"])
    first = {}
    for m in run["messages"]:
        first.setdefault(m["stage"] if m["type"] == "progress" else m["type"], m["t"])
    out = {
        "click → worker start (warmed at idle or on hover: < 0)": spawn - run["click"],
        "click or worker start, the later → done": run["done"] - begin,
    }
    marks = [
        ("runtime (pyodide.mjs + wasm + stdlib)", first.get(STAGE_NUMPY)),
        ("numpy + demos wheel (load, import) + import demos._runtime", first.get("started")),
        ("demo call: import, model, compute (= N)", first.get("result")),
        ("render + state done", run["done"]),
    ]
    previous = begin
    for label, t in marks:
        if t is not None:
            out[label] = t - previous
            previous = t
    origin = page.evaluate("performance.timeOrigin")
    for label, test in FETCHES.items():
        span = requests.span(test)
        if span:
            out[f"fetch {label}"] = [span[0] - origin - begin, span[1] - origin - begin]
    return out


def open_first_page(browser, base: str):
    """A cold context with the probe, chapter 1 opened, its demo mounted and the page settled:
    (context, page, requests). The caller closes the context."""
    context = new_context(browser)
    context.add_init_script(PROBE_JS)
    requests = Traffic(context)
    try:
        page = context.new_page()
        page.goto(base + FIRST_PAGE)
        page.wait_for_selector(f'.demo[data-demo="{FIRST_DEMO}"][data-mounted="true"]', state="attached")
        settle(page, requests)
    except BaseException:
        context.close()
        raise
    return context, page, requests


def measure_chapters(browser, base: str, pages: list[DemoPage], sweep: bool = True) -> dict:
    """(b), (c), (d) and, if `sweep`, (f), in one fresh context: cold start, then warm runs."""
    context, page, requests = open_first_page(browser, base)
    try:
        boot = page.evaluate("__bench.boot")

        wait_cpu_quiet()  # as for the floor
        first = run_demo(page, FIRST_DEMO)  # (b)
        breakdown = first_run_breakdown(first, page, requests)
        second = run_demo(page, FIRST_DEMO)  # (c)
        # text_continuation's "first" is (b): a cold worker, unlike the others.
        per_demo = {
            FIRST_DEMO: {
                "page": FIRST_PAGE,
                "first_ms": first["compute_ms"],
                "repeat_ms": second["compute_ms"],
                "warm": False,
                "error": None,
            }
        }

        others = [p for p in pages if p.path != FIRST_PAGE]
        if not others:
            raise MeasurementError("no page other than 01-intro has a demo: (d) needs one")
        cross = None
        for target in others if sweep else others[:1]:  # (d) is the first of these
            nav = instant_navigate(page, base, target)
            settle(page, requests)
            for demo in target.demos:
                # A dead block is the site's failure, not the benchmark's: record it, go on.
                try:
                    one = run_demo(page, demo)
                    again = run_demo(page, demo)
                except DemoFailed as err:
                    one, again = {"demo": demo, "error": str(err)}, {}
                # If the link reloaded the document, this worker started cold.
                per_demo[demo] = {
                    "page": target.path,
                    "first_ms": one.get("compute_ms"),
                    "repeat_ms": again.get("compute_ms"),
                    "warm": not nav["reloaded"],
                    "error": one.get("error"),
                }
                if cross is None:
                    cross = {**one, "page": target.path, **nav, "checks": reload_checks(page, boot, requests)}
        checks_end = reload_checks(page, boot, requests)
        errors = page.evaluate("[...new Set(__bench.errors)]")
    finally:
        context.close()
    return {
        "first": strip(first),
        "second": strip(second),
        "cross": strip(cross),
        "breakdown": breakdown,
        "per_demo": per_demo,
        "checks_after_all_pages": checks_end,
        "page_errors": errors,
        # The sweep is cheap and sound only if links kept the worker and every demo ran.
        "sweep_clean": not cross["reloaded"] and not any(d["error"] for d in per_demo.values()),
    }


def measure_first_run(browser, base: str, network: str) -> dict:
    """(b) over a throttled link: 01-intro opened and settled, then the link throttled,
    then 运行: click → done (what the reader waits for after pressing 运行)."""
    context, page, requests = open_first_page(browser, base)
    try:
        throttle(context, page, network)
        wait_cpu_quiet()  # as for the floor
        return strip(run_demo(page, FIRST_DEMO))
    finally:
        context.close()


def measure_throttled(browser, base: str) -> dict:
    """(h): the floor and (b) over each throttled link, one cold context each."""
    out = {}
    for network in NETWORKS:
        floor = measure_floor(browser, base, network=network)
        first = measure_first_run(browser, base, network)
        out[network] = {"a_worker_ms": floor["a_worker_ms"], "b_ms": first["total_ms"]}
    return out


# name → (pyodide_assets.build_site_dir's compile, imported_only).
COMPILE_VARIANTS = {
    "official": ((), False),
    "all modules compiled": (("python_stdlib.zip", "numpy"), False),
    "imported modules compiled": (("python_stdlib.zip", "numpy"), True),
    "stdlib: imported modules compiled": (("python_stdlib.zip",), True),
}


def choose_compile(browser, base: str, overlay: Path, runs: int) -> str:
    """--choose-compile: the floor page on each byte-compiled variant of the served files,
    on localhost and over each throttled link; a Markdown table of medians (worker start →
    numpy answer) and their ratio to the official files' (round-robin, so load drifts hit
    every variant alike), and the same work in Pyodide under Node.js (CPU only).  This is how pyodide_assets.COMPILE and IMPORTED_ONLY were chosen (README)."""
    folders = {}
    for i, (name, (compile, imported_only)) in enumerate(COMPILE_VARIANTS.items()):
        folders[name] = overlay / f"variant-{i}"
        pyodide_assets.build_site_dir(folders[name], compile=compile, hant=False, imported_only=imported_only)
    networks = [None, *NETWORKS]
    times = {(name, network): [] for name in COMPILE_VARIANTS for network in [*networks, "node"]}
    for _ in range(runs):
        for network in networks:
            for name, folder in folders.items():
                ms = measure_floor(browser, base, f"{folder.name}/", network)["a_worker_ms"]
                times[name, network].append(ms)
        for name, folder in folders.items():  # the CPU side alone: no browser, no network
            times[name, "node"].append(node_start_ms(folder))
    lines = ["| files | download | " + " | ".join(n or "localhost" for n in networks) + " | CPU only (Node.js) |"]
    lines.append("| --- | --: |" + " --: |" * (len(networks) + 1))
    for name, folder in folders.items():
        size = sum(f.stat().st_size for f in folder.iterdir() if f.suffix in (".zip", ".whl", ".wasm"))
        cells = []
        for network in [*networks, "node"]:
            ms, official = median(times[name, network]), median(times["official", network])
            cells.append(f"{ms:,.0f} ms ({ms / official:.2f})")
            log(f"{name} over {network or 'localhost'}: {[round(t) for t in times[name, network]]}")
        lines.append(f"| {name} | {size / 1e6:.2f} MB | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def node_start_ms(folder: Path) -> float:
    """Start Pyodide from `folder` under Node.js, load and import numpy: ms (CPU and disk only)."""
    proc = subprocess.run(
        ["node", str(paths.ROOT / "scripts" / "benchmark_node_start.mjs"), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise MeasurementError(f"Pyodide under Node.js failed on {folder.name}: {proc.stderr[-1000:]}")
    return sum(json.loads(proc.stdout).values())


def reload_checks(page, boot: str, requests: Traffic) -> dict:
    """Did the document survive (no reload) and was the wasm fetched exactly once?"""
    return {
        "same_document": page.evaluate("__bench.boot") == boot,
        "navigation_entries": page.evaluate("performance.getEntriesByType('navigation').length"),
        "wasm_requests": requests.count("pyodide.asm.wasm"),
    }


def strip(run: dict) -> dict:
    """A run's record without the raw message log (kept out of the JSON)."""
    return {k: v for k, v in run.items() if k not in ("messages", "click", "done")}


# --------------------------------------------------------------------------- (e) bytes


def measure_weight(browser, base: str, site: Path, path: str) -> dict:
    """(e): bytes and requests of reading `path` to the bottom without running anything.

    Requests are followed through the context's events, which (unlike the page's CDP
    session) include those of workers such as Material's search worker; the bytes of
    each are its response's headers + body as sent (Playwright's ``request.sizes()``,
    taken from the same CDP data as DevTools' "transferred"; a worker's own scripts, for
    which CDP gives no body size, count as the server sent them: see transferred()).
    """
    context = new_context(browser)
    try:
        page = context.new_page()
        net = Traffic(context)
        page.goto(base + path, wait_until="load")
        # Scroll down half a screen at a time, so anything loaded lazily is loaded.
        page.evaluate("""async () => {
            for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
              scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); }
            scrollTo(0, document.documentElement.scrollHeight); }""")
        net.wait_quiet(page)
        states = page.evaluate("[...document.querySelectorAll('.demo[data-demo]')].map(b => b.dataset.state)")
        sizes = sorted(((r.url, transferred(r, site)) for r in net.finished), key=lambda x: -x[1])
    finally:
        context.close()
    pyodide = [u for u in net.urls if "/pyodide/" in urlsplit(u).path or u.endswith("/search_index.json")]
    if pyodide:
        raise MeasurementError(f"reading /{path} fetched Pyodide files or the search index: {pyodide}")
    if any(s != "idle" for s in states):
        raise MeasurementError(f"reading /{path} changed a demo's state: {states}")
    return {
        "bytes": sum(n for _, n in sizes),
        "gzip_estimate": sum(gzip_size(site, u) for u, _ in sizes),
        "requests": len(net.urls),
        "largest": [(urlsplit(u).path, n) for u, n in sizes[:5]],
    }


def _gzip_file(file: Path) -> int:
    """Size of `file` gzipped at level 6 (what common hosts use), as the server sends it."""
    return len(_gzipped(file.resolve(), file.stat().st_mtime_ns))


def gzip_size(site: Path, url: str) -> int:
    """What a host that gzips text would send for `url` (body only; binaries as they are)."""
    rel = urlsplit(url).path.lstrip("/")
    file = site / rel
    if file.is_dir() or rel == "" or rel.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        return 0
    return _gzip_file(file) if compressible(file) else file.stat().st_size


# --------------------------------------------------------------------------- one run, all runs


# --------------------------------------------------------------------------- (i) editor, live controls


def measure_editor(browser, base: str) -> dict:
    """(i): first open of the code editor, and a live-control rerun's overhead."""
    context = new_context(browser)
    try:
        page = context.new_page()
        net = Traffic(context)
        page.goto(base + FIRST_PAGE, wait_until="load")
        net.wait_quiet(page)
        block = f'.demo[data-demo="{FIRST_DEMO}"]'
        page.evaluate(
            """(sel) => { const el = document.querySelector(sel); window.__g = {};
               el.querySelector('[data-action=edit]').addEventListener('click',
                 () => { __g.click = performance.now(); }, true);
               el.querySelector('[data-role=controls]').addEventListener('input',
                 () => { __g.input = performance.now(); }, true);
               new MutationObserver(() => {
                 if (el.dataset.editor === 'ready' && !__g.ready) __g.ready = performance.now();
                 if (el.dataset.state === 'done' && __g.input) __g.done = __g.done || performance.now();
               }).observe(el, { attributes: true, attributeFilter: ['data-editor', 'data-state'] }); }""",
            block,
        )
        page.locator(f"{block} [data-action=edit]").click()
        page.wait_for_function("window.__g.ready", timeout=30_000, polling=50)
        open_ms = page.evaluate("__g.ready - __g.click")
        for _ in range(2):  # a cold start, then a warm run
            page.locator(f"{block} [data-action=run]").click()
            page.wait_for_function(
                "(sel) => ['done', 'error'].includes(document.querySelector(sel).dataset.state)",
                arg=block,
                timeout=RUN_TIMEOUT_MS,
            )
        page.locator(f"{block} input[name=seed]").fill("7")
        page.wait_for_function("window.__g.done", timeout=RUN_TIMEOUT_MS, polling=20)
        live_ms = page.evaluate("__g.done - __g.input")
        status = page.locator(f"{block} [data-role=status]").inner_text()
    finally:
        context.close()
    found = DONE_RE.search(status)
    if not found:
        raise MeasurementError(f"(i) the live rerun did not finish: {status!r}")
    compute = float(found.group(1))
    return {
        "open_ms": open_ms,
        "live_ms": live_ms,
        "live_compute_ms": compute,
        "live_overhead_ms": live_ms - compute - LIVE_DEBOUNCE_MS,
    }


def editor_bundle_size(site: Path) -> tuple[int, int]:
    """(bytes, gzip level-6 bytes) of the editor bundle as the site serves it."""
    file = site / EDITOR_BUNDLE
    return file.stat().st_size, _gzip_file(file)


def one_run(browser, base: str, site: Path, pages: list[DemoPage], sweep: bool) -> dict:
    """Every measurement once, each in its own fresh context."""
    floor = measure_floor(browser, base)
    chapters = measure_chapters(browser, base, pages, sweep)
    weight = {
        "01-intro": measure_weight(browser, base, site, FIRST_PAGE),
        "home": measure_weight(browser, base, site, ""),
    }
    return {
        "floor": floor,
        **chapters,
        "weight": weight,
        "search": measure_search(browser, base),
        "throttled": measure_throttled(browser, base),
        "editor": measure_editor(browser, base),
    }


SEARCH_PAGE, SEARCH_QUERY = "09-diffusion/", "扩散"
TARGET_SEARCH_MS = 1000


def measure_search(browser, base: str) -> dict:
    """(g): a fresh page, settled; focus the search field and type 扩散: focus → first result shown.

    Times are the page's own (a capture-phase focus listener, a MutationObserver on the
    result list); the search index is fetched only at the focus (assets/js/search-on-demand.js).
    """
    context = new_context(browser)
    try:
        page = context.new_page()
        net = Traffic(context)
        page.goto(base + SEARCH_PAGE, wait_until="load")
        settle(page, net)
        page.evaluate("""() => {
            window.__search = {};
            document.addEventListener("focusin", () => { __search.focus ??= performance.now(); }, true);
            new MutationObserver(() => {
              if (document.querySelector(".md-search-result__item")) __search.result ??= performance.now();
            }).observe(document.body, { childList: true, subtree: true }); }""")
        query = page.locator("input[data-md-component=search-query]")
        query.click()
        query.type(SEARCH_QUERY)
        page.wait_for_function("window.__search.result !== undefined", timeout=30_000)
        marks = page.evaluate("window.__search")
    finally:
        context.close()
    return {"first_result_ms": marks["result"] - marks["focus"]}


def summarize(runs: list[dict], site: Path) -> dict:
    """Medians over the runs of every figure the table shows."""

    def med(get):
        return median([get(r) for r in runs])

    first_demos = runs[0]["per_demo"]
    summary = {
        "g_search_ms": med(lambda r: r["search"]["first_result_ms"]),
        **{
            f"h_{net}_{key}": med(lambda r, n=net, k=key: r["throttled"][n][k])
            for net in NETWORKS
            for key in ("a_worker_ms", "b_ms")
        },
        **{
            f"h_{net}_ratio": med(lambda r, n=net: r["throttled"][n]["b_ms"] / r["throttled"][n]["a_worker_ms"])
            for net in NETWORKS
        },
        "a_nav_ms": med(lambda r: r["floor"]["a_nav_ms"]),
        "a_worker_ms": med(lambda r: r["floor"]["a_worker_ms"]),
        "b_ms": med(lambda r: r["first"]["total_ms"]),
        "b_over_a": med(lambda r: r["first"]["total_ms"] / r["floor"]["a_worker_ms"]),
        # Each run's own (a, b): the ratio is taken per run (floor and chapter 1 back to back).
        "ab_runs": [(r["floor"]["a_worker_ms"], r["first"]["total_ms"]) for r in runs],
        "c_total_ms": med(lambda r: r["second"]["total_ms"]),
        "c_compute_ms": med(lambda r: r["second"]["compute_ms"]),
        "c_overhead_ms": med(lambda r: r["second"]["overhead_ms"]),
        "d_ms": med(lambda r: r["cross"].get("total_ms")),  # None if (d) failed
        "d_compute_ms": med(lambda r: r["cross"].get("compute_ms")),
        "d_error": next((r["cross"]["error"] for r in runs if r["cross"].get("error")), None),
        "d_navigation_ms": med(lambda r: r["cross"]["navigation_ms"]),
        "d_reloaded": any(r["cross"]["reloaded"] for r in runs),
        "d_page": runs[0]["cross"]["page"],
        "d_demo": runs[0]["cross"]["demo"],
        "d_checks_ok": all(ok_checks(r["cross"]["checks"]) and ok_checks(r["checks_after_all_pages"]) for r in runs),
        "per_demo": {name: per_demo_summary(name, info, runs) for name, info in first_demos.items()},
        "sitemap_pages": len(sitemap_locs(site)),
        "page_errors": sorted({e for r in runs for e in r["page_errors"]}),
        "g_open_ms": med(lambda r: r["editor"]["open_ms"]),
        "g_live_ms": med(lambda r: r["editor"]["live_ms"]),
        "g_live_compute_ms": med(lambda r: r["editor"]["live_compute_ms"]),
        "g_live_overhead_ms": med(lambda r: r["editor"]["live_overhead_ms"]),
        "g_bundle_bytes": editor_bundle_size(site),
    }
    for name in ("01-intro", "home"):
        summary[f"e_{name}_bytes"] = med(lambda r, n=name: r["weight"][n]["bytes"])
        summary[f"e_{name}_gzip"] = med(lambda r, n=name: r["weight"][n]["gzip_estimate"])
        summary[f"e_{name}_requests"] = med(lambda r, n=name: r["weight"][n]["requests"])
        summary[f"e_{name}_largest"] = runs[0]["weight"][name]["largest"]
    # Breakdowns: the medians of each stage.
    for key in ("floor_stages", "breakdown"):
        getter = (lambda r: r["floor"]["stages"]) if key == "floor_stages" else (lambda r: r["breakdown"])
        labels = list(getter(runs[0]))
        summary[key] = {}
        for label in labels:
            values = [v for v in (getter(r).get(label) for r in runs) if v is not None]
            if isinstance(values[0], (list, tuple)):  # a fetch's [start, end]
                summary[key][label] = [median([v[0] for v in values]), median([v[1] for v in values])]
            else:
                summary[key][label] = median(values)
    return summary


def per_demo_summary(name: str, info: dict, runs: list[dict]) -> dict:
    """Medians of one demo's N over the runs that swept it."""
    seen = [r["per_demo"][name] for r in runs if name in r["per_demo"]]
    return {
        "page": info["page"],
        "warm": all(d["warm"] for d in seen),
        "runs": len(seen),
        "first_ms": median([d["first_ms"] for d in seen]),
        "repeat_ms": median([d["repeat_ms"] for d in seen]),
        "error": next((d["error"] for d in seen if d["error"]), None),
    }


def ok_checks(checks: dict) -> bool:
    """The instant-navigation checks of (d) all hold."""
    return checks["same_document"] and checks["navigation_entries"] == 1 and checks["wasm_requests"] == 1


# --------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    """The table's last column."""
    return "PASS" if ok else "MISS"


def table(s: dict, runs: int) -> str:
    """The Markdown report: main figures with targets, per-demo compute, breakdowns."""
    ms = lambda v: "failed" if v is None else f"{v:,.0f} ms"  # noqa: E731 - tiny formatters
    kb = lambda v: f"{v / 1000:,.1f} KB"  # noqa: E731
    rows = [
        *(
            (
                f"(h) {net}: 01-intro click → done / floor (official files) = {ms(s[f'h_{net}_b_ms'])} / "
                f"{ms(s[f'h_{net}_a_worker_ms'])}",
                f"{s[f'h_{net}_ratio']:.2f}",
                f"≤ {TARGET_THROTTLED_RATIO}" if net.startswith("20") else "—",
                verdict(s[f"h_{net}_ratio"] <= TARGET_THROTTLED_RATIO) if net.startswith("20") else "",
            )
            for net in NETWORKS
        ),
        (
            f"(g) search: focus → first result for {SEARCH_QUERY} (fresh page)",
            ms(s["g_search_ms"]),
            f"≤ {TARGET_SEARCH_MS:,} ms",
            verdict(s["g_search_ms"] <= TARGET_SEARCH_MS),
        ),
        ("(a) floor: navigation → numpy answer", ms(s["a_nav_ms"]), "—", ""),
        ("(a) floor: worker start → numpy answer", ms(s["a_worker_ms"]), "—", ""),
        ("(b) 01-intro first run: click → done", ms(s["b_ms"]), "—", ""),
        (
            "(b/a) first run / floor (worker start), the median of the runs' own ratios ("
            + " · ".join(f"{b:,.0f} / {a:,.0f} = {b / a:.2f}" for a, b in s["ab_runs"])
            + f"; ratio of the medians {s['b_ms'] / s['a_worker_ms']:.2f})",
            f"{s['b_over_a']:.2f}",
            f"≤ {TARGET_RATIO}",
            verdict(s["b_over_a"] <= TARGET_RATIO),
        ),
        ("(c) second run: click → done", ms(s["c_total_ms"]), "—", ""),
        ("(c) second run: compute N (status line)", ms(s["c_compute_ms"]), "—", ""),
        (
            "(c) second run: overhead = total − N",
            ms(s["c_overhead_ms"]),
            f"≤ {TARGET_SECOND_OVERHEAD_MS} ms",
            verdict(s["c_overhead_ms"] <= TARGET_SECOND_OVERHEAD_MS),
        ),
        (
            f"(d) link to /{s['d_page']}, run {s['d_demo']}: click → done"
            + (" (**the link reloaded the page: cold worker**)" if s["d_reloaded"] else ""),
            ms(s["d_ms"]),
            f"≤ {TARGET_CROSS_PAGE_MS} ms",
            verdict(s["d_ms"] is not None and s["d_ms"] <= TARGET_CROSS_PAGE_MS),
        ),
        ("(d) link click → demos mounted", ms(s["d_navigation_ms"]), "—", ""),
        (
            "(d) no reload, pyodide.asm.wasm fetched once",
            "yes" if s["d_checks_ok"] else "NO",
            "yes",
            verdict(s["d_checks_ok"]),
        ),
        (
            "(e) read 01-intro: bytes transferred (gzip), no index, no Pyodide",
            kb(s["e_01-intro_bytes"]),
            f"≤ {TARGET_READ_BYTES // 1000} KB",
            verdict(s["e_01-intro_bytes"] <= TARGET_READ_BYTES),
        ),
        (
            "(e) read 01-intro: gzip estimate (bodies) · requests",
            f"{kb(s['e_01-intro_gzip'])} · {s['e_01-intro_requests']:.0f}",
            "—",
            "",
        ),
        (
            "(e) read home: bytes transferred · gzip estimate (bodies) · requests",
            f"{kb(s['e_home_bytes'])} · {kb(s['e_home_gzip'])} · {s['e_home_requests']:.0f}",
            "—",
            "",
        ),
    ]
    rows += [
        (
            "(i) first open of the code editor: click 代码 → editable (bundle cold)",
            ms(s["g_open_ms"]),
            f"≤ {TARGET_EDITOR_OPEN_MS} ms",
            verdict(s["g_open_ms"] <= TARGET_EDITOR_OPEN_MS),
        ),
        ("(i) editor bundle: bytes · gzip", f"{kb(s['g_bundle_bytes'][0])} · {kb(s['g_bundle_bytes'][1])}", "—", ""),
        (
            f"(i) live rerun: input → done {ms(s['g_live_ms'])}, compute N {ms(s['g_live_compute_ms'])}, "
            f"debounce {LIVE_DEBOUNCE_MS} ms; overhead",
            ms(s["g_live_overhead_ms"]),
            f"≤ {TARGET_LIVE_OVERHEAD_MS} ms",
            verdict(s["g_live_overhead_ms"] <= TARGET_LIVE_OVERHEAD_MS),
        ),
    ]
    out = [
        f"Median of {runs} run(s), each in a fresh browser context (cold cache).",
        "",
        "| figure | measured | target | |",
        "| --- | --: | --: | --- |",
    ]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    for name in ("01-intro", "home"):
        largest = ", ".join(f"{p} {kb(n)}" for p, n in s[f"e_{name}_largest"])
        out.append(f"\nLargest requests reading {name} (run 1): {largest}")
    if s["d_error"]:
        out.append(f"\n**(d) failed**: {s['d_error']}")
    if s["page_errors"]:
        out.append("\n**Errors in the page** (uncaught, during (b)–(f)): " + "; ".join(s["page_errors"]))
    if s["d_reloaded"]:
        out.append(
            "\n**Instant navigation did not happen**: the link reloaded the document, so (d) and the "
            "per-demo first runs below started a cold worker (from the HTTP cache). Material only "
            "intercepts links to pages listed in sitemap.xml, on the same port and path; this "
            f"site's sitemap lists {s['sitemap_pages']} page(s) (none if mkdocs.yml's site_url is "
            "empty), and the benchmark serves on the port of site_url only if it is free."
        )
    out += [
        "",
        "Per-demo compute N with default parameters (the first run includes importing the demo's"
        " module; text_continuation's first run is (b); the target is checked on the first run):",
        "",
        "| demo | page | worker | first N | repeat N | target | |",
        "| --- | --- | --- | --: | --: | --: | --- |",
    ]
    for name, d in s["per_demo"].items():
        ok = d["first_ms"] is not None and d["first_ms"] < TARGET_DEMO_MS
        out.append(
            f"| {name} | /{d['page']} | {'warm' if d['warm'] else 'cold'} | {ms(d['first_ms'])} | "
            f"{ms(d['repeat_ms'])} | < {TARGET_DEMO_MS} ms | {verdict(ok)} |"
        )
    out += [f"\n**{name} failed**: {d['error']}" for name, d in s["per_demo"].items() if d["error"]]
    out += [
        "",
        "Where the time goes (medians; ms from the previous mark; fetches: start → end after worker start):",
        "",
        "| floor (a), from worker start | ms |",
        "| --- | --: |",
    ]
    for label, t in s["floor_stages"].items():
        out.append(f"| {label} | {t:,.0f} |")
    out += ["", "| first run (b) | ms |", "| --- | --: |"]
    for label, v in s["breakdown"].items():
        value = f"{v[0]:,.0f} → {v[1]:,.0f}" if isinstance(v, list) else f"{v:,.0f}"
        out.append(f"| {label} | {value} |")
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    """--site, --runs, --json."""
    parser = argparse.ArgumentParser(prog="python -m scripts.benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=paths.ROOT / "site", help="the built site (default: site/)")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (default 3)")
    parser.add_argument(
        "--json", action="store_true", help="write the results as JSON to stdout (the table then goes to stderr)"
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="skip (j), the Lighthouse runs")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page, the median kept (default 3)"
    )
    parser.add_argument(
        "--lighthouse-pages", nargs="+", metavar="PATH", help="only these pages (default: home and every chapter)"
    )
    parser.add_argument(
        "--choose-compile",
        action="store_true",
        help="only compare byte-compiled variants of the Pyodide files on the floor page",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the report (or the JSON)."""
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    """Serve the site, measure --runs times, print the medians; 1 if a measurement failed, 2 if no site."""
    args = parse_args(argv)
    site = args.site.resolve()
    problem = site_problem(site)
    if problem:
        print(f"benchmark: {problem}", file=sys.stderr)
        return 2

    pages = demo_pages(site)
    config = runtime_config(site)
    log(
        f"site {site}: Pyodide {config['pyodideVersion']} from {config['pyodideBase']}, "
        f"packages {config['packages']}, {sum(len(p.demos) for p in pages)} demos on {len(pages)} pages"
    )
    started = time.monotonic()
    lh = None  # (j), unless --no-lighthouse
    try:
        with (
            tempfile.TemporaryDirectory(prefix="bench-") as tmp,
            serve(site, Path(tmp)) as base,
            sync_playwright() as pw,
        ):
            write_overlay(Path(tmp))
            log(f"gzipped {precompress(site, Path(tmp))} files before measuring, as a host has them")
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            if args.choose_compile:
                print(choose_compile(browser, base, Path(tmp), args.runs))
                browser.close()
                return 0
            runs = []
            for i in range(args.runs):
                # The per-demo sweep is cheap with instant navigation; if links reload the
                # page (each page a cold start) or demos fail (each a time-out), sweep in
                # run 1 only, to stay within the time budget.
                sweep = i == 0 or runs[0]["sweep_clean"]
                runs.append(one_run(browser, base, site, pages, sweep))
                log(f"run {i + 1}/{args.runs} done ({time.monotonic() - started:.0f} s)")
            browser.close()
            # (j) after the browser is closed: Lighthouse starts its own Chromium per page.
            if not args.no_lighthouse:
                lh_pages = (
                    lighthouse.page_paths(args.lighthouse_pages) if args.lighthouse_pages else lighthouse.pages(site)
                )
                lh = lighthouse.measure(base, lh_pages, args.lighthouse_runs, log)
    except (MeasurementError, PlaywrightError, lighthouse.LighthouseError) as err:
        log(f"measurement failed: {err}")
        return 1
    summary = summarize(runs, site)
    report = table(summary, args.runs)
    if lh is not None:
        report += (
            f"\n\n(j) Lighthouse 13, default mobile profile, {args.lighthouse_runs} run(s) per page"
            f" (performance target ≥ {lighthouse.TARGET_PERFORMANCE}):\n\n" + lighthouse.table(lh)
        )
    if args.json:
        print(report, file=sys.stderr)
        json.dump(
            {"summary": summary, "targets": TARGETS, "runs": runs, "lighthouse": lh, "runtime_config": config},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
