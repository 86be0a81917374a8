"""A chapter's Markdown converted to zh-Hant.

Term spans (:mod:`.terms`) are set aside, the rest goes through the one converter, then each
span is put back in its zh-Hant form (course term, English, the mainland term once a page).
The bodies of ``demo`` and ``glossary`` fences stay Simplified: they are parsed against the
Simplified declarations, and their HTML is converted as a whole by the zh-Hant fences
(:mod:`.site`), so values agree with the converted demos package.

A few sentences speak about the edition itself (which terms its text uses, what a glossary
column means), and a conversion would make them false.  Such text is written twice, between
whole-line markers; each edition keeps its own block and drops the other's and the markers.
The zh-Hant block is written in Traditional characters and is not converted::

    <!-- edition: zh-Hans -->
    正文采用大陆通行的术语……
    <!-- edition: zh-Hant -->
    本版正文採用課程裡的說法……
    <!-- edition: end -->
"""

from __future__ import annotations

import re

from scripts.editions.convert import convert
from scripts.editions.terms import TERM, Term

KEEP_FENCES = ("demo", "glossary")
EDITIONS = ("zh-Hans", "zh-Hant")
_MARKER = re.compile(r"^\s*<!--\s*edition:\s*(\S+)\s*-->\s*$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w-]*)")
_HOLD = "\x02"


def _convert_prose(text: str, noted: set[str]) -> str:
    spans: list[str] = []

    def hold(m: re.Match) -> str:
        spans.append(Term.parse(m).hant(noted))
        return f"{_HOLD}{len(spans) - 1}{_HOLD}"

    out = convert(TERM.sub(hold, text.replace(_HOLD, "")))
    return re.sub(f"{_HOLD}(\\d+){_HOLD}", lambda m: spans[int(m.group(1))], out)


def edition_runs(text: str) -> list[tuple[str | None, str]]:
    """The page as runs of lines, each with the edition that shows it (``None``: both), the
    markers left out.  A ``ValueError`` names the line of a marker that does not fit."""
    runs: list[tuple[str | None, list[str]]] = [(None, [])]
    for number, line in enumerate(text.split("\n"), 1):
        m = _MARKER.match(line)
        if not m:
            runs[-1][1].append(line)
            continue
        name, inside = m.group(1), runs[-1][0]
        if name == "end" and inside is None:
            raise ValueError(f"line {number}: <!-- edition: end --> without an open edition block")
        if name != "end" and name not in EDITIONS:
            raise ValueError(f"line {number}: unknown edition {name!r} (one of {', '.join(EDITIONS)}, or end)")
        if name == inside:
            raise ValueError(f"line {number}: a second {name} block inside the first")
        runs.append((None if name == "end" else name, []))
    if runs[-1][0] is not None:
        raise ValueError(f"the {runs[-1][0]} block is not closed with <!-- edition: end -->")
    return [(edition, "\n".join(lines)) for edition, lines in runs if lines]


def for_edition(text: str, edition: str) -> str:
    """The page as ``edition`` shows it, before any conversion (the Simplified edition's Markdown)."""
    return "\n".join(run for ed, run in edition_runs(text) if ed in (None, edition))


def to_hant(text: str) -> str:
    """The zh-Hant Markdown of a Simplified page (its zh-Hant blocks as written)."""
    noted: set[str] = set()  # mainland terms noted on this page: once a page, across runs
    return "\n".join(
        _convert_page(run, noted) if ed is None else run for ed, run in edition_runs(text) if ed != "zh-Hans"
    )


def _convert_page(text: str, noted: set[str]) -> str:
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
