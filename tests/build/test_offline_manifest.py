"""The offline manifest (scripts/offline_manifest.py) against the built site: every entry exists,
every page is listed, the hashes are the files', and sw.js carries this build's version."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re

import pytest

from scripts import offline_manifest


@pytest.fixture(scope="module")
def manifest(site_dir):
    return json.loads((site_dir / offline_manifest.MANIFEST_NAME).read_text(encoding="utf-8"))


def _file(site_dir, url):
    return site_dir / (url + "index.html" if url == "" or url.endswith("/") else url)


def test_every_entry_exists_with_the_hash_of_its_bytes(site_dir, manifest):
    for root, files in manifest["editions"].items():
        assert files, f"edition {root!r} precaches nothing"
        for url, digest in files.items():
            f = _file(site_dir, url)
            assert f.is_file(), f"{root!r}: {url} is not in site/"
            assert hashlib.sha256(f.read_bytes()).hexdigest()[:16] == digest, url
    for url in manifest["lazy"]:
        assert (site_dir / url).is_file(), url
    for url, entry in manifest["runtime"].items():
        data = (site_dir / url).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"]), url


def test_every_page_of_each_edition_is_precached_by_that_edition(site_dir, manifest):
    roots = sorted(manifest["editions"], key=len, reverse=True)
    assert set(roots) == {"", "zh-Hant/"}
    pages = [p for p in site_dir.rglob("index.html") if not p.relative_to(site_dir).as_posix().startswith("assets/")]
    assert len(pages) >= 2 * 15
    for page in pages:
        rel = page.relative_to(site_dir).as_posix()
        url = rel[: -len("index.html")]
        root = next(r for r in roots if url.startswith(r))
        assert url in manifest["editions"][root], f"page {url!r} is not precached by edition {root!r}"


def test_the_precache_holds_no_runtime_no_maps_and_no_search_index(manifest):
    for files in manifest["editions"].values():
        for url in files:
            assert not url.endswith((".map", ".whl", ".wasm", ".pdf")), url
            assert not url.startswith(("pyodide/", "search/")) and "/search/" not in url, url
    # what the worker loads: the site's lock, the runtime, numpy and the demos wheel of each edition
    names = {posixpath.basename(url) for url in manifest["runtime"]}
    assert {"pyodide-lock.json", "pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip"} <= names
    assert sum(n.startswith("genai_course_demos") and n.endswith(".whl") for n in names) == 2
    assert "provenance.json" not in names


def test_sw_js_carries_this_builds_version_and_manifest(site_dir, manifest):
    text = (site_dir / offline_manifest.SW_NAME).read_text(encoding="utf-8")
    on_disk = offline_manifest.build(site_dir)
    version = re.search(r'^const VERSION = "([0-9a-f]{16})";', text, re.M)[1]
    assert version == manifest["version"] == offline_manifest.version(on_disk)
    embedded = json.loads(re.search(r"^const MANIFEST = (\{.*\});$", text, re.M)[1])
    assert embedded["runtime"] == on_disk["runtime"]
    assert {root: set(files) for root, files in embedded["editions"].items()} == {
        root: set(files) for root, files in on_disk["editions"].items()
    }


def test_each_editions_page_code_finds_the_one_worker_at_the_site_root(site_dir):
    for edition in ("", "zh-Hant/"):
        config = (site_dir / edition / "assets/js/offline/config.js").read_text(encoding="utf-8")
        sw = json.loads(config.split("export default ", 1)[1].rstrip().rstrip(";"))["sw"]
        resolved = posixpath.normpath(posixpath.join(edition, "assets/js/offline", sw))
        assert resolved == offline_manifest.SW_NAME, (edition, sw)
    assert not (site_dir / "assets/js/offline/sw.js").exists(), "the template is not served"


def test_a_template_without_its_placeholders_is_refused(monkeypatch, tmp_path):
    template = tmp_path / "sw.js"
    template.write_text("const VERSION = 'x';\n", encoding="utf-8")
    monkeypatch.setattr(offline_manifest, "TEMPLATE", template)
    with pytest.raises(ValueError, match="VERSION"):
        offline_manifest.render({"editions": {}, "lazy": [], "runtime": {}})
