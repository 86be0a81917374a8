// What a screen reader hears from a demo or exercise block.  The visible status
// line changes many times a second while the runtime downloads (MB counters), so
// it is not itself a live region; instead this module watches it and repeats
// only what matters into the block's two hidden regions (built by
// scripts/demo_fence.py and scripts/exercise_fence.py):
//
// - [data-role=announce] (role=status, polite): stage changes (下载运行环境,
//   加载 numpy, 运行中; a stage is said once, and only if it lasts BUSY_DELAY_MS,
//   so a quick live rerun is not read out), then the outcome (完成… plus what the
//   output holds) and every other message (已停止, 链接已复制…);
// - [data-role=alert] (role=alert): errors, unless demo-block.js has just moved
//   the focus to the offending control (with the message tied to it, so the
//   reader hears it once, where it can be fixed).
//
// Watching the status, rather than calling an announce function from each
// writer, keeps every writer (code panel, share, offline messages…) announced
// without their knowing.

const BUSY = new Set(["loading", "running"]);
export const BUSY_DELAY_MS = 500;

/** The status line's own words: its text without a 技术细节 box, buttons or a link field. */
function statusText(status) {
  let text = "";
  for (const node of status.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
    else if (node.nodeType === Node.ELEMENT_NODE && !node.matches("details, button, input")) text += node.textContent;
  }
  return text.replace(/\s+/g, " ").trim();
}

/** "下载运行环境：3.2 / 17 MB（仅首次需要）" → "下载运行环境": a stage without its counters. */
const stageOf = (text) => text.split(/[：…（]/)[0].trim();

/**
 * Mirror `block`'s status line into its live regions.  `outcome()` returns extra
 * words for a finished run (e.g. the titles of the output), read after the status.
 * Returns {stop()} (tests and teardown; the observer otherwise lives with the block).
 */
export function attachAnnouncer(block, status, { outcome = () => "" } = {}) {
  const polite = block.querySelector("[data-role=announce]");
  const assertive = block.querySelector("[data-role=alert]");
  if (!polite || !status) return { stop() {} };
  let lastStage = "";
  let timer = 0;

  const say = (region, text) => {
    if (!region) return;
    // Clearing first makes a repeated message ("已停止" twice) be read again.
    region.textContent = "";
    region.textContent = text;
  };

  /** One batch of mutations: the status line was rewritten and/or the state changed. */
  const update = (records) => {
    const text = statusText(status);
    const state = block.dataset.state;
    if (BUSY.has(state)) {
      const stage = stageOf(text);
      if (!stage || stage === lastStage) return;
      lastStage = stage;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (BUSY.has(block.dataset.state)) say(polite, `${stage}……`);
      }, BUSY_DELAY_MS);
      return;
    }
    clearTimeout(timer);
    lastStage = "";
    // Only a rewritten status line is news (the initial hint is on the page already).
    if (!text || !records.some((r) => r.target !== block)) return;
    if (state === "error") {
      const focused = document.activeElement;
      // demo-block.js moved the focus to the invalid control: its label and message are read there.
      if (focused && block.contains(focused) && focused.dataset.errorFocus === "moved") return;
      if (assertive) {
        polite.textContent = "";
        say(assertive, text);
        return;
      }
    }
    const extra = state === "done" ? outcome() : "";
    say(polite, extra ? `${text}${extra}` : text);
  };

  const observer = new MutationObserver(update);
  observer.observe(status, { childList: true, characterData: true, subtree: true });
  observer.observe(block, { attributes: true, attributeFilter: ["data-state"] });
  return {
    stop() {
      observer.disconnect();
      clearTimeout(timer);
    },
  };
}
