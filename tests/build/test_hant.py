"""The zh-Hant edition in the one strict build (site/zh-Hant/): every page has its twin,
nothing is left Simplified, the course's terms are there, no doubled terms, search segments
Traditional text, and the runtime files point at the right places."""

from __future__ import annotations

import hashlib
import html
import json
import re
import zipfile

import pytest
import yaml

import demos
from scripts import demo_bundle, paths
from scripts.editions import demos_variant
from scripts.editions.convert import convert, table
from tests.build.hant_checks import simplified_left

HANT = "zh-Hant"
DOUBLED = re.compile(r"([\u3400-\u9fff]{2,})\**（[^（）]*(?:課程中稱|课程中称|中國大陸常稱)「\1」）")


def _text(page_html: str) -> str:
    """What a reader reads: no scripts, no language menu (its 简体中文 is the other edition's name)."""
    t = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S)
    t = re.sub(r'<div class="md-select">.*?</ul>', " ", t, flags=re.S)
    t = re.sub(r'<details class="demo__code">.*?</details>', " ", t, flags=re.S)
    alts = " ".join(re.findall(r'\balt="([^"]*)"', t))  # figures' descriptions are text too
    return html.unescape(re.sub(r"<[^>]+>", "", t) + " " + alts)


@pytest.fixture(scope="module")
def hant(site_dir):
    root = site_dir / HANT
    assert (root / "index.html").is_file(), "the zh-Hant edition was not built"
    return root


def _pages(root, skip=()):
    return {
        p.relative_to(root).as_posix(): p
        for p in root.rglob("*.html")
        if not p.relative_to(root).as_posix().startswith(skip)
    }


def test_every_simplified_page_has_its_twin(site_dir, hant):
    hans = _pages(site_dir, skip=(HANT + "/",))
    twins = _pages(hant)
    assert hans.keys() == twins.keys()
    for page, path in hans.items():  # same structure: the language switch maps sections by position
        heads = re.findall(r"<h[1-4] id=", path.read_text(encoding="utf-8"))
        assert len(heads) == len(re.findall(r"<h[1-4] id=", twins[page].read_text(encoding="utf-8"))), page


