"""A demo driven by the keyboard alone, as a screen-reader or keyboard user meets it.

Tab order, keys that change values, Enter and Space on buttons, what the live
regions say (announce.js), focus on an invalid value, the progress bar's value
text, the token strip and the frames by keyboard, the charts' table view, and
reduced motion.  Nothing is clicked: every action is a key press.
"""

from __future__ import annotations

import re

import pytest

from demos import text_continuation
from tests.browser.helpers import block, wait_state

pytestmark = pytest.mark.browser
CHAPTER = "01-intro/"
# The controls in declaration order, from the demo's own PARAMS (one source of truth).
CONTROLS = list(text_continuation.PARAMS)

# Every text the block's live regions and progress bar take, recorded as it happens
# (a stage may last a few milliseconds on a fast machine: polling could miss it).
RECORD = """el => {
  window.__heard = { announce: [], alert: [], valuetext: [] };
  const keep = (list, node) => () => { const t = node.textContent.trim(); if (t) list.push(t); };
  for (const role of ['announce', 'alert']) {
    const region = el.querySelector(`[data-role=${role}]`);
    new MutationObserver(keep(window.__heard[role], region)).observe(region, { childList: true, subtree: true, characterData: true });
  }
  const bar = el.querySelector('[data-role=progress]');
  new MutationObserver(() => window.__heard.valuetext.push(bar.getAttribute('aria-valuetext')))
    .observe(bar, { attributes: true, attributeFilter: ['aria-valuetext'] });
}"""


def focused(page):
    """(name or data-action, tag) of the focused element."""
    return page.evaluate(
        "() => { const a = document.activeElement; return [a.name || a.dataset.action || '', a.tagName]; }"
    )


def heard(page):
    return page.evaluate("window.__heard")


