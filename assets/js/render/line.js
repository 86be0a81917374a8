// Renders a "line" view: an SVG line chart over a shared x, one path per
// series (null y values, and values ≤ 0 on a log axis, leave gaps), optional
// log scales with ticks at powers of ten, labelled marks, axis titles, and an
// HTML legend when there is more than one series.
import { MAX_TABLE_ROWS, num, sampleIndices, withAlt } from "./alt.js";
import {
  axisBottom,
  axisLeft,
  axisTicks,
  axisTitle,
  chartHeight,
  colorClass,
  el,
  FONT,
  fmt,
  isNum,
  legend,
  logExtent,
  niceExtent,
  responsive,
  scale,
  svgEl,
  svgRoot,
  textWidth,
  YTITLE_ROOM,
  yAxisTitle,
  yAxisWidth,
} from "./svg.js";

/** Values usable on an axis: finite, and positive when the axis is logarithmic. */
const usable = (log) => (v) => isNum(v) && (!log || v > 0);

/** [lo, hi] covering all usable values; log ranges snap to decades, linear y to round ticks. */
function extent(values, log, nice) {
  const ok = values.filter(usable(log));
  if (!ok.length) return log ? [1, 10] : [0, 1];
  const lo = Math.min(...ok);
  const hi = Math.max(...ok);
  if (log) return logExtent(lo, hi);
  if (nice || lo === hi) return niceExtent(lo, hi, 5).slice(0, 2);
  return [lo, hi];
}

/** Path data for one series: "M…L…" runs, broken wherever a point is unusable. */
function pathData(xs, ys, sx, sy, okX, okY) {
  let d = "";
  let pen = false;
  const lone = []; // points with no neighbour in their run: a path would not show them
  for (let i = 0; i < xs.length; i++) {
    if (!okX(xs[i]) || !okY(ys[i])) {
      pen = false;
      continue;
    }
    const px = sx(xs[i]).toFixed(1);
    const py = sy(ys[i]).toFixed(1);
    const next = i + 1 < xs.length && okX(xs[i + 1]) && okY(ys[i + 1]);
    if (!pen && !next) lone.push([px, py]);
    d += `${pen ? "L" : "M"}${px} ${py}`;
    pen = true;
  }
  return { d, lone };
}

function seriesGroup(s, i, xs, sx, sy, okX, okY) {
  const ys = Array.isArray(s.y) ? s.y : [];
  const { d, lone } = pathData(xs, ys, sx, sy, okX, okY);
  const g = svgEl("g", { class: `demo-series ${colorClass(i)}` }, svgEl("title", {}, String(s.name ?? "")));
  if (d) g.append(svgEl("path", { class: "demo-line", d }));
  for (const [x, y] of lone) g.append(svgEl("circle", { class: "demo-dot", cx: x, cy: y, r: 2.5 }));
  return g;
}

/** A labelled dot; the label sits left of the dot near the right edge so it stays inside. */
function mark(m, sx, sy, right) {
  const x = sx(m.x);
  const y = sy(m.y);
  if (!isNum(x) || !isNum(y)) return null;
  const label = String(m.label ?? "");
  const flip = x + 8 + textWidth(label) > right;
  return svgEl("g", { class: "demo-mark" }, [
    svgEl("title", {}, `${label} (${fmt(m.x)}, ${fmt(m.y)})`),
    svgEl("circle", { cx: x, cy: y, r: 4.5 }),
    label ? svgEl("text", { x: flip ? x - 8 : x + 8, y: y - 8, "text-anchor": flip ? "end" : "start" }, label) : null,
  ]);
}

