// The page's side of offline reading (the worker is sw.js at the site root, see sw.js here).
//
// - Registers the service worker once the page has loaded, with the site's own base path as
//   its scope (sw.js's URL comes from config.js, written by scripts/hooks.py per edition).
// - 「有新版本，刷新后生效」: shown (role=status) when a new build's worker is installed and
//   waiting; its 刷新 button applies it and reloads once. A plain reload keeps the old worker
//   (the page is still its client), so the next load after the notice asks the new one to take
//   over; Chromium does that only once the old worker is idle, so if it has not within a few
//   seconds the notice shows again.
// - 「离线可用」 in the footer: asks the worker to store the Pyodide files (with progress and
//   the result). The same happens by itself after the first successful run, except when
//   the reader asked to save data (navigator.connection.saveData): then the button says
//   why and asks first.
import config from "./config.js";

const supported = "serviceWorker" in navigator && config.enabled && window.isSecureContext;
const saveData = () => navigator.connection?.saveData === true;
const APPLY_WAIT_MS = 5000; // a reload applies a waiting version; past this, the notice shows again
const AUTO_DELAY_MS = 3000; // after the first successful run, before storing the Pyodide files
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

let registration = null;
let status = null; // the worker's last "offline-status" (files stored, total size)
let progress = null; // {loaded, total} while downloading
let result = null; // {ok, error} after the last download
let askFirst = false; // saveData: the reader pressed 「离线可用」 once and is asked to confirm
let applying = false;

/** The visible, announced line about a new version, created once (a live region must exist before it speaks). */
const notice = (() => {
  if (!supported) return null;
  const box = document.createElement("div");
  box.className = "offline-update";
  box.setAttribute("role", "status");
  box.hidden = true;
  document.body.append(box);
  return box;
})();

/** `worker`: the waiting worker to apply, or null when another tab already applied it (then reload). */
function showUpdate(worker) {
  if (!notice?.hidden) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button";
  button.textContent = "刷新";
  button.addEventListener("click", () => (worker ? apply(worker) : location.reload()));
  notice.replaceChildren("有新版本，刷新后生效", " ", button);
  notice.hidden = false;
  if (worker) remember(true);
}

/** Let the waiting worker take over, then reload once it controls the page. */
function apply(worker) {
  applying = true;
  worker.postMessage({ type: "skip-waiting" });
}

/** The footer's 「离线可用」 line, rebuilt on every page (instant navigation replaces the footer). */
function renderFooter() {
  if (!supported) return;
  const host = document.querySelector(".md-footer-meta__inner");
  if (!host) return;
  let box = host.querySelector(".offline-footer");
  if (!box) {
    box = document.createElement("div");
    box.className = "offline-footer";
    host.append(box);
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "offline-footer__button";
  const line = document.createElement("span");
  line.setAttribute("role", "status");
  const size = status ? `（约 ${mb(status.total)}）` : "";
  if (progress) {
    line.textContent = `正在保存离线运行环境… ${Math.floor((100 * progress.loaded) / progress.total)}%`;
    box.replaceChildren(line);
    return;
  }
  if (status && status.files > 0 && status.cached === status.files) {
    line.textContent = "已可离线使用：断网后章节和演示照常打开。";
    box.replaceChildren(line);
    return;
  }
  if (askFirst) {
    line.textContent = `已开启省流量模式。离线运行环境${size}要下载，确定吗？`;
    button.textContent = "仍然下载";
    button.addEventListener("click", () => download());
  } else {
    button.textContent = "离线可用";
    button.title = `保存运行演示所需的文件${size}，断网时也能运行演示`;
    button.addEventListener("click", () => {
      if (!saveData()) return download();
      askFirst = true; // saving data: say what it costs and ask first
      renderFooter();
    });
    if (result && !result.ok) line.textContent = `离线文件保存失败（${result.error}），请稍后再试。`;
  }
  box.replaceChildren(button, " ", line);
  box.dataset.state = result && !result.ok ? "error" : "idle";
}

function download() {
  askFirst = false;
  result = null;
  progress = { loaded: 0, total: status?.total || 1 };
  renderFooter();
  navigator.serviceWorker.ready.then((reg) => reg.active.postMessage({ type: "cache-runtime" }));
}

function onMessage({ data }) {
  if (!data || typeof data !== "object") return;
  if (data.type === "offline-status") status = data;
  else if (data.type === "offline-progress") progress = data;
  else if (data.type === "offline-done") {
    progress = null;
    result = data;
    if (data.ok && status) status = { ...status, cached: status.files };
    document.documentElement.dataset.offlineRuntime = data.ok ? "cached" : "failed";
  } else return;
  renderFooter();
}

// The notice was shown for a waiting worker: the next load applies it (rather than showing it again).
const SHOWN = "course-offline-update-shown";
function remember(shown) {
  try {
    if (shown) localStorage.setItem(SHOWN, "1");
    else localStorage.removeItem(SHOWN);
  } catch {} // storage refused (private mode): the notice shows again, its 刷新 still applies
}
function remembered() {
  try {
    return localStorage.getItem(SHOWN) === "1";
  } catch {
    return false;
  }
}

async function register() {
  const url = new URL(config.sw, import.meta.url);
  registration = await navigator.serviceWorker.register(url, { scope: new URL("./", url).href });
  const track = (worker) =>
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showUpdate(worker);
    });
  track(registration.installing);
  registration.addEventListener("updatefound", () => track(registration.installing));
  const ready = await navigator.serviceWorker.ready;
  document.documentElement.dataset.offline = "ready";
  if (registration.waiting && navigator.serviceWorker.controller) {
    // Seen on an earlier load, then the reader reloaded: apply it now. Else say it first.
    const waiting = registration.waiting;
    if (remembered()) {
      apply(waiting);
      // Chromium activates only once the old worker is idle; if it is not soon, say so instead.
      setTimeout(() => navigator.serviceWorker.controller !== waiting && showUpdate(waiting), APPLY_WAIT_MS);
      return;
    }
    showUpdate(waiting);
  } else remember(false);
  ready.active.postMessage({ type: "precache-edition" });
  ready.active.postMessage({ type: "status" });
}

if (supported) {
  navigator.serviceWorker.addEventListener("message", onMessage);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Ours: reload into the new version. Another tab's: this page is now behind; say so.
    if (applying) location.reload();
    else if (registration) showUpdate(null);
  });
  // After a run has loaded every Pyodide file (runtime/client.js), store them, unless saving data.
  // A few seconds later and when the browser is idle: the reader's next runs come first.
  window.addEventListener("course:runtime-ready", () => {
    if (saveData()) {
      document.documentElement.dataset.offlineRuntime = "save-data"; // the button asks first
      return;
    }
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 0));
    const wanted = () => !progress && !(status && status.cached === status.files);
    setTimeout(() => idle(() => wanted() && download()), AUTO_DELAY_MS);
  });
  const start = () =>
    register().catch((err) => {
      console.warn("离线功能未启用：", err);
    });
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
  if (window.document$) window.document$.subscribe(renderFooter);
  else renderFooter();
}
