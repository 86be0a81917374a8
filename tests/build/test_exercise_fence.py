"""The `exercise` fence as Markdown in, HTML out; a bad block fails the build naming the page;
the built site carries every exercise (blocks, rendered math, the shipped zip)."""

from __future__ import annotations

import re
import zipfile
from html import unescape

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

from demos import exercises
from demos.exercises._grade import solution_text
from scripts.exercise_fence import fence_format
from tests.build.fence_build import assert_build_fails_naming_the_page

EXTENSIONS = ["pymdownx.superfences"]
CONFIG = {
    "pymdownx.superfences": {"custom_fences": [{"name": "exercise", "class": "exercise", "format": fence_format}]}
}


def render(body: str) -> str:
    return markdown.markdown(f"```exercise\n{body}\n```\n", extensions=EXTENSIONS, extension_configs=CONFIG)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_block_follows_the_dom_contract():
    html = render("name: tool_call")
    spec = exercises.load("tool_call")
    assert '<div class="exercise" id="exercise-tool_call" data-exercise="tool_call" data-state="idle"' in html
    for selector in (
        'data-action="check"',
        'data-action="stop"',
        'data-action="solution"',
        'data-action="reset-code"',
        'data-role="editor"',
        'data-role="starter"',
        'data-role="verdict" data-verdict=""',
        'data-role="solution" hidden',
        '<details class="exercise__hint">',
        ">检查<",
        "data-search-exclude",
    ):
        assert selector in html, selector
    text = text_of(html)
    assert spec.STARTER in text and solution_text(spec.SOLUTION) in text
    assert "<script" not in html


def test_code_is_escaped():
    html = render("name: tool_call")
    assert "<计算器" not in html and "[计算器" in html
    assert 'f"{context}{result}]"' in unescape(html)


def test_two_blocks_of_one_exercise_get_distinct_ids():
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIG)
    html = md.convert("```exercise\nname: tool_call\n```\n\n```exercise\nname: tool_call\n```\n")
    assert 'id="exercise-tool_call"' in html and 'id="exercise-tool_call-2"' in html


@pytest.mark.parametrize(
    "body, reason",
    [
        ("name: no_such_exercise", "unknown exercise 'no_such_exercise'"),
        ("name: ../demos", "unknown exercise '../demos'"),
        ("", "exactly one `name:` line"),
        ("name: tool_call\nextra: 1", "exactly one `name:` line"),
        ("name: [unclosed", "not valid YAML"),
    ],
)
def test_bad_blocks_fail_with_the_reason(body, reason):
    with pytest.raises(SuperFencesException, match=re.escape(reason)):
        render(body)


def test_an_unknown_exercise_fails_the_real_build_naming_the_page(tmp_path, monkeypatch, caplog):
    log = assert_build_fails_naming_the_page("```exercise\nname: softmax_typo\n```\n", tmp_path, monkeypatch, caplog)
    assert "unknown exercise 'softmax_typo'" in log


# --------------------------------------------------------------------------- the built site


@pytest.mark.parametrize("name", exercises.names())
def test_every_exercise_is_on_its_chapter_page_with_rendered_math(site_dir, name):
    chapter = exercises.load(name).CHAPTER
    pages = list(site_dir.glob(f"{chapter:02d}-*/index.html"))
    if not pages and chapter > 12:
        pytest.skip(f"chapter {chapter} is not in this checkout yet")
    (page,) = pages
    html = page.read_text(encoding="utf-8")
    block = html[html.index(f'data-exercise="{name}"') :]
    block = block[: block.index('data-action="check"')]
    task = block[block.index('class="exercise__task"') :]
    if "$" in exercises.load(name).TASK:
        assert 'class="katex' in task, "math in the task is rendered by KaTeX at build time"
    assert "\\(" not in task and "$" not in text_of(task.split("data-role")[0])


def test_the_shipped_demos_wheel_carries_every_exercise(site_dir):
    from scripts.demo_bundle import DIST

    (zip_path,) = site_dir.glob(f"pyodide/{DIST}-*.whl")
    with zipfile.ZipFile(zip_path) as z:
        shipped = set(z.namelist())
    assert "demos/_exercise_runtime.py" in shipped
    assert "demos/exercises/__init__.py" in shipped and "demos/exercises/_grade.py" in shipped
    for name in exercises.names():
        assert f"demos/exercises/{name}.py" in shipped


def test_exercise_stylesheet_is_linked(site_dir):
    """exercise.css reaches the page inside the one bundled stylesheet (scripts/minify_assets.py)."""
    html = (site_dir / "03-transformer" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[./]*assets/css/site\.css"', html)
    assert ".exercise__head" in (site_dir / "assets/css/site.css").read_text(encoding="utf-8")
