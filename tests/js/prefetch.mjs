// Drives assets/js/runtime/prefetch.js for tests/js/test_prefetch.py: reads one JSON request
// on stdin ({lock, packages, hashes}), prints one JSON answer. Run with
// --unhandled-rejections=strict, so a prefetch failure nobody takes would end the process.
import { createPrefetch, integrityOf, packagesFor } from "../../assets/js/runtime/prefetch.js";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { lock, packages, hashes } = JSON.parse(input);
const base = "https://example.test/pyodide/";

const calls = [];
const fakeFetch = (url, init) => {
  calls.push({ url, integrity: init.integrity });
  // The demos wheel fails (as a tampered one does): the failure must wait for its taker.
  return url.includes("demos") ? Promise.reject(new TypeError("integrity")) : Promise.resolve({ url });
};

const out = { integrity: hashes.map(integrityOf), closure: packagesFor(lock, packages).map((p) => p.name) };
const prefetch = createPrefetch({ base, packages, fetch: fakeFetch });
prefetch.lockArrived(lock);
out.beforeRelease = calls.length;
prefetch.release();
out.calls = calls.map((c) => ({ ...c }));
const numpy = calls.find((c) => c.url.includes("numpy"));
const demos = calls.find((c) => c.url.includes("demos"));
out.wrongHash = prefetch.started(numpy.url, "sha256-AAAA") === undefined;
const taken = prefetch.started(numpy.url, numpy.integrity);
out.taken = (await taken)?.url === numpy.url;
out.takenTwice = prefetch.started(numpy.url, numpy.integrity) !== undefined;
out.failure = await prefetch.started(demos.url, demos.integrity).then(
  () => "resolved",
  (err) => String(err),
);
// A request made before release is Pyodide's own: it is not fetched again later.
const early = createPrefetch({ base, packages, fetch: fakeFetch });
early.lockArrived(lock);
calls.length = 0;
out.earlyAsk = early.started(numpy.url, numpy.integrity) === undefined;
early.release();
out.afterEarly = calls.map((c) => c.url);
// A prefetch that fails and is never taken must not surface as an unhandled rejection.
createPrefetch({ base, packages, fetch: fakeFetch }).lockArrived(lock);
const orphan = createPrefetch({ base, packages, fetch: fakeFetch });
orphan.lockArrived(lock);
orphan.release();
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(JSON.stringify(out));
