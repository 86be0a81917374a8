"""Only the modules the site imports are byte-compiled; they all are, and every other module still imports.

Re-measures in Pyodide under Node.js (:func:`scripts.pyodide_imports.measure`: the worker's
start-up, every demo, edited code, every exercise) on the files the site serves, so a demo
that starts importing a new stdlib or numpy module fails here until the list is regenerated.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import demos
from scripts import demo_bundle, paths, pyodide_assets, pyodide_imports

pytestmark = pytest.mark.pyodide
HERE = Path(__file__).parent
REGENERATE = "run `python -m scripts.pyodide_imports` and commit scripts/pyodide_imports.json"
# Modules no demo imports (not in the list), which a reader's edited code may.
UNCOMPILED = ("statistics", "fractions", "difflib")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("pyodide-imports") / "pyodide"
    pyodide_assets.build_site_dir(out, hant=False)
    return out


@pytest.fixture(scope="module")
def measured(served):
    return pyodide_imports.measure(served)


def official_lock():
    return pyodide_assets.read_lock(paths.pyodide_dist())


def test_every_module_the_site_imports_is_served_compiled(measured):
    from_source = pyodide_imports.served_as_source(measured, official_lock())
    assert not from_source, f"imported but served as source: {from_source}; {REGENERATE}"
    assert any(origin.endswith(".pyc") for origin in measured.values())


def test_the_list_is_exactly_what_the_site_imports(measured):
    """No stale entries either: each listed module costs bytes on every first visit."""
    assert pyodide_imports.members(measured, official_lock()) == pyodide_imports.read(), REGENERATE


def test_a_module_no_demo_imports_is_served_as_source_and_still_imports(served):
    """A reader's edited code may import any stdlib module: the rest of the zip stays source."""
    listed = set(pyodide_imports.read()[pyodide_imports.STDLIB])
    assert not {f"{m}.py" for m in UNCOMPILED} & listed
    name = demos.names()[0]
    plain = (paths.DEMOS / f"{name}.py").read_text(encoding="utf-8")
    edited = plain + f"\nimport {', '.join(UNCOMPILED)}\n\nassert statistics.median([3, 1, 2]) == 2\n"
    proc = subprocess.run(
        ["node", str(HERE / "run_demos.mjs"), str(served), demo_bundle.LOCK_NAME],
        input=json.dumps([{"name": name, "params": {}, "source": s} for s in (plain, edited)]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    want, got = json.loads(proc.stdout)["answers"]
    assert got["ok"], got.get("traceback") or got
    assert {k: v for k, v in got.items() if k != "ms"} == {k: v for k, v in want.items() if k != "ms"}
