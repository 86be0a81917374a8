// Renders a "scatter" view: SVG point clouds (up to a few thousand points),
// one colour per series with an HTML legend, equal aspect when the view gives
// both xlim and ylim.  Also exports the pieces "frames" needs to animate
// scatter views with fixed axes.
import { num, withAlt } from "./alt.js";
import {
  axisBottom,
  axisLeft,
  axisTicks,
  colorClass,
  el,
  FONT,
  isNum,
  legend,
  niceExtent,
  responsive,
  scale,
  svgEl,
  svgRoot,
  yAxisWidth,
} from "./svg.js";

/** A [lo, hi] pair of numbers with lo < hi, or null. */
function validLim(lim) {
  if (!Array.isArray(lim) || lim.length !== 2 || !isNum(lim[0]) || !isNum(lim[1]) || lim[0] === lim[1]) return null;
  return lim[0] < lim[1] ? [lim[0], lim[1]] : [lim[1], lim[0]];
}

const seriesOf = (view) => (Array.isArray(view?.series) ? view.series : []).filter((s) => s && typeof s === "object");
const pointsOf = (s) =>
  (Array.isArray(s.points) ? s.points : []).filter((p) => Array.isArray(p) && isNum(p[0]) && isNum(p[1]));

/** Smallest and largest value of coordinate k over the views' points, or null when there are none. */
function dataRange(views, k) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of views)
    for (const s of seriesOf(v))
      for (const p of pointsOf(s)) {
        if (p[k] < lo) lo = p[k];
        if (p[k] > hi) hi = p[k];
      }
  return lo <= hi ? [lo, hi] : null;
}

/** A padded, rounded axis range around data. */
function padded(range) {
  if (!range) return [0, 1];
  const pad = (range[1] - range[0]) * 0.04;
  return niceExtent(range[0] - pad, range[1] + pad, 8).slice(0, 2);
}

function union(a, b) {
  return a && b ? [Math.min(a[0], b[0]), Math.max(a[1], b[1])] : a || b;
}

/**
 * Axis limits shared by one or more scatter views: {x, y, equal}.  Limits the
 * views give win (and ask for equal aspect when all of them give both);
 * otherwise the union of the data, so animation frames don't jump.
 */
export function scatterLimits(views) {
  const xs = views.map((v) => validLim(v?.xlim));
  const ys = views.map((v) => validLim(v?.ylim));
  const given = (lims) => (lims.length && lims.every(Boolean) ? lims.reduce(union) : null);
  const x = given(xs) || padded(union(dataRange(views, 0), xs.reduce(union, null)));
  const y = given(ys) || padded(union(dataRange(views, 1), ys.reduce(union, null)));
  return { x, y, equal: Boolean(given(xs) && given(ys)) };
}

/** Dot size (px) by how crowded the chart is. */
function dotSize(count) {
  return count <= 300 ? 6 : count <= 1000 ? 5 : 4;
}

/** The plot box: margins, then shrunk to equal units per pixel on both axes when asked. */
function layout(w, lim, yt) {
  const left = yAxisWidth(yt.ticks, yt.format);
  const right = w - 12;
  const top = 10;
  const maxInnerH = Math.min(440, Math.max(200, w * 0.62));
  const box = { left, right, top, bottom: top + maxInnerH };
  if (lim.equal) {
    const dx = lim.x[1] - lim.x[0];
    const dy = lim.y[1] - lim.y[0];
    const perPx = Math.max(dx / (right - left), dy / maxInnerH);
    const pw = dx / perPx;
    box.left += (right - left - pw) / 2; // centre a plot narrower than the chart
    box.right = box.left + pw;
    box.bottom = top + dy / perPx;
  }
  return box;
}

