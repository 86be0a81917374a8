"""The inline term syntax: ``[[mainland term|course term|English]]``.

Chapters write the mainland term and, on first use, the course's (Taiwanese) term and the
English. The syntax marks which span is which, so each edition renders it its own way:

* zh-Hans (this Markdown extension), exactly as the chapters read before the syntax existed:
  ``[[**自监督学习**|自督导式学习|self-supervised learning]]`` →
  ``**自监督学习**（课程中称「自督导式学习」，self-supervised learning）``; writing the English
  second (``[[训练数据|training data|训练资料]]``) gives ``训练数据（training data；课程中称「训练资料」）``.
* zh-Hant (:func:`render_hant`): the course term with the English, and the mainland term noted
  once per page where it differs: ``**自督導式學習**（self-supervised learning；中國大陸常稱「自監督學習」）``.

The field without Chinese characters is the English; ``**…**`` around the first field bolds the term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import Extension
from markdown.preprocessors import Preprocessor

TERM = re.compile(r"\[\[([^\[\]|\n]+)\|([^\[\]|\n]+)\|([^\[\]|\n]+)\]\]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Term:
    """One marked span: the mainland term, the course term, the English, how it was written."""

    term: str
    course: str
    en: str
    bold: bool
    en_first: bool

    @classmethod
    def parse(cls, m: re.Match) -> Term:
        first, a, b = (g.strip() for g in m.groups())
        bold = first.startswith("**") and first.endswith("**") and len(first) > 4
        term = first[2:-2] if bold else first
        en_first = not _CJK.search(a) and bool(_CJK.search(b))
        course, en = (b, a) if en_first else (a, b)
        return cls(term, course, en, bold, en_first)

    def _b(self, word: str) -> str:
        return f"**{word}**" if self.bold else word

    def hans(self) -> str:
        """The Simplified rendering, the convention the chapters used before the syntax."""
        if self.en_first:
            return f"{self._b(self.term)}（{self.en}；课程中称「{self.course}」）"
        return f"{self._b(self.term)}（课程中称「{self.course}」，{self.en}）"

    def hant(self, noted: set[str]) -> str:
        """The zh-Hant rendering: the course term, the English, the mainland term once a page."""
        from scripts.editions.convert import convert, mainland

        main, course, old = convert(self.term), convert(self.course), mainland(self.term)
        notes = [self.en]
        if course != main:  # the course's word is an image or description, not a substitute
            notes.append(f"課程中稱「{course}」")
        if old != main and old != course and old not in noted:
            noted.add(old)
            notes.append(f"中國大陸常稱「{old}」")
        return f"{self._b(main)}（{'；'.join(notes)}）"


def render_hans(text: str) -> str:
    """Every span rendered for the Simplified edition (code fences left alone)."""
    out, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else TERM.sub(lambda m: Term.parse(m).hans(), line))
    return "\n".join(out)


class _TermPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return render_hans("\n".join(lines)).split("\n")


class TermExtension(Extension):
    """Python-Markdown extension: renders ``[[mainland|course|English]]`` for zh-Hans."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        # before pymdownx.superfences' fence stashing (priority 27) would not matter: fences are skipped
        md.preprocessors.register(_TermPreprocessor(md), "course_terms", 28)


def makeExtension(**kwargs) -> TermExtension:  # noqa: N802 (Python-Markdown's entry point)
    return TermExtension(**kwargs)
