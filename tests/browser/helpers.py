"""Small helpers for driving a demo block by its DOM contract."""

from __future__ import annotations

import re

from tests.browser.conftest import RUN_TIMEOUT_MS
from tests.conftest import ROOT


def block(page, demo="text_continuation"):
    """The first block of `demo`, once main.js has mounted it (it starts after the first paint,
    which on a warm reload may come after `load`: overrides/partials/modules.html)."""
    page.wait_for_selector(f'.demo[data-demo="{demo}"][data-mounted]', state="attached")
    return page.locator(f'.demo[data-demo="{demo}"]').first


def wait_state(page, b, states=("done", "error")):
    """Wait until the block's data-state is one of `states`; return it."""
    page.wait_for_function(
        "([el, states]) => states.includes(el.dataset.state)",
        arg=[b.element_handle(), list(states)],
        timeout=RUN_TIMEOUT_MS,
    )
    return b.get_attribute("data-state")


def run_and_wait(page, demo="text_continuation"):
    """Click 运行 and wait until the run ends; return (state, status text)."""
    b = block(page, demo)
    b.locator("[data-action=run]").click()
    state = wait_state(page, b)
    return state, b.locator("[data-role=status]").inner_text()


def page_paths(site_dir):
    paths = []
    for p in sorted(site_dir.rglob("index.html")):
        rel = p.parent.relative_to(site_dir).as_posix()
        if rel.startswith(("assets", "search")):
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


def demo_blocks():
    """(page path, demo name) for every demo fence in docs/: new chapters are covered by themselves."""
    out = []
    for md in sorted((ROOT / "docs").glob("*.md")):
        path = "" if md.stem == "index" else md.stem + "/"
        names = re.findall(r"^```demo\s*\n\s*name:\s*([a-z0-9_]+)", md.read_text(encoding="utf-8"), re.M)
        out += [(path, name) for name in dict.fromkeys(names)]
    return out
