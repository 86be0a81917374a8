// One demo block on a page: wires its controls and buttons to the runtime and
// keeps `data-state` (idle | loading | running | done | error) true, which is
// what tests and teachers' scripts watch.  All text goes in via textContent.
//
// Each block is mounted in isolation: a block that cannot start (bad spec, bad
// link) is marked as in error and every other block keeps working.  The
// reader's values and last output are kept per tab (sessionStorage), so Back,
// Forward and reload — and Material's hash tracking erasing a shared link —
// never lose them.

import { attachAnnouncer } from "./announce.js";
import { attachCodePanel } from "./code-panel.js";
import { attachLive, LIVE_RUN, notePressedRun } from "./live.js";
import { checkBadInput, linkFor, ParamError, parseParam, readControls, shareURL, writeControls } from "./params.js";
import { preloadRenderers, renderViews } from "./render/index.js";
import { client, LoadFailed, RunStopped } from "./runtime/client.js";
import { STAGE } from "./runtime/protocol.js";

const mb = (bytes) => (bytes / 1e6).toFixed(1);
const percent = (loaded, total) => Math.min(100, Math.round((100 * loaded) / total));
const controllers = new WeakMap(); // block → {applyLink}
const MAX_SAVED_CHARS = 1_000_000; // larger outputs are not kept across Back/Forward

/** Mount one block (`hash`: the shared link to honour); a failure marks only this block as in error. */
export function mountDemo(block, hash = location.hash) {
  if (block.dataset.mounted) return;
  block.dataset.mounted = "true";
  try {
    controllers.set(block, mountBlock(block, hash));
  } catch (err) {
    console.error(`demo block #${block.id}:`, err);
    block.dataset.state = "error";
    const status = block.querySelector("[data-role=status]");
    if (status) status.textContent = "这个演示无法启动，请刷新页面后重试。";
  }
}

/** Apply `hash` to a mounted block (a second shared link in the same tab). */
export function applyLink(block, hash = location.hash) {
  try {
    controllers.get(block)?.applyLink({ scroll: true, hash });
  } catch (err) {
    console.error(`demo block #${block.id}:`, err);
  }
}

/** Where this block's values and last output are kept for the tab's session. */
function storageKey(block) {
  return `demo-state:${location.pathname}#${block.id}`;
}
function loadSaved(block) {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(block)) || "null");
  } catch {
    return null;
  }
}
function save(block, state) {
  try {
    let text = JSON.stringify(state);
    if (text.length > MAX_SAVED_CHARS) text = JSON.stringify({ ...state, views: null });
    sessionStorage.setItem(storageKey(block), text);
  } catch {
    // Storage full or disabled: only Back/Forward restoration is lost.
  }
}

