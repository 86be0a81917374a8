"""The worker's entry for exercises: ``check(name, source)`` → JSON verdict.

The reader's source is compiled with its own filename (``<练习>``) in a fresh
module namespace, so line numbers in messages are the editor's line numbers
and nothing the reader defines leaks into the demos or into the next check.
Runaway code is ended by the page's time budget (it terminates the worker).
"""

from __future__ import annotations

import json
import traceback
import types

from demos import exercises
from demos.exercises._grade import error_verdict

FILENAME = "<练习>"


def _verdict(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def grade_source(name: str, source: str) -> dict:
    """Compile and run ``source``, then grade its ``FUNCTION`` with exercise ``name``'s checker."""
    spec = exercises.load(name)
    if not isinstance(source, str):
        raise TypeError("source must be a string")
    module = types.ModuleType("练习")
    module.__file__ = FILENAME
    try:
        code = compile(source, FILENAME, "exec")
        exec(code, module.__dict__)
    except (Exception, SystemExit) as err:  # SyntaxError included: the reader's mistake, with the line
        return error_verdict(err, FILENAME)
    fn = module.__dict__.get(spec.FUNCTION)
    if not callable(fn):
        return {
            "verdict": "fail",
            "message": f"没有找到函数 {spec.FUNCTION}：请保留 def {spec.FUNCTION}(…) 这一行。",
            "case": None,
            "line": None,
            "passed": 0,
            "total": 0,
        }
    return spec.check(fn)


def check(name: str, source: str) -> str:
    """JSON verdict for exercise ``name`` and the reader's ``source`` (see :func:`grade_source`).

    An unknown exercise gives ``{"verdict": "error", "internal": true, ...}``.
    """
    try:
        return _verdict(grade_source(name, source))
    except LookupError as err:
        return _verdict({"verdict": "error", "internal": True, "message": str(err), "line": None})
    except Exception:  # a bug in the checker, not the reader's mistake: keep the traceback for the console
        return _verdict(
            {
                "verdict": "error",
                "internal": True,
                "message": "检查程序内部出错，请刷新页面后重试。",
                "line": None,
                "traceback": traceback.format_exc(),
            }
        )
