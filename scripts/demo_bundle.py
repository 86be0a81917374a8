"""Pack the demos package (code and corpus) into the zip the browser worker unpacks.

The same zip is what the Pyodide tests load, so they test the shipped bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from scripts import paths

INCLUDE = ("*.py", "corpus/*.txt", "exercises/*.py")  # exercises: the graded 练一练 (checked in the worker)


def bundle_files() -> list[Path]:
    """Every file of the demos package that the browser needs, sorted."""
    files = {f for pattern in INCLUDE for f in paths.DEMOS.glob(pattern)}
    return sorted(f for f in files if "__pycache__" not in f.parts)


def bundle_bytes() -> bytes:
    """A deterministic zip (fixed timestamps) of the demos package, rooted at ``demos/``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in bundle_files():
            info = zipfile.ZipInfo(str(f.relative_to(paths.ROOT)), date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, f.read_bytes())
    return buf.getvalue()


def bundle_digest(data: bytes) -> str:
    """Short content hash, used in the zip's URL so browsers never run stale demo code."""
    return hashlib.sha256(data).hexdigest()[:12]
