"""The zh-Hant demos wheel inside real Pyodide, loaded as the zh-Hant edition loads it: by name
(``genai-course-demos-zh-hant``) from the site's own lock with integrity checks, out of the
session's build (``site/pyodide/``). Every demo runs with its defaults and gives CPython's answer
for the same wheel; its numbers equal the Simplified demos' (the few demos whose numbers come from
the Chinese text itself equal the Simplified code's run on the converted text and inputs, which
explains the difference); its strings contain no Simplified-only character."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest

import demos
from demos._runtime import call
from scripts import paths
from scripts.editions import demos_variant
from tests.build.hant_checks import simplified_left
from tests.demos.test_hant_variant import TEXT_DERIVED, _numbers, _run_all
from tests.pyodide.test_in_pyodide import HERE, assert_same

pytestmark = pytest.mark.pyodide


def _without_ms(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "ms"}


@pytest.fixture(scope="module")
def runs(site_dir, tmp_path_factory):
    """Pyodide's answers (by demo), CPython's runs of the same wheel, and the hybrid: the Simplified
    code with the wheel's corpus and the wheel's default parameter values (for TEXT_DERIVED)."""
    served = site_dir / "pyodide"
    lock = json.loads((served / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = served / lock["packages"][demos_variant.LOCK_NAME]["file_name"]
    tmp = tmp_path_factory.mktemp("hant-pyodide")
    proc = subprocess.run(
        ["node", str(HERE / "run_demos.mjs"), str(served), demos_variant.LOCK_NAME],
        input=json.dumps([{"name": n, "params": {}} for n in demos.names()]),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    pyodide = dict(zip(demos.names(), json.loads(proc.stdout)["answers"], strict=True))

    zipfile.ZipFile(wheel).extractall(tmp / "variant")
    cpython = _run_all(tmp / "variant")
    shutil.copytree(paths.DEMOS, tmp / "hybrid" / "demos", ignore=shutil.ignore_patterns("__pycache__"))
    for txt in (tmp / "variant" / "demos" / "corpus").glob("*.txt"):
        shutil.copy(txt, tmp / "hybrid" / "demos" / "corpus" / txt.name)
    hybrid = _run_all(tmp / "hybrid", {n: cpython[n]["params"] for n in TEXT_DERIVED})
    return pyodide, cpython, hybrid


def test_every_zh_hant_demo_runs_in_pyodide_like_cpython(runs):
    pyodide, cpython, _ = runs
    assert pyodide.keys() == cpython.keys() == set(demos.names())
    for name, got in pyodide.items():
        assert got.get("ok"), (name, got.get("message"), got.get("traceback"))
        assert_same(_without_ms(got), cpython[name]["result"], name)


def test_zh_hant_numbers_in_pyodide_equal_the_simplified_ones(runs):
    pyodide, _, hybrid = runs
    for name, got in pyodide.items():
        if name in TEXT_DERIVED:  # numbers from the text: the Simplified code on the converted text
            want = hybrid[name]["result"]
        else:
            want = json.loads(call(name, "{}"))
        assert want["ok"] and _numbers(_without_ms(got)) == pytest.approx(_numbers(want), rel=1e-9), name


def test_zh_hant_outputs_in_pyodide_are_traditional(runs):
    pyodide, _, _ = runs
    for name, got in pyodide.items():
        left = simplified_left(json.dumps(got, ensure_ascii=False))
        assert not left, f"{name}: {''.join(sorted(left))}"
    text = json.dumps(pyodide["text_continuation"], ensure_ascii=False)
    assert "語言" in text, "the continuation is written from the Traditional corpus"
