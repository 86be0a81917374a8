"""Our module scripts start once the page has been drawn (overrides/partials/modules.html).

- They are requested only after the first contentful paint.
- A click on 运行 before its block is mounted is not lost: main.js replays it. The test holds
  main.js back at the network until it has clicked, so the click surely comes first.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import wait_state

TIMING = """() => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const main = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/assets/js/main.js"));
  return { fcp: fcp && fcp.startTime, main: main && main.startTime };
}"""


def test_modules_start_after_the_first_paint(page, site_url, watch):
    page.goto(site_url + "01-intro/")
    page.wait_for_function("() => document.querySelectorAll('.demo[data-demo]:not([data-mounted])').length === 0")
    timing = page.evaluate(TIMING)
    assert timing["fcp"] is not None and timing["main"] is not None
    assert timing["main"] >= timing["fcp"], timing


def test_a_click_before_the_block_is_mounted_is_replayed(page, site_url, watch):
    held, released = [], []

    def hold(route):  # main.js waits at the network until the test has clicked
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/assets/js/main.js", hold)
    with page.expect_request("**/assets/js/main.js"):
        page.goto(site_url + "01-intro/", wait_until="domcontentloaded")
    b = page.locator('.demo[data-demo="text_continuation"]').first  # not helpers.block: it waits for the mount
    run = b.locator("[data-action=run]")
    run.click()
    assert b.get_attribute("data-mounted") is None, "main.js is held back: the block is not mounted yet"
    assert run.get_attribute("data-pending-click") == "", "the early click was kept"
    released.append(True)
    for route in held:
        route.continue_()
    expect(b).to_have_attribute("data-mounted", "true")
    assert wait_state(page, b) == "done"
    assert run.get_attribute("data-pending-click") is None
