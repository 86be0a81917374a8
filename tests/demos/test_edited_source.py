"""demos._runtime.call_source: the reader's edited demo code, on CPython.

The same cases run inside Pyodide in tests/pyodide/test_edited_source.py.
"""

from __future__ import annotations

import inspect
import json
import sys

import pytest

import demos
from demos import _runtime
from demos._runtime import call, call_source, check_views, edited_filename
from tests.demos.contract import module

NAME = "attention"
SHIPPED = inspect.getsource(module(NAME))


def insert_after_def_run(body: str, source: str = SHIPPED) -> tuple[str, int]:
    """``source`` with ``body`` as the first line of run; returns (source, that line's number)."""
    lines = source.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("def run("))
    while not lines[i].rstrip().endswith(":"):  # a signature over several lines
        i += 1
    return "\n".join([*lines[: i + 1], f"    {body}", *lines[i + 1 :]]) + "\n", i + 2


def answer(source, params=None, name=NAME):
    return json.loads(call_source(name, source, json.dumps(params or {})))


# Each case: (what, source, params, expected fields).  Shared with the Pyodide test.
def cases():
    raising, raise_line = insert_after_def_run("raise KeyError('boom')")
    nan_views, _ = insert_after_def_run("return [{'kind': 'bars', 'labels': ['a'], 'values': [float('nan')]}]")
    array_views, _ = insert_after_def_run("import numpy as np; return [{'kind': 'line', 'x': np.arange(3)}]")
    wrong_kind, _ = insert_after_def_run("return [{'kind': 'script', 'src': 'x'}]")
    not_list, _ = insert_after_def_run("return 'hello'")
    huge, _ = insert_after_def_run("return [{'kind': 'line', 'x': list(range(500_000))}]")
    deep, _ = insert_after_def_run("v = []\n    for _ in range(50): v = [v]\n    return [{'kind': 'table', 'rows': v}]")
    return [
        ("shipped source", SHIPPED, {}, {"ok": True}),
        ("bad parameter", SHIPPED, {"heads": 99}, {"ok": False, "param": "heads"}),
        ("syntax error", SHIPPED + "def broken(:\n", {}, {"code_error": True, "line": SHIPPED.count("\n") + 1}),
        ("exception in run", raising, {}, {"code_error": True, "line": raise_line, "has": "KeyError: 'boom'"}),
        ("exception at import", SHIPPED + "x = 1 / 0\n", {}, {"code_error": True, "has": "ZeroDivisionError"}),
        ("NaN in views", nan_views, {}, {"code_error": True, "has": "NaN"}),
        ("numpy array in views", array_views, {}, {"code_error": True, "has": "ndarray"}),
        ("unknown view kind", wrong_kind, {}, {"code_error": True, "has": "script"}),
        ("views not a list", not_list, {}, {"code_error": True, "has": "str"}),
        ("huge views", huge, {}, {"code_error": True, "has": "输出太大"}),
        ("deep views", deep, {}, {"code_error": True, "has": "嵌套太深"}),
        ("no run", "PARAMS = {}\n", {}, {"code_error": True, "has": "run"}),
    ]


CASES = cases()


def check(got: dict, want: dict) -> None:
    for key, value in want.items():
        if key == "has":
            assert value in got["message"], got
        else:
            assert got.get(key) == value, got
    if got.get("code_error"):
        assert got["ok"] is False and "internal" not in got
        assert got["message"].startswith("你的代码出错")


@pytest.mark.parametrize("what, source, params, want", CASES, ids=[c[0] for c in CASES])
def test_edited_source(what, source, params, want):
    check(answer(source, params), want)


def test_shipped_source_gives_the_shipped_answer_and_leaves_the_module_alone():
    shipped = sys.modules.get(f"demos.{NAME}") or module(NAME)
    edited, _ = insert_after_def_run("return [{'kind': 'text', 'title': '', 'text': 'edited'}]")
    assert answer(edited)["views"] == [{"kind": "text", "title": "", "text": "edited"}]
    assert sys.modules[f"demos.{NAME}"] is shipped
    assert json.loads(call(NAME, "{}")) == answer(SHIPPED)


def test_traceback_shows_the_readers_lines_not_the_worker():
    source, line = insert_after_def_run("raise KeyError('boom')")
    got = answer(source)
    assert f'File "{edited_filename(NAME)}", line {line}' in got["traceback"]
    assert "raise KeyError('boom')" in got["traceback"]
    assert "_runtime.py" not in got["traceback"] and "_params.py" not in got["traceback"]


def test_undecorated_run_is_still_validated_by_its_params():
    source = SHIPPED.replace("@demo_entry(PARAMS)\n", "")
    assert source != SHIPPED
    check(answer(source, {"heads": 99}), {"ok": False, "param": "heads"})
    check(answer(source), {"ok": True})


def test_a_failure_outside_the_readers_code_is_internal(monkeypatch):
    monkeypatch.setattr(_runtime, "check_views", lambda views: 1 / 0)
    got = answer(SHIPPED)
    assert got["internal"] is True and "code_error" not in got


def test_unknown_demo_and_bad_input_are_refused():
    assert answer(SHIPPED, name="os")["message"] == "没有名为「os」的演示。"
    assert "代码太长" in answer("x" * (_runtime.MAX_SOURCE_CHARS + 1))["message"]
    assert json.loads(call_source(NAME, SHIPPED, "[1]"))["message"] == "参数应是「名称→值」的集合。"


def test_cycle_in_views_is_refused_not_hung():
    views: list = [{"kind": "table", "rows": []}]
    views[0]["rows"].append(views)
    with pytest.raises(_runtime.ViewError):
        check_views(views)


@pytest.mark.parametrize("name", demos.names())
def test_every_demo_runs_from_its_own_source(name):
    got = answer(inspect.getsource(module(name)), name=name)
    assert got == json.loads(call(name, "{}"))
