// Renders an "image" view: a grayscale picture (rows of values in 0..1, 0 = black,
// 1 = white) drawn into a <canvas> one pixel per value and scaled up by CSS
// with image-rendering: pixelated.  null pixels are transparent.
import { el, isNum } from "./svg.js";

/** Paint `pixels` into `canvas`, resizing it to columns × rows. */
export function drawPixels(canvas, pixels) {
  const rows = Array.isArray(pixels) ? pixels : [];
  const h = rows.length;
  const w = Math.max(0, ...rows.map((r) => (Array.isArray(r) ? r.length : 0)));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  if (w === 0 || h === 0) return;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = rows[y][x];
      const i = 4 * (y * w + x);
      const g = isNum(v) ? Math.round(255 * Math.min(1, Math.max(0, v))) : 0;
      img.data[i] = img.data[i + 1] = img.data[i + 2] = g;
      img.data[i + 3] = isNum(v) ? 255 : 0;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/** A canvas for a grayscale image; `label` is its accessible name (the summary is added to it). */
export function imageCanvas(pixels, label) {
  const canvas = el("canvas", { class: "demo-image__canvas", role: "img" });
  drawPixels(canvas, pixels);
  describeImage(canvas, pixels, label);
  return canvas;
}

// --- text alternative: a picture's size and brightness, in its accessible name

/** "28×28 像素的灰度图，平均亮度 0.31（0 为黑，1 为白）". */
export function summary(pixels) {
  const rows = Array.isArray(pixels) ? pixels : [];
  const w = Math.max(0, ...rows.map((r) => (Array.isArray(r) ? r.length : 0)));
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    for (const v of Array.isArray(r) ? r : []) {
      if (!isNum(v)) continue;
      sum += v;
      n += 1;
    }
  }
  const mean = n ? `，平均亮度 ${(sum / n).toFixed(2)}（0 为黑，1 为白）` : "";
  return `${w}×${rows.length} 像素的灰度图${mean}`;
}

/** Name the canvas: its title, then the summary (frames call this for every frame shown). */
export function describeImage(canvas, pixels, label) {
  canvas.setAttribute("aria-label", `${label || "图像"}：${summary(pixels)}`);
}

export function render(view) {
  const pixels = Array.isArray(view.pixels) ? view.pixels : [];
  if (pixels.length === 0) return el("p", { class: "demo-empty" }, "（空图像）");
  return el("div", { class: "demo-image" }, imageCanvas(pixels, view.title));
}
