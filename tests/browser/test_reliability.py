"""Reliability (issue 13): every fault a reader, a link or a host can cause ends in a clear
message and a page that keeps working.

- the host-fault matrix: the built site served by tests/browser/faulty_server.py, one file
  misbehaving at a time; each case ends in ``error`` within a bounded time, with a Chinese
  message naming the file, and 重试 works once the fault is removed (one browser, one fresh
  context per case so nothing comes from the cache);
- hostile and repeated links, Material's hash tracking, Back/Forward, instant navigation
  during a download, two demos at once with 停止 on one, stale output, unparsable numbers.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.faulty_server import FaultyServer
from tests.browser.helpers import block, run_and_wait, wait_state

pytestmark = pytest.mark.browser
CHAPTER = "01-intro/"
TWO_DEMOS = ("07-generation/", "ar_vs_nar", "speculative_decoding")
STALL_MS = 5000  # the watchdog for the stall cases (the site's default, 30 s, for the others)
ERROR_BOUND_S = 90  # every fault must reach `error` within this (as generous as a cold start: a shared machine)
FAULT_TIMES: dict[str, float] = {}  # case → seconds from 运行 to `error` (printed at the end)


def status(b):
    return b.locator("[data-role=status]").inner_text()


# --- the host-fault matrix ---------------------------------------------------------------


BUNDLE = "<demos bundle>"  # the built bundle's name (it carries a hash) is looked up at run time


def fault_cases():
    """(file, fault, expected end state): HTTP 500 on each file the runtime loads, and the
    other faults on the files where they matter most.  Derived from the files the site ships."""
    from scripts import pyodide_assets

    runtime = [p.name for p in pyodide_assets.site_files()]
    files = ["assets/js/runtime/worker.js", "assets/js/runtime/config.js", *runtime, BUNDLE]
    cases = [(f, "500", "error") for f in files]
    cases += [("pyodide.asm.wasm", f, "error") for f in ("truncate", "short", "html", "stall", "slow")]
    cases += [("pyodide.asm.wasm", "mime", "done")]  # used anyway: its bytes are checked first
    cases += [("pyodide.mjs", "mime", "error"), ("assets/js/runtime/worker.js", "mime", "error")]
    cases += [("python_stdlib.zip", "truncate", "error"), ("python_stdlib.zip", "html", "error")]
    wheel = next(f for f in runtime if f.endswith(".whl"))
    cases += [(wheel, "short", "error"), (wheel, "html", "error"), (BUNDLE, "short", "error")]
    return cases


def pytest_generate_tests(metafunc):
    if "fault_case" in metafunc.fixturenames:
        cases = fault_cases()
        metafunc.parametrize("fault_case", cases, ids=[f"{f.split('/')[-1]}-{k}" for f, k, _ in cases])


@pytest.fixture(scope="module")
def faulty(site_dir):
    server = FaultyServer(site_dir).start()
    yield server
    server.stop()
    if FAULT_TIMES:
        worst = max(FAULT_TIMES, key=FAULT_TIMES.get)
        print(f"\nfault matrix: {len(FAULT_TIMES)} cases reached error; slowest {worst}: {FAULT_TIMES[worst]:.1f} s")
        for case, seconds in sorted(FAULT_TIMES.items()):
            print(f"  {case:45s} {seconds:5.1f} s")


def test_host_fault(browser, faulty, site_dir, fault_case):
    name, fault, expected = fault_case
    if name == BUNDLE:  # the demos wheel, named after its sources' hash (scripts/demo_bundle.py)
        from scripts import demo_bundle

        name = next((site_dir / "pyodide").glob(f"{demo_bundle.DIST}-*.whl")).name
    context = browser.new_context()
    try:
        page = context.new_page()
        console = []  # the page's and its workers' console, to explain a failure of this case
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"[:300]))
        # Uncaught on the page itself (the worker's own errors are the fault being reported).
        page.add_init_script(
            "window.__uncaught = []; for (const t of ['error', 'unhandledrejection'])"
            " addEventListener(t, (e) => __uncaught.push(String(e.reason || e.message)));"
        )
        if name.startswith("assets/js/runtime/"):
            # The worker's own scripts: no idle warm-up (client.warm(), which would fetch them
            # before the fault), so 运行 starts the worker as the fault is on. A warm worker's
            # own failure is test_runtime.py's (test_a_late_idle_callback_starts_no_worker_…).
            page.add_init_script("window.requestIdleCallback = () => 0;")
        page.goto(faulty.url + CHAPTER)
        b = block(page)
        if fault in ("stall", "slow"):
            b.evaluate(f"el => {{ el.dataset.loadTimeout = '{STALL_MS}'; }}")
        faulty.inject(name, fault)
        t0 = time.monotonic()
        b.locator("[data-action=run]").click()
        page.wait_for_function(
            "el => ['done', 'error'].includes(el.dataset.state)", arg=b.element_handle(), timeout=ERROR_BOUND_S * 1000
        )
        seconds = time.monotonic() - t0
        state, text = b.get_attribute("data-state"), status(b)
        assert state == expected, f"{name} {fault}: {state}: {text}"
        if expected == "error":
            FAULT_TIMES[f"{name.split('/')[-1]} {fault}"] = seconds
            assert text.startswith("运行环境加载失败：") and name.split("/")[-1] in text, text
            assert not re.search(r"https?://|Error|Traceback|exit\(", text), text
            assert b.locator("[data-role=details] summary").inner_text() == "技术细节"
            faulty.clear()
            b.evaluate("el => { delete el.dataset.loadTimeout; }")
            b.locator("[data-action=retry]").click()
            state = wait_state(page, b)
            details = b.locator("[data-role=details]").first
            assert state == "done", "\n".join(
                [status(b), details.text_content() if details.count() else "(no details)", *console[-12:]]
            )
        assert page.evaluate("window.__uncaught") == []
    finally:
        faulty.clear()
        context.close()


# --- links -------------------------------------------------------------------------------


def test_hostile_links_never_disable_a_block(page, site_url, watch):
    path, first, second = TWO_DEMOS
    page.goto(site_url + path + f"#demo-{first}%E4%B8?x=1")  # malformed encoding in the id
    page.goto(site_url + path + f"#demo-{first}?constructor=1")  # a built-in key, via hashchange
    a = block(page, first)
    # a hash-only goto returns before the page's hashchange handler has run: wait for it
    expect(a.locator("[data-role=status]")).to_have_text("链接中的参数无效：链接里有未知参数「constructor」。")
    assert a.get_attribute("data-state") == "error"
    page.goto(site_url + path + f"#demo-{first}?__proto__=1&toString=2")
    expect(a.locator("[data-role=status]")).to_contain_text("链接里有未知参数「__proto__」")
    assert run_and_wait(page, second)[0] == "done"
    assert run_and_wait(page, first)[0] == "done"


def test_a_second_shared_link_in_the_same_tab_is_applied(page, site_url, watch):
    page.goto(site_url + CHAPTER + "#demo-text_continuation?seed=7&prompt=" + quote("春天"))
    b = block(page)
    assert b.locator("input[name=seed]").input_value() == "7"
    page.goto(site_url + CHAPTER + "#demo-text_continuation?seed=9")  # same document: returns before hashchange
    expect(b.locator("input[name=seed]")).to_have_value("9")
    assert b.locator("input[name=prompt]").input_value() != "春天"  # a link sets every value
    assert "已按链接填好参数" in status(b)


def track_to_last_heading(page):
    """Do what Material's navigation.tracking does when the reader scrolls past a heading:
    replace the hash (and with it any shared link) by that heading's anchor, with
    history.replaceState. Done directly, because whether and when tracking fires depends on
    the page's length and the viewport, which change with the content."""
    page.locator("h2").last.scroll_into_view_if_needed()
    page.evaluate(
        "() => history.replaceState(history.state, '', '#' + [...document.querySelectorAll('h2[id]')].pop().id)"
    )
    assert "?" not in page.evaluate("location.hash")


