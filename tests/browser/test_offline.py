"""Offline after one visit (assets/js/offline/): the service worker, as a reader meets it.

Each test opens a fresh browser context (service workers allowed) on a copy of the session's
build served on its own port, so it can be changed (a new build, the CDN switch) or switched
off (a stopped server is no network at all, whatever the browser's offline emulation covers).
The copy links the big Pyodide folder instead of copying it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from scripts import offline_manifest
from tests.browser.helpers import block, run_and_wait, wait_state
from tests.conftest import _QuietHandler

pytestmark = pytest.mark.browser
CHAPTER = "03-transformer/"
DEMO = "attention"
READY_MS = 60_000  # the install precaches every page of the edition


class _CorsHandler(_QuietHandler):
    """A fake CDN: another origin, with the CORS header a CDN sends."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@contextlib.contextmanager
def serve(folder: Path, handler=_QuietHandler):
    """Serve `folder` on a free port of 127.0.0.1; yields (url, stop)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stopped = []

    def stop():
        if not stopped:
            server.shutdown()
            server.server_close()
            stopped.append(True)

    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", stop
    finally:
        stop()


def copy_site(site_dir: Path, dest: Path, *, link_pyodide=True) -> Path:
    """A copy of the built site (the Pyodide folder linked, not copied)."""
    shutil.copytree(site_dir, dest, ignore=shutil.ignore_patterns("pyodide"))
    if link_pyodide:
        (dest / "pyodide").symlink_to(site_dir / "pyodide", target_is_directory=True)
    return dest


def rebase_sitemaps(folder: Path, url: str) -> None:
    """Instant navigation matches links against the sitemap by host and port: give it this copy's."""
    for sitemap in folder.rglob("sitemap.xml"):
        text = sitemap.read_text(encoding="utf-8")
        sitemap.write_text(re.sub(r"http://127\.0\.0\.1:\d+/", url, text), encoding="utf-8")


def new_page(browser, errors, *, init_script=None):
    context = browser.new_context(service_workers="allow")
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: cancelled_by_reload(r) or errors.append(f"failed: {r.url} {r.failure}"))
    return context, page


def cancelled_by_reload(request) -> bool:
    """The warm worker's scripts (client.warm(), at idle) are cancelled when the page reloads
    while they load: the browser's doing, not a failure of the site or its offline worker."""
    return "/assets/js/runtime/" in request.url and "ERR_ABORTED" in (request.failure or "")


def wait_worker_ready(page):
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=READY_MS)


def cache_urls(page) -> dict[str, list[str]]:
    return page.evaluate(
        """async () => {
          const out = {};
          for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
          return out;
        }"""
    )


def heading(page) -> str:
    return page.locator("article h1").first.inner_text().rstrip("¶")


def sw_version(site: Path) -> str:
    """The build version embedded in the site's sw.js."""
    return re.search(r'^const VERSION = "([0-9a-f]+)";', (site / "sw.js").read_text(encoding="utf-8"), re.M)[1]


def test_after_one_visit_and_one_run_chapters_read_and_the_demo_runs_offline(browser, site_dir, tmp_path):
    errors = []
    site = copy_site(site_dir, tmp_path / "site")
    with serve(site) as (url, stop):
        rebase_sitemaps(site, url)
        context, page = new_page(browser, errors)
        page.goto(url + CHAPTER)
        title = heading(page)
        wait_worker_ready(page)
        assert run_and_wait(page, DEMO)[0] == "done"
        # The run loaded the runtime: the page asks the worker to store it (no saveData here).
        page.wait_for_function("document.documentElement.dataset.offlineRuntime === 'cached'", timeout=READY_MS)
        assert "已可离线使用" in page.locator(".offline-footer").inner_text()
        stop()  # no server any more: every byte below comes from the service worker's caches
        context.set_offline(True)
        page.reload()
        assert heading(page) == title
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        # Another chapter through instant navigation (the footer's 下一页), then back.
        page.locator("a.md-footer__link--next").click()
        page.wait_for_function("location.pathname.endsWith('/04-finetuning/')")
        page.wait_for_function(
            "t => document.querySelector('article h1')?.innerText.replace(/¶$/, '') !== t", arg=title
        )
        assert heading(page) and heading(page) in (site / "04-finetuning/index.html").read_text(encoding="utf-8")
        page.go_back()
        page.wait_for_function(
            "t => document.querySelector('article h1')?.innerText.replace(/¶$/, '') === t", arg=title
        )
        state, text = run_and_wait(page, DEMO)
        assert state == "done", text
        context.close()
    assert not errors, errors


