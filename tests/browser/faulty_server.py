"""A static server for the built site that misbehaves on purpose, one file at a time.

``FaultyServer(site_dir)`` serves the site like the session's server; ``server.inject(name,
fault)`` makes every request whose path ends with ``name`` fail in one of the ways real hosts
do, until ``server.clear()``.  Faulty responses are never cacheable, so a 重试 after
``clear()`` really fetches the good file.

Faults:
  500        HTTP 500 with an HTML error page
  mime       the file with a wrong Content-Type (application/octet-stream, text/plain for scripts)
  truncate   the full Content-Length announced, half the bytes sent, connection closed
  short      a truncated file served consistently (Content-Length of the short body)
  html       a captive-portal login page (text/html, status 200) instead of the file
  stall      headers and the first 64 KB, then nothing until clear() (or 120 s)
  slow       nothing at all for SLOW_S seconds (a slow first byte), then the file
"""

from __future__ import annotations

import functools
import http.server
import os
import threading

from tests.conftest import _QuietHandler

SLOW_S = 12.0  # longer than the tests' watchdog
PORTAL = b"<!doctype html><html><head><title>\xe7\x99\xbb\xe5\xbd\x95</title></head><body>Login required</body></html>"
FAULTS = ("500", "mime", "truncate", "short", "html", "stall", "slow")


class _FaultyHandler(_QuietHandler):
    server: FaultyServer

    def do_GET(self):  # noqa: N802 (http.server's naming)
        fault = self.server.fault_for(self.path.split("?")[0])
        if fault is None:
            return super().do_GET()
        getattr(self, f"_fault_{fault}")()

    def _file(self) -> bytes:
        path = self.translate_path(self.path)
        with open(path, "rb") as f:
            return f.read()

    def _send(self, status, ctype, body: bytes, length=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _fault_500(self):
        self._send(500, "text/html", b"<h1>500 Internal Server Error</h1>")

    def _fault_mime(self):
        wrong = "text/plain" if self.path.endswith((".js", ".mjs")) else "application/octet-stream"
        self._send(200, wrong, self._file())

    def _fault_truncate(self):
        body = self._file()
        self.close_connection = True
        self._send(200, self.guess_type(self.translate_path(self.path)), body[: len(body) // 2], length=len(body))

    def _fault_short(self):
        body = self._file()
        self._send(200, self.guess_type(self.translate_path(self.path)), body[: len(body) // 2])

    def _fault_html(self):
        self._send(200, "text/html; charset=utf-8", PORTAL)

    def _fault_stall(self):
        body = self._file()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(self.translate_path(self.path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body[:65536])
        self.wfile.flush()
        self.server.released.wait(120)
        self.close_connection = True

    def _fault_slow(self):
        self.server.released.wait(SLOW_S)
        self._send(200, self.guess_type(self.translate_path(self.path)), self._file())


class FaultyServer(http.server.ThreadingHTTPServer):
    """The site on 127.0.0.1 with per-path faults; serve with ``start()``, end with ``stop()``."""

    daemon_threads = True

    def __init__(self, site_dir):
        super().__init__(("127.0.0.1", 0), functools.partial(_FaultyHandler, directory=os.fspath(site_dir)))
        self.faults: dict[str, str] = {}
        self.released = threading.Event()
        self._thread = None

    def handle_error(self, request, client_address):
        pass  # the browser hangs up on faulty responses; that is the point

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def fault_for(self, path: str):
        return next((f for name, f in self.faults.items() if path.endswith(name)), None)

    def inject(self, name: str, fault: str):
        assert fault in FAULTS, fault
        self.released.clear()
        self.faults = {name: fault}

    def clear(self):
        self.faults = {}
        self.released.set()  # stalled and slow responses end now

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.clear()
        self.shutdown()
        self.server_close()
