"""scripts/benchmark.py's server: gzip as a static host serves it, compressed before the first request.

The reference for every body is the file itself (gunzipped, byte for byte). "Before the first
request" is checked by making compression fail once the server runs: a request that still
needed to compress would then fail.
"""

import gzip
import os
import urllib.request
from pathlib import Path

import pytest

from scripts import benchmark


def _get(url: str) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(response.headers), response.read()


@pytest.fixture
def served(tmp_path):
    """A site (a text file, a wheel) and an overlay whose file is a symlink, as the floor's are."""
    site, overlay, elsewhere = tmp_path / "site", tmp_path / "overlay", tmp_path / "dist"
    for d in (site, overlay / "official", elsewhere):
        d.mkdir(parents=True)
    text = "".join(f"line {i}: 生成式 AI\n" for i in range(20_000)).encode()
    (site / "big.js").write_bytes(text)
    (site / "demo.whl").write_bytes(os.urandom(4096))
    (elsewhere / "pyodide.asm.js").write_bytes(text[::-1])
    (overlay / "official" / "pyodide.asm.js").symlink_to(elsewhere / "pyodide.asm.js")
    benchmark._gzipped.cache_clear()
    return site, overlay


def test_every_compressible_file_is_gzipped_before_the_first_request(served, monkeypatch):
    site, overlay = served
    assert benchmark.precompress(site, overlay) == 2  # big.js and the symlinked script, not the wheel

    def no_compressing(*args, **kwargs):
        raise AssertionError("compressed while answering a request")

    monkeypatch.setattr(benchmark.gzip, "compress", no_compressing)
    with benchmark.serve(site, overlay) as base:
        headers, body = _get(base + "big.js")
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (site / "big.js").read_bytes()
        headers, body = _get(base + benchmark.BENCH_DIR + "official/pyodide.asm.js")
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (overlay / "official/pyodide.asm.js").read_bytes()
        headers, body = _get(base + "demo.whl")
        assert "Content-Encoding" not in headers
        assert body == (site / "demo.whl").read_bytes()


def test_a_changed_file_is_compressed_afresh(served):
    site, overlay = served
    benchmark.precompress(site, overlay)
    file = site / "big.js"
    file.write_bytes(b"changed\n" * 1000)
    os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns + 10**9))
    with benchmark.serve(site, overlay) as base:
        headers, body = _get(base + "big.js")
    assert gzip.decompress(body) == b"changed\n" * 1000


def test_without_precompressing_the_first_request_compresses(served, monkeypatch):
    """The check above can fail: with nothing compressed beforehand, the request must compress."""
    site, overlay = served
    calls = []
    real = gzip.compress
    monkeypatch.setattr(benchmark.gzip, "compress", lambda data, **kw: calls.append(len(data)) or real(data, **kw))
    with benchmark.serve(site, overlay) as base:
        _get(base + "big.js")
    assert calls == [len((site / "big.js").read_bytes())]


def test_a_symlink_is_compressed_as_the_file_it_resolves_to(served):
    site, overlay = served
    benchmark.precompress(overlay)
    target = Path(os.path.realpath(overlay / "official/pyodide.asm.js"))
    before = benchmark._gzipped.cache_info()
    benchmark._gzipped(target, target.stat().st_mtime_ns)  # what do_GET asks for
    after = benchmark._gzipped.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