function mountBlock(block, initialHash) {
  const $ = (sel) => block.querySelector(sel);
  const form = $("[data-role=controls]");
  const status = $("[data-role=status]");
  const bar = $("[data-role=progress]");
  const output = $("[data-role=output]");
  const fallback = $("[data-role=fallback]");
  const runButton = $("[data-action=run]");
  const stopButton = $("[data-action=stop]");
  const { params: specs, values: defaults } = JSON.parse(block.dataset.spec);
  let lastViews = null; // the output currently shown, kept for Back/Forward
  let appliedLink = null; // the hash whose values were last applied
  let live = null; // live controls (live.js), attached once the block is wired
  // The 代码 panel (code-panel.js): edited source for 运行, error marks, code in links.
  const code = attachCodePanel(block, {
    say: (text) => status.replaceChildren(text),
    run: () => run(),
    hash: initialHash,
  });

  const remember = () => save(block, { values: readControls(form, specs), views: lastViews, link: appliedLink });
  // Screen readers hear stage changes and outcomes, not every MB (announce.js).
  attachAnnouncer(block, status, { outcome: () => outputSummary(output) });

  const setState = (state, message, { retry = false, details = "" } = {}) => {
    block.dataset.state = state;
    status.replaceChildren(message);
    if (retry) status.append(" ", retryButton(run));
    if (details) status.append(detailsBox(details));
    const busy = state === "loading" || state === "running";
    const focused = document.activeElement; // a button about to be disabled would drop the focus
    runButton.disabled = busy;
    stopButton.disabled = !busy;
    if (busy && focused === runButton) stopButton.focus();
    else if (!busy && focused === stopButton) runButton.focus();
    if (!busy) bar.hidden = true;
    markStale(block, output, state !== "done");
  };

  const showProgress = ({ stage, loaded, total }) => {
    if (stage === STAGE.RUNNING) {
      setState("running", "运行中……");
      return;
    }
    block.dataset.state = "loading";
    bar.hidden = false;
    if (stage === STAGE.DOWNLOAD && total) {
      bar.max = total;
      bar.value = Math.min(loaded, total);
      bar.setAttribute("aria-valuetext", `正在${stage} ${percent(loaded, total)}%`);
      status.textContent = `${stage}：${mb(Math.min(loaded, total))} / ${mb(total)} MB（仅首次需要）`;
    } else {
      bar.removeAttribute("value"); // indeterminate
      bar.setAttribute("aria-valuetext", `正在${stage}`);
      status.textContent = `${stage}……`;
    }
  };

  const showError = (message, param) => {
    setState("error", message);
    const control = param && form.elements.namedItem(param);
    if (control) markInvalid(control, message);
  };

  // The renderers load on first use (render/index.js): the output shows once they have.
  const showOutput = async (views) => {
    lastViews = views;
    await renderViews(views, output);
    fallback.hidden = true;
  };

  async function run(how) {
    if (how !== LIVE_RUN) {
      notePressedRun(); // live controls may rerun from now on (live.js)
      live?.supersede(); // this run reads the controls: a live rerun due for them would repeat it
      code?.reviewed();
    }
    clearInvalid(form);
    const raw = readControls(form, specs);
    try {
      checkBadInput(form, specs);
      for (const [name, value] of Object.entries(raw)) parseParam(name, specs[name], value);
    } catch (err) {
      if (err instanceof ParamError) return showError(err.message, err.param);
      throw err;
    }
    remember();
    setState("loading", client.ready ? "运行中……" : `${STAGE.DOWNLOAD}……`);
    preloadRenderers(); // alongside the runtime, so the answer need not wait for them
    try {
      const answer = await client.run(block.dataset.demo, raw, {
        onProgress: showProgress,
        budgetMs: Number(block.dataset.timeBudget) || 20000,
        stallMs: Number(block.dataset.loadTimeout) || undefined,
        owner: block,
        source: code?.source() ?? undefined,
      });
      code?.showAnswer(answer);
      if (!answer.ok) return showError(answer.message, answer.param);
      await showOutput(answer.views);
      setState("done", `完成，用时 ${Math.max(1, Math.round(answer.ms))} 毫秒。`);
      remember();
    } catch (err) {
      if (err instanceof RunStopped) setState(err.timedOut ? "error" : "idle", err.message);
      else if (err instanceof LoadFailed)
        setState("error", `运行环境加载失败：${err.message}`, { retry: true, details: err.info.detail || "" });
      else {
        console.error(err);
        setState("error", "出了点问题，请重试。", { retry: true, details: String(err?.stack || err) });
      }
    }
  }

  /** If the hash is a shared link to this block, fill its values in (and scroll to it). */
  function applySharedLink({ scroll, hash }) {
    const link = linkFor(hash, block.id, specs);
    if (!link) return false;
    if ("error" in link) {
      setState("error", `链接中的参数无效：${link.error}`);
    } else {
      writeControls(form, { ...defaults, ...link.values });
      clearInvalid(form);
      setState("idle", "已按链接填好参数，按「运行」查看结果。");
      appliedLink = hash;
      remember();
    }
    if (scroll) block.scrollIntoView({ block: "start" });
    return true;
  }

  /** Back/Forward/reload: the reader's last values and output for this block in this tab. */
  function restoreSaved(saved, { fromLink = false } = {}) {
    writeControls(form, saved.values || {});
    appliedLink = saved.link || null;
    if (saved.views) {
      status.textContent = "已恢复你之前的参数和结果。";
      showOutput(saved.views);
    } else status.textContent = fromLink ? "已按链接填好参数，按「运行」查看结果。" : "已恢复你之前填写的参数。";
  }

  runButton.addEventListener("click", run);
  // Start downloading as soon as the reader shows intent to run.
  runButton.addEventListener("pointerenter", () => client.prefetch(), { once: true });
  runButton.addEventListener("focus", () => client.prefetch(), { once: true });
  stopButton.addEventListener("click", () => client.stop("已停止", { owner: block }));
  $("[data-action=reset]").addEventListener("click", () => {
    writeControls(form, defaults);
    remember();
  });
  $("[data-action=share]").addEventListener("click", async () => {
    remember();
    let url = shareURL(block.id, readControls(form, specs));
    let note = "";
    if (code) ({ url, note } = await code.shareURL(url)); // edited code rides along
    await share(status, url);
    if (note) status.prepend(`${note} `);
  });
  // Sliders and number boxes move together.
  for (const slider of form.querySelectorAll("[data-slider-for]")) {
    const box = form.elements.namedItem(slider.dataset.sliderFor);
    slider.addEventListener("input", () => {
      box.value = slider.value;
    });
    box.addEventListener("input", () => {
      slider.value = box.value;
    });
  }
  // Typing is saved too (debounced): a reload or Back must not lose a value never "changed".
  let saveTimer = null;
  form.addEventListener("input", () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(remember, 300);
  });
  form.addEventListener("change", remember);
  // Enter in a field runs the demo; the form itself is never submitted.
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.tagName === "INPUT" && !runButton.disabled) {
      e.preventDefault();
      run();
    }
  });

  // A link newer than what the reader last saw wins; otherwise their own work comes back.
  const saved = loadSaved(block);
  if (saved && saved.link === initialHash && initialHash.includes("?")) restoreSaved(saved, { fromLink: true });
  else if (!applySharedLink({ scroll: true, hash: initialHash }) && saved) restoreSaved(saved);
  live = attachLive(block, form, run, { allowed: () => !code?.needsReview() });
  return { applyLink: applySharedLink };
}

