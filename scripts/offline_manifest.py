"""Offline after one visit: the service worker's manifest, written into the built site.

Run by ``scripts/hooks.py`` after both editions are built (``on_post_build``), on the finished
``site/`` folder, so it lists exactly what was written (and can be re-run on a copy, as the
tests do to make "a new build"). It writes two files at the site root:

* ``offline-manifest.json``: for each edition (``""``, ``"zh-Hant/"``), the files precached on
  a first visit (pages, styles, scripts, figures, fonts) with a short content hash each; the
  files cached only when first used (search, the code editor); and the Pyodide files (the lock,
  the runtime, the wheels the demos load, the demos wheel of each edition) with their sha256 and
  size, cached only after a run or the reader's 「离线可用」.
* ``sw.js``: ``assets/js/offline/sw.js`` with the build version (a hash of the manifest) and
  the manifest filled in. A new deploy changes a file, so the manifest, so ``sw.js``: the
  browser installs a new worker.

With a CDN base for Pyodide (``extra.pyodide_base_url``) there is no ``pyodide/`` folder: the
runtime list holds only the demos wheel the site serves itself; the CDN's files are the
browser's business.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from scripts import paths

TEMPLATE = paths.ASSETS / "js" / "offline" / "sw.js"
SW_NAME = "sw.js"
MANIFEST_NAME = "offline-manifest.json"

# Cached when first used, never precached: the search index with lunr's languages and the code
# editor's bundle are fetched only when a reader opens them (README 「离线」). Material's search
# worker script starts on every page: it is precached.
LAZY = re.compile(r"^(search/search_index\.json|assets/javascripts/lunr/.*|assets/vendor/editor/.*)$")
# Never cached: source maps, the gzip sitemap, the book PDF (linked for download), the
# template of this worker, and the runtime (its own list).
SKIP = re.compile(r"(\.map|\.gz|\.pdf)$|^(sw\.js|offline-manifest\.json|assets/js/offline/sw\.js)$|^(pyodide|demos)/")
RUNTIME_SKIP = {"provenance.json"}  # build-time record: the worker never fetches it


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def editions(site: Path) -> list[str]:
    """Edition roots relative to the site root: "" and every sub-folder with its own sitemap (zh-Hant/)."""
    roots = [""]
    roots += sorted(f"{p.parent.name}/" for p in site.glob("*/sitemap.xml"))
    return roots


def _url(rel: str) -> str:
    """A file's URL relative to the site root: a page is its folder ("03-transformer/", "")."""
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def build(site: Path) -> dict:
    """The manifest of the built site in ``site``."""
    roots = editions(site)
    others = [r for r in roots if r]
    manifest: dict = {"editions": {}, "lazy": [], "runtime": {}}
    for root in roots:
        precache = {}
        for f in sorted((site / root).rglob("*") if root else site.rglob("*")):
            rel_site = f.relative_to(site).as_posix()
            rel = rel_site[len(root) :]
            if not f.is_file() or (not root and any(rel_site.startswith(o) for o in others)):
                continue
            if rel.startswith(("pyodide/", "demos/")) and rel.endswith(
                (".whl", ".json", ".mjs", ".js", ".wasm", ".zip")
            ):
                if f.name not in RUNTIME_SKIP:
                    data = f.read_bytes()
                    manifest["runtime"][rel_site] = {"sha256": _hash(data), "size": len(data)}
                continue
            if SKIP.search(rel):
                continue
            if LAZY.match(rel):
                manifest["lazy"].append(rel_site)
                continue
            precache[_url(rel_site)] = _hash(f.read_bytes())[:16]
        manifest["editions"][root] = precache
    # Material reads every edition's sitemap (the language menu's links): each edition gets all.
    maps = [site / root / "sitemap.xml" for root in roots]
    sitemaps = {f.relative_to(site).as_posix(): _hash(f.read_bytes())[:16] for f in maps if f.is_file()}
    for precache in manifest["editions"].values():
        precache.update(sitemaps)
    return manifest


def version(manifest: dict) -> str:
    """The build version: a hash of the manifest's contents (so of every listed file's bytes)."""
    return _hash(json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode())[:16]


def render(manifest: dict) -> str:
    """sw.js: the template with this build's version and manifest in place of the placeholders."""
    text = TEMPLATE.read_text(encoding="utf-8")
    slim = {
        "editions": {root: sorted(files) for root, files in manifest["editions"].items()},
        "lazy": manifest["lazy"],
        "runtime": manifest["runtime"],
    }
    text, n_version = re.subn(
        r'^const VERSION = "[^"\n]*";', f'const VERSION = "{version(manifest)}";', text, flags=re.M
    )
    text, n_manifest = re.subn(
        r"^const MANIFEST = \{[^\n]*\};",
        lambda _m: f"const MANIFEST = {json.dumps(slim, ensure_ascii=False, separators=(',', ':'))};",
        text,
        flags=re.M,
    )
    if (n_version, n_manifest) != (1, 1):
        raise ValueError(f"{TEMPLATE}: expected one VERSION and one MANIFEST line, found {n_version} and {n_manifest}")
    return "// Generated by scripts/offline_manifest.py from assets/js/offline/sw.js.\n" + text


def sizes(site: Path, manifest: dict) -> dict:
    """Bytes a reader downloads: each edition's precache (gzip level 6, as hosts serve text) and the runtime."""
    out = {}
    for root, files in manifest["editions"].items():
        total = 0
        for url in files:
            f = site / (url + "index.html" if url == "" or url.endswith("/") else url)
            data = f.read_bytes()
            total += len(data) if f.suffix in (".woff2", ".png", ".jpg", ".webp") else len(gzip.compress(data, 6))
        out[f"precache {root or '(简体)'}"] = total
    out["runtime"] = sum(entry["size"] for entry in manifest["runtime"].values())
    return out


def write(site: Path) -> dict:
    """Write offline-manifest.json and sw.js into the built site; return the manifest."""
    site = Path(site)
    manifest = build(site)
    (site / MANIFEST_NAME).write_text(
        json.dumps({"version": version(manifest), **manifest}, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (site / SW_NAME).write_text(render(manifest), encoding="utf-8")
    return manifest


if __name__ == "__main__":  # python -m scripts.offline_manifest site/: the sizes README quotes
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    found = build(folder)
    for name, size in sizes(folder, found).items():
        print(f"{name}: {size / 1024:.1f} KB")
    print("files per edition:", {root: len(files) for root, files in found["editions"].items()})
