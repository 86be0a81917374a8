// Renders a "heatmap" view: an SVG grid of cells whose colour goes from the
// page background (vmin) to the primary colour (vmax), with row and column
// labels, the number in each cell when the grid is at most 12×12, a
// "行→列: 值" tooltip per cell, hatching for null cells, and a colour key.
import { num, withAlt } from "./alt.js";
import {
  appendChildren,
  el,
  fitText,
  fmt,
  isNum,
  responsive,
  svgEl,
  svgRoot,
  textWidth,
  uniqueId,
  visibleLabel,
} from "./svg.js";

const LABEL_FONT = 11;
const MAX_CELL = 44;
const WIDE_CELL = 28;
const MAX_LABEL_W = 100;
const NUMBERS_UP_TO = 12;

/** The colour range: the view's vmin/vmax, or the data's when those are missing or empty. */
function range(view, matrix) {
  if (isNum(view.vmin) && isNum(view.vmax) && view.vmin < view.vmax) return [view.vmin, view.vmax];
  const values = matrix.flat().filter(isNum);
  if (!values.length) return [0, 1];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo < hi ? [lo, hi] : [lo - 1, hi + 1];
}

/** Digits and font size for in-cell numbers, or null when they would not fit. */
function cellText(matrix, cell) {
  for (const digits of [3, 2]) {
    const chars = Math.max(1, ...matrix.flat().map((v) => fmt(v, digits).length));
    const size = Math.min(LABEL_FONT, (cell - 4) / (chars * 0.6));
    if (size >= 8) return { digits, size };
  }
  return null;
}

/** Hatching for null cells; the id is unique on the page. */
function hatch(id) {
  return svgEl(
    "pattern",
    { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    svgEl("line", { class: "demo-heatmap__hatch", x1: 0, y1: 0, x2: 0, y2: 6 }),
  );
}

function draw(view, w) {
  const rows = (view.rows || []).map(visibleLabel);
  const cols = (view.cols || []).map(visibleLabel);
  const matrix = (Array.isArray(view.matrix) ? view.matrix : []).map((r) => (Array.isArray(r) ? r : []));
  const R = Math.max(rows.length, matrix.length);
  const C = Math.max(cols.length, ...matrix.map((r) => r.length));
  const [vmin, vmax] = range(view, matrix);

  const rowLabels = rows.map((s) => fitText(s, MAX_LABEL_W, LABEL_FONT));
  const rowW = Math.max(0, ...rowLabels.map((s) => textWidth(s, LABEL_FONT))) + 8;
  const cell = Math.max(4, Math.min(MAX_CELL, (w - rowW - 8) / Math.max(1, C)));
  // Column labels stay upright (shortened) in wide cells, else turn sideways.
  const colUpright = cell >= WIDE_CELL || cols.every((s) => textWidth(s, LABEL_FONT) <= cell - 2);
  const colLabels = cols.map((s) => fitText(s, colUpright ? cell - 2 : MAX_LABEL_W, LABEL_FONT));
  const colWidest = Math.max(0, ...colLabels.map((s) => textWidth(s, LABEL_FONT)));
  const colH = colUpright ? LABEL_FONT + 8 : colWidest + 8;
  // Thin labels when cells are shorter than a line of text.
  const every = Math.ceil((LABEL_FONT + 2) / cell);
  const numbers = R <= NUMBERS_UP_TO && C <= NUMBERS_UP_TO ? cellText(matrix, cell) : null;

  const width = rowW + C * cell + 8;
  const height = colH + R * cell + 4;
  const svg = svgRoot(width, height, view.title || "热力图");
  svg.classList.add("demo-svg--natural");
  const hatchId = uniqueId("demo-hatch");
  svg.append(svgEl("defs", {}, hatch(hatchId)));

  const labels = svgEl("g", { class: "demo-heatmap__labels", "font-size": LABEL_FONT });
  rowLabels.forEach((s, i) => {
    if (i % every) return;
    labels.append(
      svgEl("text", { x: rowW - 6, y: colH + (i + 0.5) * cell, dy: "0.32em", "text-anchor": "end" }, [
        s !== rows[i] ? svgEl("title", {}, rows[i]) : null,
        s,
      ]),
    );
  });
  colLabels.forEach((s, j) => {
    if (j % every) return;
    const x = rowW + (j + 0.5) * cell;
    const full = s !== cols[j] ? svgEl("title", {}, cols[j]) : null;
    labels.append(
      colUpright
        ? svgEl("text", { x, y: colH - 6, "text-anchor": "middle" }, [full, s])
        : svgEl(
            "text",
            { x, y: colH - 4, dy: "0.32em", "text-anchor": "start", transform: `rotate(-90 ${x} ${colH - 4})` },
            [full, s],
          ),
    );
  });

  const cells = svgEl("g", { class: "demo-heatmap__cells" });
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) {
      cells.append(
        cellNode(
          matrix[i]?.[j],
          rows[i] ?? "",
          cols[j] ?? "",
          rowW + j * cell,
          colH + i * cell,
          cell,
          (v) => (v - vmin) / (vmax - vmin),
          hatchId,
          numbers,
        ),
      );
    }
  }
  svg.append(labels, cells);
  return svg;
}

