// Entry point of the view renderers: turns the JSON "views" a demo's `run`
// returns (schema: demos/_views.py) into DOM, one <figure class="demo-view
// demo-view--KIND"> per view with its title as <figcaption>.  Dispatches on
// `view.kind` to one module per kind.  Styles: assets/css/views.css.
//
// The renderer modules and their stylesheet (assets/css/views.css) are loaded
// on first use, not with the page: a reader who only reads downloads none of
// them (about 25 KB gzip and eleven requests on a chapter).  demo-block.js starts loading them all when a run starts, alongside
// the runtime, so they are ready long before the first answer; renderViews
// waits for the kinds it needs in any case (a restored output, a direct call).

// kind → () => import of the module whose `render(view)` draws it.
const LOADERS = {
  text: () => import("./text.js"),
  tokens: () => import("./tokens.js"),
  bars: () => import("./bars.js"),
  line: () => import("./line.js"),
  scatter: () => import("./scatter.js"),
  heatmap: () => import("./heatmap.js"),
  image: () => import("./image.js"),
  frames: () => import("./frames.js"),
  table: () => import("./table.js"),
};
const RENDERERS = {}; // kind → render function, once its module is loaded
const loading = {}; // kind → the pending import

/** Load the renderer of `kind` (once); resolves false if it cannot be loaded (offline, say). */
function load(kind) {
  if (RENDERERS[kind]) return Promise.resolve(true);
  loading[kind] ??= LOADERS[kind]()
    .then((module) => {
      RENDERERS[kind] = kind === "frames" ? (view) => module.render(view, renderBody) : module.render;
      return true;
    })
    .catch((err) => {
      console.error("renderer", kind, err);
      delete loading[kind]; // the next output tries again
      return false;
    });
  return loading[kind];
}

// In <body>, not <head>: Material's instant navigation replaces the head's children
// with the next page's, and would drop it.
const STYLES_URL = new URL("../../css/views.css", import.meta.url).href;
let styles = null; // resolves true once the stylesheet applies
let stylesApplied = false;

/** Add the views' stylesheet (once, and again if something removed it); resolves false if it failed. */
function loadStyles() {
  if (styles && document.querySelector("link[data-views-css]")) return styles;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLES_URL;
  link.dataset.viewsCss = "";
  styles = new Promise((resolve) => {
    link.addEventListener("load", () => resolve(true), { once: true });
    link.addEventListener("error", () => {
      console.error("renderer styles", STYLES_URL);
      link.remove(); // the next output tries again
      resolve(false);
    });
  });
  document.body.append(link);
  return styles;
}

/** Start loading every renderer and the styles (when a run starts, so the first answer need not wait). */
export function preloadRenderers() {
  return Promise.all([loadStyles(), ...Object.keys(LOADERS).map(load)]);
}

/** The kinds `views` use, nested frames included (a bounded walk: the views are still unchecked data). */
function kindsOf(views, depth = 0, kinds = new Set()) {
  for (const view of Array.isArray(views) ? views : []) {
    if (!view || typeof view !== "object" || !Object.hasOwn(LOADERS, view.kind)) continue;
    kinds.add(view.kind);
    if (view.kind === "frames" && depth < 3 && kinds.size < Object.keys(LOADERS).length)
      kindsOf(Array.isArray(view.frames) ? view.frames.slice(0, MAX_VIEWS) : [], depth + 1, kinds);
  }
  return kinds;
}

/** `<p class=CLASS>text</p>` without loading svg.js (an error must show even if nothing else loaded). */
function note(text, className = "demo-error") {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

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
  if (!Object.hasOwn(LOADERS, kind)) return note(`无法显示的输出类型：${String(kind)}`);
  const draw = RENDERERS[kind];
  if (!draw) return note("显示这个输出的模块没能加载，请检查网络后再运行一次。");
  if (tooLarge(view)) return note("这个输出太大或嵌套太深，无法显示。");
  try {
    return draw(view);
  } catch (err) {
    // A malformed view should cost one figure, not the whole output.
    console.error("render", kind, err);
    return note(`这个输出无法显示（${String(kind)}）。`);
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
  const figure = document.createElement("figure");
  figure.className = `demo-view demo-view--${kindClass(kind)}`;
  if (title) {
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    figure.append(caption);
  }
  figure.append(renderBody(view));
  return figure;
}

const latest = new WeakMap(); // container → the views it must end up showing

/**
 * Replace `container`'s children with one figure per view, once the renderers
 * those views need are loaded; resolves to the container.  If another call for
 * the same container starts meanwhile, the newer output wins.
 */
export async function renderViews(views, container) {
  latest.set(container, views);
  const list = Array.isArray(views) ? views : [];
  const kinds = [...kindsOf(list.slice(0, MAX_VIEWS))];
  const ready = stylesApplied && document.querySelector("link[data-views-css]");
  if (!ready || !kinds.every((kind) => RENDERERS[kind])) {
    const [styled] = await Promise.all([loadStyles(), ...kinds.map(load)]);
    stylesApplied = styled;
  }
  if (latest.get(container) !== views) return container;
  const shown = list.slice(0, MAX_VIEWS).map(renderView);
  if (list.length > MAX_VIEWS) shown.push(note(`只显示前 ${MAX_VIEWS} 个输出（共 ${list.length} 个）。`));
  container.replaceChildren(...shown);
  return container;
}
