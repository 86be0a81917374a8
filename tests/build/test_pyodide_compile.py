"""The compile step's selection logic (scripts/pyc_in_pyodide.py, scripts/pyodide_compile.py), on CPython.

The real compile runs inside Pyodide (tests/build/test_site.py and tests/pyodide check its
output); here the same function runs on the host to check which members it compiles, that
it keeps the others byte for byte, refuses a stale list, and that the cache key follows the list.
"""

from __future__ import annotations

import json
import runpy
import zipfile

import pytest

from scripts import paths, pyodide_compile

compiler = runpy.run_path(str(paths.ROOT / "scripts" / "pyc_in_pyodide.py"))
compile_archive = compiler["compile_archive"]
MEMBERS = {"a.py": b"A = 1\n", "pkg/__init__.py": b"", "pkg/b.py": b"def f(:\n", "data.txt": b"x"}
NEVER_IMPORTED = {"a.pyi": b"A: int\n", "pkg/include/x.h": b"int x;\n", "pkg/x.pxd": b"cdef int x\n"}


@pytest.fixture
def archive(tmp_path):
    src = tmp_path / "in.zip"
    with zipfile.ZipFile(src, "w") as z:
        for name, data in {**MEMBERS, **NEVER_IMPORTED}.items():
            z.writestr(name, data)
    return src


def test_only_the_listed_modules_are_compiled_and_the_rest_kept_as_they_were(archive, tmp_path):
    out = tmp_path / "out.zip"
    summary = json.loads(compile_archive(str(archive), str(out), "zip", [2020, 1, 1, 0, 0, 0], ["a.py", "pkg/b.py"]))
    served = zipfile.ZipFile(out)
    assert served.namelist() == ["a.pyc", "data.txt", "pkg/__init__.py", "pkg/b.py"]
    # b.py does not parse; stubs and headers, which no import reads, are left out
    assert summary == {
        "compiled": 1,
        "kept_source": ["pkg/b.py"],
        "left_as_source": 1,
        "never_imported": 3,
        "test_only": 0,
    }
    assert all(served.read(n) == MEMBERS[n] for n in ("data.txt", "pkg/__init__.py", "pkg/b.py"))


def test_no_list_compiles_every_module(archive, tmp_path):
    out = tmp_path / "out.zip"
    summary = json.loads(compile_archive(str(archive), str(out), "zip", [2020, 1, 1, 0, 0, 0], None))
    assert summary["compiled"] == 2 and summary["left_as_source"] == 0
    assert "pkg/__init__.pyc" in zipfile.ZipFile(out).namelist()


def test_a_wheel_record_lists_exactly_what_is_served(tmp_path):
    src = tmp_path / "w-1-py3-none-any.whl"
    with zipfile.ZipFile(src, "w") as z:
        for name, data in {**MEMBERS, **NEVER_IMPORTED}.items():
            z.writestr(name, data)
        z.writestr("w-1.dist-info/RECORD", "".join(f"{n},,\n" for n in [*MEMBERS, *NEVER_IMPORTED]))
    out = tmp_path / "out.whl"
    compile_archive(str(src), str(out), "wheel", [2020, 1, 1, 0, 0, 0], ["a.py"])
    served = zipfile.ZipFile(out)
    record = [line.split(",")[0] for line in served.read("w-1.dist-info/RECORD").decode().splitlines()]
    assert sorted(record) == sorted(served.namelist())
    assert not set(NEVER_IMPORTED) & set(record)


def test_a_stale_list_is_refused(archive, tmp_path):
    with pytest.raises(KeyError, match="stale"):
        compile_archive(str(archive), str(tmp_path / "out.zip"), "zip", [2020, 1, 1, 0, 0, 0], ["gone.py"])


def test_the_cache_key_follows_the_module_list(archive):
    when = (2020, 1, 1, 0, 0, 0)
    keys = {pyodide_compile._key(archive, when, only) for only in (None, ["a.py"], ["a.py", "pkg/b.py"])}
    assert len(keys) == 3
    assert pyodide_compile._key(archive, when, ["pkg/b.py", "a.py"]) == pyodide_compile._key(
        archive, when, ["a.py", "pkg/b.py"]
    )


def test_numpys_test_only_extension_modules_are_left_out_and_no_other(tmp_path):
    so = "cpython-312-wasm32-emscripten.so"
    members = {
        f"numpy/_core/{m}.{so}": b"\0asm" for m in ("_simd", "_umath_tests", "_multiarray_tests", "_multiarray_umath")
    }
    members["numpy/_core/_simd_helpers.py"] = b"X = 1\n"  # a look-alike name is no test module
    src = tmp_path / "numpy-2-py3-none-any.whl"
    with zipfile.ZipFile(src, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        z.writestr("numpy-2.dist-info/RECORD", "")
    out = tmp_path / "out.whl"
    summary = json.loads(compile_archive(str(src), str(out), "wheel", [2020, 1, 1, 0, 0, 0], []))
    served = set(zipfile.ZipFile(out).namelist())
    assert summary["test_only"] == 2 and len(compiler["TEST_ONLY"]) == 5
    assert f"numpy/_core/_simd.{so}" not in served and f"numpy/_core/_umath_tests.{so}" not in served
    assert {f"numpy/_core/_multiarray_tests.{so}", f"numpy/_core/_multiarray_umath.{so}"} <= served
    assert "numpy/_core/_simd_helpers.py" in served
