"""What a Zensical build of this site keeps and loses: `make zensical-check` prints this table.

Zensical (the successor of Material for MkDocs) reads mkdocs.yml and runs the
Markdown extensions, but not MkDocs plugins or hooks. Each check below looks
at the built HTML for one thing our build of record (MkDocs) provides, and
says which mechanism it depends on. MIGRATION.md discusses the results.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _page(site: Path, stem: str) -> str:
    path = site / ("index.html" if stem == "index" else f"{stem}/index.html")
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def checks(site: Path) -> list[tuple[str, bool, str]]:
    """(what, kept?, how it is made in the MkDocs build) for each feature."""
    docs = sorted((ROOT / "docs").glob("*.md"))
    fences = sum(len(re.findall(r"^```demo\s*$", p.read_text(encoding="utf-8"), re.M)) for p in docs)
    pages = {p.stem: _page(site, p.stem) for p in docs}
    blocks = sum(len(re.findall(r'class="demo" id="demo-', html)) for html in pages.values())
    terms = len(yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text(encoding="utf-8")))
    glossary_rows = pages.get("glossary", "").count("<tr") - 1
    diffusion = pages.get("09-diffusion", "")
    index = site / "search.json"
    search_text = index.read_text(encoding="utf-8") if index.is_file() else ""
    return [
        ("every page built", all(pages.values()), "MkDocs core"),
        (
            f"demo fences rendered ({blocks}/{fences})",
            blocks == fences > 0,
            "Markdown extension (scripts/demo_fence.py)",
        ),
        (
            "page-relative links in demo blocks (__SITE_ROOT__, __REPO_URL__)",
            not any("__SITE_ROOT__" in h or "__REPO_URL__" in h for h in pages.values()),
            "hook on_page_content",
        ),
        ("browser code and styles (assets/js, assets/css)", (site / "assets/js/main.js").is_file(), "hook on_files"),
        ("figures (figures/*.svg)", any((site / "figures").glob("*.svg")), "hook on_files + scripts/figures"),
        ("Pyodide runtime and demos package", (site / "pyodide").is_dir(), "hook on_files + scripts/pyodide_assets"),
        (
            "math rendered by KaTeX at build time",
            'class="katex' in diffusion,
            "hooks on_page_content + on_post_page (scripts/math.py)",
        ),
        (
            f"glossary table ({glossary_rows}/{terms} terms)",
            glossary_rows == terms,
            "Markdown extension (scripts/glossary.py)",
        ),
        (
            "search index holds Chinese text (扩散)",
            "扩散" in search_text,
            "theme search; Zensical segments in the browser",
        ),
        (
            "编辑此页 / 报告错误 links",
            'rel="edit"' in pages["01-intro"] and "data-erratum" in pages["01-intro"],
            "theme overrides",
        ),
        ("最后更新 dates", "git-revision-date" in pages["01-intro"], "plugin git-revision-date-localized"),
    ]


def main(argv: list[str]) -> int:
    """Print the table for the Zensical build in argv[0]; exit 0 (it reports, it does not gate)."""
    site = Path(argv[0]) if argv else ROOT / "build" / "zensical-site"
    rows = checks(site)
    print("| feature | Zensical | made in the MkDocs build by |\n| --- | --- | --- |")
    for what, kept, how in rows:
        print(f"| {what} | {'kept' if kept else 'LOST'} | {how} |")
    print(json.dumps({"kept": sum(k for _, k, _ in rows), "lost": sum(not k for _, k, _ in rows)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
