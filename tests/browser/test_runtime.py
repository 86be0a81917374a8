"""The runtime as a reader meets it: stop, time-out, bad input, hostile input, failed loads,
integrity, shared links, progress, and one worker across instant navigation."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.browser.helpers import block, demo_blocks, run_and_wait, wait_state

pytestmark = pytest.mark.browser
CHAPTER = "01-intro/"


def status(b):
    return b.locator("[data-role=status]").inner_text()


def test_progress_names_the_stage_then_runs(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("[data-action=run]").click()
    page.wait_for_function(
        "el => el.dataset.state === 'loading' && /下载运行环境|加载 numpy/.test(el.textContent)", arg=b.element_handle()
    )
    assert wait_state(page, b) == "done", status(b)
    assert b.locator("[data-role=progress]").is_hidden()
    assert re.search(r"完成，用时 \d+ 毫秒", status(b))


# Watches the page's Pyodide workers (name "pyodide"): how many were made (__workersMade) and
# every message they sent, in the page's clock (__workerMessages).
WATCH_PYODIDE_WORKERS = """(() => {
  const seen = (window.__workerMessages = []);
  window.__workersMade = 0;
  const RealWorker = window.Worker;
  window.Worker = class extends RealWorker {
    constructor(url, options) {
      super(url, options);
      if (options?.name !== "pyodide") return;
      window.__workersMade++;
      this.addEventListener("message", ({ data }) => seen.push({ t: performance.now(), ...data }));
    }
  };
})();"""


def test_progress_is_sent_a_few_times_a_second_and_ends_at_the_full_size(page, site_url, watch):
    """A message per downloaded chunk (hundreds) kept the page busy while the worker booted:
    byte counts go out at most every 100 ms, stage changes and file ends at once."""
    page.add_init_script(WATCH_PYODIDE_WORKERS)
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("[data-action=run]").click()
    assert wait_state(page, b) == "done", status(b)
    messages = page.evaluate("window.__workerMessages")
    progress = [m for m in messages if m["type"] == "progress"]
    downloads = [m for m in progress if m["stage"] == "下载运行环境"]
    assert len(downloads) >= 3, progress
    # The last count (the wheels download in the numpy stage) is every byte the worker expected.
    assert progress[-1]["loaded"] == progress[-1]["total"] > 10_000_000, progress[-1]
    # Between two file events (a start or an end forces a message), byte counts are ≥ 100 ms apart.
    files = {m["file"] for m in downloads}
    span = downloads[-1]["t"] - downloads[0]["t"]
    assert len(downloads) <= span / 100 + 2 * (len(files) + 4), (len(downloads), span, files)


def test_the_wheels_are_requested_while_python_starts_and_once_each(page, site_url, watch):
    """prefetch.js: numpy and the demos wheel are asked for once the runtime's files are in,
    before the worker reports the runtime ready (「加载 numpy」), and loadPackage asks no more.
    And pyodide.asm.js is asked for with pyodide.mjs, not after it has arrived."""
    page.add_init_script(WATCH_PYODIDE_WORKERS)
    wheels, scripts = [], {}
    page.on("requestfinished", lambda r: wheels.append(r) if r.url.endswith(".whl") else None)
    page.on("requestfinished", lambda r: scripts.setdefault(r.url.rsplit("/", 1)[1], r))
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("[data-action=run]").click()
    assert wait_state(page, b) == "done", status(b)
    names = sorted(re.sub(r"-\d.*", "", r.url.rsplit("/", 1)[1]) for r in wheels)
    assert names == ["genai_course_demos", "numpy"], [r.url for r in wheels]
    origin = page.evaluate("performance.timeOrigin")
    messages = page.evaluate("window.__workerMessages")
    ready = next(m["t"] for m in messages if m["type"] == "progress" and m["stage"] == "加载 numpy")
    for r in wheels:  # request start, in the page's clock
        assert r.timing["startTime"] - origin < ready, (r.url, r.timing["startTime"] - origin, ready)
    mjs, asm = scripts["pyodide.mjs"].timing, scripts["pyodide.asm.js"].timing
    assert asm["startTime"] < mjs["startTime"] + mjs["responseEnd"], (mjs, asm)


def test_an_idle_page_starts_the_worker_but_no_pyodide_file_and_run_uses_it(page, site_url, watch):
    """client.warm(): the worker's thread and scripts start when the page is idle, Pyodide only on 运行."""
    page.add_init_script(WATCH_PYODIDE_WORKERS)
    urls = []
    page.on("request", lambda r: urls.append(r.url))
    with page.expect_response(lambda r: r.url.endswith("/assets/js/runtime/config.js")):  # the worker's import
        page.goto(site_url + CHAPTER)
    b = block(page)
    assert page.evaluate("window.__workersMade") == 1
    assert not [u for u in urls if "/pyodide/" in u], "a Pyodide file was fetched before 运行"
    assert page.evaluate("window.__workerMessages") == []  # warm: not asked to load
    b.locator("[data-action=run]").click()
    assert wait_state(page, b) == "done", status(b)
    assert page.evaluate("window.__workersMade") == 1, "运行 started a second worker"
    assert [u for u in urls if u.endswith("/pyodide/pyodide.asm.wasm")]


