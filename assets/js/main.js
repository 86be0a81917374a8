// Entry point on every page.  Material's `document$` emits on the first load
// and after each instant navigation; module state (the Pyodide worker) lives
// on across those, so a second chapter's demo reuses the loaded runtime.
// Each block mounts on its own (mountDemo catches), so one bad block never
// stops the others.
import { applyLink, mountDemo } from "./demo-block.js";
import "./erratum.js";
import { mountExercise } from "./exercise.js";
import { client } from "./runtime/client.js";

// A shared link that arrived with the page (kept by theme-startup.js, inlined in <head>) or
// by `hashchange`.  Material's hash tracking may rewrite the address to the section on
// screen before the blocks mount (this script starts after the first paint, and Material
// answers a `hashchange` by re-rendering the page); they take the link from here instead.
let arrivedLink = window.__courseArrival ?? null;

function mountPage() {
  const useArrived = arrivedLink?.path === location.pathname && !location.hash.includes("?");
  const hash = useArrived ? arrivedLink.hash : location.hash;
  for (const block of document.querySelectorAll(".demo[data-demo]")) mountDemo(block, hash);
  arrivedLink = null;
  for (const block of document.querySelectorAll(".exercise[data-exercise]")) mountExercise(block);
  // A click on 运行 / 检查 before this script had run (overrides/partials/modules.html kept it).
  for (const button of document.querySelectorAll("[data-pending-click]")) {
    delete button.dataset.pendingClick;
    button.click();
  }
  if (document.querySelector(".demo[data-demo], .exercise[data-exercise]")) whenIdle(() => client.warm());
}

/** Run `task` once the page is idle (Safari has no requestIdleCallback: a second later), unless the reader saves data. */
function whenIdle(task) {
  if (navigator.connection?.saveData) return;
  if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 3000 });
  else setTimeout(task, 1000);
}

// Offline after one visit (assets/js/offline/): the service worker registers once the page
// has loaded, so its code is fetched only then.
const loadOffline = () => import("./offline/register.js");
if (document.readyState === "complete") loadOffline();
else window.addEventListener("load", loadOffline, { once: true });

if (window.document$) window.document$.subscribe(mountPage);
else mountPage();

// A second shared link for this page in the same tab changes only the hash: apply it too.
window.addEventListener("hashchange", () => {
  if (!location.hash.includes("?")) return;
  arrivedLink = { path: location.pathname, hash: location.hash };
  window.__courseArrival = arrivedLink; // the language switch keeps this link too (editions/switch.js)
  for (const block of document.querySelectorAll(".demo[data-demo][data-mounted]")) applyLink(block, location.hash);
});
