"""WCAG 2.2 A+AA by axe-core (npm, pinned in package.json): no serious or critical violation.

Every page of both editions is checked as it loads, and a chapter again after a demo has
run and with the search dialog open and answering, in the light and the dark palette, since
those states add markup and colours that a freshly loaded page does not have.  axe is injected from node_modules, so the check runs
offline against the same built site as the other browser tests.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import page_paths, run_and_wait
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
HANT = "zh-Hant/"
# Nothing is left out of the check; a selector here would be (e.g. while a fix is on its way).
EXCLUDE: list[str] = []

# In the page: axe's WCAG A+AA rules; only what a reader would meet (serious, critical),
# as {id, impact, help, targets}.
RUN_AXE = """async ([tags, blocking, within, exclude]) => {
  const context = { include: [[within]], exclude: exclude.map((s) => [s]) };
  const result = await axe.run(context, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}"""

# Check the page as drawn, with what a reader can unfold unfolded (worked examples, answers):
# demo blocks mounted (a module script), fonts in (they change widths, hence which boxes
# scroll), then two frames for assets/js/a11y.js's pass after them.  The page lets the
# browser skip laying out blocks far from the viewport (content-visibility, overrides/
# main.html); axe reads colours and overflow from the layout, so check() draws every block
# first, as a reader scrolling through would have it (DRAW_ALL).
MOUNTED = "() => [...document.querySelectorAll('.demo[data-demo]')].every((b) => b.dataset.mounted)"
UNFOLD_AND_SETTLE = """async () => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def axe_violations(page, within="html") -> list[dict]:
    """The serious and critical WCAG A+AA violations on the page (or in `within`) as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [TAGS, list(BLOCKING), within, EXCLUDE])


def report(found: dict[str, list[dict]]) -> str:
    """One line per violation and page: rule id, impact, what it means, the elements' selectors."""
    lines = []
    for where, violations in found.items():
        for v in violations:
            targets = ", ".join(v["targets"][:8]) + (f" (+{len(v['targets']) - 8})" if len(v["targets"]) > 8 else "")
            lines.append(f"/{where}: {v['id']} [{v['impact']}] {v['help']} — {targets}")
    return "\n".join(lines)


# Colours are measured as drawn: wait out fades and palette transitions (not endless spinners).
STILL = """() => document.getAnimations().every(
  (a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)"""


DRAW_ALL = """async () => {
  if (!document.getElementById("axe-draw-all")) {
    const drawn = document.createElement("style");
    drawn.id = "axe-draw-all";
    drawn.textContent = ".md-content__inner > *, .exercise > * { content-visibility: visible !important; }";
    document.head.append(drawn);
  }
  window.dispatchEvent(new Event("resize"));  // assets/js/a11y.js measures the scroll boxes again
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def check(page, found, where, within="html"):
    page.evaluate(DRAW_ALL)
    page.wait_for_function(STILL)
    violations = axe_violations(page, within)
    if violations:
        found[where] = violations


@pytest.mark.parametrize("edition", ["", HANT], ids=["zh-Hans", "zh-Hant"])
def test_every_page_has_no_serious_axe_violation(page, site_url, site_dir, watch, edition):
    paths = [p for p in page_paths(site_dir) if p.startswith(HANT) == (edition == HANT)]
    assert len(paths) > 10, paths  # every chapter, the home page and the glossary at least
    found = {}
    for path in [*paths, edition + "404.html"]:
        page.goto(site_url + path)
        page.wait_for_function(MOUNTED)
        page.evaluate(UNFOLD_AND_SETTLE)
        check(page, found, path)
    assert not found, "axe (WCAG 2.2 AA):\n" + report(found)


def open_search(page):
    """Open Material's search dialog and wait for its answer to a query."""
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.fill("扩散")
    page.locator(".md-search-result__item").first.wait_for(state="visible")


def test_no_serious_axe_violation_after_a_demo_ran_and_with_search_open_in_both_palettes(page, site_url, watch):
    found = {}
    page.goto(site_url + "01-intro/")
    state, status = run_and_wait(page)
    assert state == "done", status
    check(page, found, "01-intro/ after 运行")
    open_search(page)  # the dialog covers the page, which was just checked: check the dialog
    check(page, found, "01-intro/ search open", within=".md-search")
    page.keyboard.press("Escape")
    page.locator("label[title='切换到深色模式']").click()  # the header's palette toggle
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    check(page, found, "01-intro/ after 运行, dark palette")
    open_search(page)
    check(page, found, "01-intro/ search open, dark palette", within=".md-search")
    assert not found, "axe (WCAG 2.2 AA):\n" + report(found)
