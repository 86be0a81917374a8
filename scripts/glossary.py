"""The 术语表 page: a ``glossary`` fence that renders ``docs/glossary.yml`` as a table.

The YAML file is the one source for the terms; each entry has ``term`` (the
mainland term used on this site), ``course`` (the course's Taiwanese term),
``en``, ``def`` (one line) and ``chapters`` (the Markdown files that explain it).

The 繁体版用语 column shows the zh-Hant edition's word where the project's phrase table
(scripts/editions/convert.py) makes it differ from plain OpenCC conversion; the zh-Hant edition
renders the table with :func:`fence_format_hant` (its term first, the mainland term beside it).

The table is left out of Material's search entry for the page (``data-search-exclude``,
which Material removes from the page); :mod:`scripts.search_index` gives each row an entry.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape

import yaml
from pymdownx.superfences import SuperFencesException

from scripts import paths
from scripts.demo_fence import SITE_ROOT

GLOSSARY = paths.DOCS / "glossary.yml"
FIELDS = ("term", "course", "en", "def", "chapters")


def load_terms(path=GLOSSARY) -> list[dict]:
    """The entries, checked for their fields and sorted by English term."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for e in entries:
        missing = [f for f in FIELDS if not e.get(f)]
        if missing:
            raise SuperFencesException(f"glossary entry {e.get('term')!r} lacks {missing}")
        for ch in e["chapters"]:
            if not (paths.DOCS / ch).is_file():
                raise SuperFencesException(f"glossary entry {e['term']!r} names missing chapter {ch}")
    return sorted(entries, key=lambda e: e["en"].lower())


@cache
def chapter_title(md_file: str) -> str:
    text = (paths.DOCS / md_file).read_text(encoding="utf-8")
    m = re.search(r"^# (.+)$", text, re.M)
    return m.group(1).strip() if m else md_file


def _chapter_link(md_file: str) -> str:
    url = SITE_ROOT + md_file.removesuffix(".md") + "/"
    number = md_file.split("-")[0]
    return f'<a href="{escape(url)}" title="{escape(chapter_title(md_file))}">第 {int(number)} 章</a>'


def _anchor(e: dict) -> str:
    return "term-" + re.sub(r"[^\w]+", "-", e["en"].lower()).strip("-")


def fence_format(source, language, css_class, options, md, **kwargs) -> str:
    """pymdownx.superfences ``format`` for the ``glossary`` fence (its body is ignored)."""
    from scripts.editions.convert import convert, plain

    rows = []
    for e in load_terms():
        course = "—" if e["course"] == e["term"] else escape(e["course"])
        hant = convert(e["term"])
        hant = f'<span lang="zh-Hant">{escape(hant)}</span>' if hant != plain(e["term"]) else "—"
        links = "、".join(_chapter_link(c) for c in e["chapters"])
        rows.append(
            f'<tr id="{escape(_anchor(e))}"><td><strong>{escape(e["term"])}</strong></td><td>{course}</td>'
            f'<td>{hant}</td><td lang="en">{escape(e["en"])}</td><td>{escape(e["def"])}</td><td>{links}</td></tr>'
        )
    return (
        '<table data-search-exclude="rows"><thead><tr><th>本站用语</th><th>课程用语</th><th>繁体版用语</th><th>英文</th>'
        "<th>一句话解释</th><th>详见</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def fence_format_hant(source, language, css_class, options, md, **kwargs) -> str:
    """The ``glossary`` fence in the zh-Hant edition: the edition's term, then the mainland term
    (characters converted only) where it differs, the course's wording where it is not a substitute."""
    from scripts.editions.convert import convert, mainland

    rows = []
    for e in load_terms():
        term, old, course = convert(e["term"]), mainland(e["term"]), convert(e["course"])
        links = convert("、".join(_chapter_link(c) for c in e["chapters"]))
        rows.append(
            f'<tr id="{escape(_anchor(e))}"><td><strong>{escape(term)}</strong></td>'
            f"<td>{escape(course) if course != term else '—'}</td><td>{escape(old) if old != term else '—'}</td>"
            f'<td lang="en">{escape(e["en"])}</td><td>{escape(convert(e["def"]))}</td><td>{links}</td></tr>'
        )
    return (
        '<table data-search-exclude="rows"><thead><tr><th>本版用語</th><th>課程中的說法</th><th>中國大陸用語</th><th>英文</th>'
        "<th>一句話解釋</th><th>詳見</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
