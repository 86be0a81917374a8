"""The `demo` fence as Markdown in, HTML out — and the failures that must stop a build."""

from __future__ import annotations

import json
import re
from html import unescape

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

from demos import text_continuation
from demos._params import NUMBER_PATTERN, SPACE
from scripts.demo_fence import fence_format
from tests.build.fence_build import assert_build_fails_naming_the_page

EXTENSIONS = ["pymdownx.superfences"]
CONFIG = {"pymdownx.superfences": {"custom_fences": [{"name": "demo", "class": "demo", "format": fence_format}]}}


def render(body: str) -> str:
    return markdown.markdown(f"```demo\n{body}\n```\n", extensions=EXTENSIONS, extension_configs=CONFIG)


def spec_of(html: str) -> dict:
    raw = re.search(r'data-spec="([^"]*)"', html).group(1)
    return json.loads(unescape(raw))


def test_block_follows_the_dom_contract():
    html = render("name: text_continuation")
    assert '<div class="demo" id="demo-text_continuation" data-demo="text_continuation" data-state="idle"' in html
    for selector in (
        'data-action="run"',
        'data-action="stop"',
        'data-action="share"',
        'data-role="output"',
        'data-role="status"',
        'data-role="fallback"',
        'data-action="edit"',
        'data-role="editor"',
        'data-action="reset-code"',
        'data-action="autorun"',
        ">运行<",
        ">停止<",
    ):
        assert selector in html
    for name in text_continuation.PARAMS:
        assert f'name="{name}"' in html
    assert "figures/demo-text_continuation.svg" in html
    assert "def run(" in re.sub(r"<[^>]+>", "", html), "the module's source is in the page, for the editor"


def test_overrides_become_the_values_and_stay_escaped():
    html = render('name: text_continuation\nprompt: "<img src=x onerror=alert(1)>"\ntemperature: 0.5')
    assert "<img src=x" not in html
    assert 'value="&lt;img src=x onerror=alert(1)&gt;"' in html
    values = spec_of(html)["values"]
    assert values["prompt"] == "<img src=x onerror=alert(1)>" and values["temperature"] == 0.5
    assert "<script" not in html, "Material's instant navigation would execute it"


def test_spec_carries_the_declaration():
    params = spec_of(render("name: text_continuation"))["params"]
    assert params["temperature"] == {
        "kind": "float",
        "default": 0.8,
        "label": "温度",
        "min": 0.0,
        "max": 2.0,
        "step": 0.1,
        "help": text_continuation.PARAMS["temperature"].help,
        # one definition of blanks and numbers for the page and Python (demos/_params.py)
        "space": params["temperature"]["space"],
        "number": NUMBER_PATTERN,
    }
    assert all(c in SPACE for c in "\t \u3000\ufeff") and re.fullmatch(params["temperature"]["space"] + "+", SPACE)
    assert params["prompt"]["maxLength"] == text_continuation.PARAMS["prompt"].max_len


def test_two_blocks_of_one_demo_get_distinct_ids():
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIG)
    html = md.convert("```demo\nname: text_continuation\n```\n\n```demo\nname: text_continuation\n```\n")
    assert 'id="demo-text_continuation"' in html and 'id="demo-text_continuation-2"' in html


@pytest.mark.parametrize(
    "body, reason",
    [
        ("name: no_such_demo", "unknown demo 'no_such_demo'"),
        ("name: _runtime", "unknown demo"),
        ("prompt: 台湾", "needs a `name:`"),
        ("name: text_continuation\nwidth: 3", "has no parameter 'width'"),
        ("name: text_continuation\ntemperature: hot", "温度"),
        ("name: text_continuation\nlength: 1000", "最多生成字数"),
        ("name: [unclosed", "not valid YAML"),
    ],
)
def test_bad_blocks_fail_with_the_reason(body, reason):
    with pytest.raises(SuperFencesException, match=re.escape(reason)):
        render(body)


def test_a_bad_block_fails_the_real_build_naming_the_page(tmp_path, monkeypatch, caplog):
    fence = "```demo\nname: text_continuation\ntemperature: 9\n```\n"
    assert "参数「温度」应在 0 到 2 之间" in assert_build_fails_naming_the_page(fence, tmp_path, monkeypatch, caplog)


def test_code_panel_carries_the_exact_source_and_a_slow_demo_can_opt_out_of_live_controls(monkeypatch):
    import inspect

    html = render("name: text_continuation")
    source = re.search(r'<template data-role="code-source">(.*?)</template>', html, re.S).group(1)
    assert unescape(source) == inspect.getsource(text_continuation)
    monkeypatch.setattr(text_continuation, "LIVE", False, raising=False)
    assert 'data-action="autorun"' not in render("name: text_continuation")


def test_every_control_is_labelled_and_described_for_every_demo():
    """Accessibility from the generator (scripts/controls.py), for every demo's PARAMS:
    a visible <label for> per control, help tied by aria-describedby, an error slot."""
    from demos import names
    from demos._runtime import load

    for name in names():
        html = render(f"name: {name}")
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for param, p in load(name).PARAMS.items():
            control = re.search(rf'<(?:input|select)\b(?=[^>]*\bname="{param}")[^>]*>', html).group(0)
            control_id = re.search(r'\bid="([^"]+)"', control).group(1)
            assert f'<label for="{control_id}">' in html, (name, param)
            described = re.search(r'aria-describedby="([^"]+)"', control)
            if p.help:
                assert described and described.group(1) in ids, (name, param)
            assert f'id="{control_id}-error" data-role="field-error" hidden' in html, (name, param)
        # sliders are a second handle on the number box: hidden from screen readers, out of the tab order
        for slider in re.findall(r'<input type="range"[^>]*>', html):
            assert 'aria-hidden="true"' in slider and 'tabindex="-1"' in slider
        # the buttons say what they act on, starting with their visible word (WCAG 2.5.3)
        for action, word in (("run", "运行"), ("stop", "停止"), ("share", "复制链接"), ("edit", "代码")):
            label = re.search(rf'data-action="{action}" aria-label="([^"]+)"', html).group(1)
            assert label.startswith(word) and len(label) > len(word), (name, action, label)
        assert html.count('aria-live="polite"') == 1, "one polite live region per block"
