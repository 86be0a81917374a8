"""Small helpers for driving a demo block by its DOM contract."""
from __future__ import annotations

from tests.browser.conftest import RUN_TIMEOUT_MS


def block(page, demo="text_continuation"):
    return page.locator(f'.demo[data-demo="{demo}"]').first


def wait_state(page, b, states=("done", "error")):
    """Wait until the block's data-state is one of `states`; return it."""
    page.wait_for_function("([el, states]) => states.includes(el.dataset.state)",
                           arg=[b.element_handle(), list(states)], timeout=RUN_TIMEOUT_MS)
    return b.get_attribute("data-state")


def run_and_wait(page, demo="text_continuation"):
    """Click 运行 and wait until the run ends; return (state, status text)."""
    b = block(page, demo)
    b.locator("[data-action=run]").click()
    state = wait_state(page, b)
    return state, b.locator("[data-role=status]").inner_text()
