"""Runs inside Pyodide (under Node.js, scripts/pyodide_compile.mjs): byte-compile one archive.

The ``.py`` members named in ``only`` (all of them when ``only`` is None) of a zip (the
standard library) or wheel (numpy) are replaced by their ``.pyc``, compiled by Pyodide's
own CPython, so the bytecode matches the runtime whatever machine builds the site; every
other member is kept as it is, so any module can still be imported from source.  Deterministic: the code object's file name is the
member's path inside the archive (no host path), the pyc header carries mtime 0 and
size 0 (sourceless files are never checked against a source), entries are sorted and
stamped with one fixed time, and Pyodide's own zlib compresses them.  A wheel's
RECORD is rewritten for the new members.  Members that do not compile stay as source.

Files no import ever reads (``NEVER_IMPORTED``: type stubs, C and Cython headers and
sources, pkg-config files) are left out: Pyodide unpacks every member of a wheel into
its file system at about 0.5 ms a file, and numpy has 138 of them (measured: its
loadPackage 505 → 427 ms in Pyodide under Node.js).  So are numpy's extension modules that
only its own test suite imports (``TEST_ONLY``; the suite is not in Pyodide's wheel):
Pyodide loads every shared library of a wheel as it installs it (measured: numpy's
loadPackage 355 → 324 ms under Node.js without these five).  No other module, data file
or licence is left out, and the summary counts what was.

Called as ``compile_archive(src, dest, kind, date_time, only)``; returns a JSON summary.
A name in ``only`` that the archive lacks is an error: the module list is stale.
"""

import base64
import hashlib
import importlib._bootstrap_external as bootstrap
import json
import zipfile

NEVER_IMPORTED = (".pyi", "py.typed", ".h", ".c", ".pxd", ".pyx", ".pc", ".ini")
# No module in the wheel names these (tests/build/test_site.py checks); _multiarray_tests,
# numpy's sixth such module, stays: importing numpy reads it (numpy/_core/_add_newdocs.py).
TEST_ONLY = tuple(
    f"numpy/_core/{name}.cpython-"
    for name in ("_operand_flag_tests", "_rational_tests", "_simd", "_struct_ufunc_tests", "_umath_tests")
)


def _pyc(source: bytes, name: str) -> bytes:
    code = compile(source, name, "exec", dont_inherit=True)
    return bytes(bootstrap._code_to_timestamp_pyc(code, 0, 0))


def _record(members: dict[str, bytes], record: str) -> bytes:
    lines = []
    for name, data in sorted(members.items()):
        if name == record:
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    return ("\n".join([*lines, f"{record},,"]) + "\n").encode()


def compile_archive(src: str, dest: str, kind: str, date_time: list[int], only=None) -> str:
    members, kept, compiled, left, dropped, tests_only = {}, [], 0, 0, 0, 0
    wanted = None if only is None else set(only)
    with zipfile.ZipFile(src) as z:
        missing = sorted(wanted - set(z.namelist())) if wanted is not None else []
        if missing:
            raise KeyError(f"not in {src}: {missing[:10]} (the module list is stale)")
        for info in z.infolist():
            if info.is_dir():
                continue
            if info.filename.endswith(NEVER_IMPORTED):
                dropped += 1
                continue
            if info.filename.startswith(TEST_ONLY):
                tests_only += 1
                continue
            data = z.read(info)
            if info.filename.endswith(".py") and wanted is not None and info.filename not in wanted:
                left += 1
            elif info.filename.endswith(".py"):
                try:
                    members[info.filename + "c"] = _pyc(data, info.filename)
                    compiled += 1
                    continue
                except SyntaxError:
                    kept.append(info.filename)
            members[info.filename] = data
    if kind == "wheel":
        record = next(n for n in members if n.endswith(".dist-info/RECORD"))
        members[record] = _record(members, record)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=tuple(date_time))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            out.writestr(info, members[name], compresslevel=6)
    return json.dumps(
        {
            "compiled": compiled,
            "kept_source": kept,
            "left_as_source": left,
            "never_imported": dropped,
            "test_only": tests_only,
        }
    )
