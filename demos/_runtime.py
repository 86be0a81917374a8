"""The one entry the browser worker (and the Pyodide tests) call: JSON in, JSON out.

Keeping this in Python means the worker's only Python is ``call(name, json)``
and the same path is exercised on CPython, in Pyodide under Node.js, and in
the browser.
"""

from __future__ import annotations

import importlib
import json
import re
import traceback

import demos
from demos._params import DemoError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load(name: str):
    """Import ``demos.<name>``; only real demo names pass, so nothing else can be imported."""
    if not isinstance(name, str) or not _NAME.match(name) or name not in demos.names():
        raise DemoError(f"没有名为「{name}」的演示。")
    return importlib.import_module(f"demos.{name}")


def call(name: str, params_json: str) -> str:
    """Run demo ``name`` with JSON-encoded raw parameters.

    Returns JSON: ``{"ok": true, "views": [...]}``, or ``{"ok": false,
    "message": "...", "param": name-or-null}`` for a reader's mistake, or
    ``{"ok": false, "internal": true, ...}`` with a traceback for a bug.
    """
    try:
        module = load(name)
        raw = json.loads(params_json)
        if not isinstance(raw, dict):
            raise DemoError("参数应是「名称→值」的集合。")
        views = module.run(**raw)
        return json.dumps({"ok": True, "views": views}, ensure_ascii=False, allow_nan=False)
    except DemoError as err:
        return json.dumps({"ok": False, "message": str(err), "param": err.param}, ensure_ascii=False)
    except Exception as err:  # a bug in a demo: say so, keep the traceback for the console
        return _internal(err)


def _internal(err: Exception) -> str:
    return json.dumps(
        {
            "ok": False,
            "internal": True,
            "message": "演示内部出错，请刷新页面后重试。",
            "traceback": traceback.format_exc(),
        },
        ensure_ascii=False,
    )
