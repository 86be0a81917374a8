// The wheels loadPackage will ask for (numpy, the demos), requested while the runtime
// boots instead of after it.  Pyodide asks for them only once Python has started, and
// on a slow link that leaves the connection idle for the whole start-up (~1 s of
// compute) before ~3 MB of wheels; on localhost it is the wheels' round trip.
//
// Nothing here is trusted more than Pyodide's own request: each wheel is requested with
// the sha256 the site's lock gives it (the browser refuses other bytes), and the
// response, or the failure, is handed to Pyodide's request for the same file and hash
// (loading.js `started`), which checks and reports it as if it had made it itself.
//
//   const prefetch = createPrefetch({ base, packages, fetch });
//   prefetch.lockArrived(lock)   the parsed pyodide-lock.json: plans the wheels
//   prefetch.release()           the runtime's own downloads are done: start them
//   prefetch.started(url, hash)  the request under way for url, or undefined (once)

const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, "-");

/** "ab12…" (hex) → the "sha256-…" (base64) a fetch's `integrity` takes, as Pyodide writes it. */
export function integrityOf(sha256Hex) {
  const bytes = sha256Hex.match(/../g).map((h) => Number.parseInt(h, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

/** The lock's entries for `names` and everything they depend on, each once. */
export function packagesFor(lock, names) {
  const entries = lock?.packages || {};
  const out = new Map();
  const todo = [...names];
  while (todo.length) {
    const name = normalize(todo.shift());
    if (out.has(name) || !entries[name]) continue;
    out.set(name, entries[name]);
    todo.push(...(entries[name].depends || []));
  }
  return [...out.values()];
}

/** The prefetch of one worker: `packages` (lock names) from `base`, requested with `fetch`. */
export function createPrefetch({ base, packages, fetch }) {
  let planned = []; // [{url, integrity}] not yet requested
  let released = false;
  const underWay = new Map(); // url → {integrity, response: Promise<Response>}

  function go() {
    if (!released) return;
    for (const { url, integrity } of planned) {
      const response = fetch(url, { integrity });
      response.catch(() => {}); // a failure is reported when Pyodide's request takes it
      underWay.set(url, { integrity, response });
    }
    planned = [];
  }

  return {
    lockArrived(lock) {
      planned = packagesFor(lock, packages)
        .filter((p) => typeof p.file_name === "string" && /^[0-9a-f]{64}$/.test(p.sha256 || ""))
        .map((p) => ({ url: new URL(p.file_name, base).href, integrity: integrityOf(p.sha256) }));
      go();
    },
    release() {
      released = true;
      go();
    },
    started(url, integrity) {
      planned = planned.filter((p) => p.url !== url); // asked for before its turn: Pyodide fetches it
      const entry = underWay.get(url);
      if (!entry || entry.integrity !== integrity) return undefined;
      underWay.delete(url);
      return entry.response;
    },
  };
}
