"""The reader's edited code (demos._runtime.call_source) inside real Pyodide.

The cases are the CPython ones (tests/demos/test_edited_source.py): the same
answers, line numbers included, in the runtime the page uses.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from demos._runtime import call_source
from scripts import demo_bundle, pyodide_assets
from tests.demos.test_edited_source import CASES, NAME, check

pytestmark = pytest.mark.pyodide
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """The cases run in Pyodide under Node.js from a served pyodide/ directory (as the site serves it)."""
    served = tmp_path_factory.mktemp("pyodide-edited") / "pyodide"
    pyodide_assets.build_site_dir(served)
    requests = [{"name": NAME, "params": params, "source": source} for _, source, params, _ in CASES]
    proc = subprocess.run(
        ["node", str(HERE / "run_demos.mjs"), str(served), demo_bundle.LOCK_NAME],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)["answers"]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_edited_source_in_pyodide(answers, index):
    _, source, params, want = CASES[index]
    got = dict(answers[index])
    got.pop("ms")
    check(got, want)
    cpython = json.loads(call_source(NAME, source, json.dumps(params)))
    # Tracebacks differ in detail between Python versions (caret lines); the rest is identical.
    assert {k: v for k, v in got.items() if k != "traceback"} == {k: v for k, v in cpython.items() if k != "traceback"}
