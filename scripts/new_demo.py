"""Scaffold a new demo: `make new-demo NAME=foo CHAPTER=03`.

Writes ``demos/NAME.py`` (a commented PARAMS/run skeleton that already keeps
the demo contract) and ``tests/demos/test_NAME.py`` (a reference test that
fails until it is written), then prints the fence to paste into the chapter.
Existing files are never overwritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEMO = '''"""TODO 一句话：这个演示让读者看到什么（第 {chapter} 章）。"""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Float, Int, demo_entry

TITLE = "TODO 演示标题"

# Declared once: the page's controls, the validation, shared links, the tests
# and the fallback figure all come from here (CONTRIBUTING.md, 「加一个演示」).
PARAMS = {{
    "n": Int(20, 2, 200, label="点数", help="TODO 一行说明：改它会看到什么"),
    "scale": Float(1.0, 0.1, 5.0, 0.1, label="幅度", help="TODO 一行说明"),
    "seed": Int(0, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}}


def compute(n, scale, seed):
    """The idea itself, as a small pure function the tests compare with a reference."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, n)
    return x, scale * x + 0.1 * rng.standard_normal(n)


@demo_entry(PARAMS)
def run(n, scale, seed):
    """Views the page draws (demos/_views.py lists the kinds)."""
    x, y = compute(n, scale, seed)
    return [views.line(x, {{"y": y}}, title="TODO 图的标题", xlabel="x", ylabel="y")]
'''

TEST = '''"""{name}: compared with an independent reference (a closed form, a hand count, a second implementation)."""

from __future__ import annotations

from demos import {name} as demo


def test_compute_matches_an_independent_reference():
    # Replace with a real check, e.g. a closed form for small inputs:
    #   x, y = demo.compute(n=3, scale=2.0, seed=0)
    #   assert y == pytest.approx(...)
    raise AssertionError("TODO: compare demo.compute with an independent reference")
'''


def scaffold(name: str, chapter: str, root: Path = ROOT) -> list[Path]:
    """Create the demo and its test under ``root``; return the paths written."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise SystemExit(f"NAME={name!r}: lower-case letters, digits and _, starting with a letter")
    if not re.fullmatch(r"\d{1,2}", chapter):
        raise SystemExit(f"CHAPTER={chapter!r}: the chapter number, e.g. 03")
    targets = {
        root / "demos" / f"{name}.py": DEMO.format(chapter=int(chapter)),
        root / "tests" / "demos" / f"test_{name}.py": TEST.format(name=name),
    }
    for path in targets:
        if path.exists():
            raise SystemExit(f"{path.relative_to(root)} exists already; nothing written")
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    return list(targets)


def main(argv: list[str]) -> int:
    """Command line: NAME CHAPTER."""
    if len(argv) != 2:
        print("usage: python -m scripts.new_demo NAME CHAPTER", file=sys.stderr)
        return 2
    name, chapter = argv
    scaffold(name, chapter)
    page = sorted((ROOT / "docs").glob(f"{int(chapter):02d}-*.md"))
    where = page[0].relative_to(ROOT) if page else f"docs/{int(chapter):02d}-….md"
    print(f"\nPaste into {where}, inside 「## 动手试试」:\n\n```demo\nname: {name}\n```\n")
    print(f"Then: write the reference test in tests/demos/test_{name}.py and run `make test-fast`.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
