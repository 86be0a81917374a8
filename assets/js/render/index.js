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

/** The content of a view without its figure wrapper (frames use it for unusual frame kinds). */
function renderBody(view) {
  const kind = view && typeof view === "object" ? view.kind : undefined;
  const draw = Object.hasOwn(RENDERERS, kind) ? RENDERERS[kind] : null;
  if (!draw) return el("p", { class: "demo-error" }, `无法显示的输出类型：${String(kind)}`);
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
  container.replaceChildren(...list.map(renderView));
  return container;
}
