// Text alternatives for the charts, one mechanism for every renderer: a chart
// is wrapped with a short caption that states its key numbers (visible, so it
// helps every reader) and, when the renderer can list its data, a 「以表格查看」
// button (aria-expanded) that shows the same numbers as a table.  The table is
// built on first open, so a chart nobody asks about costs nothing extra.
// Each renderer computes its own summary and rows from the view it drew.

import { el, fmt, isNum } from "./svg.js";
import { render as renderTable } from "./table.js";

/** Most rows a table view lists; longer series are sampled evenly (first and last kept). */
export const MAX_TABLE_ROWS = 200;

let uid = 0;

/** Indices 0…n-1, or at most `max` of them evenly spaced (first and last included). */
export function sampleIndices(n, max = MAX_TABLE_ROWS) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...out];
}

/** "名 值" pairs for the largest and smallest of `values` (labels[i] names value i). */
export function extremes(labels, values) {
  let hi = -1;
  let lo = -1;
  values.forEach((v, i) => {
    if (!isNum(v)) return;
    if (hi < 0 || v > values[hi]) hi = i;
    if (lo < 0 || v < values[lo]) lo = i;
  });
  if (hi < 0) return null;
  return { hi: [labels[hi], values[hi]], lo: [labels[lo], values[lo]] };
}

/** A number for a summary sentence. */
export const num = (v) => fmt(v, 3);

/**
 * Wrap `chart` (a Node) with its text alternative.  `summary`: one or two sentences
 * with the key numbers; `table`: () => {columns, rows, note?} (or null for none);
 * `title`: what the table is of.  With `hidden: true` the summary is for screen
 * readers only (the chart is text already, e.g. the token strip).
 */
export function withAlt(chart, { summary = "", table = null, title = "", hidden = false } = {}) {
  const parts = [chart];
  const caption = el("p", { class: hidden ? "demo-alt__summary demo-sr-only" : "demo-alt__summary" }, summary);
  if (summary) parts.push(caption);
  if (table) {
    const id = `demo-alt-table-${++uid}`;
    const box = el("div", { class: "demo-alt__table", id, hidden: true });
    const button = el(
      "button",
      { type: "button", class: "demo-alt__toggle", "aria-expanded": "false", "aria-controls": id },
      "以表格查看",
    );
    button.addEventListener("click", () => {
      const open = box.hidden;
      if (open && !box.childElementCount) {
        const data = table();
        box.append(renderTable({ columns: data.columns, rows: data.rows, title: `${title || "图表"}的数据表` }));
        if (data.note) box.append(el("p", { class: "demo-alt__note" }, data.note));
      }
      box.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "隐藏表格" : "以表格查看";
    });
    parts.push(button, box);
  }
  return el("div", { class: "demo-alt" }, parts);
}

/** Update the summary of a node made by withAlt (frames: the frame shown changes). */
export function setSummary(node, summary) {
  const caption = node.querySelector(":scope > .demo-alt__summary");
  if (caption) caption.textContent = summary;
}
