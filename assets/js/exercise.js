// One 练一练 block: an editor with the reader's code, 检查 (graded in the shared
// Pyodide worker), the verdict, the hint and the reference solution on demand.
// `data-state` (idle | loading | running | done | error) and the verdict's
// `data-verdict` (pass | fail | error) are the contract tests watch.  The editor
// is loaded only when the reader reaches for the code, so a page that is only
// read fetches neither the editor nor Pyodide.  Reader text only via textContent.
import { attachAnnouncer } from "./announce.js";
import { loadEditor } from "./editor-loader.js";
import { client, LoadFailed, RunStopped } from "./runtime/client.js";
import { STAGE } from "./runtime/protocol.js";

const storageKey = (name) => `exercise:${name}:code`;

/** Stored code for exercise `name`, or null (storage may be disabled). */
function loadCode(name) {
  try {
    return window.localStorage.getItem(storageKey(name));
  } catch {
    return null;
  }
}

/** Keep `code` (null removes it); false when storage is full or disabled. */
function saveCode(name, code) {
  try {
    if (code === null) window.localStorage.removeItem(storageKey(name));
    else window.localStorage.setItem(storageKey(name), code);
    return true;
  } catch {
    return false;
  }
}

function verdictCase(c) {
  const rows = [
    ["输入", c.input],
    ["期望", c.expected],
    ["你的结果", c.got],
  ].filter(([, text]) => text !== undefined);
  const list = document.createElement("dl");
  list.className = "exercise__case";
  for (const [term, text] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    const pre = document.createElement("pre");
    pre.textContent = text;
    dd.append(pre);
    list.append(dt, dd);
  }
  return list;
}

export function mountExercise(block) {
  if (block.dataset.mounted) return;
  block.dataset.mounted = "true";
  const $ = (sel) => block.querySelector(sel);
  const name = block.dataset.exercise;
  const holder = $("[data-role=editor]");
  const pre = $("[data-role=starter]");
  const status = $("[data-role=status]");
  const verdict = $("[data-role=verdict]");
  const checkButton = $("[data-action=check]");
  const stopButton = $("[data-action=stop]");
  const solutionButton = $("[data-action=solution]");
  const solution = $("[data-role=solution]");
  const starter = pre.textContent;
  // Screen readers hear the stages once and the verdict with the outcome (announce.js).
  attachAnnouncer(block, status, {
    outcome: () => (verdict.hidden ? "" : ` ${verdict.querySelector(".exercise__verdict-head")?.textContent || ""}`),
  });
  const saved = loadCode(name);
  if (saved !== null) pre.querySelector("code").textContent = saved;
  let editor = null;
  let opening = null;
  let warnedStorage = false;

  const code = () => (editor ? editor.getValue() : pre.textContent);

  const remember = (text) => {
    block.dataset.modified = String(text !== starter);
    pre.querySelector("code").textContent = text; // the hidden static copy (print) follows the editor
    if (!saveCode(name, text === starter ? null : text) && !warnedStorage) {
      warnedStorage = true;
      status.textContent = "浏览器不允许保存（存储已满或被禁用）：关闭页面后你的代码不会保留。";
    }
  };
  block.dataset.modified = String(saved !== null && saved !== starter);

  /** Replace the static code with the editor (once); resolves to it. */
  function openEditor({ focus = false } = {}) {
    if (!opening) {
      opening = loadEditor().then(({ createEditor }) => {
        const doc = pre.textContent;
        pre.hidden = true;
        editor = createEditor(holder, {
          doc,
          label: `练习代码：${block.querySelector(".exercise__title")?.textContent || name}`,
          onChange: remember,
          onRun: check,
        });
        block.dataset.editor = "ready";
        return editor;
      });
    }
    return opening.then(
      (ed) => {
        if (focus) ed.focus();
        return ed;
      },
      (err) => {
        opening = null; // the next reach for the code tries again
        status.textContent = "编辑器加载失败，请检查网络后再点一下代码。「检查」仍会检查上面显示的代码。";
        throw err;
      },
    );
  }

  const setState = (state, message) => {
    block.dataset.state = state;
    status.textContent = message;
    const busy = state === "loading" || state === "running";
    const focused = document.activeElement; // a button about to be disabled would drop the focus
    checkButton.disabled = busy;
    stopButton.disabled = !busy;
    if (busy && focused === checkButton) stopButton.focus();
    else if (!busy && focused === stopButton) checkButton.focus();
  };

  const showVerdict = (answer) => {
    verdict.hidden = false;
    verdict.dataset.verdict = answer.verdict;
    const head = document.createElement("p");
    head.className = "exercise__verdict-head";
    head.textContent = answer.verdict === "pass" ? `✓ ${answer.message}` : answer.message;
    verdict.replaceChildren(head);
    if (answer.case && answer.verdict === "fail") verdict.append(verdictCase(answer.case));
    else if (answer.case?.input) verdict.append(verdictCase({ input: answer.case.input }));
    editor?.clearMarks();
    if (answer.line && editor) editor.markError(answer.line, answer.error || answer.message);
  };

  async function check() {
    await openEditor().catch(() => null);
    const source = code();
    verdict.hidden = true;
    setState("loading", client.ready ? "检查中……" : `${STAGE.DOWNLOAD}……`);
    try {
      const answer = await client.check(name, source, {
        onProgress: ({ stage }) => {
          if (stage === STAGE.RUNNING) setState("running", "检查中……");
          else status.textContent = `${stage}……（仅首次需要）`;
        },
        budgetMs: Number(block.dataset.timeBudget) || 20000,
        owner: block,
      });
      showVerdict(answer);
      setState(
        answer.internal ? "error" : "done",
        answer.verdict === "pass" ? "通过了！" : "还没通过，看看下面的说明。",
      );
    } catch (err) {
      if (err instanceof RunStopped) {
        if (err.timedOut) {
          showVerdict({ verdict: "error", message: `${err.message}：代码里是不是有死循环？` });
          setState("error", err.message);
        } else setState("idle", err.message);
      } else if (err instanceof LoadFailed) setState("error", `运行环境加载失败（${err.message}）。请检查网络后重试。`);
      else {
        console.error(err);
        setState("error", "出了点问题，请重试。");
      }
    }
  }

  // Reaching for the code opens the editor; pointing at 检查 starts loading Python.
  for (const type of ["pointerdown", "focusin"]) {
    pre.addEventListener(type, () => openEditor({ focus: true }).catch(() => {}));
  }
  checkButton.addEventListener("click", check);
  checkButton.addEventListener("pointerenter", () => client.prefetch(), { once: true });
  checkButton.addEventListener("focus", () => client.prefetch(), { once: true });
  stopButton.addEventListener("click", () => client.stop("已停止", { owner: block }));
  $("[data-action=reset-code]").addEventListener("click", async () => {
    if (code() === starter || !window.confirm("恢复初始代码？你写的代码会被清除。")) return;
    const ed = await openEditor();
    ed.setValue(starter);
    ed.clearMarks();
    remember(starter);
  });
  solutionButton.addEventListener("click", () => {
    solution.hidden = !solution.hidden;
    solutionButton.setAttribute("aria-expanded", String(!solution.hidden));
    solutionButton.textContent = solution.hidden ? "查看参考答案" : "隐藏参考答案";
  });
}
