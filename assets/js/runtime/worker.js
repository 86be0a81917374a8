// The Pyodide worker: one per page session, shared by every demo.
// Start-up is a pipeline: runtime (pyodide.mjs + wasm + stdlib) → the
// packages (numpy and the demos wheel, each checked against the site's lock).
// After that each RUN is one call to demos._runtime.call(name, json) → json.
import config from "./config.js";
import { CAUSE, describe, diagnose, fileName } from "./errors.js";
import { inFlight, realFetch, watchFetches, watchWasm } from "./loading.js";
import { createPrefetch } from "./prefetch.js";
import { MSG, STAGE } from "./protocol.js";

const base = new URL(config.pyodideBase, import.meta.url).href;

// Python's start-up asks for the time zone (its `time` module), which Emscripten reads
// with Date#toLocaleTimeString: the first such call in a thread loads the browser's
// locale data, ~20–30 ms on the path of the first 运行.  The worker is started at idle
// (client.warm()), so ask now, with the same options, while nothing waits for it.
try {
  for (const month of [0, 6]) {
    new Date(2000, month, 1).toLocaleTimeString(undefined, { hour12: false, timeZoneName: "short" });
  }
} catch {
  // Nothing to warm: Emscripten makes the same call later and handles the outcome itself.
}

// numpy and the demos wheels are requested as soon as the runtime's own files are in
// (prefetch.js), while Python starts, rather than when loadPackage asks for them.
const prefetch = createPrefetch({ base, packages: config.packages, fetch: realFetch });
const LOCK = "pyodide-lock.json";
const WASM = "pyodide.asm.wasm";
let wasmEnded = false;

// Count bytes as Pyodide downloads (a determinate bar), and turn every way a
// host can serve a file wrongly into one LOAD_ERROR at once (loading.js).
let loadedBytes = 0;
let stage = STAGE.DOWNLOAD;
let currentFile = "pyodide.mjs";
const downloading = new Set(); // files in flight, oldest first: a stall names the one waited for longest
// A message per chunk read (dozens a second) would keep the page's main thread
// and the bar's repaints busy on the cores this thread needs to boot Python.
// Stage changes, file starts and ends are sent at once, byte counts at most
// every PROGRESS_EVERY_MS (well within the client's stall watchdog).
const PROGRESS_EVERY_MS = 100;
let lastReport = -Infinity;
function report(force = true) {
  const now = performance.now();
  if (!force && now - lastReport < PROGRESS_EVERY_MS) return;
  lastReport = now;
  postMessage({
    type: MSG.PROGRESS,
    stage,
    loaded: loadedBytes,
    total: config.downloadBytes,
    file: downloading.values().next().value || currentFile,
    inflight: inFlight(),
  });
}
// The first failure is the cause; later ones are its consequences.
let failure = null;
function failed(info) {
  if (failure) return;
  failure = info;
  console.error(`运行环境加载失败（${info.cause}）：${info.detail || info.file}`);
  postMessage({ type: MSG.LOAD_ERROR, ...info, message: describe(info) });
}
watchFetches({
  onStart(file) {
    currentFile = file;
    downloading.add(file);
    report();
  },
  onBytes(n, file) {
    loadedBytes += n;
    currentFile = file;
    report(false);
  },
  onEnd(file) {
    downloading.delete(file);
    if (file === WASM) wasmEnded = true;
    if (wasmEnded && downloading.size === 0) prefetch.release(); // the link is free now
    report();
  },
  onFailure: failed,
  onResponse(file, response) {
    if (file === LOCK) {
      response
        .clone()
        .json()
        .then((lock) => prefetch.lockArrived(lock))
        .catch(() => {}); // an unreadable lock fails Pyodide's own reading of it, and is reported there
    }
  },
  started: prefetch.started,
});
watchWasm({ onFailure: failed, wasmFile: () => (stage === STAGE.DOWNLOAD ? WASM : currentFile) });

