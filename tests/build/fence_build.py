"""A real `mkdocs build` of a one-page site with a given fence, for the fences' failure tests."""

from __future__ import annotations

import re

import pytest
from pymdownx.superfences import SuperFencesException


def assert_build_fails_naming_the_page(fence: str, tmp_path, monkeypatch, caplog) -> str:
    """Build docs holding `fence` on lesson.md with the project's mkdocs.yml; the build must stop
    with SuperFencesException and its log name the page.  Returns the log, for the reason."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from scripts import paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n")
    (docs / "lesson.md").write_text(f"# 课\n\n{fence}")
    monkeypatch.chdir(paths.ROOT)
    config = load_config(
        str(paths.ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"), nav=None, strict=False
    )
    with pytest.raises(SuperFencesException):
        build(config)
    assert re.search(r"Error (reading|building) page 'lesson.md'", caplog.text)
    return caplog.text