// --- accessibility: the invalid control, the outcome in words ----------------------

/**
 * Mark `control` invalid: aria-invalid, the message in its field-error slot (built by
 * scripts/controls.py) tied to it by aria-describedby before its help, and the focus on it,
 * so the reader lands where the value can be fixed and hears why.
 */
function markInvalid(control, message) {
  control.setAttribute("aria-invalid", "true");
  const slot = document.getElementById(`${control.id}-error`);
  if (slot) {
    slot.textContent = message;
    slot.hidden = false;
    const described = (control.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter((id) => id && id !== slot.id);
    control.setAttribute("aria-describedby", [slot.id, ...described].join(" "));
    control.setAttribute("aria-errormessage", slot.id);
  }
  // Moving the focus makes the screen reader read the message; if the focus is already
  // there (Enter in the field) nothing would be read, so announce.js alerts instead.
  control.dataset.errorFocus = document.activeElement === control ? "kept" : "moved";
  control.focus();
}

/** Undo markInvalid on every control of `form`. */
function clearInvalid(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-errormessage");
    delete control.dataset.errorFocus;
    const slot = document.getElementById(`${control.id}-error`);
    if (!slot) continue;
    slot.hidden = true;
    slot.textContent = "";
    const rest = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== slot.id);
    if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
    else control.removeAttribute("aria-describedby");
  }
}

/** What a finished run shows, in a few words for the announcement: the views' titles. */
function outputSummary(output) {
  const titles = [...output.querySelectorAll(":scope > .demo-view > figcaption")].map((c) => c.textContent.trim());
  const shown = titles.filter(Boolean).slice(0, 4);
  if (!shown.length) return "";
  return `结果：${shown.join("；")}${titles.length > shown.length ? "等" : ""}。`;
}

function retryButton(onClick) {
  const again = document.createElement("button");
  again.type = "button";
  again.className = "md-button demo__retry";
  again.dataset.action = "retry";
  again.textContent = "重试";
  again.addEventListener("click", onClick);
  return again;
}

/** The raw error, for whoever helps the reader (a teacher, the host's admin). */
function detailsBox(text) {
  const details = document.createElement("details");
  details.className = "demo__details";
  details.dataset.role = "details";
  const summary = document.createElement("summary");
  summary.textContent = "技术细节";
  const pre = document.createElement("pre");
  pre.textContent = text;
  details.append(summary, pre);
  return details;
}

/** Dim an output that no longer matches the inputs and say so, until the next success. */
function markStale(block, output, stale) {
  const has = output.childElementCount > 0 && !output.hidden;
  const on = stale && has;
  output.classList.toggle("demo__output--stale", on);
  let note = block.querySelector("[data-role=stale-note]");
  if (on && !note) {
    note = document.createElement("p");
    note.className = "demo__stale-note";
    note.dataset.role = "stale-note";
    note.textContent = "以下是上一次的结果";
    output.before(note);
  } else if (!on && note) note.remove();
}

/** 复制链接: the clipboard, or a field the reader copies from (Material's tracking may rewrite the address bar). */
async function share(status, url) {
  history.replaceState(history.state, "", url);
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = "链接已复制：打开它会回到这里，并填好当前参数。";
  } catch {
    const field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    field.className = "demo__share-link";
    field.dataset.role = "share-link";
    field.setAttribute("aria-label", "本演示当前参数的链接");
    status.replaceChildren("无法自动复制，请复制下面的链接：打开它会回到这里，并填好当前参数。", field);
    field.focus();
    field.select();
  }
}
