"""Checks on the output of one strict build: demos resolved, Pyodide verified, search segmented,
anchors readable, and nothing that would make a reader's browser leave the site's origin."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import demos
from scripts import demo_bundle, paths, pyodide_assets, pyodide_imports
from scripts.editions import demos_variant

# numpy's extension modules only its own test suite imports, left out of the served wheel.
TEST_ONLY = tuple(
    f"numpy/_core/{m}.cpython-"
    for m in ("_operand_flag_tests", "_rational_tests", "_simd", "_struct_ufunc_tests", "_umath_tests")
)

CJK = re.compile(r"[\u4e00-\u9fff]")


class Collect(HTMLParser):
    """Every (tag, attrs) of a page."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path: Path):
    c = Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c.tags


@pytest.fixture(scope="module")
def pages(site_dir):
    return {p.relative_to(site_dir).as_posix(): parse(p) for p in site_dir.rglob("*.html")}


def test_strict_build_has_no_warnings(site_dir):
    log = (site_dir.parent / "build.log").read_text()
    assert "WARNING" not in log, log


def test_every_demo_block_resolves_and_has_its_fallback_figure(site_dir, pages):
    seen = set()
    for page, tags in pages.items():
        for tag, attrs in tags:
            if "data-demo" in attrs:
                assert attrs["data-demo"] in demos.names(), page
                seen.add(attrs["data-demo"])
            if tag == "img" and "figures/demo-" in attrs.get("src", ""):
                target = (site_dir / page).parent / attrs["src"]
                assert target.resolve().is_file(), f"{page}: {attrs['src']}"
    assert "text_continuation" in seen
    unused = set(demos.names()) - seen
    assert not unused, f"demos not embedded in any chapter: {unused}"


