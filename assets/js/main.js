// Entry point on every page.  Material's `document$` emits on the first load
// and after each instant navigation; module state (the Pyodide worker) lives
// on across those, so a second chapter's demo reuses the loaded runtime.
import { mountDemo } from "./demo-block.js";
import "./erratum.js";

function mountPage() {
  for (const block of document.querySelectorAll(".demo[data-demo]")) mountDemo(block);
}

if (window.document$) window.document$.subscribe(mountPage);
else mountPage();