def test_theme_language_nav_and_admonitions_are_traditional(hant):
    page = (hant / "04-finetuning/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in page  # the script, as the language menu says (overrides/partials/language.html)
    assert "本章要點" in page and "本章要点" not in page
    assert "語言模型是怎樣煉成的" in page  # a nav section
    assert 'hreflang="zh-Hans"' in page and 'hreflang="zh-Hant"' in page


def test_no_simplified_characters_left(hant):
    for page, path in _pages(hant).items():
        left = simplified_left(_text(path.read_text(encoding="utf-8")))
        assert not left, f"{page}: {''.join(sorted(left))}"


def test_every_glossary_course_term_is_in_its_chapter(hant):
    missing = []
    for e in yaml.safe_load((paths.DOCS / "glossary.yml").read_text(encoding="utf-8")):
        for chapter in e["chapters"]:
            text = _text((hant / chapter.removesuffix(".md") / "index.html").read_text(encoding="utf-8"))
            if convert(e["course"]) not in text and convert(e["term"]) not in text:
                missing.append(f"{chapter}: {e['course']}")
    assert not missing


def test_glossary_shows_the_edition_term_and_the_mainland_one(site_dir, hant):
    page = (hant / "glossary/index.html").read_text(encoding="utf-8")
    assert "本版用語" in page and "<strong>自督導式學習</strong>" in page and "自監督學習" in page
    hans = (site_dir / "glossary/index.html").read_text(encoding="utf-8")
    assert "繁体版用语" in hans and '<span lang="zh-Hant">自督導式學習</span>' in hans


def doubled(text: str) -> list[str]:
    """「X（…課程中稱「X」）」 spans, unless X is only the tail of a longer term (浮水印 … 「水印」)."""
    longer = [w for w in table().values() if len(w) > 2]
    out = []
    for m in DOUBLED.finditer(text):
        before = text[max(0, m.start() - 8) : m.start() + len(m.group(1))]
        if not any(len(w) > len(m.group(1)) and before.endswith(w) for w in longer):
            out.append(m.group(0))
    return out


def test_no_doubled_terms_in_either_edition(site_dir):
    assert doubled("自督導式學習（課程中稱「自督導式學習」）") and not doubled("浮水印（中國大陸常稱「水印」）")
    for path in site_dir.rglob("*.html"):
        found = doubled(_text(path.read_text(encoding="utf-8")))
        assert not found, f"{path.relative_to(site_dir)}: {found}"


def test_course_term_with_english_and_mainland_note(hant):
    text = _text((hant / "04-finetuning/index.html").read_text(encoding="utf-8"))
    assert "自督導式學習（self-supervised learning；中國大陸常稱「自監督學習」）" in text
    assert "[[" not in text


def test_rows_columns_and_metres_read_the_taiwanese_way(hant):
    """Taiwan says 列 for a row and 行 for a column (the mainland the reverse); a line of code stays 行."""

    def page(name):
        return _text((hant / name / "index.html").read_text(encoding="utf-8"))

    ch3, ch5 = page("03-transformer"), page("05-prompting")
    assert "熱力圖的每一列" in ch3 and "第 6 列和第 9 列" in ch3 and "熱力圖的每一行" not in ch3
    assert "最後一行的差" in ch5 and "寫對一行程式碼" in ch5  # a table's last column; a line of code
    assert "3,952 公尺" in page("11-agents")
    assert "列和都是 1" in (hant / "figures/ch03-causal-mask.svg").read_text(encoding="utf-8")
    assert '"列＼行"' in (hant / "assets/js/render/heatmap.js").read_text(encoding="utf-8")


def test_search_index_is_segmented_in_traditional(hant):
    index = json.loads((hant / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"])
    tokens = set(re.split(index["config"]["separator"], text))
    for word in ("擴散", "雜訊", "增強式學習", "自督導式學習", "文字接龍"):
        assert word in tokens, f"{word} is not one search token"


def test_runtime_config_shares_pyodide_and_loads_its_wheel_from_the_lock(site_dir, hant):
    """The zh-Hant worker starts the Simplified edition's Pyodide and loads its own demos wheel by
    name from the same lock (so with checkIntegrity): the lock's sha256 is the served file's."""
    text = (hant / "assets/js/runtime/config.js").read_text()
    config = json.loads(text[text.index("{") : text.rindex("}") + 1])
    shared = ((hant / "assets/js/runtime") / config["pyodideBase"]).resolve()
    assert shared == (site_dir / "pyodide").resolve()
    assert not (hant / "pyodide").exists() and not list(hant.rglob("*.whl")), "Pyodide is served once"
    assert config["packages"] == [demos_variant.LOCK_NAME] and config["extraWheels"] == []
    lock = json.loads((shared / "pyodide-lock.json").read_text())
    entry, hans = lock["packages"][demos_variant.LOCK_NAME], lock["packages"][demo_bundle.LOCK_NAME]
    wheel = shared / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert entry["file_name"] == demos_variant.variant_wheel()[1] != hans["file_name"]
    assert entry["depends"] == ["numpy"] and entry["imports"] == ["demos"]
    served = [
        p
        for p in shared.iterdir()
        if (p.suffix in (".wasm", ".zip", ".whl") or p.name == "pyodide-lock.json") and p.name != hans["file_name"]
    ]
    assert config["downloadBytes"] == sum(p.stat().st_size for p in served)
    z = zipfile.ZipFile(wheel)
    assert {f"demos/{d}.py" for d in demos.names()} | {"demos/_runtime.py"} <= set(z.namelist())
    corpus = z.read("demos/corpus/course_zh.txt").decode()
    assert "語言模型" in corpus and not simplified_left(corpus)
    metadata = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    assert f"Name: {demos_variant.DIST}\n" in z.read(metadata).decode()


def test_every_zh_hant_page_shows_its_last_update(site_dir, hant):
    """「最後更新」 (git-revision-date-localized) on every zh-Hant page whose twin has one: the same date."""
    dated = re.compile(r'title="(最[后後]更新)">.*?</span>\s*(<span class="git-revision-date[^>]*>[^<]+</span>)', re.S)
    hans, twins = _pages(site_dir, skip=(HANT + "/",)), _pages(hant)
    checked = 0
    for page, path in hans.items():
        want = dated.search(path.read_text(encoding="utf-8"))
        if want is None:
            continue
        got = dated.search(twins[page].read_text(encoding="utf-8"))
        assert got is not None, f"{page}: no 最後更新"
        assert got.groups() == ("最後更新", want.group(2)), page
        checked += 1
    assert checked >= len(list(paths.DOCS.glob("[0-9][0-9]-*.md"))), "every chapter is dated"


def test_every_js_string_literal_is_traditional(hant):
    from scripts.editions.jsstrings import string_literals

    scripts = [p for p in (hant / "assets/js").rglob("*.js") if p.name != "config.js"]
    assert len(scripts) > 5
    for path in scripts:
        for literal in string_literals(path.read_text(encoding="utf-8")):
            assert not simplified_left(literal), f"{path.relative_to(hant)}: {literal}"


def test_ui_strings_and_figures_are_converted(hant):
    block = (hant / "assets/js/demo-block.js").read_text(encoding="utf-8")
    src = (paths.ASSETS / "js/demo-block.js").read_text(encoding="utf-8")
    from scripts.editions.jsstrings import string_literals

    # compared as literal texts: the served file is minified (quotes and joins may differ)
    literals = [t for t in string_literals(src) if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(literals) > 5, "demo-block.js has no Chinese string literal to check"
    served = set(string_literals(block))
    for lit in literals:
        assert convert(lit) in served or convert(lit) in block, lit
    svgs = list((hant / "figures").glob("*.svg"))
    assert svgs and all(not simplified_left(s.read_text(encoding="utf-8")) for s in svgs)


def test_the_description_names_its_own_script(hant):
    """The site description (used where a page has none of its own, e.g. 404) says 繁體中文 here."""
    page = (hant / "404.html").read_text(encoding="utf-8")
    description = re.search(r'<meta name="description" content="([^"]*)"', page)[1]
    assert "繁體中文" in description and "簡體中文" not in description, description


def test_sentences_about_the_edition_are_its_own(site_dir, hant):
    """The home page's and the glossary's words about which terms the text uses come from the
    edition's own block (scripts/editions/markdown.py), not from converting the other's."""
    for name, hans_says, hant_says in [
        ("index.html", "正文采用大陆通行的术语", "本版由簡體版轉換而來，正文改用課程裡的台灣說法"),
        ("glossary/index.html", "本站的读者大多更熟悉大陆的说法", "本版正文採用課程裡的說法"),
    ]:
        hans_text = _text((site_dir / name).read_text(encoding="utf-8"))
        hant_text = _text((hant / name).read_text(encoding="utf-8"))
        assert hans_says in hans_text and "本版" not in hans_text, name
        assert hant_says in hant_text and convert(hans_says) not in hant_text, name
    for page in [*site_dir.glob("**/*.html")]:
        assert "edition:" not in page.read_text(encoding="utf-8"), f"{page}: an edition marker was left in"
