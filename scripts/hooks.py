"""MkDocs hook: serve everything the site needs from the site itself.

* ``on_files`` adds, as virtual files (nothing generated lands in docs/):
  the browser code and styles from ``assets/``, the code editor bundled by
  :mod:`scripts.editor_bundle`, the figures drawn by
  :mod:`scripts.figures`, KaTeX from ``node_modules``, the verified Pyodide
  files with the demos wheel and the site's own lock (the CDN, if
  ``extra.pyodide_base_url`` names one, serves the runtime and numpy),
  and ``assets/js/runtime/config.js`` that tells the worker where all of it is.
* ``on_page_content`` marks math with a readable text for the search index and
  flags pages with math (``page.meta["math"]``, for overrides/main.html);
  ``on_post_page`` renders it with KaTeX (:mod:`scripts.math`).  It also turns
  the fence's ``__SITE_ROOT__/`` into the page's relative path to the site
  root, so the site works under any base path.
* ``on_post_build`` gives the search index an entry per glossary term and rewrites it as
  UTF-8 (half the bytes) (:mod:`scripts.search_index`), minifies our
  scripts and bundles our stylesheets (:mod:`scripts.minify_assets`), then builds the
  繁體中文 edition into ``zh-Hant/`` (:mod:`scripts.editions.site`), whose own ``on_files``
  swaps in its converted JS, figures and demos.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from scripts import (
    demo_bundle,
    editor_bundle,
    figures,
    minify_assets,
    module_preload,
    offline_manifest,
    page_meta,
    paths,
    pyodide_assets,
    search_index,
)
from scripts.demo_fence import REPO_ROOT, SITE_ROOT
from scripts.editions import site as editions
from scripts.editions.markdown import for_edition
from scripts.math import has_math, mark_math, render_math

log = logging.getLogger("mkdocs.hooks.course")

KATEX_FILES = ("katex.min.css",)
KATEX_DEST = "assets/vendor/katex/"


def _add(files: Files, config, src_uri: str, **source) -> None:
    existing = files.get_file_from_path(src_uri)
    if existing:
        files.remove(existing)
    files.append(File.generated(config, src_uri, **source))


def _build_dir(config, name: str) -> Path:
    """A work folder under build/ of its own per output site, so concurrent builds never share one."""
    key = hashlib.sha256(str(Path(config.site_dir).resolve()).encode()).hexdigest()[:10]
    return paths.BUILD / key / name


def _fresh(directory):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


def pyodide_base(config) -> str | None:
    """The CDN base URL if the deployer configured one, else None (self-hosted)."""
    base = (config.extra.get("pyodide_base_url") or "").strip()
    return base.format(version=paths.pyodide_version()) if base else None


def _in_git_checkout(folder: Path) -> bool:
    try:
        probe = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"], cwd=folder, capture_output=True, text=True
        )
    except OSError:  # no git installed
        return False
    return probe.returncode == 0 and probe.stdout.strip() == "true"


@event_priority(100)  # before the plugin's own on_config, which already asks git
def on_config(config):
    """The module graph to preload; built from a tarball (no .git): leave out 「最后更新」 rather than
    warn (strict) or show the build date."""
    # <link rel="modulepreload"> for every module the page's scripts import (overrides/main.html)
    config.extra["modulepreload"] = module_preload.graph(module_preload.module_entries(config))
    # the classic scripts that run before Material's bundle, inlined in <head> (overrides/main.html)
    config.extra["head_script"] = minify_assets.head_script()
    dates = config.plugins.get("git-revision-date-localized")
    if dates and not _in_git_checkout(Path(config.docs_dir)):
        dates.config["enabled"] = False
        if not editions.is_hant(config):  # zh-Hant docs are a temporary copy: dated by on_page_markdown
            log.info("no git checkout: pages are built without their 「最后更新」 dates")
    return config


@event_priority(-100)  # after git-revision-date-localized has dated the page
def on_page_markdown(markdown: str, page, config, files) -> str:
    """The Simplified edition drops the zh-Hant blocks (:mod:`scripts.editions.markdown`);
    each zh-Hant page gets its Simplified twin's 「最后更新」."""
    editions.share_dates(page, config)
    if editions.is_hant(config):  # converted already: its blocks were chosen by to_hant
        return markdown
    try:
        return for_edition(markdown, "zh-Hans")
    except ValueError as e:
        raise PluginError(f"{page.file.src_uri}: {e}") from e


