"""The code editor's bundle: built from node_modules by esbuild, served from the site, self-contained."""

from __future__ import annotations

import re

from scripts import editor_bundle


def test_the_site_serves_one_self_contained_editor_module(site_dir):
    bundle = site_dir / editor_bundle.SITE_PATH
    text = bundle.read_text(encoding="utf-8")
    assert "createEditor" in text
    # No bare npm specifiers and no other file to fetch: one module, nothing from elsewhere.
    assert not re.search(r"""\bimport\s*(?:[\w{}*,\s]+from\s*)?["'](?!\.)""", text)
    assert not re.search(r"""\bimport\(\s*["']""", text)
    assert not re.search(r"https?://(?!www\.w3\.org/)", text)
    assert text.startswith("/*! Code editor") and "MIT" in text.splitlines()[0], "credit the MIT packages"
    assert not (site_dir / "assets/js/editor").exists(), "the unbundled source is not served"


def test_the_bundle_is_rebuilt_only_when_its_inputs_change():
    first = editor_bundle.build()
    mtime = first.stat().st_mtime_ns
    assert editor_bundle.build().stat().st_mtime_ns == mtime
