"""Every page preloads the modules its scripts import statically (scripts/module_preload.py).

The reference is esbuild's own reading of the import graph (its metafile, `import-statement`
edges only), a second implementation next to the hook's regular expression.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

from scripts import module_preload, paths

ENTRIES = ["assets/js/main.js", "assets/js/editions/switch.js", "assets/js/a11y.js"]


def esbuild_static_graph(entries: list[str]) -> set[str]:
    """Modules reachable from `entries` through static imports, as esbuild bundles them."""
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "meta.json"
        subprocess.run(
            [str(paths.NODE_MODULES / ".bin/esbuild"), *entries, "--bundle", "--format=esm", "--splitting",
             f"--outdir={tmp}/out", f"--metafile={meta}", "--external:*/config.js", "--log-level=error"],
            check=True, cwd=paths.ROOT,
        )  # fmt: skip
        inputs = json.loads(meta.read_text(encoding="utf-8"))["inputs"]
    reach, todo = set(), list(entries)
    while todo:
        for edge in inputs.get(todo.pop(), {}).get("imports", []):
            if edge["kind"] == "import-statement" and edge["path"] not in reach:
                reach.add(edge["path"])
                todo.append(edge["path"])
    return {p.replace("*/", "") for p in reach} - set(entries)


def test_the_graph_matches_esbuilds():
    ours = module_preload.graph(ENTRIES)
    assert len(ours) == len(set(ours)), "each module once"
    assert set(ours) == {p for p in esbuild_static_graph(ENTRIES) if not p.endswith("config.js")} | {
        p for p in ours if p.endswith("config.js")
    }
    assert "assets/js/runtime/client.js" in ours and "assets/js/offline/register.js" not in ours  # dynamic: after load


def test_pages_start_the_modules_and_preload_the_graph(site_dir):
    expected = module_preload.graph(ENTRIES)
    for page in ("index.html", "01-intro/index.html", "zh-Hant/09-diffusion/index.html"):
        html = (site_dir / page).read_text(encoding="utf-8")
        head, body = html.split("</head>", 1)
        assert 'type="module"' not in html and "modulepreload" not in head, (
            "nothing of ours loads before the first paint"
        )
        lists = {k: json.loads(v) for k, v in re.findall(r"const (modules|preload) = (\[.*?\]);", body)}
        edition = site_dir / ("zh-Hant" if page.startswith("zh-Hant/") else "")
        for name, want in (("modules", ENTRIES), ("preload", expected)):
            assert [re.sub(r"^(\.\./)+", "", u) for u in lists[name]] == want, (page, name)
            for url in lists[name]:
                file = (site_dir / page).parent.joinpath(url).resolve()  # relative to the page: its edition's own
                assert file.is_file() and file.is_relative_to(edition / "assets"), (page, url)


def test_static_imports_reads_every_form():
    source = 'import a from "./a.js";\nimport { b } from "../b.js";\nimport "./c.js";\nexport { d } from "./d.js";\nconst e = import("./e.js");\n'
    assert module_preload.static_imports(source) == ["./a.js", "../b.js", "./c.js", "./d.js"]
