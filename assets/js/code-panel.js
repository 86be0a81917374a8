// The 代码 panel of a demo block: the demo module's source in an editor the
// reader can change; 运行 then runs the edited code (demos._runtime.call_source).
//
// - The editor (CodeMirror, ~150 KB gzip) loads only when the panel opens, or
//   when a shared link brings code; a read-only page fetches nothing extra.
// - Edits are kept per demo in localStorage and restored on reload and after
//   instant navigation; the block gets data-modified="true" and an 已修改 mark.
// - 复制链接 carries edited code in the hash (deflate-raw, base64url); opening
//   such a link shows the code behind a banner and never runs it by itself.
// All reader text goes in through textContent or the editor's own model.

import { loadEditor } from "./editor-loader.js";
import { parseHash } from "./params.js";

const STORAGE_PREFIX = "genai-course-notes:code:";
// Longest code a link may carry, as base64url characters (about 9 KB compressed,
// typically 30 KB of Python); longer links break in chat apps and mail clients.
export const MAX_LINK_CODE_CHARS = 12000;
const MAX_CODE_BYTES = 200_000; // decompressed; matches demos._runtime.MAX_SOURCE_CHARS in spirit

// --- code ⇄ link ---------------------------------------------------------------

const toBase64url = (bytes) => {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromBase64url = (text) => {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

/** Source text → the `code=` value of a link (deflate-raw, base64url). */
export async function encodeCode(text) {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return toBase64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The `code=` value of a link → source text; throws on anything malformed or truncated. */
export async function decodeCode(value) {
  const stream = new Blob([fromBase64url(value)]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read(); // a truncated stream rejects here
    if (done) break;
    size += chunk.byteLength;
    if (size > MAX_CODE_BYTES) {
      reader.cancel();
      throw new Error("too large");
    }
    chunks.push(chunk);
  }
  return new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer());
}

// --- storage (may be full or disabled: never throw) ----------------------------

function readStored(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Save (or, with null, forget) the code; returns false when the browser refuses. */
function writeStored(key, text) {
  try {
    if (text === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}

// --- the panel -------------------------------------------------------------------

/**
 * Wire the 代码 panel of `block`.  `say(text)` shows a message in the block's
 * status line; `run()` is the block's 运行; `hash` is the URL's hash at mount
 * (a link may carry code).  Returns what demo-block.js needs.
 */
export function attachCodePanel(block, { say, run, hash = window.location.hash }) {
  const $ = (sel) => block.querySelector(sel);
  const panel = $("[data-role=code-panel]");
  const editButton = $("[data-action=edit]");
  if (!panel || !editButton) return null;
  const host = $("[data-role=editor]");
  const banner = $("[data-role=code-banner]");
  const resetButton = $("[data-action=reset-code]");
  const mark = $("[data-role=modified]");
  const errorBox = $("[data-role=code-error]");
  const shipped = $("[data-role=code-source]").content.textContent;
  const key = STORAGE_PREFIX + block.dataset.demo;

  let current = readStored(key) ?? shipped;
  let editor = null;
  let opening = null;
  let needsReview = false; // code from a link, not yet run by the reader
  let storageWarned = false;

  const isModified = () => current !== shipped;
  const showModified = () => {
    const modified = isModified();
    if (modified) block.dataset.modified = "true";
    else delete block.dataset.modified;
    mark.hidden = !modified;
    resetButton.disabled = !modified;
  };

  const save = () => {
    if (writeStored(key, isModified() ? current : null) || storageWarned) return;
    storageWarned = true;
    say("浏览器无法保存你的修改（存储空间已满或已被禁用）：修改在本页有效，刷新后会丢失。");
  };

  async function open({ focus = true } = {}) {
    panel.hidden = false;
    editButton.setAttribute("aria-expanded", "true");
    if (!opening) {
      block.dataset.editor = "loading";
      opening = loadEditor()
        .then(({ createEditor }) => {
          editor = createEditor(host, {
            doc: current,
            label: `demos/${block.dataset.demo}.py 的代码`,
            onRun: () => run(),
            onChange(text) {
              current = text;
              errorBox.hidden = true;
              showModified();
              save();
            },
          });
          host.editor = editor; // for teachers' scripts and tests: getValue(), setValue(text), …
          block.dataset.editor = "ready";
          return editor;
        })
        .catch((err) => {
          opening = null;
          delete block.dataset.editor;
          console.error(err);
          say("代码编辑器加载失败，请检查网络后再按「代码」。");
          throw err;
        });
    }
    const ed = await opening;
    if (focus) ed.focus();
    return ed;
  }

  const close = () => {
    panel.hidden = true;
    editButton.setAttribute("aria-expanded", "false");
  };

  // Start fetching the editor as soon as the reader shows intent to open it (as 运行 does for Pyodide).
  const prefetch = () => loadEditor().catch(() => {});
  editButton.addEventListener("pointerenter", prefetch, { once: true });
  editButton.addEventListener("focus", prefetch, { once: true });
  editButton.addEventListener("click", () => {
    if (panel.hidden) open().catch(() => {});
    else close();
  });

  resetButton.addEventListener("click", () => {
    if (!isModified() || !window.confirm("恢复为原始代码？你对这段代码的修改会被删除。")) return;
    current = shipped;
    editor?.setValue(shipped);
    editor?.clearMarks();
    errorBox.hidden = true;
    banner.hidden = true;
    needsReview = false;
    writeStored(key, null);
    showModified();
    say("已恢复原始代码。");
  });

  /** Open a link's code (if the hash carries some for this block): banner, never run. */
  async function applyLinkCode() {
    const link = parseHash(hash); // captured at mount: Material's hash tracking may erase it
    const value = link && link.id === block.id ? link.query.get("code") : null;
    if (value === null) return;
    let text;
    try {
      text = await decodeCode(value);
    } catch {
      block.dataset.codeLink = "invalid";
      say("链接中的代码已损坏或不完整，没有打开；下面仍是原来的代码。");
      return;
    }
    block.dataset.codeLink = "loaded";
    current = text;
    needsReview = true;
    banner.hidden = false;
    showModified();
    say("此链接包含修改过的代码：请先在「代码」里阅读，再按「运行」。");
    editor?.setValue(text);
    await open({ focus: false }).catch(() => {});
  }

  showModified();
  applyLinkCode();

  return {
    /** The edited source to run, or null to run the shipped module. */
    source: () => (isModified() ? current : null),
    /** True while a link's code waits for the reader (live controls must not run it). */
    needsReview: () => needsReview,
    /** The reader pressed 运行: the link's code has been seen. */
    reviewed() {
      needsReview = false;
      banner.hidden = true;
    },
    /** Show a run's answer in the editor: mark the reader's failing line, or clear marks. */
    async showAnswer(answer) {
      if (!answer.code_error) {
        errorBox.hidden = true;
        editor?.clearMarks();
        return;
      }
      errorBox.textContent = answer.traceback || answer.message;
      errorBox.hidden = false;
      const ed = await open({ focus: false }).catch(() => null);
      if (ed && answer.line) ed.markError(answer.line, answer.message);
      else ed?.clearMarks();
    },
    /** `url` plus the edited code, if any: {url, note} (note: why the code was left out). */
    async shareURL(url) {
      if (!isModified()) return { url, note: "" };
      let code;
      try {
        code = await encodeCode(current);
      } catch {
        return { url, note: "这个浏览器无法压缩代码：链接只含参数，不含修改过的代码。" };
      }
      if (code.length > MAX_LINK_CODE_CHARS)
        return {
          url,
          note: `修改后的代码压缩后仍有 ${code.length} 个字符，超过链接上限 ${MAX_LINK_CODE_CHARS}：链接只含参数，不含代码。`,
        };
      const u = new URL(url);
      u.hash = `${u.hash.slice(1)}${u.hash.includes("?") ? "&" : "?"}code=${code}`;
      return { url: u.href, note: "" };
    },
  };
}
