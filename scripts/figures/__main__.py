"""`python -m scripts.figures`: draw every figure whose sources changed (the pre-build step)."""

from scripts.figures import build

build()
