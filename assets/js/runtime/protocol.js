// The messages between the page (client.js) and the Pyodide worker (worker.js),
// in one place.  Requests carry an `id`; replies to a request echo it.
//
// page → worker   {type: LOAD}                         start loading now (prefetch)
//                 {type: RUN, id, demo, params}        run demos.<demo>.run(**params)
// worker → page   {type: PROGRESS, stage, loaded, total, file, inflight}   loading progress (no id);
//                                                      file: the oldest download in flight, inflight: how many
//                 {type: READY}                        runtime + numpy + demos loaded
//                 {type: LOAD_ERROR, cause, file, status, contentType, detail, message}
//                                                      loading failed (errors.js CAUSE); worker is unusable
//                 {type: STARTED, id}                  Python has begun this run
//                 {type: RESULT, id, answer, ms}       demos._runtime.call's answer
export const MSG = Object.freeze({
  LOAD: "load",
  RUN: "run",
  PROGRESS: "progress",
  READY: "ready",
  LOAD_ERROR: "load-error",
  STARTED: "started",
  RESULT: "result",
});

// Loading stages, in order, with the words the reader sees.
export const STAGE = Object.freeze({
  DOWNLOAD: "下载运行环境",
  NUMPY: "加载 numpy",
  RUNNING: "运行中",
});
