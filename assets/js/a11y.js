/**
 * Site-wide accessibility that needs the page as drawn (README 「无障碍」).
 *
 * A region that scrolls sideways — a wide table (Material wraps it in a scroll box when the
 * page is shown) or a wide formula — can only be scrolled with a mouse or a finger unless it
 * can take focus (WCAG 2.1.1; axe scrollable-region-focusable).  Material does this for code
 * blocks; here the same for tables and display math, only while they overflow, re-checked
 * when the window is resized, a hidden part is shown (a <details> opened, a tab chosen) or a
 * block far down the page is first drawn.
 * Demo blocks manage their own focus (demo-block.js).
 */

const SCROLLERS = ".md-typeset .md-typeset__scrollwrap, .md-typeset div.arithmatex";

/** Make overflowing scroll boxes focusable, and undo it for those that no longer overflow. */
export function markScrollers(root = document) {
  for (const el of root.querySelectorAll(SCROLLERS)) {
    if (el.closest(".demo")) continue;
    // A block not drawn yet (content-visibility) is measured when it is: reading its width now
    // would force the layout the browser skipped, on every page load.
    if (el.checkVisibility && !el.checkVisibility({ contentVisibilityAuto: true })) continue;
    const overflows = el.scrollWidth > el.clientWidth + 1;
    const ours = el.hasAttribute("data-a11y-scroll");
    if (overflows && !el.hasAttribute("tabindex")) {
      el.tabIndex = 0;
      el.setAttribute("data-a11y-scroll", "");
    } else if (!overflows && ours) {
      el.removeAttribute("tabindex");
      el.removeAttribute("data-a11y-scroll");
    }
  }
}

let pending = 0;
function soon() {
  cancelAnimationFrame(pending);
  // after Material's own handlers for the page (it wraps the tables) and after layout
  pending = requestAnimationFrame(() => markScrollers());
}

// Material's document$ announces every page, including those of instant navigation.
if (window.document$?.subscribe) window.document$.subscribe(soon);
else soon();
window.addEventListener("resize", soon, { passive: true });
document.addEventListener("toggle", soon, true); // <details> (toggle does not bubble)
document.addEventListener("change", soon); // pymdownx.tabbed's radio buttons
document.fonts?.ready.then(soon); // KaTeX's fonts change the formulas' widths
// Blocks far from the viewport are not laid out (content-visibility: auto, overrides/main.html),
// so their widths read as nothing until the reader scrolls near: measure again then.
document.addEventListener("contentvisibilityautostatechange", soon, true);