def test_tab_order_keys_enter_and_space_run_a_demo(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.evaluate(RECORD)
    b.locator(".demo__anchor").focus()  # the block's own first stop: its link
    order = []
    for _ in range(len(CONTROLS) + 1):
        page.keyboard.press("Tab")
        order.append(focused(page)[0])
    # the slider beside each number box is a touch handle, out of the tab order
    assert order == [*CONTROLS, "run"], order

    # Back to the prompt, retype it; ArrowUp raises 最多生成字数 by one step.
    for _ in range(len(CONTROLS)):
        page.keyboard.press("Shift+Tab")
    assert focused(page)[0] == "prompt"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("春天")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowUp")
    assert b.locator("input[name=length]").input_value() == "25"
    assert b.locator("input[type=range][data-slider-for=length]").input_value() == "25", "the slider follows"

    for _ in range(len(CONTROLS) - 1):
        page.keyboard.press("Tab")
    assert focused(page) == ["run", "BUTTON"]
    page.keyboard.press("Enter")
    # 运行 is disabled while busy: the focus moves to 停止 (not lost to the page), then back.
    page.wait_for_function("() => document.activeElement.dataset.action === 'stop'")
    assert wait_state(page, b) == "done", b.locator("[data-role=status]").inner_text()
    assert focused(page)[0] == "run"
    out = b.locator("[data-role=output]")
    assert out.inner_text().count("春天") >= 1
    assert 1 <= out.locator(".demo-tokens__chip").count() <= 25

    said = heard(page)
    assert said["announce"], "nothing was announced"
    assert re.match(r"完成，用时 \d+ 毫秒。结果：", said["announce"][-1]), said
    assert b.locator("[data-role=announce]").inner_text().startswith("完成")
    # one message per stage, never a message per downloaded chunk
    assert len(said["announce"]) <= 4, said["announce"]
    assert not said["alert"]
    assert said["valuetext"] and all(re.fullmatch(r"正在(下载运行环境 \d+%|\S.*)", t) for t in said["valuetext"])
    assert b.locator("[data-role=progress]").get_attribute("aria-label").endswith("运行环境加载进度")

    # Space on 恢复默认 (four stops after 运行: 停止 is disabled and skipped).
    page.keyboard.press("Tab")  # 复制链接
    page.keyboard.press("Tab")  # 恢复默认
    assert focused(page)[0] == "reset"
    page.keyboard.press("Space")
    assert b.locator("input[name=prompt]").input_value() == "台湾最高的山是"
    assert b.locator("input[name=length]").input_value() == "24"


def test_token_strip_moves_with_arrows_home_and_end(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.locator("[data-action=run]").focus()
    page.keyboard.press("Enter")
    assert wait_state(page, b) == "done"
    chips = b.locator(".demo-tokens__chip")
    n = chips.count()
    assert n >= 3
    # roving tabindex: exactly one chip is in the tab order
    assert b.locator(".demo-tokens__chip[tabindex='0']").count() == 1
    chips.first.focus()
    page.keyboard.press("ArrowRight")
    assert chips.nth(1).evaluate("c => c === document.activeElement && c.getAttribute('aria-pressed') === 'true'")
    assert b.locator(".demo-tokens__head").inner_text().startswith("第 2 步")
    assert re.search(r"^第 2 步：.+，概率 [\d.<]+%$", chips.nth(1).get_attribute("aria-label"))
    page.keyboard.press("End")
    assert b.locator(".demo-tokens__head").inner_text().startswith(f"第 {n} 步")
    page.keyboard.press("Home")
    assert b.locator(".demo-tokens__head").inner_text().startswith("第 1 步")
    assert b.locator(".demo-tokens__detail[aria-live]").count() == 0, "the panel is not a second live region"


def test_invalid_value_puts_focus_on_the_control_with_the_message_tied(page, site_url, watch):
    page.goto(site_url + CHAPTER)
    b = block(page)
    b.evaluate(RECORD)
    temperature = b.locator("input[name=temperature]")
    temperature.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("5")
    for _ in range(CONTROLS.index("temperature"), len(CONTROLS)):
        page.keyboard.press("Tab")
    assert focused(page)[0] == "run"
    page.keyboard.press("Enter")
    assert b.get_attribute("data-state") == "error"
    message = "参数「温度」应在 0 到 2 之间，收到的是 5。"
    assert focused(page)[0] == "temperature", "focus goes to the offending control"
    assert temperature.get_attribute("aria-invalid") == "true"
    ids = temperature.get_attribute("aria-describedby").split()
    assert page.locator(f"#{ids[0]}").inner_text() == message, "the message is tied to the control, first"
    assert page.locator(f"#{ids[1]}").inner_text().startswith("越低越保守"), "its help text too"
    assert temperature.get_attribute("aria-errormessage") == ids[0]
    assert not heard(page)["alert"], "focus carries the message; no second announcement"

    # Enter inside the field: the focus is already there, so the message is alerted instead.
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__heard.alert.length > 0")
    assert heard(page)["alert"][-1] == message

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("0.7")
    page.keyboard.press("Enter")
    assert wait_state(page, b) == "done"
    assert temperature.get_attribute("aria-invalid") is None
    assert temperature.get_attribute("aria-describedby") == ids[1]
    assert b.locator("[data-role=field-error]:visible").count() == 0


def test_frames_by_keyboard_charts_have_words_and_a_table(page, site_url, watch):
    page.emulate_media(reduced_motion="reduce")
    page.goto(site_url + "09-diffusion/")
    b = block(page, "diffusion_2d")
    run = b.locator("[data-action=run]")
    # reduced motion: Material's button transitions are off inside demo blocks
    assert run.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"
    run.focus()
    page.keyboard.press("Enter")
    assert wait_state(page, b) == "done"

    frames = b.locator(".demo-frames").first
    play = frames.locator(".demo-frames__play")
    slider = frames.locator(".demo-frames__slider")
    count = frames.locator(".demo-frames__count")
    total = int(count.inner_text().split("/")[1])
    assert count.inner_text() == f"1 / {total}" and play.get_attribute("data-state") == "paused", "no autoplay"
    slider.focus()
    page.keyboard.press("End")
    assert count.inner_text() == f"{total} / {total}"
    assert slider.get_attribute("aria-valuetext").endswith(f"（{total} / {total}）")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert count.inner_text() == f"2 / {total}"
    summary = frames.locator(".demo-alt__summary").inner_text()
    assert re.search(r"\d+ 个点，中心约 \(", summary), summary
    page.keyboard.press("Shift+Tab")
    assert focused(page)[1] == "BUTTON" and play.get_attribute("aria-label") == "播放动画"
    page.keyboard.press("Space")
    assert play.get_attribute("aria-label") == "暂停动画"
    page.keyboard.press("Space")
    assert play.get_attribute("aria-label") == "播放动画"

    # Every chart has words: an SVG is an image with a name, each chart a summary with numbers.
    for svg in b.locator("svg.demo-svg").all():
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label")
    line = b.locator(".demo-view--line").first
    assert re.search(r"从 -?[\d.]+ 到 -?[\d.]+", line.locator(".demo-alt__summary").inner_text())
    toggle = line.locator(".demo-alt__toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "隐藏表格"
    table = page.locator(f"#{toggle.get_attribute('aria-controls')} table")
    assert table.locator("tbody tr").count() >= 2
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "false" and table.is_hidden()