/** One cell: a rect tinted by value (or hatched for null), an optional number, and a tooltip. */
function cellNode(v, row, col, x, y, size, norm, hatchId, numbers) {
  const g = svgEl("g", {}, svgEl("title", {}, `${row}→${col}: ${fmt(v, 4)}`));
  if (!isNum(v)) {
    g.append(svgEl("rect", { class: "demo-heatmap__null", x, y, width: size, height: size, fill: `url(#${hatchId})` }));
    return g;
  }
  const t = Math.min(1, Math.max(0, norm(v)));
  g.append(
    svgEl("rect", { class: "demo-heatmap__cell", x, y, width: size, height: size, "fill-opacity": t.toFixed(3) }),
  );
  if (numbers) {
    g.append(
      svgEl(
        "text",
        {
          class: t > 0.55 ? "demo-heatmap__num demo-heatmap__num--dark" : "demo-heatmap__num",
          x: x + size / 2,
          y: y + size / 2,
          dy: "0.35em",
          "text-anchor": "middle",
          "font-size": numbers.size.toFixed(1),
        },
        fmt(v, numbers.digits),
      ),
    );
  }
  return g;
}

/** The colour key: vmin, a gradient bar, vmax. */
function key(view, matrix) {
  const [vmin, vmax] = range(view, matrix);
  return appendChildren(el("div", { class: "demo-heatmap__key", "aria-hidden": "true" }), [
    el("span", {}, fmt(vmin)),
    el("span", { class: "demo-heatmap__ramp" }),
    el("span", {}, fmt(vmax)),
  ]);
}

// --- text alternative (alt.js): the size and the extreme cells; the matrix as a table

/** The key numbers of a heatmap: its size and where its largest and smallest values are. */
export function summary(view) {
  const rows = (view.rows || []).map(visibleLabel);
  const cols = (view.cols || []).map(visibleLabel);
  const matrix = (Array.isArray(view.matrix) ? view.matrix : []).map((r) => (Array.isArray(r) ? r : []));
  let hi = null;
  let lo = null;
  matrix.forEach((r, i) => {
    r.forEach((v, j) => {
      if (!isNum(v)) return;
      if (!hi || v > hi[2]) hi = [i, j, v];
      if (!lo || v < lo[2]) lo = [i, j, v];
    });
  });
  const R = Math.max(rows.length, matrix.length);
  const C = Math.max(cols.length, ...matrix.map((r) => r.length));
  const cell = ([i, j, v]) => `${rows[i] ?? `第 ${i + 1} 行`}→${cols[j] ?? `第 ${j + 1} 列`} ${num(v)}`;
  if (!hi) return `${R} 行 × ${C} 列，没有数值。`;
  return `${R} 行 × ${C} 列；最大：${cell(hi)}；最小：${cell(lo)}。`;
}

function tableOf(view) {
  const rows = (view.rows || []).map(visibleLabel);
  const cols = (view.cols || []).map(visibleLabel);
  const matrix = (Array.isArray(view.matrix) ? view.matrix : []).map((r) => (Array.isArray(r) ? r : []));
  const C = Math.max(cols.length, ...matrix.map((r) => r.length));
  const R = Math.max(rows.length, matrix.length);
  return {
    columns: ["行＼列", ...Array.from({ length: C }, (_, j) => cols[j] ?? `第 ${j + 1} 列`)],
    rows: Array.from({ length: R }, (_, i) => [
      rows[i] ?? `第 ${i + 1} 行`,
      ...Array.from({ length: C }, (_, j) => (isNum(matrix[i]?.[j]) ? matrix[i][j] : null)),
    ]),
  };
}

export function render(view) {
  const matrix = (Array.isArray(view.matrix) ? view.matrix : []).map((r) => (Array.isArray(r) ? r : []));
  if (!matrix.length && !(view.rows || []).length) return el("p", { class: "demo-empty" }, "（空矩阵）");
  const chart = el("div", { class: "demo-heatmap" }, [responsive((w) => draw(view, w)).node, key(view, matrix)]);
  return withAlt(chart, { summary: summary(view), table: () => tableOf(view), title: view.title });
}
