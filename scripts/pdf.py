"""The whole course as one PDF: `make pdf` → build/genai-course-notes.pdf.

The built site is served on 127.0.0.1; Chromium (through Playwright) opens
the home page, `scripts/pdf_book.js` lays every page out as one book in
reading order (cover, contents, chapters, glossary), and Chromium prints it
with the print stylesheet (assets/css/print.css). Printing twice fills the
contents with page numbers: the first PDF's named destinations say on which
page each chapter starts. Fonts are the system's (Debian's fonts-noto-cjk),
embedded by Chromium; figures stay vectors, math is KaTeX's HTML.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import sys
import threading
from pathlib import Path

import yaml

from scripts import paths

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "genai-course-notes.pdf"
BOOK_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
html.book-print, html.book-print body { background: #fff; }
.book { max-width: none; font-size: 10.5pt; }
.book-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.book-cover h1 { font-size: 26pt; margin: 0 0 8mm; }
.book-cover__url { color: #555; font-size: 9pt; }
.book-contents { break-after: page; }
.book-toc li { display: flex; gap: 0.5em; }
.book-toc li a { flex: 1; }
.book-toc__page { min-width: 2em; text-align: right; font-variant-numeric: tabular-nums; }
.book-chapter { break-before: page; }
.book-demo-note { font-size: 8.5pt; color: #444; overflow-wrap: anywhere; }
"""
FOOTER = '<div style="width:100%;font-size:8px;text-align:center;color:#666"><span class="pageNumber"></span></div>'


class _TagIgnoringLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's plain structure; its !ENV and !!python tags become None."""


_TagIgnoringLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TagIgnoringLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def reading_order() -> list[str]:
    """The Markdown files in mkdocs.yml's nav order (home, chapters, glossary)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagIgnoringLoader)
    order: list[str] = []

    def walk(node):
        if isinstance(node, str):
            order.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    return order


def _page_url(md: str) -> str:
    stem = md.removesuffix(".md")
    return "" if stem == "index" else f"{stem}/"


def _chapter_starts(pdf: Path, ids: list[str]) -> dict[str, int]:
    """Page number (1-based) of each chapter, from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    dests = reader.named_destinations
    starts = {}
    for name, dest in dests.items():
        key = str(name).lstrip("/")
        if key in ids:
            starts[key] = reader.get_destination_page_number(dest) + 1
    return starts


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

    def log_message(self, *args):
        pass


def _print_book(browser, out: Path, local: str, pages: list[dict], title: str, site_url: str):
    """Lay the book out in one page of ``browser`` and print it twice; return (chapter starts, overflow)."""
    page = browser.new_page()
    page.goto(local, wait_until="networkidle")
    page.emulate_media(media="print")
    page.add_style_tag(content=BOOK_CSS)
    script = (ROOT / "scripts" / "pdf_book.js").read_text(encoding="utf-8")
    subtitle = "李宏毅《生成式AI导论》互动讲义 · 印刷版（演示以静态图呈现，在线版可运行）"
    wide = page.evaluate(script, {"pages": pages, "title": title, "subtitle": subtitle, "siteUrl": site_url})

    def print_to(path: Path):
        page.pdf(
            path=str(path),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
            outline=True,
            tagged=True,
        )

    print_to(out)  # first pass: where does each chapter start?
    starts = _chapter_starts(out, [p["id"] for p in pages])
    page.evaluate(
        "starts => { for (const s of document.querySelectorAll('.book-toc__page'))"
        " s.textContent = starts[s.dataset.for] ?? ''; }",
        starts,
    )
    print_to(out)  # second pass: the same layout, with the numbers filled in
    page.close()
    return starts, wide


def build_pdf(site_dir: Path, out: Path = OUT, browser=None) -> dict:
    """Print the built site in ``site_dir`` to ``out``; return a report (pages, overflow, chapters)."""
    from playwright.sync_api import sync_playwright

    site_dir, out = Path(site_dir), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    site_url = canonical.group(1) if canonical else local
    files = reading_order()
    pages = [
        {
            "url": local + _page_url(md),
            "id": "p-" + (md.removesuffix(".md") or "index"),
            "liveUrl": site_url + _page_url(md),
        }
        for md in files
    ]
    title = re.search(r"<title>([^<]+)</title>", home).group(1).split(" - ")[-1].strip()
    try:
        if browser is not None:
            starts, wide = _print_book(browser, out, local, pages, title, site_url)
        else:
            with sync_playwright() as pw:
                own = pw.chromium.launch(executable_path=paths.CHROMIUM, args=paths.CHROMIUM_ARGS)
                starts, wide = _print_book(own, out, local, pages, title, site_url)
                own.close()
    finally:
        server.shutdown()
    from pypdf import PdfReader

    report = {"pdf": str(out), "bytes": out.stat().st_size, "pages": len(PdfReader(out).pages)}
    report.update(chapters=starts, overflow=wide, order=files)
    out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main(argv: list[str]) -> int:
    """`python -m scripts.pdf SITE_DIR [OUT]`."""
    site = Path(argv[0]) if argv else ROOT / "site"
    report = build_pdf(site, Path(argv[1]) if len(argv) > 1 else OUT)
    mb = report["bytes"] / 1e6
    print(f"{report['pdf']}: {report['pages']} pages, {mb:.1f} MB")
    if report["overflow"]:
        print("too wide for the page:\n  " + "\n  ".join(report["overflow"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
