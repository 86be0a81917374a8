"""Typed, JSON-safe views that a demo's ``run`` returns, one constructor per kind.

Each view is a plain dict with a ``kind`` the browser has a renderer for
(``assets/js/render/``) and the build has a matplotlib drawer for
(``scripts/figures/views.py``).  Numbers are rounded here so the payload sent
from the worker stays small and identical between CPython and Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

KINDS = ("text", "tokens", "bars", "line", "scatter", "heatmap", "image", "frames", "table")


def _num(x, digits: int = 6):
    """A finite float rounded to ``digits`` significant digits (NaN/inf become None)."""
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{digits}g}")


def _nums(values, digits: int = 6):
    return [_num(v, digits) for v in np.asarray(values, dtype=float).ravel()]


def text(body: str, title: str = "") -> dict:
    """A paragraph of plain text (never interpreted as HTML)."""
    return {"kind": "text", "title": title, "text": str(body)}


def tokens(prompt: str, steps: list, title: str = "") -> dict:
    """Generated tokens; each step is ``{"token", "candidates": [(token, p), ...]}``."""
    return {
        "kind": "tokens",
        "title": title,
        "prompt": str(prompt),
        "steps": [
            {
                "token": str(s["token"]),
                "candidates": [{"token": str(t), "p": _num(p, 4)} for t, p in s["candidates"]],
            }
            for s in steps
        ],
    }


def bars(labels, values, title: str = "", ylabel: str = "", highlight=None) -> dict:
    """Vertical bars; ``highlight`` is the index of one bar to mark."""
    return {
        "kind": "bars",
        "title": title,
        "ylabel": ylabel,
        "labels": [str(x) for x in labels],
        "values": _nums(values),
        "highlight": None if highlight is None else int(highlight),
    }


def line(
    x,
    series: dict,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    marks=(),
    logx: bool = False,
    logy: bool = False,
) -> dict:
    """Line chart: ``series`` maps a name to y values over the shared ``x``.

    ``marks`` are labelled points, e.g. ``[(x, y, "最优")]``.
    """
    return {
        "kind": "line",
        "title": title,
        "xlabel": xlabel,
        "ylabel": ylabel,
        "x": _nums(x),
        "series": [{"name": str(k), "y": _nums(v)} for k, v in series.items()],
        "marks": [{"x": _num(mx), "y": _num(my), "label": str(lab)} for mx, my, lab in marks],
        "logx": bool(logx),
        "logy": bool(logy),
    }


def scatter(series: dict, title: str = "", xlim=None, ylim=None) -> dict:
    """Point clouds: ``series`` maps a name to an (n, 2) array of points."""
    return {
        "kind": "scatter",
        "title": title,
        "series": [
            {"name": str(k), "points": [_nums(p, 4) for p in np.asarray(v, dtype=float).reshape(-1, 2)]}
            for k, v in series.items()
        ],
        "xlim": None if xlim is None else _nums(xlim),
        "ylim": None if ylim is None else _nums(ylim),
    }


def heatmap(matrix, rows, cols, title: str = "", vmin: float = 0.0, vmax: float = 1.0) -> dict:
    """A matrix of numbers with row and column labels (e.g. attention weights)."""
    m = np.asarray(matrix, dtype=float)
    return {
        "kind": "heatmap",
        "title": title,
        "rows": [str(r) for r in rows],
        "cols": [str(c) for c in cols],
        "matrix": [_nums(r, 4) for r in m],
        "vmin": _num(vmin),
        "vmax": _num(vmax),
    }


def image(pixels, title: str = "") -> dict:
    """A grayscale image, values in [0, 1], as rows of numbers."""
    p = np.clip(np.asarray(pixels, dtype=float), 0.0, 1.0)
    return {"kind": "image", "title": title, "pixels": [_nums(r, 3) for r in p]}


def frames(items: list, labels, title: str = "") -> dict:
    """An animation: a list of views of one kind (scatter or image), one per frame."""
    return {"kind": "frames", "title": title, "frames": list(items), "labels": [str(x) for x in labels]}


def table(columns, rows, title: str = "") -> dict:
    """A table of strings and numbers."""

    def cell(v):
        if isinstance(v, (bool, np.bool_)):
            return "是" if v else "否"
        if isinstance(v, (int, np.integer)):
            return int(v)
        if isinstance(v, (float, np.floating)):
            return _num(v)
        return str(v)

    return {
        "kind": "table",
        "title": title,
        "columns": [str(c) for c in columns],
        "rows": [[cell(v) for v in row] for row in rows],
    }
