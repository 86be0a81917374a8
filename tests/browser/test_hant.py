"""The zh-Hant edition in Chromium: the language switch keeps the page and the section, a demo
runs and answers in Traditional Chinese, reading fetches no Pyodide file, and a zh-TW browser
gets a suggestion, never a redirect."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import block, run_and_wait
from tests.build.hant_checks import simplified_left

pytestmark = pytest.mark.browser


HEADING_INDEX = """id => [...document.querySelectorAll('article h1[id], article h2[id], article h3[id], article h4[id]')]
    .findIndex(h => h.id === id)"""


def _hash(page) -> str:
    return unquote(page.url.partition("#")[2])


def _switch(page, lang, url):
    """Pick `lang` in the header's language menu and wait for the twin page at `url` (any hash)."""
    page.wait_for_load_state("networkidle")  # the page's scripts (the switch among them) are in
    page.locator(".md-header .md-select").hover()
    page.locator(f'a.md-select__link[hreflang="{lang}"]').click()
    page.wait_for_url(lambda u: unquote(u).partition("#")[0] == url)
    page.wait_for_load_state()


def test_switch_keeps_the_page_and_the_section(page, site_url, watch):
    page.goto(site_url + "09-diffusion/#动手试试")
    page.wait_for_load_state("networkidle")
    # Material's toc tracking may move the hash to the section on screen: that is the one to keep
    section = page.evaluate(HEADING_INDEX, _hash(page))
    assert section > 0
    _switch(page, "zh-Hant", site_url + "zh-Hant/09-diffusion/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.evaluate(HEADING_INDEX, _hash(page)) == section
    assert _hash(page) != "动手试试" and not simplified_left(_hash(page))
    _switch(page, "zh-Hans", site_url + "09-diffusion/")
    assert page.evaluate(HEADING_INDEX, _hash(page)) == section


def test_switch_keeps_a_shared_demo_link(page, site_url, watch):
    page.goto(site_url + "zh-Hant/01-intro/#demo-text_continuation?temperature=0.5")
    expect(block(page).locator("input[name=temperature]")).to_have_value("0.5")
    # What Material's tracking does once the block has scrolled into view: the address now
    # names the section, not the link. The switch must still carry the link.
    page.evaluate("() => history.replaceState(history.state, '', '#' + document.querySelector('h2[id]').id)")
    assert "?" not in page.evaluate("location.hash")
    _switch(page, "zh-Hans", site_url + "01-intro/")
    arrival = page.evaluate("window.__courseArrival")  # the address the twin page arrived with
    assert arrival["path"] == "/01-intro/" and unquote(arrival["hash"]) == "#demo-text_continuation?temperature=0.5"
    expect(block(page).locator("input[name=temperature]")).to_have_value("0.5")


def test_a_zh_hant_demo_runs_and_answers_in_traditional(page, site_url, watch):
    page.goto(site_url + "zh-Hant/01-intro/")
    b = block(page)
    assert b.locator("[data-action=run]").inner_text() == "執行"
    state, status = run_and_wait(page)
    assert state == "done", status
    assert "耗時" in status and not simplified_left(status)
    output = b.locator("[data-role=output]").inner_text()
    assert output.strip() and not simplified_left(output), output
    assert any(ch in output for ch in "語們這來個與")


def test_a_zh_hant_bad_value_gets_a_traditional_message(page, site_url, watch):
    page.goto(site_url + "zh-Hant/01-intro/")
    b = block(page)
    b.locator("input[name=prompt]").fill("")
    b.locator("[data-action=run]").click()
    status = b.locator("[data-role=status]").inner_text()
    assert status and not simplified_left(status), status


def test_read_only_zh_hant_page_fetches_no_pyodide(page, site_url, watch):
    page.goto(site_url + "zh-Hant/09-diffusion/")
    page.mouse.wheel(0, 4000)
    page.wait_for_load_state("networkidle")
    assert not watch.pyodide_requests()
    assert block(page, "denoise_image").get_attribute("data-state") == "idle"


def test_zh_tw_browser_gets_a_suggestion_not_a_redirect(browser, site_url):
    context = browser.new_context(locale="zh-TW")
    try:
        page = context.new_page()
        page.goto(site_url + "03-transformer/")
        note = page.locator(".course-edition-note")
        note.wait_for()
        assert page.url == site_url + "03-transformer/"
        assert note.locator("a").get_attribute("href").endswith("zh-Hant/03-transformer/")
        note.locator("button").click()
        assert note.count() == 0
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator(".course-edition-note").count() == 0
    finally:
        context.close()


def test_zh_cn_browser_gets_no_suggestion(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(site_url + "03-transformer/")
        page.wait_for_load_state("networkidle")
        assert page.locator(".course-edition-note").count() == 0
    finally:
        context.close()
