"""Two builds of the served Pyodide directory from one commit are byte-identical.

Compares the asset-building step's output (:func:`scripts.pyodide_assets.build_site_dir`:
runtime, wheels, the demos wheel, the site's lock), not two full site builds.
"""

from __future__ import annotations

import hashlib
import zipfile

from scripts import demo_bundle, paths, pyodide_assets


def digests(directory):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_two_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = digests(tmp_path / "a") if pyodide_assets.build_site_dir(tmp_path / "a") else None
    (tmp_path / "a" / "pyodide-lock.json").touch()  # mtimes must not matter
    second = digests(tmp_path / "b") if pyodide_assets.build_site_dir(tmp_path / "b") else None
    assert first == second
    assert any(name.startswith(demo_bundle.DIST) for name in first)


def test_the_demos_wheel_is_sorted_and_stamped_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    wheel = zipfile.ZipFile(demo_bundle.write_wheel(tmp_path))
    infos = wheel.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert {i.external_attr >> 16 for i in infos} == {0o644}
    assert not any(str(paths.ROOT) in wheel.read(i).decode("utf-8", "replace") for i in infos), "no host path"
