"""Shared fixtures: one strict build of the site per test session, served on 127.0.0.1.

The server's port is chosen first and the site is built with that address as
its ``site_url`` (``SITE_URL``), because Material's instant navigation only
intercepts links whose host and port match the sitemap.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args):
        pass


def _built_port(folder: Path) -> int:
    """The 127.0.0.1 port a reused build was made for (its sitemap's first URL), else 0 (any).

    Material's instant navigation only takes links on the site's own URL: serving a reused
    build on another port would test plain page loads instead."""
    sitemap = folder / "sitemap.xml"
    m = re.search(r"<loc>http://127\.0\.0\.1:(\d+)/", sitemap.read_text()) if sitemap.is_file() else None
    return int(m.group(1)) if m else 0


@pytest.fixture(scope="session")
def _server(tmp_path_factory):
    """A bound (not yet serving) HTTP server and the folder it will serve."""
    folder = Path(os.environ.get("COURSE_SITE_DIR") or tmp_path_factory.mktemp("site"))
    handler = functools.partial(_QuietHandler, directory=str(folder))
    port = _built_port(folder) if os.environ.get("COURSE_SITE_DIR") else 0
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:  # that port is taken: serve anyway, without instant navigation
        warnings.warn(f"port {port} is taken: the reused build is served without instant navigation", stacklevel=1)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    yield server, folder
    server.server_close()


@pytest.fixture(scope="session")
def site_dir(_server) -> Path:
    """The site built with `mkdocs build --strict`; the build's log is kept for checks.

    For quick iteration on browser tests, COURSE_SITE_DIR names an already built site; build it
    with SITE_URL=http://127.0.0.1:PORT/ so that it is served on its own URL (instant navigation).
    """
    server, out = _server
    if os.environ.get("COURSE_SITE_DIR"):
        return out
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{server.server_address[1]}/"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    (out.parent / "build.log").write_text(proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


@pytest.fixture(scope="session")
def site_url(_server, site_dir):
    """The built site served on 127.0.0.1, for the browser tests."""
    server, _ = _server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
