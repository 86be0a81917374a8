"""Checked numbers: the small inline syntax that ties a number in a chapter to the run that makes it.

Two pieces of Markdown (documented in CONTRIBUTING.md, 「核对数字」):

* a **run**, declared once on its own line as an HTML comment::

      <!-- run sc: self_consistency p_correct=0.4 max_k=40 seed=7 -->
      <!-- run g: = demos.scaling.optimal_allocation(5.76e23)[0] -->

  ``NAME: DEMO key=value …`` calls ``demos.DEMO.run`` with the demo's defaults and these
  overrides (the values a reader would set; the seed is one of them when the demo has one).
  ``NAME: = EXPR`` evaluates a Python expression (for a figure script or a helper the demo
  uses); ``demos``, ``scripts`` and ``np`` are in scope.

* a **mark** around the number as printed::

      准确率只有 {{0.3997|sc:acc(3)}}

  ``{{TEXT|NAME}}`` says TEXT's number appears in the run's output (any text, table cell, bar
  or mark); ``{{TEXT|NAME:EXPR}}`` evaluates EXPR with ``out`` (the run's result) and helpers
  (:func:`helpers`) and compares with TEXT. A trailing ``~2%`` or ``~0.01`` allows a relative or
  absolute tolerance, for numbers the text gives with 「约」.

Numbers are compared at the precision they are printed with: ``0.3997`` must round to 0.3997,
``17`` to 17 (``16{,}777{,}216`` as TeX writes it counts too); ``%`` means a percentage (0.25 or 25 both match ``25%``); 万/亿/万亿 scale.

The build renders TEXT alone and drops the run lines (:func:`strip`, run by the Markdown
extension :class:`CheckedNumbers`, registered in ``mkdocs.yml`` as ``scripts.numbers``; a
Markdown extension rather than a hook, so builders that run no MkDocs hooks render it too). ``tests/build/test_chapter_numbers.py`` checks every mark.
"""

from __future__ import annotations

import importlib
import math
import re
import shlex
from dataclasses import dataclass

import numpy as np
from markdown import Extension
from markdown.preprocessors import Preprocessor

RUN = re.compile(r"^[ \t]*<!-- run (?P<name>[\w-]+): (?P<spec>.+?) -->[ \t]*\n?", re.M)
# TEXT may hold TeX's thousands separator {,} (a number inside $…$ is written 16{,}777{,}216).
MARK = re.compile(
    r"\{\{(?P<text>(?:[^{}|]|\{,\})+)\|(?P<name>[\w-]+)(?::(?P<expr>[^{}]+?))?(?:~(?P<tol>[\d.]+%?))?\}\}"
)
NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")
UNITS = {"万亿": 1e12, "亿": 1e8, "万": 1e4}


@dataclass(frozen=True)
class Mark:
    """One marked number: the text as printed, its run, an optional selector and tolerance."""

    text: str
    run: str
    expr: str | None
    tol: str | None
    line: int


def strip(markdown: str) -> str:
    """The Markdown the reader sees: marks become their text, run lines disappear."""
    return MARK.sub(lambda m: m["text"], RUN.sub("", markdown))


def runs(markdown: str) -> dict[str, str]:
    """Run name → spec, in the order declared."""
    return {m["name"]: m["spec"] for m in RUN.finditer(markdown)}


def marks(markdown: str) -> list[Mark]:
    """Every mark in the chapter, with its line number (1-based)."""
    return [
        Mark(m["text"].strip(), m["name"], m["expr"], m["tol"], markdown.count("\n", 0, m.start()) + 1)
        for m in MARK.finditer(markdown)
    ]


def _scalar(value: str):
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(value.lower(), value)


def execute(spec: str):
    """Run one declaration: a demo with overrides, or an expression."""
    if spec.startswith("="):
        return eval(spec[1:].strip(), _namespace())  # noqa: S307  (repository content, not reader input)
    demo, *pairs = shlex.split(spec)  # a value with spaces is quoted: phrases="台北 高雄"
    kwargs = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        kwargs[key] = _scalar(value)
    return importlib.import_module(f"demos.{demo}").run(**kwargs)


def _namespace():
    """Names an expression may use: np, math and any demos.X / scripts.X module, imported on use."""

    class Lazy(dict):
        def __missing__(self, key):
            if key in ("demos", "scripts"):
                return _Package(key)
            raise KeyError(key)

    return Lazy(np=np, math=math)


class _Package:
    """``demos.scaling`` imports ``demos.scaling`` on first attribute access."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        try:
            mod = importlib.import_module(f"{self._name}.{attr}")
        except ModuleNotFoundError:
            return getattr(importlib.import_module(self._name), attr)
        return _Package(mod.__name__) if hasattr(mod, "__path__") else mod


def flatten(out) -> list:
    """Every string and number in a run's output (views are nested dicts and lists)."""
    found = []
    stack = [out]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, (np.ndarray,)):
            stack.extend(x.ravel().tolist())
        elif isinstance(x, (str, bool)):
            found.append(str(x))
        elif isinstance(x, (int, float, np.integer, np.floating)):
            found.append(float(x))
    return found


