"""Every Python file a reader runs is hash-checked: a tampered demos wheel is refused like any load
failure, in either edition (the zh-Hant edition loads its own wheel from the same lock)."""

from __future__ import annotations

import re

import pytest

from scripts.editions.convert import convert
from tests.browser.helpers import block, run_and_wait, wait_state

pytestmark = pytest.mark.browser
DEMOS_WHEEL = re.compile(r".*/pyodide/genai_course_demos-[^/]*\.whl$")
HANT_WHEEL = re.compile(r".*/pyodide/genai_course_demos_zh_hant-[^/]*\.whl$")


@pytest.mark.parametrize(
    ("edition", "wheel", "name"),
    [("", DEMOS_WHEEL, "genai_course_demos-"), ("zh-Hant/", HANT_WHEEL, "genai_course_demos_zh_hant-")],
    ids=["zh-Hans", "zh-Hant"],
)
def test_a_tampered_demos_wheel_is_refused_and_retry_works_once_restored(page, site_url, watch, edition, wheel, name):
    watch.expect_errors()

    def tamper(route):
        body = bytearray(route.fetch().body())
        body[len(body) // 2] ^= 0xFF  # one bit flip inside a compressed .py file
        route.fulfill(body=bytes(body), content_type="application/octet-stream")

    page.route(wheel, tamper)
    page.goto(site_url + edition + "01-intro/")
    state, text = run_and_wait(page)
    failed = convert("运行环境加载失败") if edition else "运行环境加载失败"
    assert state == "error" and failed in text, text
    assert name in text, text  # the refused file is named
    retry = block(page).locator("[data-action=retry]")
    assert retry.is_visible()
    page.unroute(wheel)
    retry.click()
    assert wait_state(page, block(page)) == "done"
