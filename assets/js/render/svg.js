// Shared helpers for the view renderers: element builders (HTML and SVG),
// number formatting, scales and ticks, axes, the categorical palette, and a
// container that redraws an SVG chart at the width it is actually shown at.
//
// Everything is built with DOM APIs; strings from demos or readers only ever
// reach the page as text nodes or attribute values, never as markup.

export const SVG_NS = "http://www.w3.org/2000/svg";

/** Font size (px) of tick labels; charts are drawn 1:1 so this is what the reader sees. */
export const FONT = 12;

// ---------------------------------------------------------------- elements

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style" && typeof value === "object") {
      // CSSOM rather than a style="" attribute: allowed under a strict CSP.
      for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  appendChildren(node, children);
  return node;
}

/** Append nodes and strings (strings become text nodes); null/false are skipped. */
export function appendChildren(node, children) {
  if (children === null || children === undefined || children === false) return node;
  for (const child of Array.isArray(children) ? children : [children]) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: `el("p", {class: "x"}, ["text", node])`. */
export function el(tag, attrs, children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element (same signature as `el`). */
export function svgEl(tag, attrs, children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

// ---------------------------------------------------------------- numbers

/** True for a finite number; the views use null for "no value". */
export const isNum = (x) => typeof x === "number" && Number.isFinite(x);

const SUPERSCRIPT = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻" };

function superscript(n) {
  return String(n)
    .split("")
    .map((c) => SUPERSCRIPT[c] || c)
    .join("");
}

function trimZeros(s) {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * A short human label for a number: 0.1234 → "0.123", 12345678 → "1.23×10⁷",
 * integers below a million in full, null → "—".
 */
export function fmt(x, digits = 3) {
  if (!isNum(x)) return "—";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split("e");
    return `${trimZeros(mantissa)}×10${superscript(Number(exponent))}`;
  }
  if (Number.isInteger(x)) return String(x);
  // toPrecision would switch to exponent form for 999.7 → "1.00e+3"; whole numbers read better.
  if (a >= 10 ** (digits - 1)) return x.toFixed(0);
  return trimZeros(x.toPrecision(digits));
}

/** A probability as a percentage: 0.4213 → "42.1%". */
export function fmtPercent(p) {
  if (!isNum(p)) return "—";
  if (p > 0 && p < 0.001) return "<0.1%";
  return `${trimZeros((p * 100).toFixed(1))}%`;
}

/** A tick label with as many decimals as the tick step needs, so 0.1, 0.2, 0.3 don't all read "0.1". */
export function fmtTick(v, step) {
  if (!isNum(v)) return "";
  if (Math.abs(v) < step * 1e-9) return "0";
  if (Math.abs(v) >= 1e6 || step < 1e-3) return fmt(v);
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

/** A tick label on a log axis: powers of ten far from 1 as 10ⁿ. */
export function fmtLogTick(v) {
  const e = Math.round(Math.log10(v));
  if (Math.abs(v - 10 ** e) < 1e-9 * v && (e < -2 || e > 3)) return `10${superscript(e)}`;
  return fmt(v);
}

// ---------------------------------------------------------------- ticks and scales

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

// Multiples of a step accumulate float error (0.1 * 3); round to 12 significant digits.
const clean = (v) => Number(v.toPrecision(12));

/** Widen a degenerate or reversed range so a scale over it is well defined. */
function spread(min, max) {
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const d = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - d, max + d];
  }
  return [min, max];
}

/** About `n` round tick values inside [min, max] (1, 2 or 5 × 10ᵏ apart). */
export function niceTicks(min, max, n = 5) {
  if (!isNum(min) || !isNum(max)) return [];
  [min, max] = spread(min, max);
  const step = niceStep((max - min) / Math.max(1, n));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks = [];
  for (let i = first; i <= last; i++) ticks.push(clean(i * step));
  return ticks;
}

/** [lo, hi, step]: the range widened outwards to round tick values. */
export function niceExtent(min, max, n = 5) {
  [min, max] = spread(min, max);
  const step = niceStep((max - min) / Math.max(1, n));
  return [clean(Math.floor(min / step + 1e-9) * step), clean(Math.ceil(max / step - 1e-9) * step), step];
}

/** The largest 1, 2 or 5 × 10ᵏ at most v (down) or smallest at least v (up). */
function snap125(v, up) {
  const e = Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => clean(m * 10 ** e));
  return up ? steps.find((s) => s >= v * (1 - 1e-9)) : steps.reverse().find((s) => s <= v * (1 + 1e-9));
}

/** A log range widened to whole decades when it spans at least one, else to 1-2-5 steps. */
export function logExtent(min, max) {
  if (!(min > 0) || !(max > 0)) return [1, 10];
  if (min > max) [min, max] = [max, min];
  if (min === max) [min, max] = [min / 2, max * 2];
  if (max / min >= 10) return [10 ** Math.floor(Math.log10(min) + 1e-9), 10 ** Math.ceil(Math.log10(max) - 1e-9)];
  return [snap125(min, false), snap125(max, true)];
}

/** Ticks for a log axis: powers of ten (every k-th when there are many), or 1-2-5 within a decade. */
export function logTicks(min, max, n = 6) {
  if (!(min > 0) || !(max > 0)) return [];
  const e0 = Math.floor(Math.log10(min) + 1e-9);
  const e1 = Math.ceil(Math.log10(max) - 1e-9);
  const inside = (v) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const every = Math.max(1, Math.ceil((e1 - e0) / n));
  const powers = [];
  for (let e = e0; e <= e1; e++) if ((e - e0) % every === 0) powers.push(clean(10 ** e));
  if (powers.filter(inside).length >= 3) return powers.filter(inside);
  // A decade or two: powers of ten alone would give one tick or none, so add 2× and 5×.
  const ticks = [];
  for (let e = e0; e <= e1; e++) for (const m of [1, 2, 5]) ticks.push(clean(m * 10 ** e));
  return ticks.filter(inside);
}

/** A function from data [d0, d1] to pixels [r0, r1], linear or log10 (log maps v ≤ 0 to NaN). */
export function scale(d0, d1, r0, r1, log = false) {
  const f = log ? (v) => (v > 0 ? Math.log10(v) : NaN) : (v) => v;
  const a = f(d0);
  const b = f(d1);
  const k = b === a ? 0 : (r1 - r0) / (b - a);
  return (v) => r0 + (f(v) - a) * k;
}

/** Ticks and a label formatter for one axis over [lo, hi]. */
export function axisTicks(lo, hi, log, n = 5) {
  if (log) return { ticks: logTicks(lo, hi, n), format: fmtLogTick };
  const ticks = niceTicks(lo, hi, n);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(hi - lo) || 1;
  return { ticks, format: (v) => fmtTick(v, step) };
}

// ---------------------------------------------------------------- text metrics

/**
 * Approximate rendered width of a label in px: CJK and full-width characters
 * are about one em, Latin about 0.6 em.  Good enough to choose a layout before
 * the chart is in the document (where getBBox would not work yet).
 */
export function textWidth(s, size = FONT) {
  let w = 0;
  for (const ch of String(s)) {
    const c = ch.codePointAt(0);
    w += c >= 0x2e80 ? size : c >= 0x2000 ? size * 0.8 : size * 0.6;
  }
  return w;
}

/** Cut a label to `max` characters with an ellipsis. */
export function truncate(s, max) {
  const chars = Array.from(String(s));
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/** Cut a label (with an ellipsis) until it is at most `maxWidth` px wide. */
export function fitText(s, maxWidth, size = FONT) {
  let n = Array.from(String(s)).length;
  while (n > 1 && textWidth(truncate(s, n), size) > maxWidth) n--;
  return truncate(s, n);
}

const WHITESPACE = { "\n": "⏎", "\r": "␍", "\t": "⇥", " ": "␣", "\u3000": "␣" };

/** A token as the reader should see it: every whitespace character made visible, empty as ∅. */
export function visibleToken(token) {
  const s = token === null || token === undefined ? "" : String(token);
  if (s === "") return "∅";
  return Array.from(s, (ch) => WHITESPACE[ch] || (/\s/.test(ch) ? "␣" : ch)).join("");
}

/** A chart label: kept as is unless it is blank (a space or newline token), which is made visible. */
export function visibleLabel(s) {
  const text = s === null || s === undefined ? "" : String(s);
  return text.trim() === "" ? visibleToken(text) : text;
}

// ---------------------------------------------------------------- axes

/**
 * A horizontal axis at `y` from x0 to x1 with ticks; `gridTop` (optional)
 * draws faint grid lines up to that y.
 */
export function axisBottom({ sx, ticks, format, y, x0, x1, gridTop = null }) {
  const g = svgEl("g", { class: "demo-axis demo-axis--x" });
  for (const t of ticks) {
    const x = sx(t);
    if (!isNum(x)) continue;
    if (gridTop !== null) g.append(svgEl("line", { class: "demo-grid", x1: x, x2: x, y1: gridTop, y2: y }));
    g.append(svgEl("line", { class: "demo-tick", x1: x, x2: x, y1: y, y2: y + 5 }));
    g.append(svgEl("text", { x, y: y + 8 + FONT * 0.8, "text-anchor": "middle" }, format(t)));
  }
  g.append(svgEl("line", { class: "demo-axis-line", x1: x0, x2: x1, y1: y, y2: y }));
  return g;
}

/** A vertical axis at `x` from y0 (bottom) to y1 (top); `gridRight` draws grid lines. */
export function axisLeft({ sy, ticks, format, x, y0, y1, gridRight = null }) {
  const g = svgEl("g", { class: "demo-axis demo-axis--y" });
  for (const t of ticks) {
    const y = sy(t);
    if (!isNum(y)) continue;
    if (gridRight !== null) g.append(svgEl("line", { class: "demo-grid", x1: x, x2: gridRight, y1: y, y2: y }));
    g.append(svgEl("line", { class: "demo-tick", x1: x - 5, x2: x, y1: y, y2: y }));
    g.append(svgEl("text", { x: x - 8, y, dy: "0.32em", "text-anchor": "end" }, format(t)));
  }
  g.append(svgEl("line", { class: "demo-axis-line", x1: x, x2: x, y1: y0, y2: y1 }));
  return g;
}

/** An x axis title, centred under the axis at baseline y. */
export function axisTitle(text, x, y) {
  return svgEl("text", { class: "demo-axis-title", x, y, "text-anchor": "middle" }, text);
}

/**
 * A y axis title, written horizontally above the axis at the top left:
 * Chinese turned sideways is hard to read, and a phone has no width to spare
 * for a rotated title.  Needs YTITLE_ROOM px above the plot.
 */
export function yAxisTitle(text) {
  return svgEl("text", { class: "demo-axis-title", x: 0, y: FONT }, text);
}

export const YTITLE_ROOM = FONT + 10;

/** Width a y axis needs for its tick labels (px). */
export function yAxisWidth(ticks, format) {
  return Math.max(16, ...ticks.map((t) => textWidth(format(t)))) + 10;
}

// ---------------------------------------------------------------- colour

export const PALETTE_SIZE = 8;

/** Class that sets `--c` to the i-th categorical colour (defined in views.css for light and dark). */
export const colorClass = (i) => `demo-c${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE}`;

/** The i-th categorical colour as a CSS value. */
export const color = (i) => `var(--demo-cat-${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE})`;

/** An HTML legend: one coloured swatch and name per series. */
export function legend(names) {
  return el(
    "ul",
    { class: "demo-legend" },
    names.map((name, i) =>
      el("li", { class: colorClass(i) }, [el("span", { class: "demo-legend__swatch", "aria-hidden": "true" }), name]),
    ),
  );
}

// ---------------------------------------------------------------- layout

/** An <svg> of w×h px drawn 1:1 (viewBox = size) and scaled by CSS only when it must shrink. */
export function svgRoot(w, h, label) {
  return svgEl("svg", {
    class: "demo-svg",
    viewBox: `0 0 ${Math.round(w)} ${Math.round(h)}`,
    width: Math.round(w),
    height: Math.round(h),
    role: "img",
    "aria-label": label || null,
  });
}

/** Chart height for a given width: wide enough to read on a phone, not towering on a desktop. */
export const chartHeight = (w) => Math.round(Math.min(380, Math.max(220, w * 0.58)));

let uid = 0;
/** A document-unique id for SVG <defs> (patterns) so several charts on a page don't collide. */
export const uniqueId = (prefix) => `${prefix}-${++uid}`;

/**
 * A box that draws `draw(width) → Node` at the width it is shown at, so chart
 * text keeps its size on a phone instead of being scaled down with a fixed
 * viewBox.  Draws once at `initial` (the element is not in the document yet),
 * then again whenever its width changes.  Returns {node, redraw}.
 */
export function responsive(draw, { initial = 640, min = 260, max = 900 } = {}) {
  const node = el("div", { class: "demo-chart" });
  let width = initial;
  let pending = 0;
  const paint = () => node.replaceChildren(draw(width));
  paint();
  if (typeof ResizeObserver === "function") {
    const observer = new ResizeObserver((entries) => {
      if (!node.isConnected) {
        observer.disconnect();
        return;
      } // navigated away: let it go
      const seen = Math.round(entries[entries.length - 1].contentRect.width);
      if (seen <= 0) return;
      const w = Math.min(max, Math.max(min, seen));
      if (Math.abs(w - width) < 4) return;
      width = w;
      // Redraw on the next frame: changing our own height inside the callback
      // would trip "ResizeObserver loop completed with undelivered notifications".
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(paint);
    });
    observer.observe(node);
  }
  return { node, redraw: paint };
}
