"""Browser fixtures: Debian's Chromium (or $CHROMIUM), console and request watching.

Every test fails if the page logged a console error or requested anything
outside the site's origin, unless the test expects errors (it then calls
``watch.expect_errors()``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from scripts import paths

CHROMIUM = paths.CHROMIUM
RUN_TIMEOUT_MS = 90_000  # a cold Pyodide start on a slow CI machine, with margin


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": paths.CHROMIUM_ARGS,  # as root, no sandbox, no background traffic
    }


class Watch:
    """What a page did: console errors, requests, and whether errors are expected."""

    def __init__(self, page, origin):
        self.origin = origin
        self.errors, self.requests = [], []
        self.expected_errors = False
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("worker", lambda w: w.on("console", lambda m: m.type == "error" and self.errors.append(m.text)))
        page.on("console", lambda m: print(f"[console.{m.type}] {m.text}"))

    def expect_errors(self):
        self.expected_errors = True

    def foreign(self):
        return [u for u in self.requests if urlsplit(u).scheme in ("http", "https") and not u.startswith(self.origin)]

    def pyodide_requests(self):
        return [u for u in self.requests if "/pyodide/" in u]


@pytest.fixture
def watch(page, site_url):
    w = Watch(page, site_url)
    page.set_default_timeout(15_000)  # clicks and lookups; runs wait RUN_TIMEOUT_MS
    yield w
    assert not w.foreign(), f"requests outside the origin: {w.foreign()}"
    if not w.expected_errors:
        assert not w.errors, f"console errors: {w.errors}"
