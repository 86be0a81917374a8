"""Chinese copywriting lint: autocorrect over docs/ and the demos' strings.

`python -m scripts.lint_copy` reports each line autocorrect would change as
``file:line: old → new`` and exits 1; `--fix` rewrites the files instead.
The project's conventions and their reasons live in `.autocorrectrc`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import autocorrect_py as autocorrect

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("docs/**/*.md", "demos/**/*.py")


def files() -> list[Path]:
    """Every file the copy lint covers, in a stable order."""
    return sorted({p for pattern in TARGETS for p in ROOT.glob(pattern)})


def main(argv: list[str]) -> int:
    """Lint (default) or fix (`--fix`); return the process exit code."""
    fix = "--fix" in argv
    autocorrect.load_config((ROOT / ".autocorrectrc").read_text(encoding="utf-8"))
    problems = 0
    for path in files():
        text = path.read_text(encoding="utf-8")
        if fix:
            fixed = autocorrect.format_for(text, str(path))
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"fixed {path.relative_to(ROOT)}")
            continue
        for line in autocorrect.lint_for(text, str(path)).lines:
            problems += 1
            print(f"{path.relative_to(ROOT)}:{line.line}: {line.old.strip()} → {line.new.strip()}")
    if problems:
        print(f"autocorrect: {problems} line(s) to fix; `make fix` applies them", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
