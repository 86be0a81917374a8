"""练一练 in Chromium: the editor opens on demand, 检查 grades in the worker, code persists.

One test walks a whole session on one page (a Pyodide start is the costly
part): a wrong answer, a syntax error with its line marked, the reference
solution typed in (✓), a reload that keeps the code, and 停止 ending a loop.
"""

from __future__ import annotations

from demos.exercises import load
from demos.exercises._grade import solution_text
from tests.browser.helpers import wait_state

PAGE = "03-transformer/"
NAME = "causal_attention"


def exercise(page):
    """The exercise block, once mounted (main.js starts after the first paint: see helpers.block)."""
    page.wait_for_selector(f'.exercise[data-exercise="{NAME}"][data-mounted]', state="attached")
    return page.locator(f'.exercise[data-exercise="{NAME}"]')


def editor_requests(watch):
    """The editor bundle (editor-loader.js itself is a few lines, imported statically)."""
    return [u for u in watch.requests if "/vendor/editor/" in u]


def type_code(page, ex, code):
    """Open the editor by clicking the code, replace everything with `code`, as a reader would paste it."""
    if ex.get_attribute("data-editor") != "ready":
        ex.locator("[data-role=starter]").click()
    content = ex.locator(".cm-content")
    content.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(code)


def check(page, ex):
    """Click 检查, wait for the verdict; return (data-verdict, verdict text)."""
    ex.locator("[data-action=check]").click()
    wait_state(page, ex)
    verdict = ex.locator("[data-role=verdict]")
    return verdict.get_attribute("data-verdict"), verdict.inner_text()


def test_read_only_page_fetches_no_editor_and_no_pyodide(page, site_url, watch):
    page.goto(site_url + PAGE)
    ex = exercise(page)
    ex.scroll_into_view_if_needed()
    ex.locator("details.exercise__hint summary").click()  # reading the hint is still reading
    page.wait_for_load_state("networkidle")
    assert ex.locator("[data-role=starter]").inner_text().startswith("import numpy as np")
    assert not editor_requests(watch), editor_requests(watch)
    assert not watch.pyodide_requests()
    assert ex.locator("[data-role=solution]").is_hidden()
    ex.locator("[data-action=solution]").click()
    assert "np.triu" in ex.locator("[data-role=solution]").inner_text()


def test_exercise_session_fail_error_pass_reload_stop(page, site_url, watch):
    spec = load(NAME)
    page.goto(site_url + PAGE)
    ex = exercise(page)

    # Off-by-one mask (the diagonal masked too): fail, naming the first case with input/expected/got.
    wrong = solution_text(spec.SOLUTION).replace("k=1)", "k=0)")
    type_code(page, ex, wrong)
    verdict, text = check(page, ex)
    assert verdict == "fail", text
    assert "固定用例 1" in text and "期望" in text and "你的结果" in text

    # A syntax error on line 6: error, the Python message, the line marked in the editor.
    broken = "import numpy as np\n\n\ndef attention_weights(Q, K):\n    n, d_k = Q.shape\n    return (\n"
    type_code(page, ex, broken)
    verdict, text = check(page, ex)
    assert verdict == "error", text
    assert "第 6 行" in text and "SyntaxError" in text
    assert ex.locator(".cm-errorLine").count() == 1

    # The reference solution, typed in: ✓.
    type_code(page, ex, solution_text(spec.SOLUTION))
    verdict, text = check(page, ex)
    assert verdict == "pass", text
    assert text.startswith("✓")
    assert ex.get_attribute("data-modified") == "true"

    # Reload: the reader's code is still there (before the editor is even loaded).
    page.reload()
    ex = exercise(page)
    assert "np.triu" in ex.locator("[data-role=starter]").inner_text()

    # A runaway loop is ended by 停止; the block is usable again.
    type_code(page, ex, "def attention_weights(Q, K):\n    while True:\n        pass\n")
    ex.locator("[data-action=check]").click()
    wait_state(page, ex, ("running",))
    ex.locator("[data-action=stop]").click()
    assert wait_state(page, ex, ("idle",)) == "idle"
    assert ex.locator("[data-action=check]").is_enabled()
