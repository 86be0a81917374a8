// Entry point on every page.  Material's `document$` emits on the first load
// and after each instant navigation; module state (the Pyodide worker) lives
// on across those, so a second chapter's demo reuses the loaded runtime.
// Each block mounts on its own (mountDemo catches), so one bad block never
// stops the others.
import { applyLink, mountDemo } from "./demo-block.js";
import "./erratum.js";
import { mountExercise } from "./exercise.js";

// A shared link that arrived by `hashchange`.  Material answers the same
// navigation by re-rendering the page, and its hash tracking may rewrite the
// address before the new blocks mount; they take the link from here instead.
let arrivedLink = null;

function mountPage() {
  const useArrived = arrivedLink?.path === location.pathname && !location.hash.includes("?");
  const hash = useArrived ? arrivedLink.hash : location.hash;
  for (const block of document.querySelectorAll(".demo[data-demo]")) mountDemo(block, hash);
  arrivedLink = null;
  for (const block of document.querySelectorAll(".exercise[data-exercise]")) mountExercise(block);
}

// Offline after one visit (assets/js/offline/): the service worker registers once the page
// has loaded, so its code is fetched only then, after what the reader sees first.
const loadOffline = () => import("./offline/register.js");
if (document.readyState === "complete") loadOffline();
else window.addEventListener("load", loadOffline, { once: true });

if (window.document$) window.document$.subscribe(mountPage);
else mountPage();

// A second shared link for this page in the same tab changes only the hash: apply it too.
window.addEventListener("hashchange", () => {
  if (!location.hash.includes("?")) return;
  arrivedLink = { path: location.pathname, hash: location.hash };
  for (const block of document.querySelectorAll(".demo[data-demo][data-mounted]")) applyLink(block, location.hash);
});
