"""Rewrite the old term convention in docs/*.md into the inline term syntax (idempotent).

Before: ``**自监督学习**（课程中称「自督导式学习」，self-supervised learning）`` or
``训练数据（training data；课程中称「训练资料」）``.
After:  ``[[**自监督学习**|自督导式学习|self-supervised learning]]`` or
``[[训练数据|training data|训练资料]]`` — which the zh-Hans build renders back to exactly the
text it replaced (checked for every rewrite before the file is written).

Usage: ``python -m scripts.editions.migrate_terms [docs/…md …]`` (default: every docs/*.md).
Prints each file it changed, then every 课程中… note it could not convert (file:line and the
text), so a person can rewrite those by hand, then every hand-written gloss that would read
doubled in zh-Hant (「程序（程式，program）」 → 程式（程式，program）); a second run changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from scripts import paths
from scripts.editions.terms import TERM, Term, render_hans

_EN = r"[^（）「」；;|\n\u3400-\u9fff]*[A-Za-z][^（）「」；;|\n\u3400-\u9fff]*"
_COURSE = r"[^「」（）|\n]+"
_HEAD = r"(?P<head>\*\*[^*\n]+\*\*|[\u3400-\u9fff]+)"
COURSE_FIRST = re.compile(_HEAD + r"（课程中称「(?P<course>" + _COURSE + r")」，(?P<en>" + _EN + r")）")
EN_FIRST = re.compile(_HEAD + r"（(?P<en>" + _EN + r")；课程中称「(?P<course>" + _COURSE + r")」）")
LEFTOVER = re.compile(r"（[^（）\n]*课程中[^（）\n]*）")
# Characters that never start a term: when the plain (unbolded) head would begin with one, the
# span boundary is unclear and the case is reported instead of guessed.
_NOT_START = set("的了是在把被将和与及或个一这那从纯让给对")


def _known_terms() -> list[str]:
    import yaml

    from scripts.editions.convert import read_phrases
    from scripts.glossary import GLOSSARY

    words = {str(e.get("term", "")) for e in yaml.safe_load(GLOSSARY.read_text(encoding="utf-8")) or []}
    words |= {src for src, _, _ in read_phrases()}
    return sorted((w for w in words if w), key=len, reverse=True)


def _term_of(head: str, course: str, known: list[str]) -> str | None:
    """The term at the end of a run of Chinese text: as long as the course term (人类反馈 ↔ 人类回馈)
    unless that would start on a function word (的神经网络), else the longest known term."""
    if head.startswith("**"):
        return head
    same = head[-len(course) :] if len(course) <= len(head) else ""
    if same and same[0] not in _NOT_START:
        return same
    return next((w for w in known if head.endswith(w)), None)


def migrate_text(text: str, known: list[str]) -> str:
    """Every old-style note rewritten into the syntax; each rewrite renders back to the original."""

    def rewrite(m: re.Match, en_first: bool) -> str:
        term = _term_of(m["head"], m["course"], known)
        if term is None:
            return m.group(0)
        prefix = m["head"][: len(m["head"]) - len(term)]
        fields = (m["en"], m["course"]) if en_first else (m["course"], m["en"])
        span = f"[[{term}|{fields[0]}|{fields[1]}]]"
        rendered = Term.parse(TERM.fullmatch(span)).hans()
        if prefix + rendered != m.group(0):  # would not read the same: leave it to a person
            return m.group(0)
        return prefix + span

    text = COURSE_FIRST.sub(lambda m: rewrite(m, False), text)
    return EN_FIRST.sub(lambda m: rewrite(m, True), text)


def leftovers(path: Path, text: str) -> list[str]:
    """Old-style notes still in the text (outside the syntax), as 'file:line: text'."""
    rendered_free = TERM.sub("", text)
    return [
        f"{path.relative_to(paths.ROOT)}:{n}: {m.group(0)}"
        for n, line in enumerate(rendered_free.splitlines(), 1)
        for m in LEFTOVER.finditer(line)
    ]


# A hand-written gloss right after a word, 「程序（程式，program）」: when both convert to the same
# zh-Hant word, that edition reads 「程式（程式，program）」. Only the term syntax avoids it.
HAND_GLOSS = re.compile(r"(?P<head>[\u3400-\u9fff]+)\**（(?P<gloss>[\u3400-\u9fff]{2,8})[，；）]")


def doubled_in_hant(path: Path, text: str) -> list[str]:
    """Hand-written glosses that double in zh-Hant (the head's end and the gloss convert alike)."""
    from scripts.editions.convert import convert

    out = []
    for n, line in enumerate(TERM.sub("", text).splitlines(), 1):
        for m in HAND_GLOSS.finditer(line):
            head, gloss = m["head"][-len(m["gloss"]) :], m["gloss"]
            if head != gloss and convert(head) == convert(gloss):
                out.append(f"{path.relative_to(paths.ROOT)}:{n}: {head}{m.group(0)[len(m['head']) :]}")
    return out


def main(argv: list[str]) -> int:
    files = [Path(a).resolve() for a in argv] or sorted(paths.DOCS.glob("*.md"))
    known = _known_terms()
    todo: list[str] = []
    doubled: list[str] = []
    for f in files:
        old = f.read_text(encoding="utf-8")
        new = migrate_text(old, known)
        assert render_hans(new) == render_hans(old), f"{f}: the rewrite does not render back to the original"
        if new != old:
            f.write_text(new, encoding="utf-8")
            print(f"rewrote {f.relative_to(paths.ROOT)}: {len(TERM.findall(new)) - len(TERM.findall(old))} terms")
        todo += leftovers(f, new)
        doubled += doubled_in_hant(f, new)
    if todo:
        print(f"\n{len(todo)} note(s) not converted (rewrite by hand, or leave as prose):")
        print("\n".join(todo))
    if doubled:
        print(f"\n{len(doubled)} hand-written gloss(es) that read doubled in zh-Hant (use the term syntax):")
        print("\n".join(doubled))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
