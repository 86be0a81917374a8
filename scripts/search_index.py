"""Finish Material's search index after the build (called from ``scripts/hooks.py``).

Two changes to ``search/search_index.json``, in each edition:

* **One entry per glossary term.**  Material makes one search entry per heading, so the
  glossary's table was one entry whose text ran every cell together
  (「行为克隆——behavior cloning把人类示范…」) and whose link was the top of the page.
  The glossary fence marks its table ``data-search-exclude``; here each row of the built
  page becomes an entry of its own: the term as its title, the other cells as
  「课程用语：…；英文：…」, and the row's anchor as its link, at half the weight of a chapter's
  section (else 126 short entries rank above the chapters that explain them).  The text is segmented
  with jieba the way Material segments its own entries, so the same queries find it.
* **UTF-8.**  Material escapes every CJK character as ``\\uXXXX``, which makes a Chinese
  index about twice as large as it needs to be.
"""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path

GLOSSARY_PAGE = "glossary/"
ROW_ID = "term-"
EMPTY = "—"  # the glossary's cell for "same as the site's term"
ROW_BOOST = 0.5  # Material's per-entry ``boost``: with 1, 强化学习 listed the glossary above chapter 6


class _Rows(HTMLParser):
    """The glossary table's header labels and, per ``<tr id="term-…">``, its cells' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.rows: list[tuple[str, list[str]]] = []
        self._row: tuple[str, list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":  # a term's row, or another row whose cells are not collected
            self._row = (a["id"], []) if (a.get("id") or "").startswith(ROW_ID) else None
            if self._row:
                self.rows.append(self._row)
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if tag == "th":
                self.headers.append(text)
            elif self._row:
                self._row[1].append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def glossary_entries(html: str, location: str = GLOSSARY_PAGE) -> list[dict]:
    """Search entries (unsegmented) for the rows of the glossary table in a built page."""
    parser = _Rows()
    parser.feed(html)
    entries = []
    for row_id, cells in parser.rows:
        if len(cells) != len(parser.headers):
            raise ValueError(f"glossary row {row_id} has {len(cells)} cells, the table {len(parser.headers)} columns")
        text = "；".join(f"{h}：{c}" for h, c in zip(parser.headers[1:], cells[1:]) if c and c != EMPTY)
        # Material's results show title and text as HTML, and escape its own entries so.
        entries.append(
            {
                "location": f"{location}#{row_id}",
                "title": escape(cells[0], quote=False),
                "text": escape(text, quote=False),
            }
        )
    return entries


def segment(text: str) -> str:
    """Chinese runs cut into words by jieba and joined with U+200B, as Material's search
    plugin does to its own entries (``SearchIndex._segment_chinese``), so the separator in
    mkdocs.yml splits them into the same tokens.  Unchanged when jieba is not installed."""
    try:
        import jieba
    except ImportError:  # Material indexes without segmentation then, and so do we
        return text
    from backrefs import bre  # Material's own pattern engine, for its Han pattern

    def cut(m) -> str:
        return "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b"

    return bre.sub(r"(\p{script: Han}+)", cut, text).strip("\u200b")


def finish(site_dir: Path) -> None:
    """Rewrite ``site_dir``'s search index: the glossary's rows as entries, in UTF-8."""
    index = site_dir / "search" / "search_index.json"
    if not index.exists():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    page = site_dir / GLOSSARY_PAGE / "index.html"
    if page.exists():
        rows = [  # half the weight: the chapter that explains a term ranks above its one-line definition
            {**e, "title": segment(e["title"]), "text": segment(e["text"]), "boost": ROW_BOOST}
            for e in glossary_entries(page.read_text(encoding="utf-8"))
        ]
        docs = [d for d in data["docs"] if not d["location"].startswith(GLOSSARY_PAGE + "#" + ROW_ID)]
        at = next((i + 1 for i, d in enumerate(docs) if d["location"].startswith(GLOSSARY_PAGE)), len(docs))
        data["docs"] = docs[:at] + rows + docs[at:]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
