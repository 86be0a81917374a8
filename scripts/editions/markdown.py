"""A chapter's Markdown converted to zh-Hant.

Term spans (:mod:`.terms`) are set aside, the rest goes through the one converter, then each
span is put back in its zh-Hant form (course term, English, the mainland term once a page).
The bodies of ``demo`` and ``glossary`` fences stay Simplified: they are parsed against the
Simplified declarations, and their HTML is converted as a whole by the zh-Hant fences
(:mod:`.site`), so values agree with the converted demos package.
"""

from __future__ import annotations

import re

from scripts.editions.convert import convert
from scripts.editions.terms import TERM, Term

KEEP_FENCES = ("demo", "glossary")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w-]*)")
_HOLD = "\x02"


def _convert_prose(text: str, noted: set[str]) -> str:
    spans: list[str] = []

    def hold(m: re.Match) -> str:
        spans.append(Term.parse(m).hant(noted))
        return f"{_HOLD}{len(spans) - 1}{_HOLD}"

    out = convert(TERM.sub(hold, text.replace(_HOLD, "")))
    return re.sub(f"{_HOLD}(\\d+){_HOLD}", lambda m: spans[int(m.group(1))], out)


def to_hant(text: str) -> str:
    """The zh-Hant Markdown of a Simplified page."""
    noted: set[str] = set()
    out, chunk, fence = [], [], None  # fence: (marker, keep) while inside a fence

    def flush(convert_it: bool) -> None:
        if chunk:
            body = "\n".join(chunk)
            out.append(_convert_prose(body, noted) if convert_it else body)
            chunk.clear()

    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            flush(True)
            fence = (m.group(2), m.group(3) in KEEP_FENCES)
            out.append(convert(line))
            continue
        if fence is not None and m and m.group(2).startswith(fence[0]) and not m.group(3):
            flush(not fence[1])
            fence = None
            out.append(line)
            continue
        chunk.append(line)
    flush(fence is None or not fence[1])
    return "\n".join(out)
