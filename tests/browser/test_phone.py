"""Demo and exercise blocks on phones: 360×740 and 390×844 with touch emulation.

On every chapter page no block scrolls sideways (nor the page), and every slider is
a touch target at least 44 px tall.  One demo page is also checked after its run,
when charts, animated frames and tables are on it.  One browser (the session's),
one context per screen size, no run except that one: the whole file takes well
under a minute.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import block, demo_blocks, page_paths, wait_state

pytestmark = pytest.mark.browser
PHONES = [(360, 740), (390, 844)]
MIN_TARGET_PX = 44
RUN_PAGE, RUN_DEMO = "09-diffusion/", "diffusion_2d"  # scatter, line, frames, tables: the widest output

# Every block and the document: sideways overflow (1 px of rounding allowed), and sliders shorter than a finger.
MEASURE = """min => {
  const wide = (el) => el.scrollWidth > el.clientWidth + 1;
  const doc = document.scrollingElement;
  const blocks = [...document.querySelectorAll('.demo, .exercise')];
  return {
    blocks: blocks.length,
    document: wide(doc) ? [doc.scrollWidth, doc.clientWidth] : null,
    wide: blocks.filter(wide).map((b) => `${b.id}: ${b.scrollWidth} > ${b.clientWidth}`),
    small: [...document.querySelectorAll('.demo input[type=range], .exercise input[type=range]')]
      .filter((r) => r.getClientRects().length && r.getBoundingClientRect().height < min)
      .map((r) => `${r.closest('[id]')?.id} ${r.dataset.sliderFor || r.className}: ${r.getBoundingClientRect().height}px`),
    sliders: document.querySelectorAll('.demo input[type=range]').length,
  };
}"""


@pytest.fixture(params=PHONES, ids=lambda s: f"{s[0]}x{s[1]}")
def phone(request, browser, site_url):
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def chapters(site_dir):
    """Every page with a demo or an exercise block (Simplified edition; zh-Hant has the same HTML)."""
    return [p for p in page_paths(site_dir) if not p.startswith("zh-Hant")]


def test_no_block_scrolls_sideways_and_sliders_are_touch_sized(phone, site_url, site_dir):
    checked, sliders = 0, 0
    for path in chapters(site_dir):
        phone.goto(site_url + path)
        m = phone.evaluate(MEASURE, MIN_TARGET_PX)
        assert m["document"] is None, f"{path}: the page scrolls sideways {m['document']}"
        assert not m["wide"], f"{path}: {m['wide']}"
        assert not m["small"], f"{path}: sliders under {MIN_TARGET_PX} px: {m['small']}"
        checked += m["blocks"]
        sliders += m["sliders"]
    assert checked >= len(demo_blocks()), "every demo block was measured"
    assert sliders > 0


def test_a_run_output_fits_the_phone(phone, site_url):
    phone.goto(site_url + RUN_PAGE)
    b = block(phone, RUN_DEMO)
    b.locator("[data-action=run]").tap()
    assert wait_state(phone, b) == "done", b.locator("[data-role=status]").inner_text()
    # Charts redraw at the width they are shown at (ResizeObserver, next frame): wait for that frame.
    phone.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    m = phone.evaluate(MEASURE, MIN_TARGET_PX)
    assert m["document"] is None and not m["wide"], m
    assert not m["small"], m["small"]
    assert b.locator(".demo-frames__slider").count() >= 1
