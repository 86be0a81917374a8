"""Every demo inside real Pyodide (the pinned version, the site's pyodide/ directory with its lock and demos wheel).

Runs under Node.js with the npm ``pyodide`` package's runtime, through
``run_demos.mjs``; answers must match CPython's for the same inputs.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

import demos
from demos._runtime import call
from scripts import demo_bundle, paths, pyodide_assets
from tests.demos.contract import bad_values, module

pytestmark = pytest.mark.pyodide
HERE = Path(__file__).parent


def cases():
    """Defaults, each demo's extra PYODIDE_CASES, and one bad value per parameter."""
    out = []
    for name in demos.names():
        m = module(name)
        out.append((name, {}))
        out.extend((name, c) for c in getattr(m, "PYODIDE_CASES", []))
        for key, p in m.PARAMS.items():
            bad = next(
                b for b in bad_values(p) if b is not None and not (isinstance(b, float) and not math.isfinite(b))
            )
            out.append((name, {key: bad}))
    return out


CASES = cases()


def answers_from(served):
    """Every case run in Pyodide under Node.js from a served pyodide/ directory."""
    requests = [{"name": n, "params": p} for n, p in CASES]
    proc = subprocess.run(
        ["node", str(HERE / "run_demos.mjs"), str(served), demo_bundle.LOCK_NAME],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def pyodide_answers(tmp_path_factory):
    """From the directory the site serves: byte-compiled files (pyodide_assets.COMPILE, only the
    modules the site imports: scripts/pyodide_imports.json; the rest stays source)."""
    served = tmp_path_factory.mktemp("pyodide") / "pyodide"
    pyodide_assets.build_site_dir(served)
    assert json.loads((served / "provenance.json").read_text()), "the site serves compiled files"
    return answers_from(served)


def test_compiled_assets_give_the_same_answers_as_the_official_ones(pyodide_answers, tmp_path):
    official = tmp_path / "pyodide"
    pyodide_assets.build_site_dir(official, compile=())
    expected = answers_from(official)
    assert expected["version"] == pyodide_answers["version"]
    for got, want in zip(pyodide_answers["answers"], expected["answers"], strict=True):
        got, want = dict(got), dict(want)
        got.pop("ms"), want.pop("ms")
        got.pop("traceback", None), want.pop("traceback", None)  # file names differ: archive paths
        assert got == want


def test_runs_the_pinned_pyodide(pyodide_answers):
    assert pyodide_answers["version"] == paths.pyodide_version()


def assert_same(a, b, path="$"):
    """Equal structure, equal strings, numbers equal to 1e-6 relative."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-6, abs=1e-9), path
    else:
        assert a == b, path


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{n}-{json.dumps(p, ensure_ascii=False)}" for n, p in CASES])
def test_same_answer_as_cpython(pyodide_answers, index):
    name, params = CASES[index]
    got = dict(pyodide_answers["answers"][index])
    ms = got.pop("ms")
    assert not got.get("internal"), got.get("traceback")
    assert_same(got, json.loads(call(name, json.dumps(params))))
    print(f"{name} {params}: {ms:.0f} ms in Pyodide")
