// Main-thread side of the runtime: starts the worker lazily, matches replies to
// requests by id, and is the only place that terminates it (停止, time-out,
// failed load).  A module singleton, so it survives Material's instant
// navigation: the next page's demos reuse the already-loaded worker.
import { MSG, STAGE } from "./protocol.js";

export class RunStopped extends Error {
  constructor(reason, { timedOut = false } = {}) {
    super(reason);
    this.name = "RunStopped";
    this.timedOut = timedOut;
  }
}
export class LoadFailed extends Error {
  constructor(message) {
    super(message);
    this.name = "LoadFailed";
  }
}

class RuntimeClient {
  #worker = null;
  #pending = new Map(); // id → {resolve, reject, onProgress, budgetMs, timer}
  #nextId = 1;
  #progress = { stage: STAGE.DOWNLOAD, loaded: 0, total: 0 };
  ready = false; // true once Pyodide, numpy and the demos are loaded

  /** Start loading now (e.g. on hover of 运行), without running anything. */
  prefetch() {
    if (!this.#worker) this.#spawn().postMessage({ type: MSG.LOAD });
  }

  /** Run `demo` with raw `params`; resolves to demos._runtime.call's answer. */
  run(demo, params, { onProgress = () => {}, budgetMs = 20000, source } = {}) {
    const worker = this.#worker || this.#spawn();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress, budgetMs, timer: null });
      onProgress(this.ready ? { stage: STAGE.RUNNING } : this.#progress);
      // `source`: the reader's edited code for this demo (code-panel.js), run instead of the shipped module.
      worker.postMessage(
        typeof source === "string" ? { type: MSG.RUN, id, demo, params, source } : { type: MSG.RUN, id, demo, params },
      );
    });
  }

  /** End every run at once: terminate the worker; the next run starts a fresh one. */
  stop(reason = "已停止", { timedOut = false } = {}) {
    this.#reset(new RunStopped(reason, { timedOut }));
  }

  #spawn() {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "pyodide" });
    worker.onmessage = ({ data }) => this.#onMessage(data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#reset(new LoadFailed(event.message || "无法启动运行环境"));
    };
    this.#worker = worker;
    return worker;
  }

  #onMessage(data) {
    const entry = this.#pending.get(data.id);
    switch (data.type) {
      case MSG.PROGRESS:
        this.#progress = data;
        for (const p of this.#pending.values()) p.onProgress(data);
        break;
      case MSG.READY:
        this.ready = true;
        break;
      case MSG.LOAD_ERROR:
        this.#reset(new LoadFailed(data.message));
        break;
      case MSG.STARTED:
        if (!entry) break;
        entry.onProgress({ stage: STAGE.RUNNING });
        // The time budget covers the demo's own compute, not the download.
        entry.timer = setTimeout(
          () => this.stop(`运行超过 ${entry.budgetMs / 1000} 秒，已自动停止`, { timedOut: true }),
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

  #reset(error) {
    if (this.#worker) this.#worker.terminate();
    this.#worker = null;
    this.ready = false;
    this.#progress = { stage: STAGE.DOWNLOAD, loaded: 0, total: 0 };
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }
}

export const client = new RuntimeClient();
