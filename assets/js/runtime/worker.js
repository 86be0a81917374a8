// The Pyodide worker: one per page session, shared by every demo.
// Start-up is a pipeline: runtime (pyodide.mjs + wasm + stdlib) → numpy →
// the demos package (a zip unpacked into the virtual file system).  After
// that each RUN is one call to demos._runtime.call(name, json) → json.
import config from "./config.js";
import { MSG, STAGE } from "./protocol.js";

const base = new URL(config.pyodideBase, import.meta.url).href;
const demosZip = new URL(config.demosZip, import.meta.url).href;

// Count bytes as Pyodide downloads, so the page can show a determinate bar:
// wrap fetch so every response body passes through a counting stream.
let loadedBytes = 0;
let stage = STAGE.DOWNLOAD;
const realFetch = self.fetch.bind(self);
function report() {
  postMessage({ type: MSG.PROGRESS, stage, loaded: loadedBytes, total: config.downloadBytes });
}
// A failed download is reported at once: Pyodide itself may log and wait forever.
function failed(url, why) {
  postMessage({ type: MSG.LOAD_ERROR, message: `${why}：${String(url).split("/").pop()}` });
}
self.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : input;
  let response;
  try {
    response = await realFetch(input, init);
  } catch (err) {
    failed(url, "下载失败");
    throw err;
  }
  if (!response.ok) failed(url, `HTTP ${response.status}`);
  if (!response.ok || !response.body) return response;
  const reader = response.body.getReader();
  const counted = new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      loadedBytes += value.byteLength;
      report();
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
};

async function start() {
  report();
  const { loadPyodide } = await import(`${base}pyodide.mjs`);
  const pyodide = await loadPyodide({ indexURL: base });
  stage = STAGE.NUMPY;
  report();
  // checkIntegrity: each wheel is fetched with the sha256 from the official lock.
  // loadPackage reports failures (e.g. an integrity mismatch) through errorCallback, not by throwing.
  const problems = [];
  await pyodide.loadPackage(config.packages, {
    checkIntegrity: true,
    messageCallback: () => {},
    errorCallback: (m) => problems.push(m),
  });
  const missing = config.packages.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) throw new Error(`${missing.join("、")} 未能加载（${problems.join("；") || "原因不明"}）`);
  // Import numpy now, while the reader sees 「加载 numpy」, so a run's time is the demo's own.
  pyodide.runPython("import numpy");
  const zip = await fetch(demosZip);
  if (!zip.ok) throw new Error(`demos.zip: HTTP ${zip.status}`);
  pyodide.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/home/pyodide" });
  callSource = pyodide.pyimport("demos._runtime").call_source; // RUN with `source` (edited code)
  return pyodide.pyimport("demos._runtime").call;
}

// demos._runtime.call_source: runs the reader's edited code as a fresh module.
let callSource = null;

let ready = null;
function ensureStarted() {
  if (!ready) {
    ready = start().then(
      (call) => {
        postMessage({ type: MSG.READY });
        return call;
      },
      (err) => {
        postMessage({ type: MSG.LOAD_ERROR, message: String(err?.message || err) });
        throw err;
      },
    );
  }
  return ready;
}

self.onmessage = async ({ data }) => {
  if (data.type === MSG.LOAD) {
    ensureStarted().catch(() => {});
    return;
  }
  if (data.type !== MSG.RUN) return;
  let call;
  try {
    call = await ensureStarted();
  } catch {
    return;
  } // LOAD_ERROR already sent
  postMessage({ type: MSG.STARTED, id: data.id });
  const t0 = performance.now();
  // call returns a Python str, converted to a JS string: no proxy to free.
  const params = JSON.stringify(data.params);
  const answer = JSON.parse(
    typeof data.source === "string" ? callSource(data.demo, data.source, params) : call(data.demo, params),
  );
  if (answer.internal) console.error(`demos.${data.demo}:`, answer.traceback);
  postMessage({ type: MSG.RESULT, id: data.id, answer, ms: performance.now() - t0 });
};
