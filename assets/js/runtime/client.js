// Main-thread side of the runtime: starts the worker lazily, matches replies to
// requests by id, and is the only place that terminates it (停止, time-out,
// failed load).  A module singleton, so it survives Material's instant
// navigation: the next page's demos reuse the already-loaded worker.
//
// Every load stage can fail: the worker reports what it sees (loading.js), and a
// watchdog here ends a load that makes no progress for `stallMs` (a stalled
// server, a slow first byte, a hang inside Pyodide that nothing reports).
import { CAUSE, describe, diagnose, fileName } from "./errors.js";
import { MSG, STAGE } from "./protocol.js";

export const DEFAULT_STALL_MS = 30000; // no byte for this long while downloading: a stalled server
const BUSY_FACTOR = 4; // the worker computing (compile, import) may take longer without reporting

export class RunStopped extends Error {
  /** `byOther`: this run ended because another demo's 停止 or time-out restarted the shared worker. */
  constructor(reason, { timedOut = false, byOther = false } = {}) {
    super(reason);
    this.name = "RunStopped";
    this.timedOut = timedOut;
    this.byOther = byOther;
  }
}
export class LoadFailed extends Error {
  /** `info` = {cause, file, status, contentType, detail} (errors.js); the message is its Chinese sentence. */
  constructor(info) {
    const details = typeof info === "string" ? { cause: CAUSE.UNKNOWN, detail: info } : info;
    super(describe(details));
    this.name = "LoadFailed";
    this.info = details;
  }
}

const OTHER_STOPPED = "因停止另一个演示而中断，按「运行」重新开始。";
const OTHER_TIMED_OUT = "因另一个演示超时被停止而中断，按「运行」重新开始。";

class RuntimeClient {
  #worker = null;
  #pending = new Map(); // id → {resolve, reject, onProgress, budgetMs, timer, owner}
  #nextId = 1;
  #progress = { stage: STAGE.DOWNLOAD, loaded: 0, total: 0 };
  #watchdog = null;
  #loading = false; // the current worker has been asked to load the runtime (not just warmed)
  #spawned = false; // a worker has been started in this page session (warm() does nothing then)
  #stallMs = DEFAULT_STALL_MS;
  ready = false; // true once Pyodide, numpy and the demos are loaded

  /**
   * Start the worker's thread and its own few-KB scripts now, but not Pyodide: for a page
   * with a block, once it is idle.  A new worker takes ~200 ms to run its first line
   * (thread, module scripts), which 运行 then does not wait for.  A warm worker that fails
   * to start goes quietly: the next request starts another and reports what went wrong.
   */
  warm() {
    // Once per page session, and only before anything else has started a worker: a late idle
    // callback must not start one behind a failed load (a 重试 would then get that worker).
    if (!this.#spawned) this.#spawn();
  }

  /** Start loading now (e.g. on hover of 运行), without running anything. */
  prefetch() {
    this.#load(this.#worker || this.#spawn());
  }

  /** Tell `worker` to load the runtime, once. */
  #load(worker) {
    if (this.#loading) return;
    this.#startLoading();
    worker.postMessage({ type: MSG.LOAD });
  }

  /** The current worker is loading the runtime from now on: the stall watchdog runs until ready. */
  #startLoading() {
    this.#loading = true;
    if (!this.ready) this.#armWatchdog();
  }

  /**
   * Run `demo` with raw `params`; resolves to demos._runtime.call's answer.
   * `owner` (e.g. the block) lets stop() tell the stopped demo from the others;
   * `stallMs` bounds how long loading may go without progress.
   */
  run(demo, params, { source, ...options } = {}) {
    // `source`: the reader's edited code for this demo (code-panel.js), run instead of the shipped module.
    const message =
      typeof source === "string" ? { type: MSG.RUN, demo, params, source } : { type: MSG.RUN, demo, params };
    return this.#request(message, options);
  }

  /**
   * Grade the reader's `source` for exercise `exercise` (the CHECK message); resolves to the
   * verdict of demos/_exercise_runtime.py.  Options as for run().
   */
  check(exercise, source, options = {}) {
    return this.#request({ type: MSG.CHECK, exercise, source }, options);
  }

