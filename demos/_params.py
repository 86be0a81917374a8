"""Parameter declarations for demos: one place that types, ranges, labels and messages come from.

A demo module declares ``PARAMS = {"name": Int(...), ...}`` once.  From that
declaration the build generates the HTML controls, the browser validates shared
links, :func:`demo_entry` validates every call to ``run`` (so a reader never
sees a traceback), and the tests derive good and bad inputs.

Values may arrive as Python values (tests, CPython) or as strings (HTML form
fields, URL query strings); every ``Param.parse`` accepts both.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from dataclasses import dataclass, field

# One definition of "blank" around a value, shared by Python and the page: the
# union of Python's str.isspace() and JavaScript's String.prototype.trim()
# (which adds U+FEFF; Python adds U+001C..U+001F).  The page receives it in each
# parameter's spec (``space``), so both sides trim exactly the same characters.
SPACE_RANGES = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
SPACE = "".join(chr(c) for lo, hi in SPACE_RANGES for c in range(lo, hi + 1))
# The number syntax both sides accept (ASCII digits only: Python's float() would
# also take "1_000", "inf" or Arabic-Indic digits, JavaScript's Number() "0x10").
NUMBER_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(NUMBER_PATTERN)


def trim(text: str) -> str:
    """Strip :data:`SPACE` from both ends (the page's ``trim`` does the same)."""
    return text.strip(SPACE)


def _space_class() -> str:
    """SPACE as a JavaScript regular-expression character class, ASCII-only."""
    return "[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in SPACE_RANGES) + "]"


class DemoError(ValueError):
    """A reader-facing error: the message is shown as is, in Chinese."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Param:
    """Base of every declared parameter; subclasses define ``kind`` and ``parse``."""

    default: object
    label: str = field(default="", kw_only=True)
    help: str = field(default="", kw_only=True)
    kind = "param"

    def parse(self, value, name: str):  # pragma: no cover - abstract
        raise NotImplementedError

    def spec(self) -> dict:
        """The JSON-safe description the build embeds in the page for the controls."""
        out = {"kind": self.kind, "default": self.default, "label": self.label, "help": self.help}
        out.update(self._extra_spec())
        return out

    def _extra_spec(self) -> dict:
        return {}

    def _fail(self, name: str, what: str):
        raise DemoError(f"参数「{self.label or name}」{what}", param=name)


def _as_number(param: Param, value, name: str) -> float:
    if isinstance(value, bool):
        param._fail(name, "应为数字，不能是真/假值。")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = trim(value)
        if not _NUMBER.fullmatch(text):
            param._fail(name, f"应为数字，收到的是「{_preview(value)}」。")
        number = float(text)
    else:
        param._fail(name, f"应为数字，收到的是 {type(value).__name__} 类型。")
    if not math.isfinite(number):
        param._fail(name, "应为有限的数字。")
    return number


def _preview(text: str, limit: int = 12) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Int(Param):
    """A whole number in [lo, hi]."""

    lo: int = 0
    hi: int = 100
    kind = "int"

    def parse(self, value, name):
        number = _as_number(self, value, name)
        if number != int(number):
            self._fail(name, f"应为整数，收到的是 {value}。")
        number = int(number)
        if not self.lo <= number <= self.hi:
            self._fail(name, f"应在 {self.lo} 到 {self.hi} 之间，收到的是 {number}。")
        return number

    def _extra_spec(self):
        return {"min": self.lo, "max": self.hi, "step": 1, "space": _space_class(), "number": NUMBER_PATTERN}


@dataclass(frozen=True)
class Float(Param):
    """A real number in [lo, hi]; ``step`` is only the control's granularity."""

    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.1
    kind = "float"

    def parse(self, value, name):
        number = _as_number(self, value, name)
        if not self.lo <= number <= self.hi:
            self._fail(name, f"应在 {self.lo:g} 到 {self.hi:g} 之间，收到的是 {number:g}。")
        return number

    def _extra_spec(self):
        return {"min": self.lo, "max": self.hi, "step": self.step, "space": _space_class(), "number": NUMBER_PATTERN}


@dataclass(frozen=True)
class Text(Param):
    """Free text of 1..max_len characters (after stripping spaces), or empty if allowed."""

    max_len: int = 32
    allow_empty: bool = False
    kind = "text"

    def parse(self, value, name):
        if not isinstance(value, str):
            self._fail(name, f"应为文字，收到的是 {type(value).__name__} 类型。")
        text = trim(value)
        if not text and not self.allow_empty:
            self._fail(name, "不能为空。")
        if len(text) > self.max_len:
            self._fail(name, f"最多 {self.max_len} 个字符，收到了 {len(text)} 个。")
        return text

    def _extra_spec(self):
        return {"maxLength": self.max_len, "allowEmpty": self.allow_empty, "space": _space_class()}


@dataclass(frozen=True)
class Choice(Param):
    """One of a fixed list of string values; ``labels`` maps value → Chinese name."""

    choices: tuple = ()
    labels: dict = field(default_factory=dict, hash=False)
    kind = "choice"

    def parse(self, value, name):
        if not isinstance(value, str) or value not in self.choices:
            allowed = "、".join(self.labels.get(c, c) for c in self.choices)
            self._fail(name, f"只能是以下之一：{allowed}。")
        return value

    def _extra_spec(self):
        return {"choices": [{"value": c, "label": self.labels.get(c, c)} for c in self.choices]}


@dataclass(frozen=True)
class Bool(Param):
    """On/off; strings "true"/"false"/"1"/"0" are accepted from forms and URLs."""

    kind = "bool"

    def parse(self, value, name):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and trim(value).lower() in {"true", "1", "false", "0"}:
            return trim(value).lower() in {"true", "1"}
        self._fail(name, "应为「是」或「否」。")

    def _extra_spec(self):
        return {"space": _space_class()}


def validate(params: dict, raw: dict) -> dict:
    """Return the full, typed argument dict for ``raw`` (missing names take defaults)."""
    if not isinstance(raw, dict):
        raise DemoError("参数应是「名称→值」的集合。")
    unknown = sorted(set(raw) - set(params))
    if unknown:
        raise DemoError(f"没有名为「{'、'.join(map(str, unknown))}」的参数。", param=str(unknown[0]))
    return {name: p.parse(raw[name], name) if name in raw else p.default for name, p in params.items()}


def demo_entry(params: dict):
    """Decorate a demo's ``run`` so every call is validated against ``params`` first.

    The decorated function must take exactly the declared names; this is checked
    once, when the module is imported, so a mismatch fails at build time.
    """

    def wrap(fn):
        names = list(inspect.signature(fn).parameters)
        if names != list(params):
            raise TypeError(f"{fn.__module__}.run takes {names}, PARAMS declares {list(params)}")
        for name, p in params.items():
            p.parse(p.default, name)  # a default outside its own range is a bug

        @functools.wraps(fn)
        def run(**raw):
            return fn(**validate(params, raw))

        run.params = params
        return run

    return wrap
