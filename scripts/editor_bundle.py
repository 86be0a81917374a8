"""Bundle the code editor (assets/js/editor/) into one self-hosted ES module.

CodeMirror comes from npm (pinned in package.json + package-lock.json); esbuild,
also from npm, bundles and minifies it into ``build/editor/editor.js``, which the
MkDocs hook serves as ``assets/vendor/editor/editor.js``.  Rebuilt only when the
sources or the lock file change, so ``mkdocs serve`` does not loop.

Run by hand with ``python -m scripts.editor_bundle`` (``make editor``).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from scripts import paths

SOURCE_DIR = paths.ASSETS / "js" / "editor"
ENTRY = SOURCE_DIR / "index.js"
OUT_DIR = paths.ROOT / "build" / "editor"
OUT = OUT_DIR / "editor.js"
SITE_PATH = "assets/vendor/editor/editor.js"
# The bundled packages are MIT-licensed and their sources carry no /*! comments: credit them here.
BANNER = (
    "/*! Code editor of the course notes: CodeMirror 6 (@codemirror/*, @lezer/*, style-mod, crelt, "
    "w3c-keyname, @marijn/find-cluster-break; MIT, (c) Marijn Haverbeke and others), bundled by esbuild. */"
)


def _inputs_digest() -> str:
    h = hashlib.sha256()
    for f in sorted(SOURCE_DIR.rglob("*.js")) + [paths.ROOT / "package-lock.json", Path(__file__)]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def build() -> Path:
    """The bundle's path, (re)built with esbuild if its inputs changed."""
    stamp = OUT_DIR / "inputs.sha256"
    digest = _inputs_digest()
    if OUT.exists() and stamp.exists() and stamp.read_text() == digest:
        return OUT
    esbuild = paths.NODE_MODULES / ".bin" / "esbuild"
    if not esbuild.exists():
        raise RuntimeError("esbuild is missing: run `npm ci` (make setup) first")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(esbuild),
            str(ENTRY),
            "--bundle",
            "--format=esm",
            "--minify",
            "--target=es2020",
            "--legal-comments=eof",
            f"--banner:js={BANNER}",
            f"--outfile={OUT}",
            "--log-level=warning",
        ],
        check=True,
        cwd=paths.ROOT,
    )
    stamp.write_text(digest)
    return OUT


if __name__ == "__main__":
    out = build()
    print(f"{out.relative_to(paths.ROOT)}: {out.stat().st_size:,} bytes", file=sys.stderr)
