"""报告错误: the link carries the reader's selection, the page's address and section (the href, not GitHub)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

SELECT_SECOND_PARAGRAPH = """() => {
  const p = document.querySelectorAll("article p")[1];
  const range = document.createRange();
  range.selectNodeContents(p);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return getSelection().toString().replace(/\\s+/g, " ").trim();
}"""


def _body(link) -> str:
    return parse_qs(urlsplit(link.get_attribute("href")).query)["body"][0]


def test_erratum_link_carries_selection_and_section(page, site_url, watch):
    page.goto(site_url + "03-transformer/#动手试试")
    page.wait_for_selector(".demo[data-mounted]", state="attached")  # our scripts run after the first paint
    link = page.locator("a[data-erratum]")
    selected = page.evaluate(SELECT_SECOND_PARAGRAPH)
    assert selected
    link.dispatch_event("pointerdown")  # what a press does first; no navigation to GitHub
    body = _body(link)
    first = body.split("\n")[0]
    assert first.startswith(f"位置：{site_url}03-transformer/#"), first
    assert "%E5%8A%A8%E6%89%8B" in first or "动手试试" in first
    quoted = body.split("原文：")[1].split("应为：")[0]
    assert selected[:40] in quoted
    assert len(quoted) < 400  # capped


def test_erratum_link_from_keyboard_without_selection(page, site_url, watch):
    page.goto(site_url + "01-intro/")
    page.wait_for_selector(".demo[data-mounted]", state="attached")  # our scripts run after the first paint
    page.evaluate("() => getSelection().removeAllRanges()")
    link = page.locator("a[data-erratum]")
    link.focus()
    body = _body(link)
    assert body.startswith(f"位置：{site_url}01-intro/") and "原文：\n\n应为：" in body
    assert link.get_attribute("target") == "_blank"
