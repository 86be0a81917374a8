// One demo block on a page: wires its controls and buttons to the runtime and
// keeps `data-state` (idle | loading | running | done | error) true, which is
// what tests and teachers' scripts watch.  All text goes in via textContent.

import { attachCodePanel } from "./code-panel.js";
import { attachLive, LIVE_RUN, notePressedRun } from "./live.js";
import { ParamError, parseHash, parseParam, readControls, shareURL, valuesFromQuery, writeControls } from "./params.js";
import { renderViews } from "./render/index.js";
import { client, LoadFailed, RunStopped } from "./runtime/client.js";
import { STAGE } from "./runtime/protocol.js";

const mb = (bytes) => (bytes / 1e6).toFixed(1);

export function mountDemo(block) {
  if (block.dataset.mounted) return;
  block.dataset.mounted = "true";
  const $ = (sel) => block.querySelector(sel);
  const form = $("[data-role=controls]");
  const status = $("[data-role=status]");
  const bar = $("[data-role=progress]");
  const output = $("[data-role=output]");
  const fallback = $("[data-role=fallback]");
  const runButton = $("[data-action=run]");
  const stopButton = $("[data-action=stop]");
  const { params: specs, values: defaults } = JSON.parse(block.dataset.spec);
  // The 代码 panel (code-panel.js): edited source for 运行, error marks, code in links.
  const code = attachCodePanel(block, { say: (text) => status.replaceChildren(text), run: () => run() });

  const setState = (state, message, { retry = false } = {}) => {
    block.dataset.state = state;
    status.replaceChildren(message);
    if (retry) {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "md-button demo__retry";
      again.dataset.action = "retry";
      again.textContent = "重试";
      again.addEventListener("click", run);
      status.append(" ", again);
    }
    const busy = state === "loading" || state === "running";
    runButton.disabled = busy;
    stopButton.disabled = !busy;
    if (!busy) bar.hidden = true;
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
      status.textContent = `${stage}：${mb(Math.min(loaded, total))} / ${mb(total)} MB（仅首次需要）`;
    } else {
      bar.removeAttribute("value"); // indeterminate
      status.textContent = `${stage}……`;
    }
  };

  const showError = (message, param) => {
    setState("error", message);
    const control = param && form.elements.namedItem(param);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    }
  };

  async function run(how) {
    if (how !== LIVE_RUN) {
      notePressedRun();
      code?.reviewed();
    }
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const raw = readControls(form, specs);
    try {
      for (const [name, value] of Object.entries(raw)) parseParam(name, specs[name], value);
    } catch (err) {
      if (err instanceof ParamError) return showError(err.message, err.param);
      throw err;
    }
    setState("loading", client.ready ? "运行中……" : `${STAGE.DOWNLOAD}……`);
    try {
      const answer = await client.run(block.dataset.demo, raw, {
        onProgress: showProgress,
        budgetMs: Number(block.dataset.timeBudget) || 20000,
        source: code?.source() ?? undefined,
      });
      code?.showAnswer(answer);
      if (!answer.ok) return showError(answer.message, answer.param);
      renderViews(answer.views, output);
      fallback.hidden = true;
      setState("done", `完成，用时 ${Math.max(1, Math.round(answer.ms))} 毫秒。`);
    } catch (err) {
      if (err instanceof RunStopped) setState(err.timedOut ? "error" : "idle", err.message);
      else if (err instanceof LoadFailed)
        setState("error", `运行环境加载失败（${err.message}）。请检查网络后重试。`, { retry: true });
      else {
        console.error(err);
        setState("error", "出了点问题，请重试。", { retry: true });
      }
    }
  }

  runButton.addEventListener("click", () => run());
  // Start downloading as soon as the reader shows intent to run.
  runButton.addEventListener("pointerenter", () => client.prefetch(), { once: true });
  runButton.addEventListener("focus", () => client.prefetch(), { once: true });
  stopButton.addEventListener("click", () => client.stop());
  $("[data-action=reset]").addEventListener("click", () => writeControls(form, defaults));
  $("[data-action=share]").addEventListener("click", async () => {
    let url = shareURL(block.id, readControls(form, specs));
    let note = "";
    if (code) ({ url, note } = await code.shareURL(url)); // edited code rides along
    const what = url.includes("&code=") || url.includes("?code=") ? "当前参数和修改过的代码" : "当前参数";
    history.replaceState(history.state, "", url);
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = note || `链接已复制：打开它会回到这里，并填好${what}。`;
    } catch {
      status.textContent = note || `请复制地址栏里的链接：打开它会回到这里，并填好${what}。`;
    }
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
  // Enter in a field runs the demo; the form itself is never submitted.
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.tagName === "INPUT" && !runButton.disabled) {
      e.preventDefault();
      run();
    }
  });

  applySharedLink(block, specs, form, status);
  attachLive(block, form, run, { allowed: () => !code?.needsReview() });
}

/** If the URL's hash is a shared link to this block, fill its values in and scroll to it. */
export function applySharedLink(block, specs, form, status) {
  const link = parseHash(window.location.hash);
  if (!link || link.id !== block.id) return;
  link.query.delete("code"); // edited code: code-panel.js opens it
  try {
    writeControls(form, valuesFromQuery(link.query, specs));
    status.textContent = "已按链接填好参数，按「运行」查看结果。";
  } catch (err) {
    if (!(err instanceof ParamError)) throw err;
    block.dataset.state = "error";
    status.textContent = `链接中的参数无效：${err.message}`;
  }
  block.scrollIntoView({ block: "start" });
}
