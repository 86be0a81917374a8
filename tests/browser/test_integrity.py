"""Every Python file a reader runs is hash-checked: a tampered demos wheel is refused like any load failure."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import block, run_and_wait, wait_state

pytestmark = pytest.mark.browser
DEMOS_WHEEL = re.compile(r".*/pyodide/genai_course_demos-[^/]*\.whl$")


def test_a_tampered_demos_wheel_is_refused_and_retry_works_once_restored(page, site_url, watch):
    watch.expect_errors()

    def tamper(route):
        body = bytearray(route.fetch().body())
        body[len(body) // 2] ^= 0xFF  # one bit flip inside a compressed .py file
        route.fulfill(body=bytes(body), content_type="application/octet-stream")

    page.route(DEMOS_WHEEL, tamper)
    page.goto(site_url + "01-intro/")
    state, text = run_and_wait(page)
    assert state == "error" and "运行环境加载失败" in text, text
    assert "genai_course_demos" in text, text  # the refused file is named
    retry = block(page).locator("[data-action=retry]")
    assert retry.is_visible()
    page.unroute(DEMOS_WHEEL)
    retry.click()
    assert wait_state(page, block(page)) == "done"
