// Entry point of the view renderers: turns the JSON "views" a demo's `run`
// returns (schema: demos/_views.py) into DOM, one <figure class="demo-view
// demo-view--KIND"> per view with its title as <figcaption>.  Dispatches on
// `view.kind` to one module per kind.  Styles: assets/css/views.css.

import * as bars from "./bars.js";
import * as frames from "./frames.js";
import * as heatmap from "./heatmap.js";
import * as image from "./image.js";
import * as line from "./line.js";
import * as scatter from "./scatter.js";
import { el } from "./svg.js";
import * as table from "./table.js";
import * as text from "./text.js";
import * as tokens from "./tokens.js";

const RENDERERS = {
  text: text.render,
  tokens: tokens.render,
  bars: bars.render,
  line: line.render,
  scatter: scatter.render,
  heatmap: heatmap.render,
  image: image.render,
  frames: (view) => frames.render(view, renderBody),
  table: table.render,
};

// Limits for any output, whoever produced it (the reader's edited code may return
// anything; demos._runtime.check_views refuses the same in Python first).
export const MAX_VIEWS = 50;
export const MAX_VIEW_NODES = 400_000;
export const MAX_VIEW_DEPTH = 12;

/** True if `view` has more than MAX_VIEW_NODES values or nests deeper than MAX_VIEW_DEPTH (bounded work). */
export function tooLarge(view) {
  const stack = [[view, 1]];
  let nodes = 0;
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (++nodes > MAX_VIEW_NODES || depth > MAX_VIEW_DEPTH) return true;
    if (item && typeof item === "object") for (const v of Object.values(item)) stack.push([v, depth + 1]);
  }
  return false;
}

/** The content of a view without its figure wrapper (frames use it for unusual frame kinds). */
function renderBody(view) {
  const kind = view && typeof view === "object" ? view.kind : undefined;
  const draw = Object.hasOwn(RENDERERS, kind) ? RENDERERS[kind] : null;
  if (!draw) return el("p", { class: "demo-error" }, `无法显示的输出类型：${String(kind)}`);
  if (tooLarge(view)) return el("p", { class: "demo-error" }, "这个输出太大或嵌套太深，无法显示。");
  try {
    return draw(view);
  } catch (err) {
    // A malformed view should cost one figure, not the whole output.
    console.error("render", kind, err);
    return el("p", { class: "demo-error" }, `这个输出无法显示（${String(kind)}）。`);
  }
}

/** A class-name-safe form of the kind (the kind is data; keep it to [a-z0-9-]). */
const kindClass = (kind) =>
  String(kind)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 40) || "unknown";

/** One view → `<figure class="demo-view demo-view--KIND">` with an optional caption. */
export function renderView(view) {
  const kind = view && typeof view === "object" ? view.kind : undefined;
  const title =
    view && typeof view === "object" && view.title !== null && view.title !== undefined ? String(view.title) : "";
  return el("figure", { class: `demo-view demo-view--${kindClass(kind)}` }, [
    title ? el("figcaption", {}, title) : null,
    renderBody(view),
  ]);
}

/** Replace `container`'s children with one figure per view; returns the container. */
export function renderViews(views, container) {
  const list = Array.isArray(views) ? views : [];
  const shown = list.slice(0, MAX_VIEWS).map(renderView);
  if (list.length > MAX_VIEWS)
    shown.push(el("p", { class: "demo-error" }, `只显示前 ${MAX_VIEWS} 个输出（共 ${list.length} 个）。`));
  container.replaceChildren(...shown);
  return container;
}
