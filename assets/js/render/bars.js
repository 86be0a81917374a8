// Renders a "bars" view: a vertical bar chart in SVG with value labels.
// With many bars (up to ~60) the category labels are thinned or turned
// vertical, and value labels are turned vertical or kept only for the
// highlighted bar; every bar has a <title> tooltip with its label and value.
import { extremes, num, withAlt } from "./alt.js";
import {
  axisLeft,
  chartHeight,
  fitText,
  fmt,
  fmtTick,
  isNum,
  niceExtent,
  niceTicks,
  responsive,
  scale,
  svgEl,
  svgRoot,
  textWidth,
  truncate,
  visibleLabel,
  YTITLE_ROOM,
  yAxisTitle,
  yAxisWidth,
} from "./svg.js";

const LABEL_FONT = 11;
const VALUE_FONT = 10;
const ROTATED_MAX_CHARS = 12;
const WIDE_SLOT = 40;
const MAX_BAR = 56;

/**
 * How to draw category labels in slots `slot` px wide:
 * {rotate, every (draw every k-th), fit (max px, or null), height}.
 */
function labelLayout(labels, slot) {
  const upright = LABEL_FONT + 10;
  const widest = Math.max(0, ...labels.map((s) => textWidth(s, LABEL_FONT)));
  if (widest <= slot - 2) return { rotate: false, every: 1, fit: null, height: upright };
  // Chinese turned sideways is hard to read: in wide slots, shorten long labels instead.
  if (slot >= WIDE_SLOT && labels.some((s) => /[\u2e80-\u9fff\uf900-\uffef]/.test(s))) {
    return { rotate: false, every: 1, fit: slot - 4, height: upright };
  }
  // Short labels (a character or two) stay upright and are thinned instead.
  if (widest <= 2.5 * LABEL_FONT)
    return { rotate: false, every: Math.ceil((widest + 4) / slot), fit: null, height: upright };
  const longest = Math.max(0, ...labels.map((s) => textWidth(truncate(s, ROTATED_MAX_CHARS), LABEL_FONT)));
  return { rotate: true, every: Math.ceil((LABEL_FONT + 2) / slot), fit: null, height: Math.min(longest, 110) + 12 };
}

/** Whether bar i gets a category label when only every k-th one fits (aligned so the highlight is one). */
function showsLabel(i, every, highlight) {
  const anchor = isNum(highlight) ? highlight : 0;
  return (((i - anchor) % every) + every) % every === 0;
}

/** How to draw value labels: "flat" above bars, "up" rotated, or "few" (highlighted or largest bar only). */
function valueLayout(values, slot) {
  const widest = Math.max(0, ...values.map((v) => textWidth(fmt(v), VALUE_FONT)));
  if (widest <= slot + 2) return { mode: "flat", room: VALUE_FONT + 6 };
  if (slot >= VALUE_FONT + 1) return { mode: "up", room: widest + 8 };
  return { mode: "few", room: VALUE_FONT + 6 };
}

function categoryLabel(text, x, y, lab, strong) {
  const attrs = { class: strong ? "demo-bars__label demo-strong" : "demo-bars__label", "font-size": LABEL_FONT };
  const shown = lab.rotate ? truncate(text, ROTATED_MAX_CHARS) : lab.fit ? fitText(text, lab.fit, LABEL_FONT) : text;
  // The full label as a tooltip whenever it had to be shortened.
  const children = [shown !== text ? svgEl("title", {}, text) : null, shown];
  if (!lab.rotate) return svgEl("text", { ...attrs, x, y: y + LABEL_FONT + 4, "text-anchor": "middle" }, children);
  return svgEl(
    "text",
    {
      ...attrs,
      x,
      y: y + 6,
      dy: "0.32em",
      "text-anchor": "end",
      transform: `rotate(-90 ${x} ${y + 6})`,
    },
    children,
  );
}

function valueLabel(v, x, yEnd, negative, mode, strong) {
  const attrs = { class: strong ? "demo-bars__value demo-strong" : "demo-bars__value", "font-size": VALUE_FONT };
  if (mode === "up") {
    const y = negative ? yEnd + 4 : yEnd - 4;
    return svgEl(
      "text",
      {
        ...attrs,
        x,
        y,
        dy: "0.32em",
        "text-anchor": negative ? "end" : "start",
        transform: `rotate(-90 ${x} ${y})`,
      },
      fmt(v),
    );
  }
  return svgEl(
    "text",
    { ...attrs, x, y: negative ? yEnd + VALUE_FONT + 2 : yEnd - 4, "text-anchor": "middle" },
    fmt(v),
  );
}