def test_a_new_build_takes_over_after_reload_and_the_old_cache_is_gone(browser, site_dir, tmp_path):
    errors = []
    site = copy_site(site_dir, tmp_path / "site")
    with serve(site) as (url, _stop):
        rebase_sitemaps(site, url)
        old = sw_version(site)
        context, page = new_page(browser, errors)
        page.goto(url + CHAPTER)
        wait_worker_ready(page)
        page.reload()
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert any(name.endswith(f":pages:{old}") for name in cache_urls(page))

        # A new deploy: one page changed, the manifest and sw.js rewritten as the build does.
        page_html = site / CHAPTER / "index.html"
        text = page_html.read_text(encoding="utf-8")
        page_html.write_text(
            text.replace("</article>", '<p id="second-build">第二版</p></article>', 1), encoding="utf-8"
        )
        offline_manifest.write(site)
        new = sw_version(site)
        assert new != old

        page.reload()  # the browser checks sw.js on navigation: the new worker installs and waits
        notice = page.get_by_role("status").filter(has_text="有新版本，刷新后生效")
        notice.wait_for(timeout=READY_MS)
        assert page.locator("#second-build").count() == 0, "the old version still serves this page"

        notice.get_by_role("button", name="刷新").click()  # applies it: the page reloads into the new version
        page.locator("#second-build").wait_for(timeout=READY_MS)
        names = list(cache_urls(page))
        assert any(name.endswith(f":pages:{new}") for name in names), names
        assert not any(name.endswith(f":pages:{old}") for name in names), names
        context.close()
    assert not errors, errors


def test_with_the_cdn_switch_the_runtime_is_not_cached_by_us(browser, site_dir, tmp_path):
    errors = []
    site = copy_site(site_dir, tmp_path / "site", link_pyodide=False)
    # What a build with extra.pyodide_base_url makes: no pyodide/ folder, the demos wheel in
    # demos/, loaded by URL, and the runtime from the CDN (here a second origin serving the files).
    wheel = next((site_dir / "pyodide").glob("genai_course_demos-*.whl"))
    (site / "demos").mkdir()
    shutil.copy(wheel, site / "demos" / wheel.name)
    with serve(site_dir / "pyodide", _CorsHandler) as (cdn, _stop_cdn), serve(site) as (url, _stop):
        rebase_sitemaps(site, url)
        config_js = site / "assets/js/runtime/config.js"
        config = json.loads(config_js.read_text(encoding="utf-8").split("export default ", 1)[1].rstrip().rstrip(";"))
        config.update(pyodideBase=cdn, packages=["numpy"], extraWheels=[f"../../../demos/{wheel.name}"])
        config_js.write_text(f"export default {json.dumps(config)};\n", encoding="utf-8")
        manifest = offline_manifest.write(site)
        assert manifest["runtime"], "the demos wheels the site serves"
        assert all("/demos/" in f"/{rel}" for rel in manifest["runtime"]), manifest["runtime"]

        context, page = new_page(browser, errors)
        requests = []
        context.on("request", lambda r: requests.append(r.url))
        page.goto(url + "01-intro/")
        wait_worker_ready(page)
        assert run_and_wait(page)[0] == "done"
        page.wait_for_function("document.documentElement.dataset.offlineRuntime === 'cached'", timeout=READY_MS)
        assert any(u.startswith(cdn) and u.endswith("pyodide.asm.wasm") for u in requests), "runtime from the CDN"
        page.reload()  # now controlled by the worker: the CDN's files still load, and the demo runs
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        state, text = run_and_wait(page)
        assert state == "done", text
        cached = [u for urls in cache_urls(page).values() for u in urls]
        assert cached and all(u.startswith(url) for u in cached), [u for u in cached if not u.startswith(url)]
        assert not any("pyodide.asm" in u or "python_stdlib" in u for u in cached)
        assert any(u.split("?")[0].endswith(f"demos/{wheel.name}") for u in cached), "the site's own demos wheel"
        context.close()
    assert not errors, errors


SAVE_DATA = """
Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true,
  get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {}, removeEventListener() {} }),
});
"""


def test_save_data_no_runtime_file_is_stored_without_the_readers_yes(browser, site_url, tmp_path):
    errors = []
    context, page = new_page(browser, errors, init_script=SAVE_DATA)
    page.goto(site_url + "01-intro/")
    wait_worker_ready(page)
    assert page.evaluate("navigator.connection.saveData") is True
    assert run_and_wait(page)[0] == "done"
    page.wait_for_function("document.documentElement.dataset.offlineRuntime === 'save-data'")

    def runtime_entries():
        return [u for name, urls in cache_urls(page).items() if name.endswith(":runtime") for u in urls]

    assert runtime_entries() == []
    footer = page.locator(".offline-footer")
    footer.get_by_role("button", name="离线可用").click()
    assert "省流量" in footer.inner_text()
    assert runtime_entries() == [], "asking is not downloading"
    footer.get_by_role("button", name="仍然下载").click()
    page.wait_for_function("document.documentElement.dataset.offlineRuntime === 'cached'", timeout=READY_MS)
    assert any("pyodide.asm.wasm" in u for u in runtime_entries())
    assert "已可离线使用" in footer.inner_text()
    context.close()
    assert not errors, errors


