"""The zh-Hant converter, the term syntax, its migration, and the JS/SVG conversions (no build)."""

from __future__ import annotations

import re

import pytest

from scripts import paths
from scripts.editions import migrate_terms
from scripts.editions.convert import convert, mainland, plain, read_phrases, table
from scripts.editions.jsstrings import convert_js
from scripts.editions.markdown import for_edition, to_hant
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
        ("查看表格中", "查看表格中"),  # not 看錶 (a watch)
        ("看表情符号猜电影名", "看表情符號猜電影名"),
        # rows and columns: mainland 行 = row, 列 = column; Taiwan 列 = row, 行 = column
        (
            "热力图的每一行是一个字分出去的注意力。第 1 行只有第一格是 1.00",
            "熱力圖的每一列是一個字分出去的注意力。第 1 列只有第一格是 1.00",
        ),
        ("把任意一行的数字加起来", "把任意一列的數字加起來"),
        ("但请盯住最后一行：", "但請盯住最後一列："),
        ("第 6 行和第 9 行也完全相同", "第 6 列和第 9 列也完全相同"),
        (
            "模型里有一张大矩阵，行数等于词表大小，第 $i$ 行就是编号 $i$ 的向量",
            "模型裡有一張大矩陣，列數等於詞表大小，第 $i$ 列就是編號 $i$ 的向量",
        ),
        ("第 $i$ 行前 $i$ 格都是 $1/i$（第 3 行是", "第 $i$ 列前 $i$ 格都是 $1/i$（第 3 列是"),
        ("所以第 3 行的三个分数相等。第 2 行则是", "所以第 3 列的三個分數相等。第 2 列則是"),
        ("它那一行都一样", "它那一列都一樣"),
        ("只需要为它算一行新的分数", "只需要為它算一列新的分數"),
        ("每一行是一个字分出去的注意力，行和都是 1", "每一列是一個字分出去的注意力，列和都是 1"),
        ("第 1 个头的注意力权重（每行之和为 1）", "第 1 個頭的注意力權重（每列之和為 1）"),
        ("「你的选择」一行的预测损失", "「你的選擇」一列的預測損失"),
        ("表格里 Gopher、Chinchilla 两行就是", "表格裡 Gopher、Chinchilla 兩列就是"),
        ("表格最后一行是同样的秩下", "表格最後一列是同樣的秩下"),
        ("**盯着「只调偏置」那一行。**", "**盯著「只調偏置」那一列。**"),
        ("「生成时的前 12 步」表第一行的「加偏置后」", "「生成時的前 12 步」表第一列的「加偏置後」"),
        ("表格里 $K = 2$ 一行约", "表格裡 $K = 2$ 一列約"),
        ("大模型调用一行是逐字生成需要的次数；α 一行是", "大模型呼叫一列是逐字生成需要的次數；α 一列是"),
        ("的平均；最后两行把 β", "的平均；最後兩列把 β"),
        ("softmax 前每行减去该行最大值", "softmax 前每列減去該列最大值"),
        ("的矩阵（每行一帧），", "的矩陣（每列一幀），"),
        ("（共 16 行，仅显示前 12 行）", "（共 16 列，僅顯示前 12 列）"),
        (" 行 × ", " 列 × "),  # heatmap.js: `${R} 行 × ${C} 列，没有数值。`, converted piece by piece
        (" 列，没有数值。", " 行，沒有數值。"),
        (" 列；最大：", " 行；最大："),
        ('"行＼列"', '"列＼行"'),
        ("两列数字相同，最后一列的差", "兩行數字相同，最後一行的差"),
        ("表格里「差」一列全部", "表格裡「差」一行全部"),
        ("对比真实概率和 MP 那一列：", "對比真實機率和 MP 那一行："),
        ("看表格的第一列。再看后两列。这一列才反映", "看表格的第一行。再看後兩行。這一行才反映"),
        ("给 H 加一列 1，忘了那一列 1", "給 H 加一行 1，忘了那一行 1"),
        ("第 $q$ 列是第 $q$ 层选中的编号", "第 $q$ 行是第 $q$ 層選中的編號"),
        # 米 as the metre
        ("玉山和雪山哪座更高？高多少米？", "玉山和雪山哪座更高？高多少公尺？"),
        ("海拔约 3,952 米……海拔约 3,886 米……约高 66 米]", "海拔約 3,952 公尺……海拔約 3,886 公尺……約高 66 公尺]"),
        ("海拔将近四千米。", "海拔將近四千公尺。"),
    ],
)
def test_converter(hans, hant):
    assert convert(hans) == hant


