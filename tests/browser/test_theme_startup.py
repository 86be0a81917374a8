"""Material starts without restyling the whole page (assets/js/theme-startup.js, inlined in <head>).

A MutationObserver, installed before the page's first byte is parsed, records every
data-md-color-switching Material puts on <body>: none while the page starts, one for each
switch the reader makes (the attribute still turns transitions off then).
"""

from __future__ import annotations

RECORD = """
window.__switching = [];
new MutationObserver((records) => {
  for (const r of records)
    if (r.target === document.body && r.attributeName === "data-md-color-switching")
      window.__switching.push(document.body.hasAttribute("data-md-color-switching") ? "set" : "removed");
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-md-color-switching"] });
"""


def test_start_up_sets_no_switching_and_a_switch_still_does(page, site_url, watch):
    page.add_init_script(RECORD)
    page.goto(site_url + "03-transformer/")
    page.wait_for_function("() => window.document$ && document.querySelector('meta[name=color-scheme]')")
    classes = page.evaluate("[...document.documentElement.classList]")
    assert "js" in classes and "no-js" not in classes and "js-focus-visible" in classes
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("window.__switching") == [], "no page-wide restyle at start-up"

    page.locator("label[title='切换到深色模式']").click()  # the reader's switch
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function("() => window.__switching.join() === 'set,removed'")
    page.locator("label[title='切换到浅色模式']").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    page.wait_for_function("() => window.__switching.length === 4")
