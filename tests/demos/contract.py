"""What every demo promises, stated once for the contract and fuzz tests (and reused by others)."""

from __future__ import annotations

import importlib
import json
import math

from demos import _views
from demos._params import Bool, Choice, Float, Int, Text

REQUIRED_KEYS = {
    "text": {"text"},
    "tokens": {"prompt", "steps"},
    "bars": {"labels", "values"},
    "line": {"x", "series"},
    "scatter": {"series"},
    "heatmap": {"rows", "cols", "matrix"},
    "image": {"pixels"},
    "frames": {"frames", "labels"},
    "table": {"columns", "rows"},
}


def module(name):
    return importlib.import_module(f"demos.{name}")


def check_views(views) -> None:
    """Assert ``views`` is a non-empty list of well-formed, JSON-safe views."""
    assert isinstance(views, list) and views, "run must return a non-empty list of views"
    json.dumps(views, allow_nan=False)  # raises on NaN/inf or non-JSON types
    for view in views:
        check_view(view)


def check_view(view) -> None:
    assert view["kind"] in _views.KINDS, view["kind"]
    missing = REQUIRED_KEYS[view["kind"]] - set(view)
    assert not missing, f"{view['kind']} view lacks {missing}"
    kind = view["kind"]
    if kind == "bars":
        assert len(view["labels"]) == len(view["values"])
    elif kind == "line":
        for s in view["series"]:
            assert len(s["y"]) == len(view["x"]), s["name"]
    elif kind == "heatmap":
        assert len(view["matrix"]) == len(view["rows"])
        assert all(len(r) == len(view["cols"]) for r in view["matrix"])
    elif kind == "image":
        widths = {len(r) for r in view["pixels"]}
        assert len(widths) == 1 and all(0 <= v <= 1 for r in view["pixels"] for v in r)
    elif kind == "frames":
        assert len(view["frames"]) == len(view["labels"]) > 0
        assert len({f["kind"] for f in view["frames"]}) == 1
        for f in view["frames"]:
            check_view(f)
    elif kind == "table":
        assert all(len(r) == len(view["columns"]) for r in view["rows"])
    elif kind == "tokens":
        for step in view["steps"]:
            assert isinstance(step["token"], str)
            probs = [c["p"] for c in step["candidates"]]
            assert all(0 <= p <= 1 for p in probs) and sum(probs) <= 1.001


def bad_values(p):
    """Values of the wrong type or out of range for parameter ``p``."""
    common = [None, [], {"a": 1}]
    if isinstance(p, Int):
        return common + [p.lo - 1, p.hi + 1, "abc", "", p.lo + 0.5, True, math.nan, "inf"]
    if isinstance(p, Float):
        return common + [p.lo - abs(p.lo) - 1, p.hi + abs(p.hi) + 1, "x", "", math.inf, "nan", False]
    if isinstance(p, Text):
        return common + [12, "x" * (p.max_len + 1)] + ([] if p.allow_empty else ["", "   "])
    if isinstance(p, Choice):
        return common + ["__nope__", 1]
    if isinstance(p, Bool):
        return common + ["maybe", 2]
    raise TypeError(type(p))
