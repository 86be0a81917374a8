"""Byte-compile verified Pyodide files inside Pyodide under Node.js, cached by content.

Why in Pyodide: its CPython (3.12) writes the bytecode the runtime reads, on any machine
with the README's prerequisites (Python ≥ 3.11, Node.js, npm) — no Python 3.12 or
pyodide-build needed — and its zlib writes the same bytes everywhere.  The work is done
by ``scripts/pyc_in_pyodide.py`` (see there for what makes the output deterministic),
driven by ``scripts/pyodide_compile.mjs``.

Inputs are only the official files, after :mod:`scripts.pyodide_assets` has checked them;
the result is cached in the user cache under a key made of the input's sha256, the two
compiler sources, the timestamp and the list of members to compile (all, or only the
modules the site imports: :mod:`scripts.pyodide_imports`), so a rebuild compiles nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from scripts import demo_bundle, paths
from scripts.pyodide_assets import sha256

HERE = Path(__file__).parent
COMPILER = (HERE / "pyodide_compile.mjs", HERE / "pyc_in_pyodide.py")


class CompileError(RuntimeError):
    """Pyodide under Node.js could not compile an archive."""


def _key(src: Path, date_time: tuple, only: list[str] | None) -> str:
    h = hashlib.sha256(sha256(src).encode() + repr(date_time).encode())
    for f in COMPILER:
        h.update(f.read_bytes())
    if only is not None:  # (None keeps the keys of full compiles as they were)
        h.update(json.dumps(sorted(only)).encode())
    return h.hexdigest()[:24]


def compiled(
    sources: list[Path], dist: Path | None = None, only: dict[str, list[str]] | None = None
) -> dict[Path, tuple[Path, dict]]:
    """For each official ``.zip``/``.whl`` in ``sources``: (the compiled file in the cache, summary).

    ``only`` maps a source's file name to the members to compile (the rest stay source);
    a file it does not name is compiled whole.
    """
    dist = dist or paths.pyodide_dist()
    date_time = demo_bundle.zip_time()
    only = only or {}
    out, jobs = {}, []
    for src in sources:
        members = only.get(src.name)
        folder = paths.cache_dir() / "compiled" / _key(src, date_time, members)
        target, summary = folder / src.name, folder / "summary.json"
        out[src] = (target, summary)
        if not (target.exists() and summary.exists()):
            folder.mkdir(parents=True, exist_ok=True)
            kind = "wheel" if src.suffix == ".whl" else "zip"
            jobs.append({"src": str(src), "kind": kind, "target": target, "only": members})
    if jobs:
        with tempfile.TemporaryDirectory() as tmp:
            for i, job in enumerate(jobs):
                job["dest"] = str(Path(tmp) / f"{i}-{job['target'].name}")
            request = {
                "jobs": [{k: j[k] for k in ("src", "dest", "kind", "only")} for j in jobs],
                "dateTime": list(date_time),
            }
            proc = subprocess.run(
                ["node", str(HERE / "pyodide_compile.mjs"), str(dist)],
                input=json.dumps(request),
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise CompileError(f"compiling in Pyodide failed: {proc.stderr[-2000:]}")
            for job, summary in zip(jobs, json.loads(proc.stdout), strict=True):
                shutil.move(job["dest"], job["target"])
                (job["target"].parent / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return {src: (target, json.loads(summary.read_text(encoding="utf-8"))) for src, (target, summary) in out.items()}