/** A failure thrown by start(): name the file, asking the server again when the browser hides why. */
async function explain(err) {
  const detail = String(err?.stack || err?.message || err);
  // Only the message names the failed file; a stack names Pyodide's own scripts.
  const url = /https?:\/\/[^\s'"`)]+/.exec(String(err?.message || err))?.[0].replace(/(:\d+){1,2}$/, "");
  if (url) return { ...(await diagnose(url, realFetch)), file: fileName(url), detail };
  return { cause: CAUSE.CORRUPT, file: currentFile, detail };
}

// Costs of Pyodide's loadPackage that are not the wheels' own, taken away while it runs and
// put back afterwards, so the reader's Python sees none of it (tests/browser/test_playground.py):
// - it unpacks each wheel member with shutil.copyfileobj, 64 KB at a time, and Emscripten's
//   in-memory file grows by 1/8 per write past 1 MB, copying what it holds each time
//   (numpy's 2.6 MB core module: a dozen copies).  One read and one write per member
//   instead: the first run 40–70 ms faster in Chromium (A/Bs of 10–16 runs);
// - it ends with importlib.invalidate_caches(), which makes each of the ~14 zipimporters of
//   the standard library's zip read the zip's whole directory again, and imports
//   importlib.metadata only to clear that module's own cache.  Nothing writes into the zip,
//   and the cache is empty while nothing has imported the module: both are skipped (numpy's
//   loadPackage 350 → 290 ms under Node.js; the numpy + demos stage −60 ms in Chromium).
const FAST_INSTALL = `
import shutil, sys, types, zipimport

def fast_install():
    """Set up the shortcuts; returns the function that removes them."""
    saved = shutil.COPY_BUFSIZE
    shutil.COPY_BUFSIZE = 1 << 26
    zips = [f for f in sys.path_importer_cache.values() if isinstance(f, zipimport.zipimporter)]
    for finder in zips:
        finder.invalidate_caches = lambda: None
    stand_in = None
    if "importlib.metadata" not in sys.modules:
        metadata_finder = types.SimpleNamespace(invalidate_caches=lambda: None)
        stand_in = types.SimpleNamespace(MetadataPathFinder=metadata_finder)
        sys.modules["importlib.metadata"] = stand_in

    def restore():
        shutil.COPY_BUFSIZE = saved
        for finder in zips:
            vars(finder).pop("invalidate_caches", None)
        if stand_in is not None and sys.modules.get("importlib.metadata") is stand_in:
            del sys.modules["importlib.metadata"]

    return restore

fast_install
`;

// Every package, the demos included, comes from the site's pyodide-lock.json with
// checkIntegrity: each wheel is fetched with its sha256 from the lock, so every Python
// file a reader runs is hash-checked (a CDN deployment loads the demos wheel by URL).
// loadPackage reports failures (e.g. an integrity mismatch) through errorCallback, not by throwing.
async function loadPackages(pyodide) {
  const problems = [];
  const wheels = config.extraWheels.map((url) => new URL(url, import.meta.url).href);
  const scope = pyodide.toPy({}); // FAST_INSTALL's own namespace, not the reader's __main__
  const fastInstall = pyodide.runPython(FAST_INSTALL, { globals: scope });
  const restore = fastInstall();
  try {
    await pyodide.loadPackage([...config.packages, ...wheels], {
      checkIntegrity: true,
      messageCallback: () => {},
      errorCallback: (m) => problems.push(m),
    });
  } finally {
    restore();
    for (const proxy of [restore, fastInstall, scope]) proxy.destroy();
  }
  const missing = config.packages.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) throw new Error(`${missing.join("、")} 未能加载（${problems.join("；") || "原因不明"}）`);
}

async function start() {
  report();
  // pyodide.mjs asks for pyodide.asm.js only once it has been fetched and run itself.
  // Asked for now, it arrives a round trip sooner: loadPyodide's own import of the same
  // URL joins this one (one module, fetched once), and a failure is reported by that import.
  import(`${base}pyodide.asm.js`).catch(() => {});
  const { loadPyodide } = await import(`${base}pyodide.mjs`);
  const pyodide = await loadPyodide({ indexURL: base });
  stage = STAGE.NUMPY;
  report();
  await loadPackages(pyodide);
  // Import numpy now, while the reader sees 「加载 numpy」, so a run's time is the demo's own.
  pyodide.runPython("import numpy");
  // demos._exercise_runtime is imported on the first CHECK: a page of demos never needs it.
  checkExercise = (...args) => {
    checkExercise = pyodide.pyimport("demos._exercise_runtime").check;
    return checkExercise(...args);
  };
  callSource = pyodide.pyimport("demos._runtime").call_source; // RUN with `source` (edited code)
  return pyodide.pyimport("demos._runtime").call;
}

// demos._runtime.call_source: runs the reader's edited code as a fresh module.
let callSource = null;

// Pyodide starts some loads in parallel and leaves their promises unawaited: a
// rejection there is the failure itself (or, after one, its echo).
self.addEventListener("unhandledrejection", async (event) => {
  event.preventDefault();
  if (!failure) failed(await explain(event.reason));
});
self.addEventListener("error", async (event) => {
  event.preventDefault();
  if (!failure) failed(await explain(event.error || event.message));
});

let ready = null;
let checkExercise = null; // demos._exercise_runtime.check (imported on first use), set once the demos are unpacked
function ensureStarted() {
  if (!ready) {
    ready = start().then(
      (call) => {
        postMessage({ type: MSG.READY });
        return call;
      },
      async (err) => {
        failed(await explain(err));
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
  if (data.type !== MSG.RUN && data.type !== MSG.CHECK) return;
  let call;
  try {
    call = await ensureStarted();
  } catch {
    return;
  } // LOAD_ERROR already sent
  postMessage({ type: MSG.STARTED, id: data.id });
  const t0 = performance.now();
  if (data.type === MSG.CHECK) {
    // Exercises: the reader's source is graded in a fresh module (see demos/_exercise_runtime.py).
    let answer;
    try {
      answer = JSON.parse(checkExercise(data.exercise, String(data.source)));
    } catch (err) {
      answer = {
        verdict: "error",
        internal: true,
        message: "检查程序内部出错，请刷新页面后重试。",
        traceback: String(err),
      };
    }
    if (answer.internal) console.error(`exercise ${data.exercise}:`, answer.traceback || answer.message);
    postMessage({ type: MSG.RESULT, id: data.id, answer, ms: performance.now() - t0 });
    return;
  }
  // call returns a Python str, converted to a JS string: no proxy to free.
  const params = JSON.stringify(data.params);
  const answer = JSON.parse(
    typeof data.source === "string" ? callSource(data.demo, data.source, params) : call(data.demo, params),
  );
  if (answer.internal) console.error(`demos.${data.demo}:`, answer.traceback);
  postMessage({ type: MSG.RESULT, id: data.id, answer, ms: performance.now() - t0 });
};
