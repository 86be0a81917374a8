"""Every exercise graded inside real Pyodide (pinned version, verified numpy, the shipped zip).

Installed from the site's own pyodide/ directory (the demos wheel). The reference passes, the starter fails, each typical wrong answer gets the
same verdict, first failing case and line as on CPython.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from demos import exercises
from demos._exercise_runtime import check
from scripts import demo_bundle, paths, pyodide_assets
from tests.demos.exercise_wrong import WRONG, wrong_source

pytestmark = pytest.mark.pyodide
HERE = Path(__file__).parent


def cases():
    """(id, exercise, source): each reference, each starter, each typical wrong answer."""
    out = []
    for name in exercises.names():
        m = exercises.load(name)
        out += [(f"{name}-reference", name, m.SOLUTION), (f"{name}-starter", name, m.STARTER)]
    out += [(f"{n}-{what}", n, wrong_source(n, old, new)) for n, what, old, new, *_ in WRONG]
    out.append(("syntax-error", "watermark_z", "def z_score(green, gamma):\n    return (\n"))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def pyodide_verdicts(tmp_path_factory):
    served = tmp_path_factory.mktemp("pyodide-exercises") / "pyodide"
    pyodide_assets.build_site_dir(served)  # what the site serves, the demos wheel included
    proc = subprocess.run(
        ["node", str(HERE / "run_exercises.mjs"), str(served), demo_bundle.LOCK_NAME],
        input=json.dumps([{"name": n, "source": s} for _, n, s in CASES]),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_runs_the_pinned_pyodide(pyodide_verdicts):
    assert pyodide_verdicts["version"] == paths.pyodide_version()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_same_verdict_as_cpython(pyodide_verdicts, index):
    case_id, name, source = CASES[index]
    got = pyodide_verdicts["verdicts"][index]
    want = json.loads(check(name, source))
    assert not got.get("internal"), got
    assert got["verdict"] == want["verdict"], got["message"]
    assert (got["line"], got["passed"], got["total"]) == (want["line"], want["passed"], want["total"])
    assert (got.get("case") or {}).get("label") == (want.get("case") or {}).get("label")
    if case_id.endswith("-reference"):
        assert got["verdict"] == "pass"
    print(f"{case_id}: {got['ms']:.0f} ms in Pyodide")
