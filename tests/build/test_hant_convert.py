"""The zh-Hant converter, the term syntax, its migration, and the JS/SVG conversions (no build)."""

from __future__ import annotations

import re

import pytest

from scripts import paths
from scripts.editions import migrate_terms
from scripts.editions.convert import convert, mainland, plain, read_phrases, table
from scripts.editions.jsstrings import convert_js
from scripts.editions.markdown import to_hant
from scripts.editions.site import convert_svg
from scripts.editions.terms import render_hans

DOUBLED = re.compile(r"([\u3400-\u9fff]{2,})\**（[^（）]*(?:課程中稱|课程中称|中國大陸常稱)「\1」）")


@pytest.mark.parametrize(
    "hans, hant",
    [
        ("数据", "資料"),  # s2twp's Taiwanese phrases
        ("视频", "影片"),
        ("优化", "最佳化"),
        ("软件", "軟體"),
        ("噪声", "雜訊"),  # the glossary's course terms win
        ("自监督学习", "自督導式學習"),
        ("神经网络", "類神經網路"),
        ("类神经网络", "類神經網路"),
        ("强化学习", "增強式學習"),
        ("模型参数", "模型參數"),  # phrases.tsv
        ("许多任务", "許多任務"),
        ("文本里", "文本裡"),
        ("「台湾」", "「台灣」"),  # quotation marks stay 「」
    ],
)
def test_converter(hans, hant):
    assert convert(hans) == hant


def test_phrase_table_lines_are_justified_and_not_noops():
    rows = read_phrases()
    assert rows
    keys = [*table(), *(src for src, _, _ in rows)]  # a line may shield a word from a glossary entry too
    for src, dst, why in rows:
        assert len(why) > 10, src
        if dst == "-" or dst == src or plain(src) != dst:
            continue
        # OpenCC gets the word alone right: the line must shield a longer word in the table, or
        # name a context (a Chinese run in the reason) where OpenCC gets it wrong
        shields = any(k != src and k in src for k in keys)
        contexts = [w for w in re.findall(r"[\u3400-\u9fff]+", why) if src in w and w != src]
        assert shields or any(dst not in plain(w) for w in contexts), f"{src}: OpenCC already gives {dst}"


def test_mainland_note_uses_characters_only():
    assert mainland("自监督学习") == "自監督學習"
    assert convert("自监督学习") != mainland("自监督学习")


@pytest.mark.parametrize(
    "source, hans, hant",
    [
        (
            "[[**自监督学习**|自督导式学习|self-supervised learning]]",
            "**自监督学习**（课程中称「自督导式学习」，self-supervised learning）",
            "**自督導式學習**（self-supervised learning；中國大陸常稱「自監督學習」）",
        ),
        (
            "[[训练数据|training data|训练资料]]",
            "训练数据（training data；课程中称「训练资料」）",
            "訓練資料（training data；中國大陸常稱「訓練數據」）",
        ),
        (
            "[[自回归生成|各个击破|autoregressive generation]]",
            "自回归生成（课程中称「各个击破」，autoregressive generation）",
            "自迴歸生成（autoregressive generation；課程中稱「各個擊破」）",
        ),
    ],
)
def test_term_syntax_in_both_editions(source, hans, hant):
    assert render_hans(source) == hans
    assert to_hant(source) == hant


def test_mainland_term_noted_once_a_page_and_never_doubled():
    text = "[[噪声|杂讯|noise]]……[[噪声|杂讯|noise]]"
    out = to_hant(text)
    assert out.count("中國大陸常稱「噪聲」") == 1
    assert not DOUBLED.search(out)


def test_fences_keep_demo_bodies_and_convert_code():
    text = "```demo\nname: text_continuation\nprompt: 台湾最高的山是\n```\n\n```python\nx = '数据'\n```\n数据"
    out = to_hant(text)
    assert "prompt: 台湾最高的山是" in out and "x = '資料'" in out and out.endswith("資料")


def test_migration_round_trips_and_is_idempotent():
    known = migrate_terms._known_terms()
    old = (
        "准备一批成对的**数据**（课程中称「资料」，data），交给同一个神经网络（课程中称「类神经网络」，neural network）。"
        "训练数据（training data；课程中称「训练资料」）。人类反馈（课程中称「人类回馈」，human feedback）。推理（inference；课程中称「推论」，也常说「测试」）"
    )
    new = migrate_terms.migrate_text(old, known)
    assert "[[**数据**|资料|data]]" in new and "同一个[[神经网络|类神经网络|neural network]]" in new
    assert "[[训练数据|training data|训练资料]]" in new and "[[人类反馈|人类回馈|human feedback]]" in new
    assert render_hans(new) == old
    assert migrate_terms.migrate_text(new, known) == new
    assert "也常说" in "".join(migrate_terms.leftovers(paths.DOCS / "x.md", new))


def test_docs_use_the_syntax_not_the_old_pattern():
    left = [
        line
        for md in sorted(paths.DOCS.glob("*.md"))
        for line in migrate_terms.leftovers(md, md.read_text(encoding="utf-8"))
        if migrate_terms.COURSE_FIRST.search(line) or migrate_terms.EN_FIRST.search(line)
    ]
    assert not left, "run python -m scripts.editions.migrate_terms"


def test_js_strings_converted_code_comments_and_regexes_not():
    src = (
        "// 运行 note\nconst a = '运行', b = \"数据\";\nconst r = /[运行]+/g; const d = x / 2 / y;\n"
        "const t = `第 ${n} 个${`网络`}`; /* 数据 */ el.textContent = a ? '停止' : '复制链接';\n"
    )
    out = convert_js(src)
    assert "// 运行 note" in out and "/* 数据 */" in out and "/[运行]+/g" in out and "x / 2 / y" in out
    assert "'執行'" in out and '"資料"' in out and "`第 ${n} 個${`網路`}`" in out and "'複製連結'" in out


def test_svg_text_converted_shapes_kept():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/><text x="1">数据量</text></svg>'
    out = convert_svg(svg)
    assert "資料量" in out and 'd="M0 0"' in out


def test_table_is_built_from_the_glossary():
    assert table()["自监督学习"] == "自督導式學習"


def test_the_edition_is_built_only_where_the_language_menu_offers_it():
    from types import SimpleNamespace

    from scripts.editions.site import wanted

    menu = [{"lang": "zh-Hans", "link": "./"}, {"lang": "zh-Hant", "link": "zh-Hant/"}]
    assert wanted(SimpleNamespace(extra={"alternate": menu}))
    assert not wanted(SimpleNamespace(extra={"alternate": menu, "edition": "zh-Hant"}))
    assert not wanted(SimpleNamespace(extra={"pyodide_base_url": "https://cdn.example/"}))


def test_hand_written_glosses_that_double_in_zh_hant_are_listed():
    text = "按数据（资料，data）流过，程序（程式，program）直译，[[数据|资料|data]]，模型（model）。"
    found = migrate_terms.doubled_in_hant(paths.DOCS / "x.md", text)
    assert [f.split(": ", 1)[1] for f in found] == ["数据（资料，", "程序（程式，"]