def test_stop_ends_a_run_at_once_and_the_next_run_works(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("[data-action=run]").click()
    page.wait_for_function("el => el.dataset.state === 'loading'", arg=b.element_handle())
    b.locator("[data-action=stop]").click()
    assert wait_state(page, b, ("idle", "error")) == "idle"
    assert "已停止" in status(b)
    state, text = run_and_wait(page)
    assert state == "done", text


def test_stop_during_a_long_computation(page, site_url, watch):
    page.goto(site_url + "09-diffusion/")
    b = block(page, "diffusion_2d")
    assert run_and_wait(page, "diffusion_2d")[0] == "done"
    b.locator("input[name=steps]").fill("200")
    b.locator("[data-action=run]").click()
    page.wait_for_function("el => el.dataset.state === 'running'", arg=b.element_handle())
    b.locator("[data-action=stop]").click()
    assert wait_state(page, b, ("idle", "error", "done")) == "idle"
    assert "已停止" in status(b)
    b.locator("input[name=steps]").fill("5")
    state, text = run_and_wait(page, "diffusion_2d")
    assert state == "done", text


def test_a_run_over_its_time_budget_is_stopped_with_a_message(page, site_url, watch):
    # diffusion_2d with 200 steps computes for well over 150 ms even on a fast machine.
    page.goto(site_url + "09-diffusion/")
    b = block(page, "diffusion_2d")
    assert run_and_wait(page, "diffusion_2d")[0] == "done"  # runtime loaded
    b.evaluate("el => { el.dataset.timeBudget = '150'; }")
    b.locator("input[name=steps]").fill("200")
    state, text = run_and_wait(page, "diffusion_2d")
    assert state == "error" and "自动停止" in text, text
    b.evaluate("el => { el.dataset.timeBudget = '20000'; }")
    b.locator("input[name=steps]").fill("5")
    state, text = run_and_wait(page, "diffusion_2d")
    assert state == "done", text


def test_bad_parameter_shows_the_message_and_the_next_valid_run_succeeds(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("input[name=temperature]").fill("5")
    state, text = run_and_wait(page)
    assert state == "error"
    assert text == "参数「温度」应在 0 到 2 之间，收到的是 5。"
    assert b.locator("input[name=temperature]").get_attribute("aria-invalid") == "true"
    b.locator("input[name=temperature]").fill("0.7")
    state, text = run_and_wait(page)
    assert state == "done", text


def test_python_validates_too(page, site_url, watch):
    """A value that slips past the page (a forged request) is caught by the demo in the worker."""
    page.goto(site_url + CHAPTER)
    answer = page.evaluate(
        """async (base) => {
        const { client } = await import(base + 'assets/js/runtime/client.js');
        return client.run('text_continuation', { length: '500', prompt: '台湾' });
    }""",
        site_url,
    )
    assert answer["ok"] is False
    assert answer["message"] == "参数「最多生成字数」应在 1 到 80 之间，收到的是 500。"
    assert answer["param"] == "length"


def test_html_in_the_prompt_is_shown_literally(page, site_url, watch):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(site_url + CHAPTER)
    b = block(page)
    hostile = "<img src=x onerror=alert(1)>"
    b.locator("input[name=prompt]").fill(hostile)
    state, text = run_and_wait(page)
    assert state == "done", text
    output = b.locator("[data-role=output]")
    assert hostile in output.inner_text()
    assert output.locator("img").count() == 0
    assert not dialogs


def test_failed_runtime_load_says_so_and_retry_works(page, site_url, watch):
    watch.expect_errors()
    page.route(re.compile(r".*/pyodide/pyodide\.asm\.wasm$"), lambda route: route.abort())
    page.goto(site_url + CHAPTER)
    b = block(page)
    state, text = run_and_wait(page)
    assert state == "error" and "运行环境加载失败" in text
    retry = b.locator("[data-action=retry]")
    assert retry.is_visible()
    page.unroute(re.compile(r".*/pyodide/pyodide\.asm\.wasm$"))
    retry.click()
    assert wait_state(page, b) == "done", status(b)


def test_a_late_idle_callback_starts_no_worker_behind_a_failed_load(page, site_url, watch):
    """warm() is once a page session: after a failed load, 重试 gets a fresh worker, never one
    an idle callback started while the host was still failing (seen once in the fault matrix)."""
    watch.expect_errors()
    page.add_init_script("window.requestIdleCallback = () => 0;")  # no idle callback: 运行 starts the worker
    page.add_init_script(WATCH_PYODIDE_WORKERS)
    page.route(re.compile(r".*/pyodide/pyodide\.asm\.wasm$"), lambda route: route.abort())
    page.goto(site_url + CHAPTER)
    b = block(page)
    state, text = run_and_wait(page)
    assert state == "error" and "运行环境加载失败" in text
    page.evaluate("async (url) => (await import(url)).client.warm()", site_url + "assets/js/runtime/client.js")
    assert page.evaluate("window.__workersMade") == 1, "warm() started a worker after the failed load"
    page.unroute(re.compile(r".*/pyodide/pyodide\.asm\.wasm$"))
    b.locator("[data-action=retry]").click()
    assert wait_state(page, b) == "done", status(b)
    assert page.evaluate("window.__workersMade") == 2


def test_a_tampered_package_is_refused(page, site_url, watch):
    watch.expect_errors()

    def tamper(route):
        body = bytearray(route.fetch().body())
        body[len(body) // 2] ^= 0xFF
        route.fulfill(body=bytes(body), content_type="application/octet-stream")

    page.route(re.compile(r".*/pyodide/numpy-.*\.whl$"), tamper)
    page.goto(site_url + CHAPTER)
    state, text = run_and_wait(page)
    assert state == "error" and "运行环境加载失败" in text, text


def test_shared_link_restores_parameters(page, site_url, watch):
    page.goto(site_url + CHAPTER + "#demo-text_continuation?" + "prompt=" + quote("春天") + "&temperature=0.3&seed=7")
    b = block(page)
    assert b.locator("input[name=prompt]").input_value() == "春天"
    assert b.locator("input[name=temperature]").input_value() == "0.3"
    assert b.locator("input[name=seed]").input_value() == "7"
    assert b.evaluate("el => { const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }")
    state, text = run_and_wait(page)
    assert state == "done" and b.locator("[data-role=output]").inner_text().count("春天") >= 1


def test_share_button_makes_a_link_that_round_trips(page, site_url, watch, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("input[name=prompt]").fill("扩散 & 模型?")
    b.locator("input[name=top_k]").fill("3")
    b.locator("[data-action=share]").click()
    link = page.evaluate("navigator.clipboard.readText()")
    # (the address bar may already show a heading anchor: Material's tracking rewrites the hash)
    assert link.startswith(site_url + CHAPTER) and "#demo-text_continuation?" in link
    page.goto(site_url)
    page.goto(link)
    b = block(page)
    assert b.locator("input[name=prompt]").input_value() == "扩散 & 模型?"
    assert b.locator("input[name=top_k]").input_value() == "3"


def test_invalid_values_in_a_link_are_rejected_with_the_usual_message(page, site_url, watch):
    page.goto(site_url + CHAPTER + "#demo-text_continuation?temperature=9")
    b = block(page)
    assert b.get_attribute("data-state") == "error"
    assert status(b) == "链接中的参数无效：参数「温度」应在 0 到 2 之间，收到的是 9。"
    assert b.locator("input[name=temperature]").input_value() == "0.8"


def test_one_worker_survives_instant_navigation(page, site_url, site_dir, watch):
    pages = list(dict.fromkeys(p for p, _ in demo_blocks()))
    if len(pages) < 2:
        pytest.skip("needs two pages with demos")
    first, second = pages[0], pages[1]
    page.goto(site_url + first)
    state, text = run_and_wait(page, page.locator(".demo[data-demo]").first.get_attribute("data-demo"))
    assert state == "done", text
    page.evaluate("window.__sameDocument = true")
    # Instant navigation: Material swaps the content without reloading the document.
    page.evaluate(
        """url => { const a = document.createElement('a'); a.href = url;
                     document.querySelector('.md-content').append(a); a.click(); }""",
        site_url + second,
    )
    page.wait_for_url(site_url + second)
    page.wait_for_selector(".demo[data-demo]")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded, not instantly navigated"
    demo = page.locator(".demo[data-demo]").first.get_attribute("data-demo")
    state, text = run_and_wait(page, demo)
    assert state == "done", text
    assert len([u for u in watch.requests if u.endswith("pyodide.asm.wasm")]) == 1
