"""The checker shared by every exercise: run the reader's function against the reference.

Fixed cases come first (each has a Chinese label, so a failure is readable),
then random ones from a fixed seed (the same verdict every time).  A wrong
answer gives ``fail`` naming the first failing case (input, expected, got, and
why); an exception in the reader's code gives ``error`` with the Python message
and the line in the reader's own code, never a traceback.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

SEED = 2024
DEFAULT_TOLERANCE = (1e-6, 1e-9)  # (rtol, atol) for floating-point answers
DEFAULT_N_RANDOM = 20
SHOW_CHARS = 240  # longest rendering of one value in a verdict


def make_check(module_name: str):
    """The ``check(fn)`` of the exercise module ``module_name``."""

    def check(fn) -> dict:
        """Grade ``fn`` against this exercise; return the verdict data."""
        import sys

        return grade(sys.modules[module_name], fn)

    return check


def show(value) -> str:
    """A short, readable rendering of an input or an answer."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, suppress=True, threshold=40, edgeitems=4):
            text = np.array2string(value, separator=", ")
    elif isinstance(value, tuple):
        text = "(" + ", ".join(show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
    elif isinstance(value, np.generic):
        text = repr(value.item())
    else:
        text = repr(value)
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 1] + "…"


def show_args(args: dict) -> str:
    """``name = value`` for every argument, one per line."""
    return "\n".join(f"{k} = {show(v)}" for k, v in args.items())


def _type_name(value) -> str:
    return type(value).__name__


def compare(expected, got, tolerance=DEFAULT_TOLERANCE) -> str | None:
    """None when ``got`` matches ``expected``; else the reason, in Chinese."""
    if got is None and expected is not None:
        return "你的函数返回了 None：是不是忘了 return，或者还没写完？"
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"应返回 {len(expected)} 个值（一个元组），你返回的是 {_type_name(got)}。"
        for i, (e, g) in enumerate(zip(expected, got, strict=True), start=1):
            why = compare(e, g, tolerance)
            if why:
                return f"第 {i} 个返回值：{why}"
        return None
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"应返回 True 或 False，你返回的是 {_type_name(got)}。"
        return None if bool(got) == bool(expected) else "真假判断反了。"
    if isinstance(expected, str):
        if not isinstance(got, str):
            return f"应返回字符串，你返回的是 {_type_name(got)}。"
        return None if got == expected else "字符串不一致。"
    if isinstance(expected, (int, np.integer)):
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer, float, np.floating)):
            return f"应返回一个整数，你返回的是 {_type_name(got)}。"
        return None if got == expected else "整数不相等。"
    return _compare_numbers(expected, got, tolerance)


def _compare_numbers(expected, got, tolerance) -> str | None:
    exp = np.asarray(expected, dtype=float)
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"应返回数值{'数组' if exp.ndim else ''}，你返回的是 {_type_name(got)}。"
    if arr.shape != exp.shape:
        return f"形状应为 {exp.shape}，你的结果形状是 {arr.shape}。"
    bad = np.isnan(arr) & ~np.isnan(exp)
    if bad.any():
        return "结果里出现了 nan：多半是数值溢出（例如对很大的数取 exp）或 0/0。"
    rtol, atol = tolerance
    if np.allclose(arr, exp, rtol=rtol, atol=atol, equal_nan=True):
        return None
    with np.errstate(invalid="ignore"):
        diff = np.nanmax(np.abs(arr - exp)) if arr.size else 0.0
    return f"数值不对：与参考答案最大相差 {float(diff):.3g}。"


def _reader_line(err: BaseException, filename: str) -> int | None:
    """The line of the last frame in the reader's code (``filename``), or the SyntaxError's line."""
    if isinstance(err, SyntaxError) and err.filename == filename:
        return err.lineno
    line, tb = None, err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def error_verdict(err: BaseException, filename: str, case: dict | None = None, total: int = 0) -> dict:
    """The ``error`` verdict for an exception raised by the reader's code."""
    line = _reader_line(err, filename)
    where = f"第 {line} 行" if line else "你的代码"
    detail = f"{type(err).__name__}: {err.msg if isinstance(err, SyntaxError) else err}"
    message = f"{where}出错：{detail}"
    if case:
        message = f"{case['label']}运行时，{message}"
    return {
        "verdict": "error",
        "message": message,
        "line": line,
        "error": detail,
        "case": case,
        "passed": 0,
        "total": total,
    }


def _cases(spec) -> list[tuple[str, dict]]:
    rng = np.random.default_rng(SEED)
    fixed = [(f"固定用例 {i}「{c['label']}」", c["args"]) for i, c in enumerate(spec.CASES, start=1)]
    n = getattr(spec, "N_RANDOM", DEFAULT_N_RANDOM)
    randoms = [(f"随机用例 {i}", spec.random_case(rng)) for i in range(1, n + 1)]
    return fixed + randoms


def _call(fn, args: dict):
    """Call ``fn`` on a private copy of ``args``, with numpy's warnings silenced (nan is judged, not warned)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(list(args.values())))


def _first_broken_property(spec, args: dict, got) -> str | None:
    for description, holds in getattr(spec, "PROPERTIES", ()):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                ok = bool(holds(args, got))
        except Exception:  # a property that cannot even be evaluated on this answer is broken
            ok = False
        if not ok:
            return description
    return None


def grade(spec, fn) -> dict:
    """Run ``fn`` on every case of exercise ``spec``; return the verdict data.

    ``{"verdict": "pass"|"fail"|"error", "message": str, "case": {label, input,
    expected, got, reason} or None, "line": int or None, "passed": n, "total": n}``
    """
    cases = _cases(spec)
    filename = getattr(getattr(fn, "__code__", None), "co_filename", "")
    tolerance = getattr(spec, "TOLERANCE", DEFAULT_TOLERANCE)
    for passed, (label, args) in enumerate(cases):
        expected = spec.reference(*copy.deepcopy(list(args.values())))
        try:
            got = _call(fn, args)
        except (Exception, SystemExit) as err:
            verdict = error_verdict(err, filename, {"label": label, "input": show_args(args)}, len(cases))
            verdict["passed"] = passed
            return verdict
        why = compare(expected, got, tolerance)
        broken = _first_broken_property(spec, args, got) if got is not None else None
        if why is None and broken is None:
            continue
        reason = "；".join(r for r in (f"应满足：{broken}" if broken else None, why) if r)
        case = {
            "label": label,
            "input": show_args(args),
            "expected": show(expected),
            "got": show(got),
            "reason": reason,
        }
        return {
            "verdict": "fail",
            "message": f"{label}没通过：{reason}",
            "case": case,
            "line": None,
            "passed": passed,
            "total": len(cases),
        }
    n_fixed = len(spec.CASES)
    return {
        "verdict": "pass",
        "message": f"全部通过：{n_fixed} 个固定用例和 {len(cases) - n_fixed} 个随机用例。",
        "case": None,
        "line": None,
        "passed": len(cases),
        "total": len(cases),
    }


def finite(x) -> bool:
    """True when every entry of ``x`` is a finite number (for PROPERTIES)."""
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float))))


def close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    """np.allclose for PROPERTIES, False instead of an exception on mismatched shapes."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def solution_text(source: str) -> str:
    """An exercise's SOLUTION as the reader sees it (without the leading line continuation)."""
    return source.removeprefix("\\\n")


def solution_function(source: str, name: str):
    """The function ``name`` defined by ``source``: an exercise's reference is its shown solution, run as is."""
    namespace: dict = {"__name__": "参考答案"}
    exec(compile(solution_text(source), "<参考答案>", "exec"), namespace)
    return namespace[name]
