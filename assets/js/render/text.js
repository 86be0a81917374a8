// Renders a "text" view: one paragraph of plain text, line breaks kept (CSS white-space: pre-wrap).
import { el } from "./svg.js";

export function render(view) {
  // textContent, never markup: the text may echo what the reader typed.
  return el("p", { class: "demo-text" }, view.text === null || view.text === undefined ? "" : String(view.text));
}
