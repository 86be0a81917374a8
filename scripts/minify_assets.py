"""Minify the site's own scripts and merge its own stylesheets, in the built site.

Run by ``scripts/hooks.py`` (``on_post_build``) on each edition's output folder, before the
offline manifest hashes it; ``mkdocs serve`` skips it, so authors debug the sources as written.

* Every ``assets/js/**/*.js`` (not ``vendor/``, already minified, nor the generated
  ``config.js`` files) is minified in place by esbuild, one file per file: module URLs, exports
  and ``import.meta.url`` stay as they are, so nothing else changes.  Chinese strings stay UTF-8
  (``--charset=utf8``; esbuild would escape them otherwise).  Each file links a source map with
  the original source in it, for the browser's developer tools; readers never fetch it.
* ``assets/css/site.css`` (a list of ``@import``) is bundled into one minified stylesheet, so a
  page waits for one request of ours before its first paint, not five.

* :func:`head_script`: the classic scripts that must run before Material's bundle
  (``HEAD_SCRIPTS``), minified and joined, for overrides/main.html to inline in ``<head>``: no
  request of their own, none blocking the parser at the end of ``<body>``.

Why: a read-only chapter fetched about 46 KB (gzip) of our comment-rich scripts and five
render-blocking stylesheets (README 「Benchmark」, issue 8).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from scripts import paths

STYLESHEET = "assets/css/site.css"  # the one stylesheet mkdocs.yml links; it @imports the others
# Inlined in <head>, in this order (each file says why it must run before the bundle).
HEAD_SCRIPTS = ("js/theme-startup.js", "js/search-on-demand.js")
_head_cache: dict[str, str] = {}


def scripts(site: Path) -> list[Path]:
    """Our own scripts in one edition's output folder (`site`), the ones to minify."""
    js = site / "assets" / "js"
    return sorted(p for p in js.rglob("*.js") if p.name != "config.js" and "vendor" not in p.relative_to(js).parts)


def _esbuild(args: list[str]) -> None:
    esbuild = paths.NODE_MODULES / ".bin" / "esbuild"
    if not esbuild.exists():
        raise RuntimeError("esbuild is missing: run `npm ci` (make setup) first")
    subprocess.run([str(esbuild), *args, "--log-level=warning"], check=True, cwd=paths.ROOT)


def minify(site: Path) -> None:
    """Minify `site`'s scripts in place and bundle its stylesheet (see the module docstring)."""
    files = scripts(site)
    if files:
        js = site / "assets" / "js"
        _esbuild(
            [
                *map(str, files),
                "--minify",
                "--charset=utf8",
                "--sourcemap=linked",
                "--sources-content=true",
                f"--outbase={js}",
                f"--outdir={js}",
                "--allow-overwrite",
            ]
        )
    css = site / STYLESHEET
    if css.is_file():
        _esbuild([str(css), "--bundle", "--minify", "--charset=utf8", f"--outfile={css}", "--allow-overwrite"])


def head_script() -> str:
    """``HEAD_SCRIPTS`` minified and joined (cached by their content, so `mkdocs serve` sees edits)."""
    sources = [(paths.ASSETS / name).read_text(encoding="utf-8") for name in HEAD_SCRIPTS]
    key = hashlib.sha256("\0".join(sources).encode()).hexdigest()
    if key not in _head_cache:
        esbuild = paths.NODE_MODULES / ".bin" / "esbuild"
        if not esbuild.exists():
            raise RuntimeError("esbuild is missing: run `npm ci` (make setup) first")
        parts = [
            subprocess.run(
                [str(esbuild), "--minify", "--charset=utf8", "--log-level=warning"],
                input=source, capture_output=True, text=True, check=True,
            ).stdout.strip()
            for source in sources
        ]  # fmt: skip
        script = "\n".join(parts)
        if "</script" in script.lower():
            raise ValueError("an inlined script may not contain </script")
        _head_cache[key] = script
    return _head_cache[key]
