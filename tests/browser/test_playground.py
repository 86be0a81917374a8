"""The reader's playground in Chromium: the 代码 panel (edit, run, errors, storage,
links with code, 停止 on a runaway loop) and live controls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import RUN_TIMEOUT_MS, block, run_and_wait, wait_state

pytestmark = pytest.mark.browser
CHAPTER = "01-intro/"
DEMO = "text_continuation"
# Appended to the shipped module: wraps run and adds one text view.
MARKER = "我改过了这段代码"
WRAP = f'\n_shipped_run = run\n\ndef run(**kw):\n    return _shipped_run(**kw) + [views.text("{MARKER}")]\n'


def status(b):
    return b.locator("[data-role=status]").inner_text()


def editor_text(page, b):
    return b.locator("[data-role=editor]").evaluate("el => el.editor.getValue()")


def shipped_text(b):
    return b.locator("[data-role=code-source]").evaluate("t => t.content.textContent")


def open_editor(page, b):
    b.locator("[data-action=edit]").click()
    page.wait_for_function("el => el.dataset.editor === 'ready'", arg=b.element_handle())
    return b.locator(".cm-content")


def append_code(page, b, text):
    """Type at the end of the editor (insertText: the editor's own input path, no auto-indent)."""
    content = open_editor(page, b) if b.locator(".cm-content").count() == 0 else b.locator(".cm-content")
    content.click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(text)


def test_read_only_page_fetches_no_editor_and_opening_it_fetches_only_the_editor(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    assert b.locator("[data-role=code-panel]").is_hidden()
    assert not [u for u in watch.requests if "/vendor/editor/" in u]
    open_editor(page, b)
    assert [u for u in watch.requests if u.endswith("/assets/vendor/editor/editor.js")]
    assert editor_text(page, b) == shipped_text(b)
    assert b.locator("[data-role=editor] .cm-lineNumbers").count() == 1
    assert not watch.pyodide_requests(), "opening the editor must not start the runtime"


def test_escape_then_tab_leaves_the_editor(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    open_editor(page, b).click()
    page.keyboard.press("Tab")  # indents: focus stays
    assert page.evaluate("document.activeElement.closest('.cm-editor') !== null")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.cm-editor') === null")


def test_edited_code_runs_survives_reload_and_restore_returns_the_shipped_code(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, WRAP)
    assert b.get_attribute("data-modified") == "true"
    assert b.locator("[data-role=modified]").is_visible()
    state, text = run_and_wait(page, DEMO)
    assert state == "done", text
    assert MARKER in b.locator("[data-role=output]").inner_text()

    page.reload()
    b = block(page, DEMO)
    assert b.get_attribute("data-modified") == "true"
    open_editor(page, b)
    assert editor_text(page, b).endswith(WRAP)

    page.once("dialog", lambda d: d.accept())
    b.locator("[data-action=reset-code]").click()
    assert b.get_attribute("data-modified") is None
    assert editor_text(page, b) == shipped_text(b)
    state, text = run_and_wait(page, DEMO)
    assert state == "done" and MARKER not in b.locator("[data-role=output]").inner_text()


def test_the_readers_python_is_as_cpython_left_it_after_loading(page, site_url, watch):
    # worker.js changes shutil.COPY_BUFSIZE, the standard library's zipimporters and
    # importlib.metadata while Pyodide installs the wheels: all are put back, so the reader's
    # code sees CPython's own buffer, zipimporters that re-read their zip when told to, and the
    # real importlib.metadata, which reads the installed numpy's metadata.
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    code = "\nimport importlib.metadata, shutil, sys, zipimport\n_shipped_run = run\n\ndef run(**kw):\n"
    code += "    zips = [f for f in sys.path_importer_cache.values() if isinstance(f, zipimport.zipimporter)]\n"
    code += "    patched = sum('invalidate_caches' in vars(f) for f in zips)\n"
    code += "    seen = f'buffer={shutil.COPY_BUFSIZE} numpy={importlib.metadata.version(\"numpy\")}'\n"
    code += "    seen += f' zips={len(zips) > 5} patched={patched}'\n"
    code += "    return _shipped_run(**kw) + [views.text(seen)]\n"
    append_code(page, b, code)
    state, text = run_and_wait(page, DEMO)
    assert state == "done", text
    assert "buffer=65536 numpy=2.0.2 zips=True patched=0" in b.locator("[data-role=output]").inner_text()


def test_syntax_error_marks_the_line_and_shows_the_python_message(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, "\ndef broken(:\n")
    line = editor_text(page, b).count("\n")  # the broken line is the last full line
    state, text = run_and_wait(page, DEMO)
    assert state == "error"
    assert "SyntaxError" in text and f"第 {line} 行" in text
    marked = b.locator(".cm-errorLine")
    assert marked.count() == 1 and marked.inner_text() == "def broken(:"


def test_stop_ends_an_endless_loop_and_the_edits_survive(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, "\nwhile True:\n    pass\n")
    b.locator("[data-action=run]").click()
    page.wait_for_function("el => el.dataset.state === 'running'", arg=b.element_handle(), timeout=90_000)
    b.locator("[data-action=stop]").click()
    assert wait_state(page, b, ("idle", "error")) == "idle"
    assert b.get_attribute("data-modified") == "true"
    assert editor_text(page, b).endswith("while True:\n    pass\n")


def test_a_link_with_code_opens_behind_the_banner_and_never_runs(page, site_url, watch, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, WRAP)
    b.locator("[data-action=share]").click()
    page.wait_for_function("() => location.hash.includes('code=')")
    link = page.url
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.evaluate("localStorage.clear()")  # the link alone must carry the code

    page.goto(site_url)
    watch.requests.clear()
    page.goto(link)
    b = block(page, DEMO)
    page.wait_for_function("el => el.dataset.editor === 'ready'", arg=b.element_handle())
    assert b.locator("[data-role=code-banner]").inner_text() == "此链接包含修改过的代码，请先阅读再运行"
    assert editor_text(page, b).endswith(WRAP)
    assert b.get_attribute("data-state") == "idle"
    assert not watch.pyodide_requests(), "a link with code must not start anything"
    state, _ = run_and_wait(page, DEMO)
    assert state == "done" and MARKER in b.locator("[data-role=output]").inner_text()
    assert b.locator("[data-role=code-banner]").is_hidden()


@pytest.mark.parametrize("code", ["not*base64", "AAAA", "TRUNCATE"])
def test_malformed_or_truncated_code_link_is_refused(page, site_url, watch, code):
    if code == "TRUNCATE":
        page.goto(site_url)  # another page: the link below must load the chapter afresh
        code = page.evaluate(
            "async (url) => (await import(url)).encodeCode('x = 1\\n'.repeat(50))", site_url + "assets/js/code-panel.js"
        )
        code = code[: len(code) // 2]
    page.goto(f"{site_url}{CHAPTER}#demo-{DEMO}?seed=7&code={code}")
    b = block(page, DEMO)
    page.wait_for_function("el => el.dataset.codeLink === 'invalid'", arg=b.element_handle())
    assert "链接中的代码已损坏或不完整" in status(b)
    assert b.get_attribute("data-modified") is None
    assert b.locator("[data-role=code-banner]").is_hidden()
    assert b.locator("input[name=seed]").input_value() == "7", "the parameters still apply"


def test_live_controls_never_run_before_the_first_run(page, site_url, watch):
    page.clock.install()
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    assert b.locator("[data-action=autorun]").is_checked()
    for seed in ("1", "2", "3"):
        b.locator("input[name=seed]").fill(seed)
    page.clock.run_for(2000)  # far past the debounce
    assert b.get_attribute("data-state") == "idle"
    assert not watch.pyodide_requests()


def test_live_controls_rerun_once_after_a_burst_with_the_latest_values(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    assert run_and_wait(page, DEMO)[0] == "done"
    # Count runs (each leaves a resting state once) and whether the old output stayed meanwhile.
    page.evaluate(
        """el => { window.liveRuns = 0; window.oldOutputKept = true;
           el.querySelector('[data-role=output]').firstChild.dataset.old = 'yes';
           new MutationObserver((records) => {
             for (const r of records) if (['done', 'error', 'idle'].includes(r.oldValue)) window.liveRuns++;
             if (el.dataset.state === 'running' && !el.querySelector('[data-old]')) window.oldOutputKept = false;
           }).observe(el, {attributes: true, attributeOldValue: true, attributeFilter: ['data-state']}); }""",
        b.element_handle(),
    )
    before = b.locator("[data-role=output]").inner_text()
    for seed in ("11", "12", "13", "14", "15"):
        b.locator("input[name=seed]").fill(seed)
    page.wait_for_function(
        "el => el.dataset.state === 'done' && !el.querySelector('[data-old]')", arg=b.element_handle()
    )
    live = b.locator("[data-role=output]").inner_text()
    assert live != before
    assert page.evaluate("window.liveRuns") == 1
    assert page.evaluate("window.oldOutputKept")
    # Latest wins: the live output is the output for seed 15.
    b.locator("[data-action=autorun]").uncheck()
    assert run_and_wait(page, DEMO)[0] == "done"
    assert b.locator("[data-role=output]").inner_text() == live
    assert re.search(r"完成", status(b))


def test_pressing_run_supersedes_a_pending_live_rerun(page, site_url, watch):
    """A reader who changes a value and presses 运行 within the debounce gets one run, not that
    run and then the same live rerun behind it (which also flashed 「以下是上一次的结果」)."""
    page.clock.install()
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    assert run_and_wait(page, DEMO)[0] == "done"
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # from here page timers wait for the test
    page.evaluate(
        """el => { window.runs = 0;
           new MutationObserver((records) => {
             for (const r of records) if (['done', 'error', 'idle'].includes(r.oldValue)) window.runs++;
           }).observe(el, {attributes: true, attributeOldValue: true, attributeFilter: ['data-state']}); }""",
        b.element_handle(),
    )
    b.locator("input[name=seed]").fill("21")  # a live rerun is now due in DEBOUNCE_MS
    b.locator("[data-action=run]").click()  # and the reader presses 运行 first
    expect(b).to_have_attribute("data-state", "done", timeout=RUN_TIMEOUT_MS)
    page.clock.run_for(2000)  # far past the debounce: a live rerun still pending would start now
    assert b.get_attribute("data-state") == "done"
    assert page.evaluate("window.runs") == 1
    assert b.locator("[data-role=stale-note]").count() == 0


def test_renderers_refuse_huge_or_deep_views_whoever_sends_them(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    page.wait_for_load_state("networkidle")
    # Reading a page loads no renderer and not their styles: both come with the first output.
    renderers = lambda: sorted(u.rsplit("/", 1)[1] for u in watch.requests if "/assets/js/render/" in u)  # noqa: E731
    styles = lambda: [u for u in watch.requests if u.endswith("/assets/css/views.css")]  # noqa: E731
    assert renderers() == ["index.js"] and not styles()
    texts = page.evaluate(
        """async (url) => {
          const { renderViews, MAX_VIEWS } = await import(url);
          let deep = [];
          for (let i = 0; i < 40; i++) deep = [deep];
          const cases = [
            [{ kind: "line", title: "", x: Array.from({ length: 500000 }, (_, i) => i), series: [] }],
            [{ kind: "table", title: "", columns: ["a"], rows: deep }],
            Array.from({ length: MAX_VIEWS + 5 }, () => ({ kind: "text", title: "", text: "x" })),
            [{ kind: "text", title: "", text: "<b>ok</b>" }],
          ];
          const out = [];
          for (const views of cases) {
            const box = document.createElement("div");
            await renderViews(views, box);
            out.push([box.children.length, box.textContent.slice(-60)]);
          }
          return out;
        }""",
        site_url + "assets/js/render/index.js",
    )
    assert texts[0] == [1, "这个输出太大或嵌套太深，无法显示。"]
    assert texts[1] == [1, "这个输出太大或嵌套太深，无法显示。"]
    assert texts[2][0] == 51 and texts[2][1].endswith("只显示前 50 个输出（共 55 个）。")
    assert texts[3] == [1, "<b>ok</b>"]
    # Only the kinds drawn were loaded (with the helpers they import).
    assert {"line.js", "table.js", "text.js"} <= set(renderers()) and "heatmap.js" not in renderers()
    assert len(styles()) == 1


def test_storage_that_refuses_gives_a_message_and_the_edit_still_runs_in_the_page(page, site_url, watch):
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, "\n# 一行注释\n")
    assert "浏览器无法保存你的修改" in status(b)
    assert b.get_attribute("data-modified") == "true"
    assert editor_text(page, b).endswith("# 一行注释\n")


def test_edits_are_restored_after_instant_navigation_and_the_editor_loads_once(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page, DEMO)
    append_code(page, b, "\n# 导航之后还在\n")
    page.evaluate("window.__sameDocument = true")
    for target in ("02-pretraining/", CHAPTER):  # away and back, without reloading the document
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url;
                         document.querySelector('.md-content').append(a); a.click(); }""",
            site_url + target,
        )
        page.wait_for_url(site_url + target)
        page.wait_for_selector(".demo[data-demo][data-mounted]")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded, not instantly navigated"
    b = block(page, DEMO)
    assert b.get_attribute("data-modified") == "true"
    open_editor(page, b)
    assert editor_text(page, b).endswith("# 导航之后还在\n")
    assert len([u for u in watch.requests if u.endswith("/vendor/editor/editor.js")]) == 1
