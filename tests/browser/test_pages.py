"""Every page loads clean, reads without downloading Pyodide, and every demo runs with defaults."""

from __future__ import annotations

import pytest

from tests.browser.helpers import block, demo_blocks, page_paths, run_and_wait

pytestmark = pytest.mark.browser


def test_every_page_loads_without_errors_or_pyodide(page, site_url, site_dir, watch):
    for path in page_paths(site_dir):
        response = page.goto(site_url + path)
        assert response.ok, path
        page.mouse.wheel(0, 4000)
        page.wait_for_load_state("networkidle")
    assert not watch.pyodide_requests(), f"a page only read fetched {watch.pyodide_requests()}"
    assert not [u for u in watch.requests if u.endswith(".zip")]
    assert not [u for u in watch.requests if "/vendor/editor/" in u], "the code editor loads only when opened"


def test_read_only_chapter_fetches_no_pyodide_and_shows_the_fallback(page, site_url, watch):
    page.goto(site_url + "01-intro/")
    b = block(page)
    b.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert b.locator("[data-role=fallback] img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert not watch.pyodide_requests()
    assert b.get_attribute("data-state") == "idle"


@pytest.mark.parametrize("page_path, demo_name", demo_blocks())
def test_every_demo_runs_with_defaults(page, site_url, watch, page_path, demo_name):
    page.goto(site_url + page_path)
    state, status = run_and_wait(page, demo_name)
    assert state == "done", status
    b = block(page, demo_name)
    assert b.locator("[data-role=output] .demo-view").count() >= 1
    assert b.locator("[data-role=fallback]").is_hidden()
