"""Every demo keeps the contract: declaration valid, defaults run, output well-formed, bad input typed."""

from __future__ import annotations

import json

import pytest

import demos
from demos._params import DemoError, Param
from demos._runtime import call
from tests.demos.contract import bad_values, check_views, module

NAMES = demos.names()


def test_there_are_demos():
    assert "text_continuation" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_declaration(name):
    m = module(name)
    assert m.__doc__ and m.__doc__.strip(), "a demo module starts with a docstring"
    assert isinstance(m.TITLE, str) and m.TITLE
    assert m.PARAMS and all(isinstance(p, Param) for p in m.PARAMS.values())
    for key, p in m.PARAMS.items():
        assert p.label, f"{name}.{key} needs a Chinese label"
        assert p.parse(p.default, key) == p.default
        json.dumps(p.spec(), allow_nan=False)
    assert m.run.params is m.PARAMS, "run must be decorated with @demo_entry(PARAMS)"


@pytest.mark.parametrize("name", NAMES)
def test_defaults_run(name):
    check_views(module(name).run())


@pytest.mark.parametrize("name", NAMES)
def test_each_parameter_accepted_explicitly(name):
    m = module(name)
    for key, p in m.PARAMS.items():
        check_views(m.run(**{key: p.default}))


@pytest.mark.parametrize("name", NAMES)
def test_string_values_from_forms_are_accepted(name):
    """The browser sends every value as a string, as form fields hold them."""
    m = module(name)
    raw = {k: (str(p.default).lower() if isinstance(p.default, bool) else str(p.default)) for k, p in m.PARAMS.items()}
    assert m.run(**raw) == m.run()


@pytest.mark.parametrize("name", NAMES)
def test_bad_values_raise_typed_error_in_chinese(name):
    m = module(name)
    for key, p in m.PARAMS.items():
        for bad in bad_values(p):
            with pytest.raises(DemoError) as info:
                m.run(**{key: bad})
            assert info.value.param == key
            assert p.label in str(info.value), str(info.value)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_parameter_rejected(name):
    with pytest.raises(DemoError, match="没有名为"):
        module(name).run(no_such_parameter=1)


def test_runtime_bridge_answers():
    ok = json.loads(call("text_continuation", json.dumps({"prompt": "台湾"})))
    assert ok["ok"] and ok["views"][0]["kind"] == "tokens"
    bad = json.loads(call("text_continuation", json.dumps({"temperature": "hot"})))
    assert bad == {"ok": False, "message": "参数「温度」应为数字，收到的是「hot」。", "param": "temperature"}
    for name in ("os", "../x", "", "_runtime", "corpus", "Text_continuation", 3):
        answer = json.loads(call(name, "{}"))
        assert not answer["ok"] and "没有名为" in answer["message"], name
    assert json.loads(call("text_continuation", "[1, 2]"))["message"] == "参数应是「名称→值」的集合。"
