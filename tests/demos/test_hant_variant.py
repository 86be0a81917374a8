"""The zh-Hant demos package (scripts/editions/demos_variant.py): every demo runs with its
defaults, gives the same numbers as the Simplified package, and speaks Traditional Chinese."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys

import pytest

from scripts import paths
from scripts.editions.demos_variant import convert_package, convert_source
from tests.build.hant_checks import simplified_left

# Run every demo through the worker's own entry, in a fresh interpreter whose `demos` package
# is the one in the folder given: with its own defaults, or with the parameters given.
RUN_ALL = """
import json, sys
sys.path.insert(0, sys.argv[1])
import demos
from demos._runtime import call, load
given = json.loads(sys.argv[2])
out = {}
for n in demos.names():
    params = given.get(n, {k: p.default for k, p in load(n).PARAMS.items()})
    out[n] = {"params": params, "result": json.loads(call(n, json.dumps(params)))}
print(json.dumps(out, ensure_ascii=False))
"""

# Demos whose numbers are computed from Chinese text (characters' code points seed the toy
# embeddings; the n-gram model counts the corpus), so converted text gives other numbers.
TEXT_DERIVED = {"attention", "speculative_decoding", "text_continuation", "watermark"}


def _run_all(folder, given=None) -> dict:
    args = [sys.executable, "-c", RUN_ALL, str(folder), json.dumps(given or {}, ensure_ascii=False)]
    proc = subprocess.run(args, capture_output=True, text=True, cwd="/")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Simplified, zh-Hant variant, and a hybrid: the Simplified code with the variant's corpus
    and the variant's parameter values (which isolates what the AST conversion did to the code)."""
    base = tmp_path_factory.mktemp("hant")
    variant = convert_package(paths.DEMOS, base / "variant" / "demos") and base / "variant"
    shutil.copytree(paths.DEMOS, base / "hybrid" / "demos", ignore=shutil.ignore_patterns("__pycache__"))
    for txt in (variant / "demos" / "corpus").glob("*.txt"):
        shutil.copy(txt, base / "hybrid" / "demos" / "corpus" / txt.name)
    hans, hant = _run_all(paths.ROOT), _run_all(variant)
    hybrid = _run_all(base / "hybrid", {n: r["params"] for n, r in hant.items()})
    return hans, hant, hybrid, variant / "demos"


def _numbers(x) -> list:
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in _numbers(x[k])]
    if isinstance(x, list):
        return [v for item in x for v in _numbers(item)]
    if isinstance(x, float) and math.isnan(x):
        return ["nan"]
    return [x] if isinstance(x, (int, float)) and not isinstance(x, bool) else []


def test_every_variant_demo_runs_with_defaults(runs):
    hans, hant, _, _ = runs
    assert hans.keys() == hant.keys() and hans
    for name, r in hant.items():
        assert r["result"]["ok"], (name, r["result"].get("message"))


def test_variant_numbers_equal_the_simplified_ones(runs):
    hans, hant, _, _ = runs
    for name in hans.keys() - TEXT_DERIVED:
        assert _numbers(hant[name]["result"]) == _numbers(hans[name]["result"]), name


def test_conversion_changes_no_number_even_where_text_feeds_the_numbers(runs):
    _, hant, hybrid, _ = runs
    for name in hant:
        assert hybrid[name]["result"]["ok"], (name, hybrid[name]["result"].get("message"))
        assert _numbers(hant[name]["result"]) == _numbers(hybrid[name]["result"]), name


def test_text_derived_list_is_current(runs):
    """A demo that stops depending on text leaves TEXT_DERIVED (so the strict check covers it)."""
    hans, hant, _, _ = runs
    differ = {n for n in hans if _numbers(hant[n]["result"]) != _numbers(hans[n]["result"])}
    assert differ == TEXT_DERIVED


def test_variant_strings_have_no_simplified_only_characters(runs):
    _, hant, _, out = runs
    assert not simplified_left(json.dumps(hant, ensure_ascii=False)), "in the outputs"
    for f in sorted(out.rglob("*")):
        if f.suffix in (".py", ".txt"):
            assert not simplified_left(f.read_text(encoding="utf-8")), f.name


def test_text_continuation_writes_traditional_text(runs):
    hans, hant, _, _ = runs
    (text_hans,) = [v["text"] for v in hans["text_continuation"]["result"]["views"] if v["kind"] == "text"]
    (text_hant,) = [v["text"] for v in hant["text_continuation"]["result"]["views"] if v["kind"] == "text"]
    assert text_hant != text_hans and "語言" in text_hant and not simplified_left(text_hant)


def test_conversion_touches_strings_only():
    src = 'X = "数据"  # 注释 数据\nY = f"第{1}个{2.5:.1f}网络"\nZ = 3.25\n'
    out = convert_source(src)
    assert "資料" in out and "個" in out and "網路" in out
    assert "注释" not in out  # comments are not code: ast drops them, nothing converts them
    ns: dict = {}
    exec(out, ns)
    assert ns["Z"] == 3.25 and ns["Y"] == "第1個2.5網路"
