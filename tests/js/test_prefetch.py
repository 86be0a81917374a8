"""assets/js/runtime/prefetch.js in Node.js, against independent references.

The lock is the site's real ``pyodide-lock.json`` as the build writes it; the package closure
is checked against the build's own (:func:`scripts.pyodide_assets.closure`), the integrity
strings against Python's base64 of the sha256, which is what the browser compares.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess

import pytest

from scripts import demo_bundle, pyodide_assets
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
BASE = "https://example.test/pyodide/"


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    served = tmp_path_factory.mktemp("pyodide")
    pyodide_assets.build_site_dir(served, compile=(), hant=False)
    lock = json.loads((served / pyodide_assets.LOCK_FILE).read_text(encoding="utf-8"))
    hashes = [p["sha256"] for p in lock["packages"].values()]
    request = {"lock": lock, "packages": [demo_bundle.LOCK_NAME], "hashes": hashes}
    proc = subprocess.run(
        ["node", "--unhandled-rejections=strict", str(ROOT / "tests/js/prefetch.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return lock, hashes, json.loads(proc.stdout)


def test_integrity_strings_are_the_base64_of_the_sha256(answer):
    _, hashes, out = answer
    assert out["integrity"] == ["sha256-" + base64.b64encode(bytes.fromhex(h)).decode() for h in hashes]


def test_the_wheels_are_the_demos_and_what_they_depend_on(answer):
    lock, _, out = answer
    expected = pyodide_assets.closure(lock, [demo_bundle.LOCK_NAME])
    assert sorted(out["closure"]) == sorted(lock["packages"][n]["name"] for n in expected)
    assert "numpy" in out["closure"]


def test_nothing_is_requested_before_release_then_each_wheel_once_with_its_hash(answer):
    lock, _, out = answer
    assert out["beforeRelease"] == 0
    expected = {
        BASE + p["file_name"]: "sha256-" + base64.b64encode(bytes.fromhex(p["sha256"])).decode()
        for n, p in lock["packages"].items()
        if n in pyodide_assets.closure(lock, [demo_bundle.LOCK_NAME])
    }
    assert {c["url"]: c["integrity"] for c in out["calls"]} == expected
    assert len(out["calls"]) == len(expected)


def test_a_request_is_handed_over_once_and_only_for_the_same_hash(answer):
    _, _, out = answer
    assert out["wrongHash"] and out["taken"] and not out["takenTwice"]


def test_a_failed_prefetch_is_the_takers_failure(answer):
    _, _, out = answer
    assert out["failure"] == "TypeError: integrity"


def test_a_wheel_asked_for_before_release_is_not_fetched_again(answer):
    _, _, out = answer
    assert out["earlyAsk"]
    assert not [u for u in out["afterEarly"] if "numpy" in u]
