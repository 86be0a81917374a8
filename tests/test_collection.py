"""Every test folder is collected by a plain `pytest` (what `make test` runs).

pytest skips folders whose name matches ``norecursedirs``; its default includes ``build``,
which hid tests/build from every `make test` until the project set its own list.
"""

from fnmatch import fnmatch
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_folder_is_skipped_by_norecursedirs(request):
    patterns = request.config.getini("norecursedirs")
    folders = [p for p in TESTS.rglob("*") if p.is_dir() and any(p.glob("test_*.py"))]
    assert {p.name for p in folders} >= {"build", "browser", "demos", "pyodide"}
    skipped = [str(p.relative_to(TESTS)) for p in folders if any(fnmatch(p.name, pat) for pat in patterns)]
    assert not skipped, f"pytest would never collect: {skipped} (norecursedirs = {patterns})"
