"""Every number a chapter marks with ``{{TEXT|run}}`` is what its demo or script produces.

The marks and runs are declared in the chapters' Markdown (scripts/numbers.py, CONTRIBUTING.md
「核对数字」). One test per chapter runs each declared run once, with the parameters the text
gives (seed included), and checks each mark at the precision the text prints it with.
"""

from __future__ import annotations

import pytest

from scripts import numbers, paths

CHAPTERS = sorted(paths.DOCS.glob("[0-9][0-9]-*.md"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_marked_numbers_match_their_runs(chapter):
    text = chapter.read_text(encoding="utf-8")
    declared = numbers.runs(text)
    marks = numbers.marks(text)
    unknown = sorted({m.run for m in marks} - set(declared))
    assert not unknown, f"marks name undeclared runs: {unknown}"
    outputs = {name: numbers.execute(spec) for name, spec in declared.items() if any(m.run == name for m in marks)}
    wrong = []
    for mark in marks:
        ok, found = numbers.check(mark, outputs[mark.run])
        if not ok:
            wrong.append(f"{chapter.name}:{mark.line} {{{{{mark.text}|{mark.run}}}}} — the run gives {found!r}")
    assert not wrong, "\n".join(wrong)


def test_every_chapter_with_a_demo_marks_its_numbers():
    """Chapters 1–12 each tie at least the numbers of their self-check prediction to a run."""
    bare = [
        c.name
        for c in CHAPTERS
        if "```demo" in c.read_text(encoding="utf-8") and not numbers.marks(c.read_text(encoding="utf-8"))
    ]
    assert not bare, bare


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_self_check_has_a_checked_predict_then_run_question(chapter):
    """自我检测 asks the reader to predict a demo's result, and the answer's numbers are marked."""
    checks = chapter.read_text(encoding="utf-8").split("## 自我检测")[1].split("\n## ")[0]
    questions = checks.split('??? question "')[1:]
    predict = [q for q in questions if "先预测，再运行" in q.splitlines()[0]]
    assert predict, "no 「先预测，再运行」 question"
    assert all(numbers.marks(q) for q in predict), "its answer quotes no checked result"


# --- the syntax itself, against hand-made Markdown --------------------------------------------


def test_strip_renders_plain_text_and_drops_runs():
    md = "前文\n<!-- run a: scaling fit=besiroglu -->\n准确率 {{0.3997|a}}，约 {{18|a:row('算力最优')[3]~1}} 个。\n"
    assert numbers.strip(md) == "前文\n准确率 0.3997，约 18 个。\n"
    assert numbers.runs(md) == {"a": "scaling fit=besiroglu"}
    m = numbers.marks(md)
    assert [(x.text, x.run, x.expr, x.tol, x.line) for x in m] == [
        ("0.3997", "a", None, None, 3),
        ("18", "a", "row('算力最优')[3]", "1", 3),
    ]


def test_the_markdown_extension_renders_plain_text():
    """Registered in mkdocs.yml; runs before the other extensions, inside admonitions and tables too."""
    import markdown

    md = '!!! note "x"\n    <!-- run b: scaling -->\n\n    | a |\n    | --- |\n    | {{1.0|b:out}} |\n'
    html = markdown.markdown(md, extensions=["scripts.numbers", "admonition", "tables"])
    assert "<td>1.0</td>" in html and "{{" not in html and "run b" not in html
    config = (paths.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- scripts.numbers" in config


@pytest.mark.parametrize(
    ("text", "value", "tol", "ok"),
    [
        ("0.3997", 0.39971, None, True),
        ("0.3997", 0.3998, None, False),
        ("17", 17, None, True),
        ("1.42", 1.4249, None, True),
        ("1.42", 1.426, None, False),
        ("25%", 0.25, None, True),
        ("−1.4", -1.4, None, True),
        ("−1.4", 1.4, None, False),
        ("25%", 25.2, None, True),
        ("25%", 0.26, None, False),
        ("320 亿", 3.22e10, "2%", True),
        ("320 亿", 3.22e10, None, False),
        ("322 亿", 3.219e10, None, True),
        ("1,500", 1496, "1%", True),
        ("玉山", "台湾最高的山是玉山。", None, True),
        ("16{,}777{,}216", 16777216, None, True),
        ("16{,}777{,}216", 16777215, None, False),
        ("玉山", "台湾最高的山是合欢山。", None, False),
    ],
)
def test_agrees_at_the_printed_precision(text, value, tol, ok):
    assert numbers.agrees(text, value, tol) is ok


def test_a_bare_mark_searches_the_whole_output():
    out = [
        {"kind": "text", "title": "结论", "text": "预测损失 2.017，比最优高 0.087。"},
        {"kind": "table", "rows": [["x", 1.42]]},
    ]
    assert numbers.check(numbers.Mark("2.02", "r", None, None, 1), out)[0]  # 2.017 prints as 2.02
    assert not numbers.check(numbers.Mark("2.018", "r", None, None, 1), out)[0]
    assert numbers.check(numbers.Mark("0.087", "r", None, None, 1), out)[0]
    assert numbers.check(numbers.Mark("1.42", "r", None, None, 1), out)[0]
    assert not numbers.check(numbers.Mark("1.43", "r", None, None, 1), out)[0]


def test_a_mark_expression_may_name_demos_and_scripts():
    """Hand arithmetic is checked against the constants it uses (demos.X, scripts.X), not a copy."""
    assert numbers.check(numbers.Mark("1.69", "r", "demos.scaling.E", None, 1), None)[0]
    assert not numbers.check(numbers.Mark("1.70", "r", "demos.scaling.E", None, 1), None)[0]
    growth = numbers.Mark("1496", "r", "out[2][2] / out[0][2]", None, 1)
    assert numbers.check(growth, numbers.execute("= scripts.figures.ch02.GPT_SERIES"))[0]


def test_a_mark_inside_tex_keeps_the_thousands_separator():
    md = "$2 \\times 8{,}388{,}608 = {{16{,}777{,}216|b:out}}$"
    assert numbers.strip(md) == "$2 \\times 8{,}388{,}608 = 16{,}777{,}216$"
    (mark,) = numbers.marks(md)
    assert mark.text == "16{,}777{,}216" and numbers.check(mark, 16777216)[0]
