"""Pack the demos package (code and corpus) as a wheel, the one Pyodide installs with ``loadPackage``.

The wheel goes into the site's own ``pyodide-lock.json`` (:mod:`scripts.pyodide_assets`),
so the browser checks its sha256 like any other package.  Its metadata declares
numpy, from which the lock's ``depends`` is derived.  The same wheel is what the
Pyodide tests install, so they test the shipped bytes.

Reproducible: entries sorted, every timestamp ``SOURCE_DATE_EPOCH`` (default: a
fixed date), fixed permissions; the bytes depend only on the sources.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import time
import zipfile
from pathlib import Path

from scripts import paths

INCLUDE = ("*.py", "corpus/*.txt", "exercises/*.py")  # exercises: the graded 练一练 (checked in the worker)
DIST = "genai_course_demos"  # distribution name (lock key: genai-course-demos); it provides `demos`
LOCK_NAME = DIST.replace("_", "-")
VERSION = "1.0.0"
REQUIRES = ("numpy",)
DEFAULT_EPOCH = 1704067200  # 2024-01-01 00:00 UTC


def bundle_files(package: Path | None = None) -> list[Path]:
    """Every file of the demos package (``package``: a folder named ``demos``) that the browser needs, sorted."""
    files = {f for pattern in INCLUDE for f in (package or paths.DEMOS).glob(pattern)}
    return sorted(f for f in files if "__pycache__" not in f.parts)


def source_digest(package: Path | None = None) -> str:
    """Short hash of the sources, in the wheel's version so browsers never run stale demo code."""
    package = package or paths.DEMOS
    h = hashlib.sha256()
    for f in bundle_files(package):
        h.update(f.relative_to(package.parent).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:12]


def wheel_name(package: Path | None = None, dist: str = DIST) -> str:
    return f"{dist}-{VERSION}+g{source_digest(package)}-py3-none-any.whl"


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH if set (not before 1980), else a fixed date."""
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)), 315532800)
    return time.gmtime(epoch)[:6]


def write_zip(members: dict[str, bytes]) -> bytes:
    """A deterministic zip: sorted entries, fixed timestamps and permissions, deflated."""
    buf = io.BytesIO()
    stamp = zip_time()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the host
            z.writestr(info, members[name], compresslevel=9)
    return buf.getvalue()


def wheel_bytes(package: Path | None = None, dist: str = DIST) -> bytes:
    """The demos wheel (``demos/`` + dist-info with METADATA, WHEEL, top_level.txt, RECORD).

    ``package`` and ``dist`` make the same wheel from another copy of the package under another
    distribution name (the zh-Hant edition's, :mod:`scripts.editions.demos_variant`)."""
    package = package or paths.DEMOS
    version = f"{VERSION}+g{source_digest(package)}"
    info = f"{dist}-{version}.dist-info"
    members = {f.relative_to(package.parent).as_posix(): f.read_bytes() for f in bundle_files(package)}
    requires = "".join(f"Requires-Dist: {r}\n" for r in REQUIRES)
    members[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n"
        f"Summary: The numpy demos of the course notes\n{requires}"
    ).encode()
    members[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: scripts.demo_bundle\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    members[f"{info}/top_level.txt"] = b"demos\n"
    record = [f"{name},sha256={_urlsafe_digest(data)},{len(data)}" for name, data in sorted(members.items())]
    members[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    return write_zip(members)


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_wheel(directory: Path) -> Path:
    """Write the demos wheel into ``directory``; return its path."""
    out = directory / wheel_name()
    out.write_bytes(wheel_bytes())
    return out
