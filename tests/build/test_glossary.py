"""The glossary: one data file, every term really used in the chapters it points to."""

from __future__ import annotations

import re

import pytest

from scripts import paths
from scripts.glossary import load_terms

TERMS = load_terms()


def test_glossary_has_the_course_terms():
    by_term = {e["term"]: e for e in TERMS}
    assert by_term["自监督学习"]["course"] == "自督导式学习"
    assert len(TERMS) >= 40
    assert len(by_term) == len(TERMS), "each term once"


@pytest.mark.parametrize("entry", TERMS, ids=[e["en"] for e in TERMS])
def test_every_term_is_used_in_the_chapters_it_names(entry):
    for chapter in entry["chapters"]:
        text = (paths.DOCS / chapter).read_text(encoding="utf-8")
        assert entry["term"] in text, f"{entry['term']} is not used in {chapter}"


def test_glossary_page_lists_every_term(site_dir):
    html = (site_dir / "glossary/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="term-', html)
    assert len(rows) == len(TERMS)
    for e in TERMS:
        assert f"<strong>{e['term']}</strong>" in html
    assert 'href="../02-pretraining/"' in html