def on_files(files: Files, config) -> Files:
    for f in sorted(p for p in paths.ASSETS.rglob("*") if p.is_file()):
        rel = f.relative_to(paths.ASSETS).as_posix()
        if rel.startswith(("figures/", "js/editor/")) or rel.endswith("/config.js") or rel == OFFLINE_SW:
            continue  # js/editor/ is npm-importing source: served bundled, below
        if rel in minify_assets.HEAD_SCRIPTS:
            continue  # inlined in every page's <head> (overrides/main.html)
        _add(files, config, f"assets/{rel}", abs_src_path=str(f))

    # The code editor, bundled by esbuild from node_modules; fetched only when a reader opens it.
    _add(files, config, editor_bundle.SITE_PATH, abs_src_path=str(editor_bundle.build()))

    for svg in figures.build(log=log.info):
        _add(files, config, f"figures/{svg.name}", abs_src_path=str(svg))

    if BOOK_PDF.is_file():
        _add(files, config, BOOK_PDF.name, abs_src_path=str(BOOK_PDF))

    katex = paths.NODE_MODULES / "katex" / "dist"
    for name in KATEX_FILES:
        _add(files, config, KATEX_DEST + name, abs_src_path=str(katex / name))
    for font in sorted((katex / "fonts").glob("*.woff2")):
        _add(files, config, f"{KATEX_DEST}fonts/{font.name}", abs_src_path=str(font))

    cdn = pyodide_base(config)
    if not cdn:
        # Runtime, wheels, the demos wheel and the site's own lock (scripts/pyodide_assets.py).
        served = pyodide_assets.build_site_dir(_build_dir(config, "pyodide"), hant=editions.wanted(config))
        for f in served:
            _add(files, config, f"pyodide/{f.name}", abs_src_path=str(f))
        served = editions.without_hant_wheel(served)  # served here, downloaded by the zh-Hant edition only
        packages, extra_wheels = [demo_bundle.LOCK_NAME], []
    else:
        # The CDN's official lock cannot list the demos wheel: it is served here and
        # loaded by URL (without a lock entry, so without an integrity check).
        wheel = demo_bundle.write_wheel(_fresh(_build_dir(config, "demos-wheel")))
        _add(files, config, f"demos/{wheel.name}", abs_src_path=str(wheel))
        served = [*pyodide_assets.site_files(), wheel]
        packages, extra_wheels = pyodide_assets.site_packages(), [f"../../../demos/{wheel.name}"]

    runtime_config = {
        "pyodideVersion": paths.pyodide_version(),
        # URLs relative to config.js itself (assets/js/runtime/), resolved with import.meta.url
        "pyodideBase": cdn or "../../../pyodide/",
        "packages": packages,  # names in the lock; dependencies follow from it
        "extraWheels": extra_wheels,
        "downloadBytes": pyodide_assets.fetched_bytes(served),
    }
    _add(
        files,
        config,
        "assets/js/runtime/config.js",
        content="// Generated by scripts/hooks.py at build time.\n"
        f"export default {json.dumps(runtime_config, indent=2)};\n",
    )
    _add_offline_config(files, config)
    if editions.is_hant(config):  # zh-Hant: converted JS, figures and demos; Pyodide shared
        files = editions.adapt_files(files, config)
    return files


def on_post_build(config) -> None:
    """Finish the search index (:mod:`scripts.search_index`: a glossary entry per term, UTF-8),
    minify, build the zh-Hant edition, then the offline precache list."""
    search_index.finish(Path(config.site_dir))
    if not os.environ.get(SERVING):  # `mkdocs serve` keeps the sources readable
        minify_assets.minify(Path(config.site_dir))
    if editions.wanted(config):  # the same build makes the zh-Hant edition (site/zh-Hant/)
        editions.build_hant(config)
    if not editions.is_hant(config) and not os.environ.get(SERVING):  # offline: after both editions
        _write_offline(config)


def on_post_page(output: str, page, config) -> str:
    """KaTeX after the search plugin has indexed the readable text (scripts/math.py)."""
    return render_math(output) if page.meta.get("math") else output


BOOK_PDF = paths.ROOT / "build" / "genai-course-notes.pdf"  # made by `make pdf`
BOOK_MARK = "<!-- book-pdf -->"


