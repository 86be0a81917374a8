"""The finished search index (scripts/search_index.py): one entry per glossary term, in both
editions, checked against docs/glossary.yml; and the row parser on bad input."""

from __future__ import annotations

import json
import re

import pytest

from scripts.editions.convert import convert
from scripts.glossary import _anchor, load_terms
from scripts.search_index import glossary_entries, segment

TERMS = load_terms()


def _index(site_dir, edition):
    index = json.loads((site_dir / edition / "search/search_index.json").read_text(encoding="utf-8"))
    return index["docs"], re.compile(index["config"]["separator"])


def _tokens(separator, text):
    """Search tokens as Material's worker makes them: the text split on the configured separator."""
    return set(separator.split(text)) - {""}


@pytest.mark.parametrize("edition", ["", "zh-Hant"])
def test_each_glossary_term_is_an_entry_of_its_own(site_dir, edition):
    docs, separator = _index(site_dir, edition)
    rows = {d["location"]: d for d in docs if d["location"].startswith("glossary/#")}
    assert len(rows) == len(TERMS), "one entry per term, nothing else under the glossary's anchors"
    for e in TERMS:
        entry = rows[f"glossary/#{_anchor(e)}"]
        term = convert(e["term"]) if edition else e["term"]
        assert entry["title"].replace("\u200b", "") == term
        assert 0 < entry["boost"] < 1, "a definition ranks below the chapter that explains it"
        assert _tokens(separator, e["en"]) <= _tokens(separator, entry["text"]), e["en"]
        assert re.search(r"第\u200b? \d+ \u200b?章", entry["text"]), "the chapter it points to"
    (page,) = [d for d in docs if d["location"] == "glossary/"]
    assert "behavior cloning" not in page["text"], "the table is left out of the page's own entry"


def test_a_row_reads_as_labelled_cells_without_the_empty_ones(site_dir):
    docs, separator = _index(site_dir, "")
    (row,) = [d for d in docs if d["location"] == "glossary/#term-reinforcement-learning"]
    text = row["text"].replace("\u200b", "")
    assert text.startswith("课程用语：增强式学习；繁体版用语：") and "英文：reinforcement learning；" in text
    assert "—" not in text
    assert {"reinforcement", "learning", "增强"} <= _tokens(separator, row["text"])


TABLE = (
    "<table><thead><tr><th>术语</th><th>课程用语</th><th>英文</th></tr></thead><tbody>"
    '<tr id="term-a"><td><strong>甲 &lt;b&gt;</strong></td><td>—</td><td lang="en">a &amp; b</td></tr>'
    '<tr id="not-a-term"><td>乙</td><td>丙</td><td>c</td></tr>'
    "</tbody></table>"
)


def test_rows_are_parsed_and_escaped_like_materials_entries():
    assert glossary_entries(TABLE) == [
        {"location": "glossary/#term-a", "title": "甲 &lt;b&gt;", "text": "英文：a &amp; b"}
    ]


def test_a_row_that_does_not_match_the_header_is_an_error():
    broken = TABLE.replace('<td lang="en">a &amp; b</td>', "")
    with pytest.raises(ValueError, match="term-a has 2 cells, the table 3 columns"):
        glossary_entries(broken)


def test_segmentation_joins_jiebas_words_with_zero_width_spaces():
    import jieba  # its dictionary depends on what else this process built: compare with it

    assert segment("扩散模型 diffusion") == "\u200b".join(jieba.cut("扩散模型")) + "\u200b diffusion"
    assert segment("（甲乙）").count("\u200b") >= 2  # a Han run inside punctuation is set apart
    assert segment("no Chinese") == "no Chinese"
