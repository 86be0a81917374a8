"""From a page to its source: 编辑此页 and 报告错误 on every page, 最后更新 dates, and a build without .git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.build.test_site import parse
from tests.conftest import ROOT


def _repo_url() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("repo_url:"))
    return os.environ.get("REPO_URL") or line.split('"')[1]


def _chapter_pages(site_dir):
    """(built page, its Markdown source) for every page made from docs/*.md."""
    out = []
    for md in sorted((ROOT / "docs").glob("*.md")):
        html = site_dir / ("index.html" if md.stem == "index" else f"{md.stem}/index.html")
        out.append((html, md))
    return out


def test_every_page_has_an_edit_link_to_its_own_file(site_dir):
    repo = _repo_url().rstrip("/")
    for html, md in _chapter_pages(site_dir):
        edits = [a for tag, a in parse(html) if tag == "a" and a.get("rel") == "edit"]
        assert len(edits) == 1, html
        assert edits[0]["href"] == f"{repo}/edit/main/docs/{md.name}", edits[0]["href"]
        assert (ROOT / "docs" / md.name).is_file()


def test_every_page_has_an_erratum_link_prefilled_for_that_page(site_dir):
    repo = urlsplit(_repo_url().rstrip("/"))
    for html, md in _chapter_pages(site_dir):
        links = [a for tag, a in parse(html) if tag == "a" and "data-erratum" in a]
        assert len(links) == 1, html
        url = urlsplit(links[0]["href"])
        assert (url.scheme, url.netloc, url.path) == (repo.scheme, repo.netloc, repo.path + "/issues/new")
        query = parse_qs(url.query, strict_parsing=True)
        title = links[0]["data-page-title"]
        assert query["title"] == [f"[勘误] {title}"] and title
        body = query["body"][0]
        page_url = body.split("\n")[0].removeprefix("位置：")
        assert page_url.startswith("http") and page_url.endswith("/" if md.stem == "index" else f"/{md.stem}/")
        for field in ("原文：", "应为：", "依据"):
            assert field in body
        assert query["labels"] == ["勘误"]


def test_pages_show_their_last_update(site_dir):
    for html, md in _chapter_pages(site_dir):
        if md.stem == "glossary":  # generated from glossary.yml: its file date would mislead
            continue
        text = html.read_text(encoding="utf-8")
        assert "git-revision-date-localized-plugin" in text and "最后更新" in text, md.name


def test_header_repository_link_fetches_nothing(site_dir):
    """Material's source widget would ask GitHub's API for stars: ours is a plain link."""
    for html, _ in _chapter_pages(site_dir):
        for _tag, a in parse(html):
            assert a.get("data-md-component") != "source", html


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="this checkout is itself a tarball")
def test_build_without_git_works(tmp_path):
    """A tarball of the project (no .git) builds strictly, without 「最后更新」 dates."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    copy = tmp_path / "tarball"
    for rel in filter(None, tracked.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy / rel)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    figures = ROOT / "assets" / "figures"  # drawn by the session's build; reused, not redrawn
    if figures.is_dir():
        shutil.copytree(figures, copy / "assets" / "figures")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    page = (tmp_path / "site" / "01-intro" / "index.html").read_text(encoding="utf-8")
    assert "编辑此页" in page and "data-demo=" in page and "git-revision-date-localized-plugin" not in page


def test_every_demo_links_to_its_source_file(site_dir):
    repo = _repo_url().rstrip("/")
    seen = 0
    for html, _ in _chapter_pages(site_dir):
        tags = parse(html)
        names = [a["data-demo"] for tag, a in tags if "data-demo" in a]
        links = [a["href"] for tag, a in tags if tag == "a" and "demo__source" in a.get("class", "")]
        assert links == [f"{repo}/blob/main/demos/{n}.py" for n in names], html
        assert all((ROOT / "demos" / f"{n}.py").is_file() for n in names)
        seen += len(names)
    assert seen >= 12
