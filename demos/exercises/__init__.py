"""Graded code exercises (练一练): one module per exercise, declared once.

Each module declares ``TITLE``, ``CHAPTER``, ``FUNCTION`` (the name the reader
defines), ``TASK`` (Chinese), ``STARTER`` (code), ``HINT``, ``reference`` (the
solution, a function named ``FUNCTION``), ``CASES`` (fixed cases), and
``random_case(rng)``; optionally ``PROPERTIES``, ``TOLERANCE``, ``N_RANDOM``.
``check(fn)`` grades a function and returns the verdict data
(see :mod:`demos.exercises._grade`).  Modules starting with ``_`` are helpers.
"""

from __future__ import annotations

import importlib
import pkgutil as _pkgutil
import re
from pathlib import Path as _Path

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def names() -> list[str]:
    """Names of all exercise modules, sorted."""
    return sorted(m.name for m in _pkgutil.iter_modules([str(_Path(__file__).parent)]) if not m.name.startswith("_"))


def load(name: str):
    """Import ``demos.exercises.<name>``; only real exercise names pass."""
    if not isinstance(name, str) or not _NAME.match(name) or name not in names():
        raise LookupError(f"没有名为「{name}」的练习。")
    return importlib.import_module(f"demos.exercises.{name}")