  /** Send one request (RUN or CHECK) with a fresh id; resolves to the worker's answer. */
  #request(message, { onProgress = () => {}, budgetMs = 20000, owner = null, stallMs } = {}) {
    this.#stallMs = stallMs || DEFAULT_STALL_MS;
    const worker = this.#worker || this.#spawn();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress, budgetMs, timer: null, owner });
      onProgress(this.ready ? { stage: STAGE.RUNNING } : this.#progress);
      this.#startLoading(); // a request loads the runtime too (worker.js: ensureStarted)
      worker.postMessage({ ...message, id });
    });
  }

  /**
   * End every run at once: terminate the worker; the next run starts a fresh one.
   * With `owner`, that owner's runs get `reason` and every other run is told it
   * was interrupted by another demo (so no block claims 已停止 for nothing).
   */
  stop(reason = "已停止", { timedOut = false, owner = null } = {}) {
    this.#stopWhere((entry) => owner === null || entry.owner === owner, reason, timedOut);
  }

  #stopWhere(isTarget, reason, timedOut) {
    this.#reset((entry) =>
      isTarget(entry)
        ? new RunStopped(reason, { timedOut })
        : new RunStopped(timedOut ? OTHER_TIMED_OUT : OTHER_STOPPED, { byOther: true }),
    );
  }

  #spawn() {
    const url = new URL("./worker.js", import.meta.url);
    const worker = new Worker(url, { type: "module", name: "pyodide" });
    worker.onmessage = ({ data }) => this.#onMessage(data);
    worker.onerror = (event) => {
      event.preventDefault();
      // Only about this worker: an error event of one that already failed (and was replaced
      // by 重试) must not be blamed on its healthy successor.
      if (this.#worker !== worker) return;
      if (!this.#loading) {
        // Only warmed (warm()): nothing waits on it; the next request starts afresh and reports.
        worker.terminate();
        this.#worker = null;
        return;
      }
      // A module worker that fails to load gives no reason: ask the server which file failed.
      this.#workerFailed(worker, url, event.message || "");
    };
    this.#worker = worker;
    this.#spawned = true;
    this.#loading = false;
    return worker;
  }

  async #workerFailed(worker, url, message) {
    let info = { cause: CAUSE.WORKER, file: "worker.js", detail: message || "worker error event without a message" };
    for (const file of [url, new URL("./config.js", url), new URL("./protocol.js", url), new URL("./errors.js", url)]) {
      const found = await diagnose(file.href);
      if (found.cause !== CAUSE.CORRUPT) {
        info = { ...found, file: fileName(file.href), detail: `${info.detail} (${file.href})` };
        break;
      }
    }
    if (this.#worker === worker) this.#fail(info);
  }

  #fail(info) {
    console.error(`运行环境加载失败（${info.cause}，${info.file}）：${info.detail || ""}`);
    this.#reset(() => new LoadFailed(info));
  }

  /** (Re)start the no-progress timer while loading; fires once, naming the file in flight. */
  #armWatchdog() {
    clearTimeout(this.#watchdog);
    if (this.ready || !this.#worker || !this.#loading) return;
    const downloading = this.#progress.inflight !== 0; // unknown (before the first report) counts as downloading
    const ms = downloading ? this.#stallMs : this.#stallMs * BUSY_FACTOR;
    this.#watchdog = setTimeout(() => {
      this.#fail({
        cause: CAUSE.STALL,
        file: this.#progress.file || "运行环境",
        seconds: Math.round(ms / 1000),
        detail: `no progress for ${ms} ms while loading (${this.#progress.stage}, ${this.#progress.file || "?"}, ${downloading ? "downloading" : "computing"})`,
      });
    }, ms);
  }

  #onMessage(data) {
    const entry = this.#pending.get(data.id);
    switch (data.type) {
      case MSG.PROGRESS:
        this.#progress = data;
        this.#armWatchdog();
        for (const p of this.#pending.values()) p.onProgress(data);
        break;
      case MSG.READY:
        this.ready = true;
        clearTimeout(this.#watchdog);
        globalThis.dispatchEvent?.(new Event("course:runtime-ready")); // offline/register.js stores the files

        break;
      case MSG.LOAD_ERROR:
        this.#fail(data.cause ? data : { cause: CAUSE.UNKNOWN, detail: data.message });
        break;
      case MSG.STARTED:
        if (!entry) break;
        entry.onProgress({ stage: STAGE.RUNNING });
        // The time budget covers the demo's own compute, not the download.
        entry.timer = setTimeout(
          () => this.#stopWhere((e) => e === entry, `运行超过 ${entry.budgetMs / 1000} 秒，已自动停止`, true),
          entry.budgetMs,
        );
        break;
      case MSG.RESULT:
        if (!entry) break;
        clearTimeout(entry.timer);
        this.#pending.delete(data.id);
        entry.resolve({ ...data.answer, ms: data.ms });
        break;
    }
  }

  /** Terminate the worker and reject every pending run with errorFor(entry). */
  #reset(errorFor) {
    clearTimeout(this.#watchdog);
    if (this.#worker) this.#worker.terminate();
    this.#worker = null;
    this.#loading = false;
    this.ready = false;
    this.#progress = { stage: STAGE.DOWNLOAD, loaded: 0, total: 0 };
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(errorFor(p));
    }
  }
}

export const client = new RuntimeClient();
