"""The zh-Hant demos variant inside real Pyodide (the zip the zh-Hant edition ships): every demo
runs with its defaults, gives CPython's numbers, and speaks Traditional Chinese."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest

import demos
from scripts import paths
from scripts.editions.demos_variant import variant_zip
from tests.build.hant_checks import simplified_left
from tests.demos.test_hant_variant import TEXT_DERIVED, _numbers
from tests.pyodide.test_in_pyodide import HERE, assert_same

pytestmark = [
    pytest.mark.pyodide,
    # main's run_demos.mjs now loads the demos by name from a served pyodide/ dir and its lock (the
    # demos wheel); the zh-Hant wheel needs such a dir of its own. Until then the zh-Hant variant is
    # checked on CPython (tests/demos/test_hant_variant.py) and in Chromium (tests/browser/test_hant.py).
    pytest.mark.skip(reason="zh-Hant wheel needs its own served lock for run_demos.mjs (see module)"),
]


@pytest.fixture(scope="module")
def hant_answers(tmp_path_factory):
    """(Pyodide's answers with the variant zip, CPython's with the same variant, CPython's Simplified)."""
    tmp = tmp_path_factory.mktemp("hant-pyodide")
    data, _ = variant_zip()
    zip_path = tmp / "demos-hant.zip"
    zip_path.write_bytes(data)
    requests = [{"name": n, "params": {}} for n in demos.names()]
    proc = subprocess.run(
        ["node", str(HERE / "run_demos.mjs"), str(paths.pyodide_dist()), str(zip_path)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    zipfile.ZipFile(zip_path).extractall(tmp / "cpython")
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import demos; from demos._runtime import call;"
        "print(json.dumps([json.loads(call(n, '{}')) for n in demos.names()], ensure_ascii=False))"
    )
    out = {}
    for label, folder in (("hant", tmp / "cpython"), ("hans", paths.ROOT)):
        run = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, cwd="/")
        assert run.returncode == 0, run.stderr
        out[label] = json.loads(run.stdout)
    return json.loads(proc.stdout)["answers"], out["hant"], out["hans"]


def test_every_zh_hant_demo_runs_in_pyodide_like_cpython(hant_answers):
    pyodide, cpython, _ = hant_answers
    for name, got, want in zip(demos.names(), pyodide, cpython):
        got = dict(got)
        got.pop("ms", None)
        assert got.get("ok"), (name, got.get("message"), got.get("traceback"))
        assert_same(got, want, name)
        assert not simplified_left(json.dumps(got, ensure_ascii=False)), name


def test_zh_hant_numbers_in_pyodide_equal_the_simplified_ones(hant_answers):
    pyodide, _, hans = hant_answers
    for name, got, want in zip(demos.names(), pyodide, hans):
        if name not in TEXT_DERIVED:
            assert _numbers({k: v for k, v in got.items() if k != "ms"}) == pytest.approx(_numbers(want)), name


def test_variant_zip_layout_matches_the_shipped_one():
    names = set(zipfile.ZipFile(io.BytesIO(variant_zip()[0])).namelist())
    assert "demos/_runtime.py" in names and "demos/corpus/course_zh.txt" in names
    assert {f"demos/{d}.py" for d in demos.names()} <= names
