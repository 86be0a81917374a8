"""`make new-demo` in a temporary copy: the skeleton keeps the demo contract, and its test fails until written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

VENV = Path(sys.executable).parent.parent
# -o: never remake the venv's stamp, so the copy cannot reinstall (and re-point) this venv.
MAKE = ["make", "--no-print-directory", "-o", f"{VENV}/.installed", f"VENV={VENV}", "new-demo"]


def _copy(tmp: Path) -> Path:
    copy = tmp / "repo"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".hypothesis")
    for folder in ("demos", "docs", "scripts", "tests"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def test_new_demo_scaffold_passes_contract(tmp_path):
    repo = _copy(tmp_path)
    made = subprocess.run([*MAKE, "NAME=scaffold_probe", "CHAPTER=03"], cwd=repo, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert (repo / "demos/scaffold_probe.py").is_file() and (repo / "tests/demos/test_scaffold_probe.py").is_file()
    assert "```demo\nname: scaffold_probe\n```" in made.stdout and "docs/03-transformer.md" in made.stdout

    def pytest(*args):
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
        return subprocess.run(cmd, cwd=repo, capture_output=True, text=True)

    contract = pytest("tests/demos/test_contract.py", "tests/demos/test_fuzz.py", "-k", "scaffold_probe")
    assert contract.returncode == 0, contract.stdout[-3000:]
    assert " passed" in contract.stdout and "scaffold_probe" not in contract.stdout.split("passed")[-1]
    reference = pytest("tests/demos/test_scaffold_probe.py")
    assert reference.returncode == 1 and "TODO: compare demo.compute" in reference.stdout

    again = subprocess.run([*MAKE, "NAME=scaffold_probe", "CHAPTER=03"], cwd=repo, capture_output=True, text=True)
    assert again.returncode != 0 and "exists already" in again.stderr


def test_new_demo_rejects_bad_names(tmp_path):
    repo = _copy(tmp_path)
    for args in (["NAME=Bad-Name", "CHAPTER=03"], ["NAME=ok", "CHAPTER=three"], []):
        made = subprocess.run([*MAKE, *args], cwd=repo, capture_output=True, text=True)
        assert made.returncode != 0, args
    assert not list((repo / "demos").glob("ok.py"))
