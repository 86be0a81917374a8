"""Each page's meta description and language tag (scripts/page_meta.py, overrides/partials/language.html)."""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

from scripts.page_meta import MAX_CHARS, description, set_description

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
HTML_LANG = re.compile(r'<html lang="([^"]+)"')
NOT_PAGES = ("search", "assets", "zh-Hant", "figures", "pyodide", "demos")


def test_description_is_the_first_top_level_paragraph_without_notes_or_math():
    html = (
        '<div class="admonition"><p class="admonition-title">注意</p><p>提示框里的话</p></div>'
        '<p>模型<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>读进 &lt;文字&gt;'
        '，算出 <span class="arithmatex">\\(p\\)</span>概率。</p><p>第二段</p>'
    )
    assert description(html) == "模型读进 <文字>，算出 概率。"


def test_a_long_paragraph_is_cut_at_a_sentence_end_or_with_an_ellipsis():
    sentence = "一" * 50 + "。"
    assert description(f"<p>{sentence * 5}</p>") == sentence * 2
    cut = description(f"<p>{'二' * 300}</p>")
    assert len(cut) == MAX_CHARS and cut.endswith("…")
    assert description("<h1>只有标题</h1>") == ""


def test_front_matter_wins_and_quotes_are_escaped():
    page = SimpleNamespace(meta={"description": "作者写的"})
    set_description(page, "<p>正文</p>")
    assert page.meta["description"] == "作者写的"
    page = SimpleNamespace(meta={})
    set_description(page, '<p>他说"你好"</p>')
    assert page.meta["description"] == "他说&quot;你好&quot;"


def test_every_page_has_its_own_description_and_the_edition_language(site_dir):
    for edition, lang in (("", "zh-Hans"), ("zh-Hant/", "zh-Hant")):
        seen = {}
        chapters = [p for p in (site_dir / edition).glob("*/index.html") if p.parent.name not in NOT_PAGES]
        for page in [site_dir / edition / "index.html", *sorted(chapters)]:
            text = page.read_text(encoding="utf-8")
            assert HTML_LANG.search(text).group(1) == lang, page
            found = DESCRIPTION.findall(text)
            assert len(found) == 1 and len(unescape(found[0])) >= 20, (page, found)
            assert found[0] not in seen, f"{page} has the description of {seen.get(found[0])}"
            seen[found[0]] = page
        assert len(seen) >= 15, sorted(seen.values())
