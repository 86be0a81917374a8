// Watching the worker's downloads: every byte is counted (for the progress bar)
// and every way a host can serve a file wrongly is turned into one failure
// report, at once.  Pyodide itself only logs some of these and then waits for
// ever (a wasm that does not compile, a stdlib that failed to download).
//
//   watchFetches(hooks)  wraps self.fetch: HTTP errors, network errors, broken
//                        connections, HTML instead of a file, a .wasm with the
//                        wrong MIME type (fixed when the bytes are real wasm)
//   watchWasm(hooks)     wraps WebAssembly's compile entry points
//
// hooks = {onStart(file), onBytes(n, file), onEnd(file), onFailure({cause, file, …, detail}),
//          wasmFile() → the file a failing compile most likely came from,
//          onResponse(file, response) → a successful response, before its body is read,
//          started(url, integrity) → a request for it already under way (a Promise), or undefined}
import { CAUSE, fileName } from "./errors.js";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"

export const realFetch = self.fetch.bind(self);

// Downloads under way: the client's watchdog is strict only while one is (a
// network stall), and patient while the worker computes (compiling, importing).
let inflight = 0;
export const inFlight = () => inflight;
function ender(hooks, file) {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    inflight--;
    hooks.onEnd(file);
  };
}

const typeOf = (response) => (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();

/** Replace self.fetch with a counting, checking wrapper. */
export function watchFetches(hooks) {
  self.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const file = fileName(url);
    inflight++;
    const end = ender(hooks, file);
    hooks.onStart(file);
    const integrity = init?.integrity || (input instanceof Request && input.integrity) || "";
    let response;
    try {
      // A request started earlier for the same file and hash (the worker's prefetch) is
      // this request: its response, or its failure, is checked below like any other.
      response = await (hooks.started?.(url, integrity) || realFetch(input, init));
    } catch (err) {
      end();
      hooks.onFailure({ cause: integrity ? CAUSE.INTEGRITY : CAUSE.NETWORK, file, detail: `${url}: ${err}` });
      throw err;
    }
    const type = typeOf(response);
    if (!response.ok || !response.body) end();
    if (!response.ok) {
      hooks.onFailure({ cause: CAUSE.HTTP, file, status: response.status, detail: `${url}: HTTP ${response.status}` });
      return response;
    }
    if (type === "text/html" && !/\.html?$/.test(file)) {
      end();
      hooks.onFailure({ cause: CAUSE.HTML, file, contentType: type, detail: `${url}: served as ${type}` });
      return response;
    }
    hooks.onResponse?.(file, response);
    if (!response.body) return response;
    const headers = new Headers(response.headers);
    const wasm = file.endsWith(".wasm");
    if (wasm && type !== "application/wasm") {
      // A common host mistake.  The bytes are checked below (magic number) and by
      // WebAssembly itself, so labelling them correctly is safe; streaming stays on.
      console.warn(`${file} was served as "${type}", not application/wasm; using it after checking its bytes`);
      headers.set("content-type", "application/wasm");
    }
    const counted = countingStream(response.body, { url, file, wasm, hooks, end });
    return new Response(counted, { status: response.status, statusText: response.statusText, headers });
  };
}

function countingStream(body, { url, file, wasm, hooks, end }) {
  const reader = body.getReader();
  let first = wasm;
  return new ReadableStream({
    async pull(controller) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        end();
        hooks.onFailure({ cause: CAUSE.INTERRUPTED, file, detail: `${url}: ${err}` });
        controller.error(err);
        return;
      }
      const { done, value } = chunk;
      if (done) {
        end();
        return controller.close();
      }
      if (first) {
        first = false;
        if (!WASM_MAGIC.every((b, i) => value[i] === b)) {
          const html = value[0] === 0x3c || value[0] === 0x0a || value[0] === 0x20; // "<", blank
          hooks.onFailure({
            cause: html ? CAUSE.HTML : CAUSE.CORRUPT,
            file,
            detail: `${url}: does not start with the wasm magic number`,
          });
        }
      }
      hooks.onBytes(value.byteLength, file);
      controller.enqueue(value);
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}

/** Report a wasm that fails to compile (Pyodide only logs 「wasm instantiation failed!」). */
export function watchWasm(hooks) {
  for (const name of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
    const real = WebAssembly[name];
    if (typeof real !== "function") continue;
    WebAssembly[name] = function (...args) {
      return real.apply(this, args).catch((err) => {
        hooks.onFailure({ cause: CAUSE.CORRUPT, file: hooks.wasmFile(), detail: `WebAssembly.${name}: ${err}` });
        throw err;
      });
    };
  }
}
