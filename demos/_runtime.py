"""The one entry the browser worker (and the Pyodide tests) call: JSON in, JSON out.

Keeping this in Python means the worker's only Python is ``call(name, json)``
and the same path is exercised on CPython, in Pyodide under Node.js, and in
the browser.
"""

from __future__ import annotations

import importlib
import json
import math
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


# --- The reader's edited code (the 代码 panel) --------------------------------
# ``call_source`` runs a demo from source text the reader edited in the page.
# The shipped module is never replaced: the source is compiled under its own
# filename and executed as a fresh module each time, so tracebacks carry the
# editor's line numbers and the shipped demo keeps working beside it.

MAX_SOURCE_CHARS = 200_000
# Output limits for views built by reader code (the renderers enforce their own too).
MAX_VIEWS = 50
MAX_VIEW_NODES = 400_000  # numbers, strings, lists and dicts, all views together
MAX_VIEW_DEPTH = 12
MAX_VIEW_JSON_CHARS = 8_000_000


def edited_filename(name: str) -> str:
    """The filename edited code is compiled under; it appears in the reader's tracebacks."""
    return f"<你的代码 demos/{name}.py>"


class ViewError(ValueError):
    """Views from the reader's code that the page cannot show (message in Chinese)."""


def check_views(views) -> str:
    """Return the views as JSON, or raise ViewError saying in Chinese what is wrong.

    Walks iteratively (no recursion, bounded work), so deep nesting, cycles and
    huge arrays are refused before ``json.dumps`` sees them.
    """
    from demos._views import KINDS

    if not isinstance(views, (list, tuple)):
        raise ViewError(f"run 应返回视图列表（list），收到的是 {type(views).__name__}。")
    if len(views) > MAX_VIEWS:
        raise ViewError(f"run 最多返回 {MAX_VIEWS} 个视图，收到了 {len(views)} 个。")
    for i, v in enumerate(views, 1):
        if not isinstance(v, dict) or v.get("kind") not in KINDS:
            kind = v.get("kind") if isinstance(v, dict) else type(v).__name__
            raise ViewError(
                f"第 {i} 个视图无法显示（{str(kind)[:40]}）：请用 demos._views 里的函数生成，可用的有 {'、'.join(KINDS)}。"
            )
    nodes, stack = 0, [(views, 1)]
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_VIEW_NODES:
            raise ViewError(f"输出太大：超过 {MAX_VIEW_NODES:,} 个数值，请减少点数或矩阵大小。")
        if depth > MAX_VIEW_DEPTH:
            raise ViewError(f"输出嵌套太深（超过 {MAX_VIEW_DEPTH} 层）。")
        if isinstance(item, dict):
            stack.extend((x, depth + 1) for x in item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend((x, depth + 1) for x in item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ViewError("输出里有 NaN 或无穷大的数：请用 demos._views 里的函数生成输出（它们会处理这些值）。")
        elif item is not None and not isinstance(item, (str, int, float, bool)):
            raise ViewError(
                f"输出里有无法显示的值（{type(item).__name__}）：请用 demos._views 里的函数生成输出，"
                "它们会把 numpy 数组转成数字列表。"
            )
    text = json.dumps(list(views), ensure_ascii=False, allow_nan=False)
    if len(text) > MAX_VIEW_JSON_CHARS:
        raise ViewError(f"输出太大：{len(text) / 1e6:.1f} MB，上限 {MAX_VIEW_JSON_CHARS / 1e6:.0f} MB。")
    return text


def _code_error(message: str, line: int | None, tb: str = "") -> str:
    """The reader's own mistake: the Python message, and the editor line to mark (1-based) if any."""
    where = f"第 {line} 行：" if line else ""
    return json.dumps(
        {
            "ok": False,
            "code_error": True,
            "message": f"你的代码出错（{where}{message}）",
            "line": line,
            "traceback": tb,
        },
        ensure_ascii=False,
    )


def _reader_line(err: BaseException, filename: str) -> int | None:
    """The deepest traceback line inside the reader's code, or None if it never ran there."""
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def _reader_traceback(err: BaseException, filename: str) -> str:
    """The traceback from the first frame of the reader's code on (no worker frames)."""
    tb = err.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(err), err, tb))


def compile_edited(name: str, source: str):
    """Execute ``source`` as a fresh module standing for ``demos.<name>``; return it.

    Registered in ``sys.modules`` under ``demos._edited_<name>`` (helpers such as
    ``functools`` look a function's module up there), never under the shipped name.
    """
    import linecache
    import sys
    import types

    filename = edited_filename(name)
    code = compile(source, filename, "exec", dont_inherit=True)
    # Tracebacks show the reader's lines, not the shipped file's.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(f"demos._edited_{name}")
    module.__file__ = filename
    module.__package__ = "demos"
    sys.modules[module.__name__] = module
    exec(code, module.__dict__)
    return module


def call_source(name: str, source: str, params_json: str) -> str:
    """Like :func:`call`, but run the reader's edited ``source`` for demo ``name``.

    Same answers as ``call`` for parameters (``DemoError`` → message + param),
    plus ``{"ok": false, "code_error": true, "message", "line", "traceback"}``
    when the reader's code fails (syntax, an exception raised in it, bad views).
    An exception that never passed through the reader's code is still internal.
    """
    from demos._params import Param, validate

    filename = edited_filename(name)
    try:
        load(name)  # only real demos can be edited
        if not isinstance(source, str):
            raise DemoError("代码应是文本。")
        if len(source) > MAX_SOURCE_CHARS:
            raise DemoError(f"代码太长：{len(source):,} 个字符，上限 {MAX_SOURCE_CHARS:,}。")
        raw = json.loads(params_json)
        if not isinstance(raw, dict):
            raise DemoError("参数应是「名称→值」的集合。")
    except DemoError as err:
        return json.dumps({"ok": False, "message": str(err), "param": err.param}, ensure_ascii=False)
    except Exception as err:
        return _internal(err)
    try:
        module = compile_edited(name, source)
    except SyntaxError as err:
        line = err.lineno if err.filename == filename else None
        return _code_error(f"{type(err).__name__}: {err.msg}", line, "".join(traceback.format_exception_only(err)))
    except DemoError as err:  # raised by the reader's module body: still their words
        return _code_error(str(err), _reader_line(err, filename), _reader_traceback(err, filename))
    except Exception as err:
        return _code_error(
            f"{type(err).__name__}: {err}", _reader_line(err, filename), _reader_traceback(err, filename)
        )
    params, run = getattr(module, "PARAMS", None), getattr(module, "run", None)
    if not isinstance(params, dict) or not all(isinstance(p, Param) for p in params.values()):
        return _code_error("代码里需要 PARAMS：一个「参数名 → Int/Float/Text/Choice/Bool」的字典。", None)
    if not callable(run):
        return _code_error("代码里需要一个名为 run 的函数。", None)
    try:
        # run decorated with @demo_entry validates itself; without it, validate here.
        views = run(**raw) if getattr(run, "params", None) is not None else run(**validate(params, raw))
        text = check_views(views)
    except DemoError as err:
        return json.dumps({"ok": False, "message": str(err), "param": err.param}, ensure_ascii=False)
    except ViewError as err:
        return _code_error(str(err), None)
    except RecursionError as err:
        return _code_error("RecursionError: 递归太深", _reader_line(err, filename), "")
    except Exception as err:
        line = _reader_line(err, filename)
        if line is None:
            return _internal(err)
        return _code_error(f"{type(err).__name__}: {err}", line, _reader_traceback(err, filename))
    return f'{{"ok": true, "views": {text}}}'
