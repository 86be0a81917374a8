"""Each page's own ``<meta name="description">``, for search engines and link previews.

Its first paragraph of running text, cut at a sentence end, instead of the site's one
description on every page; a page's front matter ``description`` still wins (Material reads
``page.meta.description``).  The zh-Hant edition runs the same hook on its converted pages.

The head's ``<link rel="alternate" hreflang>`` are left as Material writes them, at each
edition's root: Material's bundle fetches ``sitemap.xml`` next to each of them to map a page to
its twin when the reader switches language.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

MAX_CHARS = 120  # search engines show about this many Chinese characters
SKIP = {"sup", "script", "style"}  # footnote marks; never text
SENTENCE_END = "。！？；"


class _FirstParagraph(HTMLParser):
    """The text of the first top-level <p> without math (math reads badly as plain text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements outside the paragraph being read
        self.parts: list[str] | None = None
        self.skipping = 0
        self.found = ""

    def handle_starttag(self, tag, attrs):
        if self.found or tag in ("br", "img", "hr", "input", "wbr"):
            return
        if self.parts is not None:
            if tag in SKIP or self.skipping or ("class", "arithmatex") in attrs:
                self.skipping += 1
            return
        if tag == "p" and self.depth == 0 and not attrs:
            self.parts = []
        else:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.found or tag in ("br", "img", "hr", "input", "wbr"):
            return
        if self.parts is None:
            self.depth = max(0, self.depth - 1)
        elif self.skipping:
            self.skipping -= 1
        elif tag == "p":
            self.found = " ".join("".join(self.parts).split())
            self.parts = None

    def handle_data(self, data):
        if self.parts is not None and not self.skipping:
            self.parts.append(data)


def description(content_html: str) -> str:
    """The first top-level paragraph's text, cut to MAX_CHARS at a sentence end; "" if none."""
    parser = _FirstParagraph()
    parser.feed(content_html)
    text = parser.found
    if len(text) <= MAX_CHARS:
        return text
    cut = max(text.rfind(mark, 0, MAX_CHARS) for mark in SENTENCE_END)
    return text[: cut + 1] if cut >= MAX_CHARS // 3 else text[: MAX_CHARS - 1] + "…"


def set_description(page, content_html: str) -> None:
    """page.meta["description"] from the content, unless the page's front matter sets one.
    Escaped here: MkDocs renders templates without autoescaping."""
    if page.meta.get("description"):
        return
    text = description(content_html)
    if text:
        page.meta["description"] = html.escape(text, quote=True)