def test_a_tampered_file_in_the_cache_is_still_refused(browser, site_dir, tmp_path):
    """The worker serves cached wheels, but loadPackage checks them against the lock all the same."""
    errors = []
    site = copy_site(site_dir, tmp_path / "site")
    with serve(site) as (url, _stop):
        context, page = new_page(browser, errors)
        page.goto(url + "01-intro/")
        wait_worker_ready(page)
        assert run_and_wait(page)[0] == "done"
        page.wait_for_function("document.documentElement.dataset.offlineRuntime === 'cached'", timeout=READY_MS)
        flipped = page.evaluate(
            """async () => {
              for (const name of await caches.keys()) {
                if (!name.endsWith(":runtime")) continue;
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                  if (!/genai_course_demos-.*\\.whl/.test(request.url)) continue;
                  const body = new Uint8Array(await (await cache.match(request)).arrayBuffer());
                  body[body.length >> 1] ^= 0xff;
                  await cache.put(request, new Response(body, { headers: { "content-type": "application/octet-stream" } }));
                  return request.url;
                }
              }
              return null;
            }"""
        )
        assert flipped
        page.reload()
        b = block(page)
        b.locator("[data-action=run]").click()
        assert wait_state(page, b) == "error"
        assert "genai_course_demos" in b.locator("[data-role=status]").inner_text()
        context.close()
    assert any("运行环境加载失败" in e for e in errors), errors


class _WrongTypeHandler(_QuietHandler):
    """A host that serves the files in `wrong` (paths under the site) as text/plain, uncached
    (as the fault matrix's server does: a cached copy would answer the fixed host's 304)."""

    wrong: set[str] = set()

    def guess_type(self, path):
        self.served_wrong = Path(path).relative_to(self.directory).as_posix() in self.wrong
        return "text/plain" if self.served_wrong else super().guess_type(path)

    def end_headers(self):
        if getattr(self, "served_wrong", False):
            self.send_header("Cache-Control", "no-store")
        super().end_headers()


# Follows the service worker the page registers: its installing worker's last state.
TRACK_INSTALL = """(() => {
  const container = navigator.serviceWorker;
  const register = container.register.bind(container);
  container.register = async (...args) => {
    const registration = await register(...args);
    const worker = registration.installing;
    window.__swState = worker ? worker.state : "none";
    worker?.addEventListener("statechange", () => { window.__swState = worker.state; });
    return registration;
  };
  window.requestIdleCallback = () => 0;  // no warm worker: worker.js is fetched only by 运行
})();"""
INSTALL_SETTLED = "['installed', 'activating', 'activated', 'redundant', 'none'].includes(window.__swState)"


def test_a_script_served_with_the_wrong_type_is_not_kept_and_the_fixed_host_is_used(browser, site_dir, tmp_path):
    """The install precaches the edition; a host serving a script as text/plain meanwhile must
    not leave it in the cache, served first until the next build, after the host is fixed."""
    errors = []
    site = copy_site(site_dir, tmp_path / "site")
    _WrongTypeHandler.wrong = {"assets/js/runtime/worker.js"}
    with serve(site, _WrongTypeHandler) as (url, _stop):
        rebase_sitemaps(site, url)
        context, page = new_page(browser, errors, init_script=TRACK_INSTALL)
        page.goto(url + CHAPTER)
        page.wait_for_function(INSTALL_SETTLED, timeout=READY_MS)
        assert page.evaluate("window.__swState") == "redundant", "the install kept a script served as text/plain"
        assert not [u for urls in cache_urls(page).values() for u in urls if u.endswith("/worker.js")]
        _WrongTypeHandler.wrong = set()  # the host is fixed
        page.reload()
        page.wait_for_function(INSTALL_SETTLED, timeout=READY_MS)
        wait_worker_ready(page)
        kept = page.evaluate(
            "async (u) => (await caches.match(u))?.headers.get('content-type')", url + "assets/js/runtime/worker.js"
        )
        assert kept and "javascript" in kept, kept
        state, text = run_and_wait(page, DEMO)
        assert state == "done", text
        context.close()
    assert not errors, errors