def _book_link() -> str:
    """The home page's link to the book PDF, with its size and pages; empty until `make pdf` made it."""
    if not BOOK_PDF.is_file():
        return ""
    report = json.loads(BOOK_PDF.with_suffix(".json").read_text(encoding="utf-8"))
    size = f"{BOOK_PDF.stat().st_size / 1e6:.1f} MB"
    return (
        f'<p class="book-pdf"><a class="md-button" href="{BOOK_PDF.name}" download>'
        f"下载整本讲义 PDF（{size}，{report['pages']} 页）</a> 适合打印和离线阅读；"
        "演示在 PDF 里是默认参数的静态图，要动手请回到网页。</p>"
    )


FIGURE_IMG = re.compile(r'<img\b[^>]*\bsrc="(?:[./]*|__SITE_ROOT__/)figures/([\w.-]+\.svg)"[^>]*>')
SVG_BOX = re.compile(r'<svg\b[^>]*\bviewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def _figure_size(files: Files, name: str) -> tuple[int, int] | None:
    """A figure's size in CSS pixels, from its SVG's viewBox (in points, as matplotlib writes it)."""
    file = files.get_file_from_path(f"figures/{name}")
    if not file:
        return None
    box = SVG_BOX.search(file.content_string[:4000])  # zh-Hant's figures are converted in memory
    return (round(float(box[1]) * 4 / 3), round(float(box[2]) * 4 / 3)) if box else None


def lazy_figures(html: str, files: Files) -> str:
    """Figures load as they come near the viewport (loading=lazy) and hold their place until then
    (width and height: the box is reserved, so nothing below shifts when one arrives)."""

    def attrs(match: re.Match) -> str:
        tag = match[0]
        extra = [a for a in ('loading="lazy"', 'decoding="async"') if a.split("=")[0] + "=" not in tag]
        size = _figure_size(files, match[1])
        if size and " width=" not in tag:
            extra.append(f'width="{size[0]}" height="{size[1]}"')
        if not extra:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + " " + " ".join(extra) + tag[end:]

    return FIGURE_IMG.sub(attrs, html)


def on_page_content(html: str, page, config, files) -> str:
    page_meta.set_description(page, html)  # the page's own meta description (scripts/page_meta.py)
    html = lazy_figures(html, files)
    if BOOK_MARK in html:
        link = _book_link()
        html = html.replace(BOOK_MARK, editions.convert(link) if editions.is_hant(config) else link)
    html = mark_math(html)
    page.meta["math"] = has_math(html)  # KaTeX's stylesheet is linked on these pages only
    if SITE_ROOT not in html:
        return html
    repo = (config.repo_url or "").rstrip("/")
    html = html.replace(REPO_ROOT, f"{repo}/")
    root = get_relative_url(".", page.url or ".")
    root = "" if root in ("", ".") else posixpath.join(root, "")
    return html.replace(SITE_ROOT, root)


# --- Offline after one visit (assets/js/offline/, scripts/offline_manifest.py) --------------
# The service worker is written to the site root by scripts/offline_manifest.py once both
# editions are built; each edition's assets/js/offline/config.js tells register.js where it is.
# `mkdocs serve` registers none: a cache-first worker would hide an author's edits.
OFFLINE_SW = "js/offline/sw.js"  # a template, not served from assets/
SERVING = "COURSE_SERVING"  # set by on_startup; read by both editions' builds (one process)


def on_startup(command, dirty) -> None:
    if command == "serve":
        os.environ[SERVING] = "1"


def _add_offline_config(files: Files, config) -> None:
    depth = 4 if editions.is_hant(config) else 3  # assets/js/offline/ (+ zh-Hant/) up to the site root
    offline = {"sw": "../" * depth + offline_manifest.SW_NAME, "enabled": not os.environ.get(SERVING)}
    _add(
        files,
        config,
        "assets/js/offline/config.js",
        content=f"// Generated by scripts/hooks.py at build time.\nexport default {json.dumps(offline)};\n",
    )


def _write_offline(config) -> None:
    site = Path(config.site_dir)
    manifest = offline_manifest.write(site)
    sizes = ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in offline_manifest.sizes(site, manifest).items())
    log.info(f"offline: sw.js version {offline_manifest.version(manifest)}; {sizes}")