def test_pyodide_files_are_verified_and_minimal(site_dir):
    """The site's own lock: official entries for what the demos need, plus the demos wheel."""
    served = {p.name for p in (site_dir / "pyodide").iterdir()}
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    official = json.loads((paths.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"] == official["info"]
    wheels = {n for n in served if n.endswith(".whl")}
    by_file = {p["file_name"]: p for p in lock["packages"].values()}
    assert wheels == set(by_file), "the lock lists exactly the served wheels"
    for wheel in wheels:
        assert hashlib.sha256((site_dir / "pyodide" / wheel).read_bytes()).hexdigest() == by_file[wheel]["sha256"]
    provenance = json.loads((site_dir / "pyodide" / "provenance.json").read_text())
    for name, entry in lock["packages"].items():
        if name not in (demo_bundle.LOCK_NAME, demos_variant.LOCK_NAME):  # ours, checked below / in test_hant
            want = dict(official["packages"][name])
            if entry["file_name"] in provenance:  # byte-compiled: its own sha256, traced below
                want["sha256"] = provenance[entry["file_name"]]["sha256"]
            assert entry == want, f"{name}: not the official entry"
    assert any(w.startswith("numpy-2.0.2") for w in wheels)
    uses_mpl = any("matplotlib" in f.read_text() for f in paths.DEMOS.glob("*.py"))
    assert uses_mpl or not any(w.startswith("matplotlib") for w in wheels), "matplotlib shipped but unused"
    assert set(pyodide_assets.RUNTIME_FILES) <= served


def test_demos_wheel_is_in_the_lock_with_numpy_from_its_metadata(site_dir):
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"][demo_bundle.LOCK_NAME]
    assert entry["depends"] == ["numpy"] and entry["imports"] == ["demos"]
    wheel = zipfile.ZipFile(site_dir / "pyodide" / entry["file_name"])
    names = wheel.namelist()
    assert "demos/_runtime.py" in names and "demos/corpus/course_zh.txt" in names
    assert {f"demos/{d}.py" for d in demos.names()} <= set(names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "Requires-Dist: numpy" in wheel.read(metadata).decode()
    assert demo_bundle.source_digest() in entry["file_name"], "the wheel's name changes with the demos"


def test_every_compiled_file_traces_back_to_a_verified_official_file(site_dir):
    """provenance.json: each byte-compiled file served ← the official file it was compiled from,
    whose sha256 is the official lock's (wheels) or the npm package's (the stdlib zip)."""
    served = site_dir / "pyodide"
    provenance = json.loads((served / "provenance.json").read_text())
    official = json.loads((paths.NODE_MODULES / "pyodide" / "pyodide-lock.json").read_text())
    official_sha = {p["file_name"]: p["sha256"] for p in official["packages"].values()}
    npm = paths.NODE_MODULES / "pyodide"
    assert set(provenance) == {f for f in pyodide_assets.COMPILE if "." in f} | {
        official["packages"][n]["file_name"] for n in pyodide_assets.COMPILE if n in official["packages"]
    }
    for name, entry in provenance.items():
        data = (served / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        source = entry["compiled_from"]
        if name in official_sha:
            assert source["sha256"] == official_sha[name], name
        else:
            assert source["sha256"] == hashlib.sha256((npm / name).read_bytes()).hexdigest(), name
        archive = zipfile.ZipFile(served / name)
        members = archive.namelist()
        compiled = sorted(m[:-1] for m in members if m.endswith(".pyc"))
        assert len(compiled) == entry["compiled"] and not entry["kept_source"], name
        # Only the modules the site imports are compiled (measured: scripts/pyodide_imports.py) ...
        assert pyodide_assets.IMPORTED_ONLY and entry["selection"].startswith("the modules the site imports")
        package = next((n for n, p in official["packages"].items() if p["file_name"] == name), name)
        assert compiled == pyodide_imports.read()[package], name
        # ... and no module is dropped: every other one is served as its official source, byte for byte.
        origin = zipfile.ZipFile(npm / name if name not in official_sha else paths.pyodide_dist() / name)
        left = [m for m in members if m.endswith(".py")]
        assert len(left) == entry["left_as_source"] > 0, name
        sources = {m[:-1] if m.endswith(".pyc") else m for m in members}
        # Only what no import reads is left out (stubs, C headers): every module and data file is there.
        never = {
            m for m in origin.namelist() if m.endswith((".pyi", "py.typed", ".h", ".c", ".pxd", ".pyx", ".pc", ".ini"))
        }
        assert len(never) == entry["never_imported"], name
        # ... and numpy's extension modules only its (unshipped) test suite imports, which no
        # module in the wheel names.
        test_only = {m for m in origin.namelist() if m.startswith(TEST_ONLY)}
        assert len(test_only) == entry["test_only"] == (5 if package == "numpy" else 0), name
        named = [
            m
            for m in origin.namelist()
            if m.endswith(".py")
            and any(t.split("/")[-1].removesuffix(".cpython-").encode() in origin.read(m) for t in TEST_ONLY)
        ]
        assert not named, f"{name}: {named} import a module left out"
        kept = {m for m in origin.namelist() if not m.endswith("/")} - never - test_only
        assert sources == kept, f"{name}: modules dropped"
        assert not any(m.endswith((".so", ".py", "LICENSE.txt")) for m in never), name
        assert all(archive.read(m) == origin.read(m) for m in left), f"{name}: a source module changed"
        hosts = (str(paths.ROOT).encode(), str(paths.cache_dir()).encode())
        for member in (m for m in members if m.endswith(".pyc")):
            code = archive.read(member)
            assert not any(h in code for h in hosts), f"{name}/{member}: a host path in the bytecode"


def test_runtime_config_points_at_served_files(site_dir):
    text = (site_dir / "assets/js/runtime/config.js").read_text()
    config = json.loads(text[text.index("{") : text.rindex("}") + 1])
    here = site_dir / "assets/js/runtime"
    assert (here / config["pyodideBase"] / "pyodide.mjs").resolve().is_file()
    assert config["packages"] == [demo_bundle.LOCK_NAME] and config["extraWheels"] == []
    # What the worker fetches (not the scripts it imports, not the zh-Hant edition's wheel).
    fetched = [
        p
        for p in (site_dir / "pyodide").iterdir()
        if (p.suffix in (".wasm", ".zip", ".whl") or p.name == "pyodide-lock.json")
    ]
    hant = [p for p in fetched if p.name.startswith(demos_variant.DIST + "-")]  # the zh-Hant edition's
    assert len(hant) == 1 and config["downloadBytes"] == sum(p.stat().st_size for p in fetched) - hant[0].stat().st_size
    assert not list(site_dir.rglob("*.zip")) or {p.name for p in site_dir.rglob("*.zip")} == {"python_stdlib.zip"}


def test_search_index_is_segmented_with_the_course_terms(site_dir):
    index = json.loads((site_dir / "search/search_index.json").read_text())
    text = " ".join(d["text"] for d in index["docs"])
    assert "\u200b" in text, "jieba did not run: Chinese is not segmented"
    tokens = set(re.split(index["config"]["separator"], text))
    for term in ("文字接龙", "语言模型"):
        assert term in tokens, f"{term} is not one search token"


def test_section_anchors_keep_their_chinese_words(pages):
    ids = [
        a["id"]
        for page, tags in pages.items()
        if page != "404.html"
        for tag, a in tags
        if tag in ("h2", "h3") and "id" in a
    ]
    assert ids and not [i for i in ids if re.fullmatch(r"_\d+", i)]
    assert sum(bool(CJK.search(i)) for i in ids) > len(ids) / 2
    intro_ids = {a.get("id") for tag, a in pages["01-intro/index.html"]}
    assert "动手试试" in intro_ids and "自我检测" in intro_ids


def _requests_of(tags):
    """URLs a browser fetches by itself when it renders the page (not links a reader clicks)."""
    for tag, a in tags:
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            yield a["src"]
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate"):
            yield a["href"]


def test_no_page_requests_another_origin(pages):
    for page, tags in pages.items():
        for url in _requests_of(tags):
            assert not re.match(r"^(?:[a-z]+:)?//", url), f"{page} loads {url}"
        assert not any("mermaid" in a.get("class", "") for _, a in tags), "mermaid would load from unpkg"


def test_stylesheets_and_vendor_files_are_local(site_dir):
    for css in site_dir.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(errors="replace")):
            assert not re.match(r"^['\"]?(?:https?:)?//", url), f"{css.name}: {url}"
    katex = site_dir / "assets/vendor/katex"
    assert (katex / "katex.min.css").is_file() and list((katex / "fonts").glob("*.woff2"))


def test_math_is_rendered_at_build_time(site_dir):
    html = (site_dir / "01-intro/index.html").read_text(encoding="utf-8")
    assert html.count('class="katex"') >= 5
    assert "<math" in html, "MathML for screen readers"
    assert not re.search(r'class="arithmatex">\\[(\[]', html), "TeX left for the browser"
    assert not list(site_dir.rglob("katex*.js")), "no KaTeX JavaScript is shipped"


def test_cdn_switch_is_one_config_value(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.chdir(paths.ROOT)
    cdn = "https://cdn.jsdelivr.net/pyodide/v{version}/full/"
    config = load_config(str(paths.ROOT / "mkdocs.yml"), site_dir=str(tmp_path), extra={"pyodide_base_url": cdn})
    build(config)
    text = (tmp_path / "assets/js/runtime/config.js").read_text()
    assert f"https://cdn.jsdelivr.net/pyodide/v{paths.pyodide_version()}/full/" in text
    assert not (tmp_path / "pyodide").exists()
    wheel = next((tmp_path / "demos").glob("*.whl"))  # the CDN cannot serve our demos: the site does
    assert f'"../../../demos/{wheel.name}"' in text
