"""The built site serves our scripts minified and our stylesheets as one (scripts/minify_assets.py)."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from scripts import minify_assets, paths

IMPORT = re.compile(r'@import\s+"([^"]+)"')


def _exports(files: list[Path], base: Path) -> dict[str, set[str]]:
    """Each module's exported names (relative path → names), as esbuild reads them (its metafile)."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "meta.json"
        args = [str(f) for f in files] + [f"--outbase={base}", f"--outdir={tmp}/out", f"--metafile={meta}"]
        subprocess.run(
            [str(paths.NODE_MODULES / ".bin/esbuild"), *args, "--log-level=error"], check=True, cwd=Path.cwd()
        )
        outputs = json.loads(meta.read_text(encoding="utf-8"))["outputs"]
    out = (Path(tmp) / "out").resolve()
    return {
        (Path.cwd() / name).resolve().relative_to(out).as_posix(): set(info["exports"])
        for name, info in outputs.items()
        if name.endswith(".js")
    }


@pytest.mark.parametrize("edition", ["", "zh-Hant/"])
def test_every_script_is_minified_and_keeps_its_exports(site_dir, edition):
    root = site_dir / edition
    served = minify_assets.scripts(root)
    assert len(served) >= 20, "our scripts are all there"
    built_exports = _exports(served, root / "assets/js")
    source_exports = _exports(
        [paths.ASSETS / "js" / p.relative_to(root / "assets/js") for p in served], paths.ASSETS / "js"
    )
    assert set(built_exports) == set(source_exports) and len(built_exports) == len(served)
    for path in served:
        rel = path.relative_to(root / "assets/js").as_posix()
        source = (paths.ASSETS / "js" / rel).read_text(encoding="utf-8")
        built = path.read_text(encoding="utf-8")
        assert len(built) < len(source), f"{rel} is not smaller than its source"
        assert "\n//" not in built.split("//# sourceMappingURL=")[0], f"{rel} still carries comments"
        assert built.rstrip().endswith(f"//# sourceMappingURL={path.name}.map"), rel
        source_map = json.loads(path.with_name(path.name + ".map").read_text(encoding="utf-8"))
        assert source_map["sourcesContent"], f"{rel}.map carries the source for developer tools"
        # Chinese stays Chinese (esbuild would write \\uXXXX without --charset=utf8)
        assert "\\u" not in built or "\\u" in source, rel
        # The module's interface is the source's: tests and other modules import these names.
        assert built_exports[rel] == source_exports[rel], rel


def test_one_stylesheet_holds_every_import(site_dir):
    source = (paths.ASSETS / "css/site.css").read_text(encoding="utf-8")
    imported = IMPORT.findall(source)
    assert len(imported) >= 5
    built = (site_dir / minify_assets.STYLESHEET).read_text(encoding="utf-8")
    assert "@import" not in built, "bundled: the browser follows no import"
    for name in imported:
        first_rule = re.search(r"^([^\s/*@][^{]*)\{", (paths.ASSETS / "css" / name).read_text(encoding="utf-8"), re.M)
        selector = re.sub(r"\s+", " ", first_rule.group(1).strip()).split(",")[0].strip()
        assert selector.replace(" > ", ">") in built or selector in built, f"{name}: {selector!r} is missing"
    # in the order of the imports: a later file's rules win over an earlier one's
    positions = [built.find(".md-typeset .demo "), built.find(".md-typeset .exercise ")]
    assert -1 not in positions and positions == sorted(positions)


def test_pages_link_one_stylesheet_of_ours(site_dir):
    html = (site_dir / "01-intro/index.html").read_text(encoding="utf-8")
    ours = re.findall(r'<link rel="stylesheet" href="[./]*(assets/css/[\w.-]+)">', html)  # not print.css (media=print)
    assert ours == [minify_assets.STYLESHEET], ours
