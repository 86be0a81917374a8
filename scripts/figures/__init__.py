"""Figures drawn at build time with matplotlib from the demos' own code.

Two sources of figures:

* every demo gets a fallback figure ``demo-<name>.svg``: its ``run`` with the
  default parameters, drawn by :mod:`scripts.figures.views`;
* chapter figures: functions in ``scripts/figures/chNN.py`` registered with
  ``@figure("chNN-what")`` that return a matplotlib ``Figure``.

SVGs keep their text as text (``svg.fonttype = none``) so the reader's browser
draws the Chinese labels with its own fonts: no CJK font is needed at build
time and no glyph turns into a box.  A figure is redrawn only when the files it
depends on change (a content hash kept next to the output).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import warnings
from pathlib import Path

from scripts import paths

FIGURES: dict[str, callable] = {}
_SOURCES: dict[str, Path] = {}

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "genai-course",  # stable ids → byte-identical rebuilds
    "font.family": ["sans-serif"],
    "font.sans-serif": [
        "PingFang SC",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
        "DejaVu Sans",
    ],
    "axes.unicode_minus": False,
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def figure(name: str):
    """Register a chapter figure; the decorated function returns a matplotlib Figure."""

    def register(fn):
        if name in FIGURES:
            raise ValueError(f"figure {name!r} registered twice")
        FIGURES[name] = fn
        _SOURCES[name] = Path(fn.__code__.co_filename)
        return fn

    return register


def _discover() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("ch"):
            importlib.import_module(f"{__name__}.{mod.name}")


def _digest(files) -> str:
    h = hashlib.sha256()
    for f in sorted(set(files)):
        h.update(str(f.relative_to(paths.ROOT)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _shared_sources() -> list[Path]:
    """Files every figure depends on: all demo code and data, and this drawing code."""
    here = Path(__file__).parent
    return [*paths.DEMOS.rglob("*.py"), *paths.DEMOS.rglob("*.txt"), here / "__init__.py", here / "views.py"]


def all_jobs() -> dict[str, tuple[callable, list[Path]]]:
    """name → (draw function, files it depends on), for every figure the site has."""
    import demos
    from scripts.figures import views

    _discover()
    shared = _shared_sources()
    jobs = {}
    for demo in demos.names():
        jobs[f"demo-{demo}"] = (lambda d=demo: views.demo_figure(d), shared)
    for name, fn in FIGURES.items():
        jobs[name] = (fn, shared + [_SOURCES[name]])
    return jobs


def build(out_dir: Path = paths.FIGURES_OUT, only=None, log=print) -> list[Path]:
    """Draw every figure whose sources changed since last time; return all output paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (FileNotFoundError, ValueError):
        manifest = {}
    outputs = []
    for name, (draw, sources) in sorted(all_jobs().items()):
        if only and name not in only:
            continue
        target = out_dir / f"{name}.svg"
        key = _digest(sources)
        outputs.append(target)
        if manifest.get(name) == key and target.exists():
            continue
        with matplotlib.rc_context(STYLE), warnings.catch_warnings():
            # Glyph metrics only: the SVG keeps text as text for the browser's CJK fonts.
            warnings.filterwarnings("ignore", message="Glyph .* missing")
            fig = draw()
            fig.savefig(target, format="svg", bbox_inches="tight", metadata={"Date": None})
            plt.close(fig)
        manifest[name] = key
        log(f"figure {target.name} drawn")
    tmp = manifest_path.with_suffix(f".{os.getpid()}.tmp")  # atomic: parallel builds don't clash
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, manifest_path)
    return outputs


if __name__ == "__main__":
    build()