function draw(view, w) {
  const xs = Array.isArray(view.x) ? view.x : [];
  const series = (Array.isArray(view.series) ? view.series : []).filter((s) => s && typeof s === "object");
  const marks = (Array.isArray(view.marks) ? view.marks : []).filter((m) => m && typeof m === "object");
  const logx = Boolean(view.logx);
  const logy = Boolean(view.logy);
  const okX = usable(logx);
  const okY = usable(logy);

  const [x0, x1] = extent([...xs, ...marks.map((m) => m.x)], logx, false);
  const allY = series.flatMap((s) => (Array.isArray(s.y) ? s.y : []));
  const [y0, y1] = extent([...allY, ...marks.map((m) => m.y)], logy, true);
  const xt = axisTicks(x0, x1, logx, Math.max(3, Math.floor(w / 90)));
  const yt = axisTicks(y0, y1, logy, 5);

  const h = chartHeight(w);
  const left = yAxisWidth(yt.ticks, yt.format);
  const right = w - 16; // room for the last x tick label
  const top = 12 + (view.ylabel ? YTITLE_ROOM : 0);
  const bottom = h - (view.xlabel ? 2 * FONT + 18 : FONT + 14);
  const sx = scale(x0, x1, left, right, logx);
  const sy = scale(y0, y1, bottom, top, logy);

  const svg = svgRoot(w, h, view.title || "折线图");
  svg.append(
    axisLeft({ sy, ticks: yt.ticks, format: yt.format, x: left, y0: bottom, y1: top, gridRight: right }),
    axisBottom({ sx, ticks: xt.ticks, format: xt.format, y: bottom, x0: left, x1: right, gridTop: top }),
  );
  if (view.ylabel) svg.append(yAxisTitle(String(view.ylabel)));
  if (view.xlabel) svg.append(axisTitle(String(view.xlabel), (left + right) / 2, h - 4));
  series.forEach((s, i) => {
    svg.append(seriesGroup(s, i, xs, sx, sy, okX, okY));
  });
  for (const m of marks) {
    const node = okX(m.x) && okY(m.y) ? mark(m, sx, sy, right) : null;
    if (node) svg.append(node);
  }
  return svg;
}

// --- text alternative (alt.js): each series' start, end and extremes; a table of the points

const MAX_SUMMARY_SERIES = 4;

/** The key numbers of a line chart, one clause per series (the first few). */
export function summary(view) {
  const xs = Array.isArray(view.x) ? view.x : [];
  const series = (Array.isArray(view.series) ? view.series : []).filter((s) => s && typeof s === "object");
  const xname = view.xlabel ? String(view.xlabel) : "横轴";
  const parts = [];
  const finiteX = xs.filter(isNum);
  if (finiteX.length) parts.push(`${xname}：从 ${num(Math.min(...finiteX))} 到 ${num(Math.max(...finiteX))}`);
  for (const s of series.slice(0, MAX_SUMMARY_SERIES)) {
    const ys = Array.isArray(s.y) ? s.y : [];
    const idx = ys.map((_, i) => i).filter((i) => isNum(ys[i]) && isNum(xs[i]));
    if (!idx.length) continue;
    const first = idx[0];
    const last = idx[idx.length - 1];
    const top = idx.reduce((a, i) => (ys[i] > ys[a] ? i : a), first);
    const bottom = idx.reduce((a, i) => (ys[i] < ys[a] ? i : a), first);
    const name = String(s.name ?? "") || "曲线";
    parts.push(
      `${name}：从 ${num(ys[first])} 到 ${num(ys[last])}，最高 ${num(ys[top])}（${num(xs[top])} 处），最低 ${num(ys[bottom])}（${num(xs[bottom])} 处）`,
    );
  }
  if (series.length > MAX_SUMMARY_SERIES) parts.push(`另有 ${series.length - MAX_SUMMARY_SERIES} 条曲线见表格`);
  const marks = (Array.isArray(view.marks) ? view.marks : []).filter((m) => m && isNum(m.x) && isNum(m.y));
  for (const m of marks.slice(0, 3)) parts.push(`标注「${String(m.label ?? "")}」在 (${num(m.x)}, ${num(m.y)})`);
  return parts.length ? `${parts.join("；")}。` : "没有数据。";
}

function tableOf(view) {
  const xs = Array.isArray(view.x) ? view.x : [];
  const series = (Array.isArray(view.series) ? view.series : []).filter((s) => s && typeof s === "object");
  const rows = sampleIndices(xs.length).map((i) => [
    isNum(xs[i]) ? xs[i] : null,
    ...series.map((s) => (Array.isArray(s.y) && isNum(s.y[i]) ? s.y[i] : null)),
  ]);
  return {
    columns: [
      view.xlabel ? String(view.xlabel) : "x",
      ...series.map((s, i) => String(s.name ?? "") || `曲线 ${i + 1}`),
    ],
    rows,
    note: xs.length > MAX_TABLE_ROWS ? `共 ${xs.length} 个点，均匀抽取 ${rows.length} 个列出。` : "",
  };
}

export function render(view) {
  const series = Array.isArray(view.series) ? view.series : [];
  const chart = responsive((w) => draw(view, w)).node;
  const shown =
    series.length <= 1
      ? chart
      : el("div", { class: "demo-plot" }, [legend(series.map((s) => String(s?.name ?? ""))), chart]);
  return withAlt(shown, { summary: summary(view), table: () => tableOf(view), title: view.title });
}