def test_share_without_clipboard_survives_tracking_and_reload(page, site_url, watch):
    page.add_init_script("navigator.clipboard.writeText = () => Promise.reject(new Error('denied'))")
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("input[name=seed]").fill("42")
    b.locator("[data-action=share]").click()
    field = b.locator("[data-role=share-link]")
    link = field.input_value()
    assert link.endswith("#demo-text_continuation?" + link.split("?", 1)[1]) and "seed=42" in link
    track_to_last_heading(page)
    assert field.input_value() == link  # the link stays copyable
    page.reload()
    assert block(page).locator("input[name=seed]").input_value() == "42"


def test_shared_link_then_scroll_then_reload_keeps_the_values(page, site_url, watch):
    page.goto(site_url + CHAPTER + "#demo-text_continuation?seed=5")
    block(page)  # the reader scrolls once the page is there: the block has read the link by then
    track_to_last_heading(page)
    page.reload()
    assert block(page).locator("input[name=seed]").input_value() == "5"


def test_tracking_before_the_modules_start_keeps_the_shared_link(page, site_url, watch):
    """Material may rewrite the hash before our modules start (they start after the first paint):
    the block still takes the link the reader arrived with (theme-startup.js keeps it in <head>)."""
    held = []
    page.route("**/assets/js/main.js*", lambda route: held.append(route))  # held until the hash changed
    with page.expect_request("**/assets/js/main.js*"):
        page.goto(site_url + CHAPTER + "#demo-text_continuation?seed=5", wait_until="domcontentloaded")
    page.evaluate("() => history.replaceState(history.state, '', '#' + document.querySelector('h2[id]').id)")
    assert page.locator(".demo[data-demo][data-mounted]").count() == 0
    for route in held:
        route.continue_()
    page.unroute("**/assets/js/main.js*")
    b = block(page)
    assert b.locator("input[name=seed]").input_value() == "5"
    page.reload()
    assert block(page).locator("input[name=seed]").input_value() == "5"