/** Draw `view` at width w within limits `lim` (from scatterLimits). */
export function drawScatter(view, w, lim) {
  const xt = axisTicks(lim.x[0], lim.x[1], false, Math.max(3, Math.floor(w / 90)));
  const yt = axisTicks(lim.y[0], lim.y[1], false, 5);
  const box = layout(w, lim, yt);
  const h = box.bottom + FONT + 16;
  const sx = scale(lim.x[0], lim.x[1], box.left, box.right);
  const sy = scale(lim.y[0], lim.y[1], box.bottom, box.top);

  const svg = svgRoot(w, h, view?.title || "散点图");
  svg.append(
    axisLeft({
      sy,
      ticks: yt.ticks,
      format: yt.format,
      x: box.left,
      y0: box.bottom,
      y1: box.top,
      gridRight: box.right,
    }),
    axisBottom({
      sx,
      ticks: xt.ticks,
      format: xt.format,
      y: box.bottom,
      x0: box.left,
      x1: box.right,
      gridTop: box.top,
    }),
  );
  const series = seriesOf(view);
  const size = dotSize(series.reduce((n, s) => n + pointsOf(s).length, 0));
  const inside = (p) => p[0] >= lim.x[0] && p[0] <= lim.x[1] && p[1] >= lim.y[0] && p[1] <= lim.y[1];
  series.forEach((s, i) => {
    // One path per series, a round-capped stub per point: thousands of dots stay cheap to redraw.
    const d = pointsOf(s)
      .filter(inside)
      .map((p) => `M${sx(p[0]).toFixed(1)} ${sy(p[1]).toFixed(1)}h0.01`)
      .join("");
    svg.append(
      svgEl(
        "path",
        { class: `demo-points ${colorClass(i)}`, d, "stroke-width": size },
        svgEl("title", {}, String(s.name ?? "")),
      ),
    );
  });
  return svg;
}

/** The legend for a scatter view, or null when there is only one series. */
export function scatterLegend(view) {
  const series = seriesOf(view);
  return series.length > 1 ? legend(series.map((s) => String(s.name ?? ""))) : null;
}

// --- text alternative (alt.js): per series the count, centre and ranges; a table of those

/** Count, mean and range of each series' points. */
function seriesStats(view) {
  return seriesOf(view).map((s, i) => {
    const pts = pointsOf(s);
    const stat = (k) => {
      if (!pts.length) return { mean: null, min: null, max: null };
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const p of pts) {
        sum += p[k];
        if (p[k] < min) min = p[k];
        if (p[k] > max) max = p[k];
      }
      return { mean: sum / pts.length, min, max };
    };
    return { name: String(s.name ?? "") || `系列 ${i + 1}`, count: pts.length, x: stat(0), y: stat(1) };
  });
}

/** The key numbers of a scatter plot: for each series, how many points and where. */
export function summary(view) {
  const stats = seriesStats(view);
  if (!stats.length) return "没有数据。";
  const parts = stats
    .slice(0, 4)
    .map((st) =>
      st.count
        ? `${st.name}：${st.count} 个点，中心约 (${num(st.x.mean)}, ${num(st.y.mean)})，x 从 ${num(st.x.min)} 到 ${num(st.x.max)}，y 从 ${num(st.y.min)} 到 ${num(st.y.max)}`
        : `${st.name}：没有点`,
    );
  if (stats.length > 4) parts.push(`另有 ${stats.length - 4} 个系列见表格`);
  return `${parts.join("；")}。`;
}

function tableOf(view) {
  return {
    columns: ["系列", "点数", "x 均值", "y 均值", "x 最小", "x 最大", "y 最小", "y 最大"],
    rows: seriesStats(view).map((st) => [
      st.name,
      st.count,
      st.x.mean,
      st.y.mean,
      st.x.min,
      st.x.max,
      st.y.min,
      st.y.max,
    ]),
  };
}

export function render(view) {
  const lim = scatterLimits([view]);
  const chart = responsive((w) => drawScatter(view, w, lim)).node;
  const key = scatterLegend(view);
  return withAlt(key ? el("div", { class: "demo-plot" }, [key, chart]) : chart, {
    summary: summary(view),
    table: () => tableOf(view),
    title: view.title,
  });
}
