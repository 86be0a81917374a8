"""The book PDF (scripts/pdf.py) and printing a chapter from the browser."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest
from pypdf import PdfReader

from scripts.pdf import build_pdf, reading_order

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def book(site_dir, browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    report = build_pdf(site_dir, out, browser=browser)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return report, out, text


def _titles(site_dir):
    """Each page's <h1>, in reading order."""
    titles = []
    for md in reading_order():
        stem = md.removesuffix(".md")
        html = (site_dir / ("index.html" if stem == "index" else f"{stem}/index.html")).read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
        h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)
        titles.append(unescape(re.sub(r"<[^>]+>", "", h1)).strip())
    return titles


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_font_is_embedded(book):
    _, pdf, _ = book
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        emb = row.split()[-5]  # … emb sub uni object ID
        assert emb == "yes", row


def test_chapters_in_reading_order_with_their_text(book, site_dir):
    _, _, text = book
    flat = _squash(text)
    at = 0
    for title in _titles(site_dir):
        found = flat.find(_squash(title), at)
        assert found >= 0, f"{title!r} missing or out of order"
        at = found
    # a sample of every chapter's own prose: the first sentence after its title
    for md in reading_order()[1:-1]:
        source = (site_dir / md.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        para = re.search(r"</h1>\s*<p>(.*?)</p>", source, re.S).group(1)
        # a run of Chinese: text extraction may move a Latin word of the line elsewhere
        sample = re.search(r"[\u4e00-\u9fff，、。：；]{12}", unescape(re.sub(r"<[^>]+>", "", para))).group(0)
        assert sample in flat, (md, sample)


def test_page_count_is_plausible_and_contents_has_numbers(book):
    report, pdf, _ = book
    chapters = len(reading_order())
    assert 4 * chapters <= report["pages"] <= 40 * chapters
    starts = report["chapters"]
    assert list(starts) == [f"p-{md.removesuffix('.md')}" for md in reading_order()]
    assert list(starts.values()) == sorted(starts.values()) and starts["p-index"] >= 3
    contents = PdfReader(pdf).pages[1].extract_text()
    for page_no in starts.values():
        assert re.search(rf"\b{page_no}\b", contents), page_no


def test_contents_links_jump_to_the_chapters(book):
    report, pdf, _ = book
    reader = PdfReader(pdf)
    targets = []
    for annot in reader.pages[1].get("/Annots") or []:
        a = annot.get_object()
        if a.get("/Subtype") != "/Link":
            continue
        dest = a.get("/Dest") or (a.get("/A") or {}).get("/D")
        if dest is None:
            continue
        if not isinstance(dest, list):  # a named destination
            named = reader.named_destinations
            key = str(dest) if str(dest) in named else str(dest).lstrip("/")
            targets.append(reader.get_destination_page_number(named[key]) + 1)
        else:
            targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    assert sorted(set(targets)) == sorted(set(report["chapters"].values()))


def test_nothing_is_wider_than_the_page(book):
    report, _, _ = book
    assert report["overflow"] == []


def test_printing_a_chapter_from_the_browser(page, site_url, watch):
    page.goto(site_url + "09-diffusion/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".demo [data-action=run]", ".demo__controls", ".md-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator(".demo [data-role=fallback]").first.is_visible()
    after = page.locator("article a[href^='http']").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "http" in after
