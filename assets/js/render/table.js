// Renders a "table" view: an HTML table in a horizontally scrolling box,
// numbers right-aligned and formatted, null shown as a dash.
import { el, fmt, isNum } from "./svg.js";

/** One body cell; the class decides alignment (numbers right, text left). */
function cell(value) {
  if (value === null || value === undefined) return el("td", { class: "demo-table__null" }, "—");
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e15) {
    // Counts (parameters, tokens) read best in full, grouped by thousands.
    return el("td", { class: "demo-table__num" }, value.toLocaleString("en-US"));
  }
  if (typeof value === "number") {
    // Keep the exact value reachable (tooltip) when formatting shortens it.
    const text = fmt(value, 4);
    return el(
      "td",
      { class: "demo-table__num", title: isNum(value) && text !== String(value) ? String(value) : null },
      text,
    );
  }
  return el("td", {}, String(value));
}

/** Which columns hold numbers (every non-null cell is a number), so their headers align right too. */
function numericColumns(columns, rows) {
  return columns.map((_, j) => {
    const values = rows.map((r) => r[j]).filter((v) => v !== null && v !== undefined);
    return values.length > 0 && values.every((v) => typeof v === "number");
  });
}

export function render(view) {
  const columns = (view.columns || []).map(String);
  const rows = Array.isArray(view.rows) ? view.rows : [];
  const numeric = numericColumns(columns, rows);
  const head = el(
    "thead",
    {},
    el(
      "tr",
      {},
      // An empty corner heading is a plain cell: a header with no text names nothing.
      columns.map((c, j) =>
        c.trim() ? el("th", { scope: "col", class: numeric[j] ? "demo-table__num" : null }, c) : el("td", {}),
      ),
    ),
  );
  const body = el(
    "tbody",
    {},
    rows.map((row) => el("tr", {}, (Array.isArray(row) ? row : [row]).map(cell))),
  );
  // tabindex lets keyboard users scroll a wide table; the region label says what it is.
  return el(
    "div",
    { class: "demo-table", tabindex: "0", role: "region", "aria-label": view.title || "表格" },
    // A class of its own keeps Material's `table:not([class])` styles away; views.css styles it.
    el("table", { class: "demo-table__table" }, [head, body]),
  );
}
