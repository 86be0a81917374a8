// Renders a "frames" view: an animation of scatter or image views with a
// ▶/⏸ button, a slider to scrub, and the frame's label.  Plays at ~8 fps and
// stops at the last frame.  The timer checks `isConnected` on every tick and
// stops itself once the element has left the document, so navigating away
// leaves nothing running.  Scatter frames share one set of axis limits.

import { describeImage, drawPixels, imageCanvas, summary as imageSummary } from "./image.js";
import { drawScatter, scatterLegend, scatterLimits, summary as scatterSummary } from "./scatter.js";
import { el, responsive, svgEl } from "./svg.js";

const FRAME_MS = 125;

/**
 * The ▶ / ⏸ icon drawn in SVG: the characters themselves turn into colour
 * emoji on some phones (iOS) or are missing from some fonts.
 */
function icon(playing) {
  const shapes = playing
    ? [
        svgEl("rect", { x: 3, y: 2, width: 3.5, height: 12, rx: 0.5 }),
        svgEl("rect", { x: 9.5, y: 2, width: 3.5, height: 12, rx: 0.5 }),
      ]
    : [svgEl("path", { d: "M4 2.2v11.6a.6.6 0 0 0 .9.5l9.2-5.8a.6.6 0 0 0 0-1L4.9 1.7a.6.6 0 0 0-.9.5z" })];
  return svgEl(
    "svg",
    { class: "demo-frames__icon", viewBox: "0 0 16 16", "aria-hidden": "true", focusable: "false" },
    shapes,
  );
}

/** Show the button as ▶ (paused) or ⏸ (playing), with a matching accessible name. */
function setButton(button, playing) {
  button.replaceChildren(icon(playing));
  button.dataset.state = playing ? "playing" : "paused";
  button.setAttribute("aria-label", playing ? "暂停动画" : "播放动画");
  button.title = playing ? "暂停" : "播放";
}

/** A stage for scatter frames: fixed limits and legend, redrawn per frame. */
function scatterStage(frames) {
  const lim = scatterLimits(frames);
  let index = 0;
  const chart = responsive((w) => drawScatter(frames[index], w, lim));
  const key = scatterLegend(frames[0]);
  return {
    node: key ? el("div", { class: "demo-plot" }, [key, chart.node]) : chart.node,
    show(i) {
      index = i;
      chart.redraw();
    },
    describe: (i) => scatterSummary(frames[i]),
  };
}

/** A stage for image frames: one canvas repainted per frame. */
function imageStage(frames) {
  const canvas = imageCanvas(frames[0].pixels, frames[0].title);
  return {
    node: el("div", { class: "demo-image" }, canvas),
    show(i) {
      drawPixels(canvas, frames[i].pixels);
      describeImage(canvas, frames[i].pixels, frames[i].title);
    },
    describe: (i) => imageSummary(frames[i].pixels),
  };
}

/** Any other kind: render each frame with the generic renderer (slower, but correct). */
function genericStage(frames, renderBody) {
  const box = el("div", { class: "demo-frames__stage" });
  return {
    node: box,
    show(i) {
      box.replaceChildren(renderBody(frames[i]));
    },
    describe: () => "",
  };
}

function stageFor(frames, renderBody) {
  const kind = frames[0]?.kind;
  if (kind === "scatter") return scatterStage(frames);
  if (kind === "image") return imageStage(frames);
  return genericStage(frames, renderBody);
}

/** `renderBody(view) → Node` renders one frame of an unexpected kind (passed in to avoid an import cycle). */
export function render(view, renderBody) {
  const frames = (Array.isArray(view.frames) ? view.frames : []).filter((f) => f && typeof f === "object");
  if (!frames.length) return el("p", { class: "demo-empty" }, "（没有帧）");
  const labels = Array.isArray(view.labels) ? view.labels : [];
  const labelOf = (i) => (labels[i] === null || labels[i] === undefined ? `第 ${i + 1} 帧` : String(labels[i]));

  const stage = stageFor(frames, renderBody);
  const button = el("button", { type: "button", class: "demo-frames__play" });
  setButton(button, false);
  const slider = el("input", {
    type: "range",
    class: "demo-frames__slider",
    min: 0,
    max: frames.length - 1,
    step: 1,
    value: 0,
    "aria-label": "选择帧（方向键逐帧，Home / End 到首尾）",
  });
  const caption = el("output", { class: "demo-frames__label", "aria-live": "off" });
  const counter = el("span", { class: "demo-frames__count" });
  // The frame shown, in words (scatter: where the points are); not live: it changes 8 times a second.
  const described = el("p", { class: "demo-alt__summary" });
  const root = el("div", { class: "demo-frames" }, [
    stage.node,
    el("div", { class: "demo-frames__controls" }, [
      button,
      slider,
      el("span", { class: "demo-frames__info" }, [caption, counter]),
    ]),
    described,
  ]);

  let index = -1;
  let timer = 0;
  const show = (i) => {
    if (i === index) return;
    index = i;
    stage.show(i);
    slider.value = String(i);
    slider.setAttribute("aria-valuetext", `${labelOf(i)}（${i + 1} / ${frames.length}）`);
    caption.textContent = labelOf(i);
    counter.textContent = `${i + 1} / ${frames.length}`;
    const words = stage.describe(i);
    described.textContent = words ? `${labelOf(i)}：${words}` : "";
    described.hidden = !words;
  };
  const stop = () => {
    clearInterval(timer);
    timer = 0;
    setButton(button, false);
  };
  const tick = () => {
    // Gone from the page (another demo run, or the reader navigated away): stop for good.
    if (!root.isConnected) {
      stop();
      return;
    }
    if (index >= frames.length - 1) {
      stop();
      return;
    }
    show(index + 1);
  };
  const play = () => {
    if (frames.length < 2) return;
    if (index >= frames.length - 1) show(0); // at the end, ▶ starts over
    setButton(button, true);
    timer = setInterval(tick, FRAME_MS);
  };

  button.addEventListener("click", () => (timer ? stop() : play()));
  slider.addEventListener("input", () => {
    if (timer) stop(); // the reader took over: scrubbing pauses the animation
    show(Number(slider.value));
  });
  if (frames.length < 2) button.disabled = slider.disabled = true;
  show(0);
  return root;
}
