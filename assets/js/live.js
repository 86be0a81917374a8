// Live controls: once the runtime is ready, moving a slider or changing a field
// reruns the demo by itself.
//
// - Debounced (DEBOUNCE_MS after the last change), latest-wins: the run reads
//   the controls when it starts, and at most one run waits behind the current one.
// - Never starts a download: until the reader has pressed 运行 once (on any
//   block, in this page session) and the runtime is loaded, controls only edit values.
// - The previous output stays until the new one replaces it (demo-block.js).
// - [data-action=autorun] is the visible toggle; a demo declared with
//   `LIVE = False` has none, and this module then does nothing.
import { client } from "./runtime/client.js";

export const DEBOUNCE_MS = 150;
/** Pass as run's argument: a live rerun, which does not count as the reader's 运行. */
export const LIVE_RUN = Symbol("live run");

let pressedRun = false; // module state: survives instant navigation, like the worker

/** The reader pressed 运行 (or Enter): from now on live controls may rerun. */
export function notePressedRun() {
  pressedRun = true;
}

const BUSY = new Set(["loading", "running"]);

/**
 * Rerun `block` when its `form` changes.  `run(LIVE_RUN)` runs it and resolves
 * when done; `allowed()` may veto (e.g. code from a link not yet reviewed).
 * Returns `{ supersede }` (or null without a toggle): call it when the reader starts
 * a run, which reads the controls itself, so a live rerun due or queued is dropped.
 */
export function attachLive(block, form, run, { allowed = () => true } = {}) {
  const toggle = block.querySelector("[data-action=autorun]");
  if (!toggle) return null;
  let timer = null;
  let queued = false;
  let inflight = false;
  const busy = () => inflight || BUSY.has(block.dataset.state);
  const ready = () => toggle.checked && pressedRun && client.ready && allowed();

  async function fire() {
    timer = null;
    if (!ready()) return;
    if (busy()) {
      queued = true; // at most one: later changes are read when it starts
      return;
    }
    inflight = true;
    try {
      await run(LIVE_RUN);
    } finally {
      inflight = false;
    }
    flush();
  }

  function flush() {
    if (queued && !busy()) {
      queued = false;
      fire();
    }
  }

  const changed = () => {
    if (!ready()) return; // before the first 运行 the controls only edit values
    clearTimeout(timer);
    timer = setTimeout(fire, DEBOUNCE_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // A run the reader started (运行) ending also releases a queued live run.
  new MutationObserver(flush).observe(block, { attributes: true, attributeFilter: ["data-state"] });
  return {
    supersede() {
      clearTimeout(timer);
      timer = null;
      queued = false;
    },
  };
}
