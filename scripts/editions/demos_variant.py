"""The demos package in zh-Hant: string literals and corpus converted, numbers untouched.

:func:`convert_package` takes the package's source folder and writes a converted copy; it
does not care how the copy is shipped (today a zip, see :func:`variant_zip`; a wheel fits the
same way). Every ``str`` constant of every module — docstrings, PARAMS labels and help,
``DemoError`` messages, view titles, f-string text — goes through the one converter, found by
walking the module's AST (never a regex over source); ``corpus/*.txt`` is converted as text.
The code is written back with :func:`ast.unparse`, so it runs exactly the same operations.
"""

from __future__ import annotations

import ast
import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from scripts import paths
from scripts.editions.convert import convert


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


def variant_zip(src: Path = paths.DEMOS) -> tuple[bytes, str]:
    """The zh-Hant demos zip (same layout and fixed timestamps as scripts/demo_bundle.py) and its URI."""
    with tempfile.TemporaryDirectory(prefix="demos-hant-") as tmp:
        pkg = Path(tmp) / "demos"
        files = [f for f in convert_package(src, pkg) if f.suffix in (".py", ".txt")]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(files):
                info = zipfile.ZipInfo(str(f.relative_to(pkg.parent)), date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, f.read_bytes())
    data = buf.getvalue()
    return data, f"demos/demos-hant-{hashlib.sha256(data).hexdigest()[:12]}.zip"


def variant_wheel(src: Path = paths.DEMOS) -> tuple[bytes, str]:
    """The zh-Hant demos wheel, made by scripts/demo_bundle.py from the converted copy, and its URI."""
    from types import SimpleNamespace

    from scripts import demo_bundle

    with tempfile.TemporaryDirectory(prefix="demos-hant-") as tmp:
        pkg = Path(tmp) / "demos"
        convert_package(src, pkg)
        real = demo_bundle.paths
        demo_bundle.paths = SimpleNamespace(DEMOS=pkg, ROOT=pkg.parent)  # the same wheel recipe, other sources
        try:
            return demo_bundle.wheel_bytes(), f"demos/{demo_bundle.wheel_name()}"
        finally:
            demo_bundle.paths = real