/** Draw the chart at width w. */
function draw(view, w) {
  const labels = (view.labels || []).map(visibleLabel);
  const values = view.values || [];
  const n = Math.max(labels.length, values.length);
  const hl = isNum(view.highlight) && view.highlight >= 0 && view.highlight < n ? view.highlight : null;
  const finite = values.filter(isNum);
  const [lo, hi] = niceExtent(Math.min(0, ...finite), Math.max(0, ...finite), 5);
  const ticks = niceTicks(lo, hi, 5);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : hi - lo;
  const format = (t) => fmtTick(t, step);

  const left = yAxisWidth(ticks, format);
  const right = 8;
  const slot = (w - left - right) / Math.max(1, n);
  const lab = labelLayout(labels, slot);
  const val = valueLayout(values, slot);
  const top = Math.max(10, val.room) + (view.ylabel ? YTITLE_ROOM : 0);
  const h = chartHeight(w) + (lab.rotate ? lab.height - 20 : 0);
  const bottom = h - lab.height;
  const sy = scale(lo, hi, bottom, top);
  const zero = sy(0);

  const svg = svgRoot(w, h, view.title || "柱状图");
  svg.append(axisLeft({ sy, ticks, format, x: left, y0: bottom, y1: top, gridRight: w - right }));
  if (view.ylabel) svg.append(yAxisTitle(String(view.ylabel)));

  const bars = svgEl("g", { class: "demo-bars" });
  const texts = svgEl("g", { class: "demo-bars__texts" });
  const barW = Math.min(MAX_BAR, Math.max(1, slot * (n > 30 ? 0.8 : 0.7)));
  // When values can't all be labelled, label the bar the reader is pointed at (or the tallest).
  const named = hl !== null ? hl : finite.length ? values.indexOf(Math.max(...finite)) : -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const cx = left + slot * (i + 0.5);
    const name = labels[i] ?? "";
    const strong = i === hl;
    if (isNum(v)) {
      const y = sy(v);
      const cls = strong ? "demo-bar demo-bar--hl" : hl === null ? "demo-bar" : "demo-bar demo-bar--dim";
      bars.append(
        svgEl(
          "rect",
          {
            class: cls,
            x: cx - barW / 2,
            y: Math.min(y, zero),
            width: barW,
            height: Math.max(Math.abs(zero - y), v === 0 ? 0 : 1),
          },
          svgEl("title", {}, `${name}: ${fmt(v, 4)}`),
        ),
      );
      if (val.mode !== "few" || i === named)
        texts.append(valueLabel(v, cx, y, v < 0, val.mode === "few" ? "flat" : val.mode, strong));
    }
    if (showsLabel(i, lab.every, hl)) texts.append(categoryLabel(name, cx, bottom, lab, strong));
  }
  svg.append(bars, texts);
  svg.append(svgEl("line", { class: "demo-axis-line", x1: left, x2: w - right, y1: zero, y2: zero }));
  return svg;
}

// --- text alternative (alt.js): the extremes and the highlighted bar, and a table of every bar

/** One or two sentences with the key numbers of a bar chart. */
export function summary(view) {
  const values = Array.isArray(view.values) ? view.values : [];
  const labels = (Array.isArray(view.labels) ? view.labels : []).map(visibleLabel);
  const name = (i) => labels[i] ?? `第 ${i + 1} 项`;
  const n = Math.max(labels.length, values.length);
  if (!n) return "没有数据。";
  if (n <= 6) return `共 ${n} 项：${values.map((v, i) => `${name(i)} ${num(v)}`).join("，")}。`;
  const ex = extremes(
    values.map((_, i) => name(i)),
    values,
  );
  let text = `共 ${n} 项`;
  if (ex) text += `；最高：${ex.hi[0]} ${num(ex.hi[1])}；最低：${ex.lo[0]} ${num(ex.lo[1])}`;
  if (isNum(view.highlight) && view.highlight >= 0 && view.highlight < n)
    text += `；突出显示：${name(view.highlight)} ${num(values[view.highlight])}`;
  return `${text}。`;
}

function tableOf(view) {
  const values = Array.isArray(view.values) ? view.values : [];
  const labels = (Array.isArray(view.labels) ? view.labels : []).map(visibleLabel);
  const n = Math.max(labels.length, values.length);
  return {
    columns: ["项目", view.ylabel ? String(view.ylabel) : "数值"],
    rows: Array.from({ length: n }, (_, i) => [labels[i] ?? "", isNum(values[i]) ? values[i] : null]),
  };
}

export function render(view) {
  const chart = responsive((w) => draw(view, w)).node;
  return withAlt(chart, { summary: summary(view), table: () => tableOf(view), title: view.title });
}
