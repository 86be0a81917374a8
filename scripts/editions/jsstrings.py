"""String literals of the browser code converted to zh-Hant, found by a JavaScript tokenizer.

The tokenizer knows comments, '…' and "…" strings, template literals (with nested ``${…}``)
and regular-expression literals (a ``/`` where an operand may start), so only the text of
string and template literals reaches the converter; code, comments and regexes pass through
byte for byte. New UI strings in assets/js are converted without a list to keep up to date.
"""

from __future__ import annotations

import re

from scripts.editions.convert import convert

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z0-9_$\u0080-\uffff]")
# after these a "/" starts a regex, not a division
_REGEX_AFTER_WORDS = {
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
}


def _string_end(src: str, i: int, quote: str) -> int:
    j = i + 1
    while j < len(src) and src[j] != quote:
        if src[j] == "\\":
            j += 1
        elif src[j] == "\n":
            raise ValueError(f"unterminated string at offset {i}")
        j += 1
    return j + 1


def _regex_end(src: str, i: int) -> int:
    j, klass = i + 1, False
    while j < len(src):
        c = src[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            klass = True
        elif c == "]":
            klass = False
        elif c == "/" and not klass:
            j += 1
            while j < len(src) and src[j].isalpha():
                j += 1
            return j
        elif c == "\n":
            raise ValueError(f"unterminated regex at offset {i}")
        j += 1
    raise ValueError(f"unterminated regex at offset {i}")


def string_literals(src: str) -> list[str]:
    """The text of every string and template literal of ``src`` (for tests)."""
    found: list[str] = []
    convert_js(src, lambda text: found.append(text) or text)
    return found


def convert_js(src: str, fn=convert) -> str:
    """``src`` with the Chinese in its string and template literals converted by ``fn``."""
    out: list[str] = []
    i, n = 0, len(src)
    stack: list[int] = []  # brace depth of each open ${ … } inside a template
    depth = 0
    last = ""  # last significant token, to tell a regex from a division

    def template(i: int) -> int:
        """Copy template text from i (just after ` or }) until ${ or the closing `."""
        j = i
        while j < n:
            if src[j] == "\\":
                j += 2
                continue
            if src[j] == "`":
                out.append(fn(src[i:j]) + "`")
                return j + 1
            if src.startswith("${", j):
                out.append(fn(src[i:j]) + "${")
                stack.append(depth)
                return j + 2
            j += 1
        raise ValueError("unterminated template literal")

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(src[i:j])
            i = j
        elif src.startswith("/*", i):
            j = src.index("*/", i) + 2
            out.append(src[i:j])
            i = j
        elif c in "'\"":
            j = _string_end(src, i, c)
            out.append(fn(src[i:j]) if _CJK.search(src[i:j]) else src[i:j])
            i, last = j, "str"
        elif c == "`":
            out.append("`")
            i, last = template(i + 1), "str"
        elif c == "/":
            if last == "" or (last in "(,=:[!&|?{};+-*%<>~^" and len(last) == 1) or last in _REGEX_AFTER_WORDS:
                j = _regex_end(src, i)
                out.append(src[i:j])
                i, last = j, "re"
            else:
                out.append(c)
                i, last = i + 1, c
        elif c == "{":
            depth += 1
            out.append(c)
            i, last = i + 1, c
        elif c == "}":
            if stack and stack[-1] == depth:
                stack.pop()
                out.append("}")
                i, last = template(i + 1), "str"
            else:
                depth -= 1
                out.append(c)
                i, last = i + 1, c
        elif _WORD.match(c):
            m = re.compile(r"[A-Za-z0-9_$\u0080-\uffff]+").match(src, i)
            out.append(m.group(0))
            i, last = m.end(), m.group(0)
        else:
            out.append(c)
            if not c.isspace():
                last = c
            i += 1
    return "".join(out)
