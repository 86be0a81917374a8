"""The demos package in zh-Hant: string literals and corpus converted, numbers untouched.

:func:`convert_package` takes the package's source folder and writes a converted copy. Every
``str`` constant of every module — docstrings, PARAMS labels and help, ``DemoError`` messages,
view titles, f-string text — goes through the one converter, found by walking the module's AST
(never a regex over source); ``corpus/*.txt`` is converted as text. The code is written back
with :func:`ast.unparse`, so it runs exactly the same operations.

:func:`variant_wheel` packs the copy with the Simplified demos wheel's recipe
(:mod:`scripts.demo_bundle`) under its own distribution name, :data:`DIST`: both wheels sit in
the site's one ``pyodide-lock.json`` (:func:`scripts.pyodide_assets.build_site_dir`), and each
edition loads its own by name with ``checkIntegrity``.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
import tempfile
from functools import cache
from pathlib import Path

from scripts import paths
from scripts.editions.convert import convert

DIST = "genai_course_demos_zh_hant"  # the Simplified one is genai_course_demos; both provide `demos`
LOCK_NAME = DIST.replace("_", "-")


class _Strings(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.AST:  # noqa: N802 (ast's name)
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(convert(node.value)), node)
        return node


def convert_source(source: str) -> str:
    """One module's source with every string literal converted."""
    tree = _Strings().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def convert_package(src: Path, dst: Path) -> list[Path]:
    """A converted copy of the package folder ``src`` at ``dst`` (.py by AST, .txt as text)."""
    if dst.exists():
        shutil.rmtree(dst)
    written = []
    for f in sorted(src.rglob("*")):
        if not f.is_file() or "__pycache__" in f.parts or f.suffix == ".pyc":
            continue
        out = dst / f.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix == ".py":
            out.write_text(convert_source(f.read_text(encoding="utf-8")), encoding="utf-8")
        elif f.suffix == ".txt":
            out.write_text(convert(f.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            out.write_bytes(f.read_bytes())
        written.append(out)
    return written


def _inputs(src: Path) -> str:
    """What the variant depends on: the package's sources and the converter's table."""
    from scripts import demo_bundle
    from scripts.editions.convert import GLOSSARY, PHRASES

    h = hashlib.sha256(demo_bundle.source_digest(src).encode())
    for f in (PHRASES, GLOSSARY):
        h.update(f.read_bytes())
    return h.hexdigest()


@cache
def _variant_wheel(src: Path, inputs: str) -> tuple[bytes, str]:
    from scripts import demo_bundle

    with tempfile.TemporaryDirectory(prefix="demos-hant-") as tmp:
        pkg = Path(tmp) / "demos"
        convert_package(src, pkg)
        return demo_bundle.wheel_bytes(pkg, DIST), demo_bundle.wheel_name(pkg, DIST)


def variant_wheel(src: Path = paths.DEMOS) -> tuple[bytes, str]:
    """The zh-Hant demos wheel (scripts/demo_bundle.py's recipe on the converted copy, under the
    name :data:`DIST`) and its file name; made once per process for the same inputs."""
    return _variant_wheel(src, _inputs(src))


def write_wheel(directory: Path, src: Path = paths.DEMOS) -> Path:
    """Write the zh-Hant demos wheel into ``directory``; return its path."""
    data, name = variant_wheel(src)
    out = directory / name
    out.write_bytes(data)
    return out