def numbers_in(out) -> list[float]:
    """Every number shown by the output: numeric values, and numbers written inside strings."""
    values = []
    for x in flatten(out):
        if isinstance(x, float):
            values.append(x)
        else:
            for m in NUMBER.finditer(x):
                values.append(_to_float(m.group()) * _unit_after(x, m.end()))
    return values


def _to_float(s: str) -> float:
    return float(s.replace(",", "").replace("−", "-"))


def _unit_after(s: str, end: int) -> float:
    rest = s[end:].lstrip()
    for unit, size in UNITS.items():
        if rest.startswith(unit):
            return size
    return 1.0


def parse_quoted(text: str) -> tuple[float, int, bool]:
    """(value, decimals printed, is a percentage) for the number in a mark's text."""
    m = NUMBER.search(text)
    if not m:
        raise ValueError(f"no number in {text!r}")
    digits = m.group().split(".")
    decimals = len(digits[1]) if len(digits) > 1 else 0
    return _to_float(m.group()) * _unit_after(text, m.end()), decimals, text.rstrip().endswith("%")


def agrees(text: str, value, tol: str | None = None) -> bool:
    """Does ``value`` print as ``text`` (at its precision, or within the stated tolerance)?"""
    text = text.replace("{,}", ",")
    if isinstance(value, str) and not NUMBER.search(text):
        return text in value
    if isinstance(value, str):
        return any(agrees(text, v, tol) for v in numbers_in(value))
    quoted, decimals, percent = parse_quoted(text)
    candidates = [float(value)] + ([100.0 * float(value)] if percent else [])
    for v in candidates:
        if tol:
            limit = abs(quoted) * float(tol[:-1]) / 100 if tol.endswith("%") else float(tol)
            if abs(v - quoted) <= limit + 1e-12:
                return True
        else:
            scale = quoted / _strip_units(text) if _strip_units(text) else 1.0
            if math.isclose(round(v / scale, decimals), _strip_units(text), abs_tol=10**-decimals / 2):
                return True
    return False


def _strip_units(text: str) -> float:
    """The number as written, without its 万/亿 scale."""
    return _to_float(NUMBER.search(text).group())


def helpers(out):
    """Selector helpers bound to one run's output."""

    def view(title):
        """The first view whose title contains ``title``."""
        return next(v for v in out if title in v.get("title", ""))

    def row(first, title=""):
        """The table row (in a view whose title contains ``title``) whose first cell is ``first``."""
        for v in out:
            if v.get("kind") == "table" and title in v.get("title", ""):
                for r in v["rows"]:
                    if str(r[0]) == str(first):
                        return r
        raise KeyError(first)

    def series(name, title=""):
        """{x: y} of the line series whose name contains ``name`` (in a view whose title contains ``title``)."""
        for v in out:
            if v.get("kind") == "line" and title in v.get("title", ""):
                for ser in v["series"]:
                    if name in ser["name"]:
                        return dict(zip(v["x"], ser["y"]))
        raise KeyError(name)

    def text():
        """All the strings of the output, joined."""
        return "\n".join(x for x in flatten(out) if isinstance(x, str))

    return {"out": out, "view": view, "row": row, "series": series, "text": text, "np": np, "math": math}


def check(mark: Mark, out) -> tuple[bool, object]:
    """(agrees, the value found) for one mark against its run's output."""
    if mark.expr:
        namespace = _namespace()  # keeps its lazy demos / scripts lookup (a plain dict copy would not)
        namespace.update(helpers(out))
        value = eval(mark.expr, namespace)  # noqa: S307
        return agrees(mark.text, value, mark.tol), value
    if not isinstance(out, (list, dict)):
        return agrees(mark.text, out, mark.tol), out
    if not NUMBER.search(mark.text):
        return mark.text in helpers(out)["text"](), None
    found = [v for v in numbers_in(out) if agrees(mark.text, v, mark.tol)]
    return bool(found), found[:1]


class _Strip(Preprocessor):
    """Before any other preprocessor: marks become their text, run lines disappear."""

    def run(self, lines):
        return strip("\n".join(lines)).split("\n")


class CheckedNumbers(Extension):
    """Python-Markdown extension for the checked-number syntax (``{{TEXT|run}}``)."""

    def extendMarkdown(self, md):  # noqa: N802  (Python-Markdown's name)
        md.preprocessors.register(_Strip(md), "checked_numbers", 40)


def makeExtension(**kwargs):  # noqa: N802  (Python-Markdown's entry point)
    """Entry point: ``markdown_extensions: [scripts.numbers]``."""
    return CheckedNumbers(**kwargs)