@pytest.mark.parametrize(
    "hans, hant",
    [
        ("模型只需要写对一行代码。", "模型只需要寫對一行程式碼。"),  # a line of code stays 行
        ("最后一行写『答案：』和金额", "最後一行寫『答案：』和金額"),  # a line of text
        ("请保留 def f(…) 这一行。", "請保留 def f(…) 這一行。"),
        (" 行：", " 行："),  # f"第 {line} 行：", a line of the reader's code, converted piece by piece
        ("论文里那行著名的式子", "論文裡那行著名的式子"),
        ("以 # 开头的行是注释。一行一句，逐行核对", "以 # 開頭的行是註釋。一行一句，逐行核對"),
        ("执行、进行、运行和调试、行为、银行、流行", "執行、進行、執行和除錯、行為、銀行、流行"),
        ("序列、列表、一一列出、并列第一、系列、排列", "序列、串列、一一列出、並列第一、系列、排列"),
        ("雅可比行列式", "雅可比行列式"),  # the determinant is 行列式 in Taiwan too
        ("玉米、纳米、米饭", "玉米、奈米、米飯"),  # 米 outside a length
    ],
)
def test_lines_lists_and_other_words_keep_their_characters(hans, hant):
    assert convert(hans) == hant


def test_row_and_column_entries_do_not_feed_each_other():
    """行→列 and 列→行 run in one pass: every swap entry, all in one text, gives each its own result."""
    swaps = [(s, d) for s, d in table().items() if ("行" in s and "列" in d) or ("列" in s and "行" in d)]
    assert len(swaps) > 20
    assert convert("。".join(s for s, _ in swaps)) == "。".join(d for _, d in swaps)
    assert convert("每一行的两列") == "每一列的兩行"


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


EDITION_PAGE = """# 术语

<!-- edition: zh-Hans -->
正文采用大陆通行的术语：[[噪声|杂讯|noise]]。
<!-- edition: zh-Hant -->
本版正文採用課程的說法：雜訊。
<!-- edition: end -->

[[噪声|杂讯|noise]]会越加越多。

    <!-- edition: zh-Hant -->
    縮排的區塊也行。
    <!-- edition: zh-Hans -->
    缩进的块也行。
    <!-- edition: end -->"""


def test_each_edition_keeps_its_own_blocks_and_no_marker():
    hans = for_edition(EDITION_PAGE, "zh-Hans")
    assert "正文采用大陆通行的术语" in hans and "    缩进的块也行。" in hans
    assert "本版" not in hans and "縮排" not in hans and "edition:" not in hans
    hant = to_hant(EDITION_PAGE)
    assert "本版正文採用課程的說法：雜訊。" in hant and "    縮排的區塊也行。" in hant
    assert "大陸通行" not in hant and "縮進" not in hant and "edition:" not in hant
    # The zh-Hant block is not converted, and the mainland term is still noted once: in the first
    # converted span, which now comes after the block.
    assert hant.count("中國大陸常稱「噪聲」") == 1 and "雜訊（noise；中國大陸常稱「噪聲」）會越加越多" in hant


def test_a_page_without_blocks_is_unchanged_for_the_simplified_edition():
    text = "# 标题\n\n<!-- 普通注释 -->\n正文。\n"
    assert for_edition(text, "zh-Hans") == text


@pytest.mark.parametrize(
    "text, message",
    [
        ("a\n<!-- edition: zh-Hant -->\nb", "zh-Hant block is not closed"),
        ("a\n<!-- edition: end -->", "line 2: <!-- edition: end --> without an open edition block"),
        ("<!-- edition: zh-TW -->\nb\n<!-- edition: end -->", "line 1: unknown edition 'zh-TW'"),
        ("<!-- edition: zh-Hans -->\n<!-- edition: zh-Hans -->", "line 2: a second zh-Hans block"),
    ],
)
def test_a_marker_that_does_not_fit_is_named_with_its_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        for_edition(text, "zh-Hans")
    with pytest.raises(ValueError, match=re.escape(message)):
        to_hant(text)
