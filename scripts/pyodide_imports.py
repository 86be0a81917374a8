"""Which stdlib and numpy modules the site imports, measured in Pyodide under Node.js.

Only these are byte-compiled (:mod:`scripts.pyodide_compile`); every other module is served
as its official source, so a reader's own code can still import any of them. The list is
measured, not written by hand: ``scripts/pyodide_imports.mjs`` starts Pyodide from a served
``pyodide/`` directory as the browser worker does (numpy and the demos wheel from the site's
lock, ``import numpy``, the demos' entry points), runs every demo (defaults, its
``PYODIDE_CASES``, a bad value per parameter, its own source as edited code, code that
raises, code that does not parse) and grades every exercise (reference, starter, a syntax
error), then reports ``sys.modules``.

The result is checked in as ``scripts/pyodide_imports.json`` (archive → members), not
measured at build time: the build then depends only on the commit and the verified official
files (no demo runs inside ``mkdocs build``, the same list on every machine, a reviewable
diff when it changes), and the compile cache keeps its entries until the list changes.
``tests/pyodide/test_pyodide_imports.py`` re-measures on the compiled files and fails, naming
this command, when a demo starts importing a module the list lacks.

Usage: ``python -m scripts.pyodide_imports`` (rewrites the list) or ``--check``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import paths

HERE = Path(__file__).parent
LIST = HERE / "pyodide_imports.json"
STDLIB = "python_stdlib.zip"
STDLIB_DIR = "/lib/python312.zip/"  # where Pyodide mounts the stdlib zip
SITE_PACKAGES = "/lib/python3.12/site-packages/"
BROKEN = "def broken(:\n"  # does not parse: the reader's SyntaxError path


def workload() -> list[dict]:
    """The requests the measuring run makes: every path a reader's click can take."""
    import demos
    from demos import exercises

    out = []
    for name in demos.names():
        m = importlib.import_module(f"demos.{name}")
        cases = [{}, *getattr(m, "PYODIDE_CASES", []), *({key: None} for key in m.PARAMS)]
        out += [{"call": [name, json.dumps(c)]} for c in cases]
        out.append({"source": [name, (paths.DEMOS / f"{name}.py").read_text(encoding="utf-8"), "{}"]})
    first = demos.names()[0]
    out += [{"source": [first, "raise ValueError('x')\n", "{}"]}, {"source": [first, BROKEN, "{}"]}]
    for name in exercises.names():
        m = exercises.load(name)
        out += [{"check": [name, m.SOLUTION]}, {"check": [name, m.STARTER]}, {"check": [name, BROKEN]}]
    return out


def measure(served: Path, package: str | None = None) -> dict[str, str]:
    """Run the workload in Pyodide under Node.js from ``served``; module name → file it came from."""
    from scripts import demo_bundle

    proc = subprocess.run(
        ["node", str(HERE / "pyodide_imports.mjs"), str(served), package or demo_bundle.LOCK_NAME],
        input=json.dumps(workload()),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"measuring imports in Pyodide failed: {proc.stderr[-3000:]}")
    result = json.loads(proc.stdout)
    if result["version"] != paths.pyodide_version():
        raise RuntimeError(f"measured in Pyodide {result['version']}, not {paths.pyodide_version()}")
    return result["modules"]


def members(modules: dict[str, str], lock: dict) -> dict[str, list[str]]:
    """Group module files by the archive that serves them: the stdlib zip, or a package of
    ``lock`` (by its import names; pass the official lock, so our demos wheels are left out:
    they are never compiled); each as the source member's path inside the archive."""
    by_import = {imp: name for name, p in lock["packages"].items() for imp in p["imports"]}
    out: dict[str, set[str]] = {}
    for origin in modules.values():
        source = origin[:-1] if origin.endswith(".pyc") else origin
        if source.startswith(STDLIB_DIR):
            out.setdefault(STDLIB, set()).add(source[len(STDLIB_DIR) :])
        elif source.startswith(SITE_PACKAGES):
            member = source[len(SITE_PACKAGES) :]
            package = by_import.get(member.split("/")[0])
            if package:
                out.setdefault(package, set()).add(member)
    return {k: sorted(v) for k, v in sorted(out.items())}


def served_as_source(modules: dict[str, str], lock: dict) -> dict[str, list[str]]:
    """Of the measured modules from the stdlib zip or a lock package, those that ran from ``.py``."""
    return members({name: origin for name, origin in modules.items() if origin.endswith(".py")}, lock)


def read() -> dict[str, list[str]]:
    """The checked-in list: archive (runtime file or lock package name) → members to compile."""
    data = json.loads(LIST.read_text(encoding="utf-8"))
    if data["pyodide"] != paths.pyodide_version():
        raise SystemExit(
            f"{LIST.name} was measured on Pyodide {data['pyodide']}, the site pins {paths.pyodide_version()}: "
            "run `python -m scripts.pyodide_imports`."
        )
    return data["members"]


def current() -> dict[str, list[str]]:
    """Measure now, on the official uncompiled files as the site would serve them."""
    from scripts import pyodide_assets

    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp) / "pyodide"
        pyodide_assets.build_site_dir(served, compile=(), hant=False)
        return members(measure(served), pyodide_assets.read_lock(paths.pyodide_dist()))


def render(found: dict[str, list[str]]) -> str:
    """The list file's text (sorted, stable)."""
    data = {
        "about": "Modules the site imports in Pyodide, measured by `python -m scripts.pyodide_imports`; "
        "only these are byte-compiled (scripts/pyodide_assets.py).",
        "pyodide": paths.pyodide_version(),
        "members": found,
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main(argv=None) -> int:
    """Write the list (or, with --check, say whether it is current); 1 when --check finds a difference."""
    parser = argparse.ArgumentParser(prog="python -m scripts.pyodide_imports", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare the measurement with the list")
    args = parser.parse_args(argv)
    text = render(current())
    if args.check:
        same = LIST.exists() and LIST.read_text(encoding="utf-8") == text
        print(f"{LIST.name}: {'current' if same else 'stale: run python -m scripts.pyodide_imports'}")
        return 0 if same else 1
    LIST.write_text(text, encoding="utf-8")
    counts = ", ".join(f"{k}: {len(v)}" for k, v in json.loads(text)["members"].items())
    print(f"wrote {LIST.relative_to(paths.ROOT)} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