# --- history and navigation --------------------------------------------------------------


def on_page(page, path):
    """Wait until the document shows `path` (instant navigation changes it without a load event)."""
    page.wait_for_function("p => location.pathname.endsWith(p)", arg="/" + path)


def next_page(page):
    """Follow the footer's 下一页 link; return the path it leads to."""
    link = page.locator(".md-footer__link--next")
    path = link.evaluate("a => new URL(a.href).pathname").lstrip("/")
    link.click()
    on_page(page, path)
    return path


def test_back_and_forward_restore_inputs_and_output(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("input[name=prompt]").fill("春天")
    assert run_and_wait(page)[0] == "done"
    output = b.locator("[data-role=output]").inner_text()
    following = next_page(page)
    page.go_back()
    on_page(page, CHAPTER)
    b = block(page)
    b.locator("[data-role=output] *").first.wait_for()
    assert b.locator("input[name=prompt]").input_value() == "春天"
    assert b.locator("[data-role=output]").inner_text() == output
    page.go_forward()
    on_page(page, following)
    page.go_back()
    on_page(page, CHAPTER)
    block(page).locator("[data-role=output] *").first.wait_for()
    assert block(page).locator("input[name=prompt]").input_value() == "春天"


def test_instant_navigation_during_a_download(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    block(page).locator("[data-action=run]").click()
    page.wait_for_function("document.querySelector('.demo').dataset.state === 'loading'")
    next_page(page)
    page.wait_for_selector(".demo[data-demo]")
    demo = page.locator(".demo[data-demo]").first.get_attribute("data-demo")
    state, text = run_and_wait(page, demo)
    assert state == "done", text
    assert len([u for u in watch.requests if u.endswith("pyodide.asm.wasm")]) == 1


# --- demo state ----------------------------------------------------------------------------


def test_two_demos_at_once_stop_on_one(page, site_url, watch):
    path, first, second = TWO_DEMOS
    page.goto(site_url + path)
    a, b = block(page, first), block(page, second)
    a.locator("[data-action=run]").click()
    b.locator("[data-action=run]").click()
    page.wait_for_function("el => el.dataset.state === 'loading'", arg=b.element_handle())
    b.locator("[data-action=stop]").click()
    assert wait_state(page, b, ("idle", "error", "done")) == "idle" and status(b) == "已停止"
    assert wait_state(page, a, ("idle", "error", "done")) == "idle"
    assert status(a) == "因停止另一个演示而中断，按「运行」重新开始。"
    assert run_and_wait(page, first)[0] == "done"
    assert run_and_wait(page, second)[0] == "done"


def test_stale_output_is_marked_until_the_next_success(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    assert run_and_wait(page)[0] == "done"
    note = b.locator("[data-role=stale-note]")
    assert note.count() == 0
    box = b.locator("input[name=temperature]")
    for text in ("1e", "--3"):
        box.fill("")
        box.press_sequentially(text)
        state, message = run_and_wait(page)
        assert state == "error" and message == "参数「温度」不是有效的数字。", (text, message)
    assert note.inner_text() == "以下是上一次的结果"
    assert "demo__output--stale" in b.locator("[data-role=output]").get_attribute("class")
    box.fill("0.5")
    assert run_and_wait(page)[0] == "done"
    assert note.count() == 0
