"""The chapter standard (CONTRIBUTING.md), checked on every chapter's Markdown."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from scripts import paths

CHAPTERS = sorted(paths.DOCS.glob("[0-9][0-9]-*.md"))
SHORTER = {"01-intro.md": 3000, "11-agents.md": 3000, "12-interpretability.md": 3000}
CJK = re.compile(r"[\u4e00-\u9fff]")


def prose_chars(text: str) -> int:
    """Chinese characters of explanation: no code fences, tables or references."""
    text = re.sub(r"```.*?```", "", text, flags=re.S).split("## 参考资料")[0]
    return len(CJK.findall("\n".join(l for l in text.splitlines() if not l.lstrip().startswith("|"))))


def test_twelve_chapters():
    assert [c.name[:2] for c in CHAPTERS] == [f"{i:02d}" for i in range(1, 13)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_chapter_meets_the_standard(chapter):
    text = chapter.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert prose_chars(text) >= SHORTER.get(chapter.name, 4000)
    for section in ("## 动手试试", "## 自我检测", "## 参考资料"):
        assert section in text, section
    questions = re.findall(r"^\?\?\?\+? question ", text, re.M)
    assert 3 <= len(questions) <= 6, len(questions)
    assert re.search(r"!\[[^\]]*\]\(figures/ch\d\d-[\w-]+\.svg\)", text), "a figure drawn by a script"
    assert re.search(r"arXiv[:：]?\s*\d{4}\.\d{4,5}", text), "papers cited with arXiv ids"
    if chapter.name not in SHORTER:
        assert "```demo" in text


def test_no_prose_copied_from_the_seed_notes():
    tool = paths.ROOT.parent / "shared" / "tools" / "seedcopy.py"
    if not tool.exists():
        pytest.skip("the seed notes are not beside this checkout")
    proc = subprocess.run([sys.executable, str(tool), str(paths.DOCS)], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip().startswith("0 copied runs"), proc.stdout
