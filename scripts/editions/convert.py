"""The one Simplified → Taiwanese Traditional converter of the zh-Hant edition.

OpenCC's ``s2twp`` profile (characters, Taiwanese variants and phrases: 数据→資料,
视频→影片, 优化→最佳化) plus the project's phrase table, which is data:

1. ``docs/glossary.yml`` — the course's term wins: every entry whose ``course`` term
   differs from its ``term`` maps the mainland term to the course term
   (噪声→雜訊, 自监督学习→自督導式學習, 神经网络→類神經網路);
2. ``scripts/editions/phrases.tsv`` — a few justified fixes, one line each with its reason.

Table entries are matched longest first on the Simplified text, set aside behind ASCII
placeholders (OpenCC leaves ASCII alone), and put back after OpenCC has run, so OpenCC's
own segmentation never splits or re-converts them. Prose, the glossary, the demos' strings,
the JavaScript UI strings and the figures' text all go through :func:`convert`, so a phrase
fixed once is fixed everywhere.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import opencc
import yaml

from scripts import paths

PHRASES = Path(__file__).with_name("phrases.tsv")
GLOSSARY = paths.DOCS / "glossary.yml"
_CJK = re.compile(r"[\u3400-\u9fff]")
_TERM = re.compile(r"[\u3400-\u9fff]{1,8}")
_MARK = "\x01"


@cache
def _opencc(profile: str) -> opencc.OpenCC:
    return opencc.OpenCC(profile)


def plain(text: str) -> str:
    """OpenCC ``s2twp`` alone, without the project's table (what the table is compared with)."""
    return _opencc("s2twp").convert(text)


def mainland(text: str) -> str:
    """Characters only (OpenCC ``s2tw``): a mainland term spelled in Traditional characters,
    for the 「中國大陸常稱「…」」 notes, which must not be turned back into the course term."""
    return _opencc("s2tw").convert(text)


def read_phrases(path: Path = PHRASES) -> list[tuple[str, str, str]]:
    """The hand table: (Simplified, zh-Hant or ``-``, reason) per non-comment line; a reason is required."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{path.name}:{n}: expected 'Simplified<TAB>zh-Hant<TAB>reason', got {line!r}")
        rows.append(tuple(p.strip() for p in parts))
    return rows


def glossary_phrases(path: Path = GLOSSARY, excluded: frozenset = frozenset()) -> dict[str, str]:
    """Mainland term → course term in zh-Hant, for glossary entries whose course term is a plain
    word (Chinese characters only) that plain conversion of the mainland term does not give."""
    table = {}
    for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        term, course = str(e.get("term", "")), str(e.get("course", ""))
        if term in excluded or not _CJK.search(term) or not _TERM.fullmatch(course):
            continue
        target = plain(course)
        if target != plain(term):
            table[term] = target
            table.setdefault(course, target)  # the course's word itself, whatever OpenCC makes of it
    return table


@cache
def table() -> dict[str, str]:
    """The project's phrase table, Simplified → zh-Hant; the glossary's course terms win."""
    rows = read_phrases()
    t = {src: dst for src, dst, _ in rows if dst != "-"}
    t.update(glossary_phrases(excluded=frozenset(src for src, dst, _ in rows if dst == "-")))
    return t


@cache
def _pattern() -> re.Pattern | None:
    keys = sorted(table(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def convert(text: str) -> str:
    """Simplified Chinese → Taiwanese Traditional Chinese with the course's terms."""
    if not _CJK.search(text):
        return text
    held: list[str] = []
    pattern, t = _pattern(), table()

    def hold(m: re.Match) -> str:
        held.append(t[m.group(0)])
        return f"{_MARK}{len(held) - 1}{_MARK}"

    if pattern is not None:
        text = pattern.sub(hold, text.replace(_MARK, ""))
    out = _opencc("s2twp").convert(text)
    return re.sub(f"{_MARK}(\\d+){_MARK}", lambda m: held[int(m.group(1))], out)


def unconverted(text: str, allow: str = "") -> set[str]:
    """Characters OpenCC ``s2t`` would still change: what is left Simplified in ``text``."""
    s2t = _opencc("s2t")
    return {ch for ch in set(_CJK.findall(text)) if ch not in allow and s2t.convert(ch) != ch}
