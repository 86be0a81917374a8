// Runs demos inside real Pyodide under Node.js: the same pyodide/ directory the
// site serves (runtime, wheels, the demos wheel, the site's lock), packages loaded
// by name from that lock as the browser worker does.  Reads a JSON list of
// {name, params} from stdin and prints a JSON list of the worker-protocol
// answers (the JSON strings demos._runtime.call returns, parsed).
//
// usage: node run_demos.mjs SITE_PYODIDE_DIR PACKAGE... < requests.json
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, ...packages] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);

const requests = JSON.parse(readFileSync(0, "utf8"));
const py = await loadPyodide({ indexURL: dist + path.sep });
const problems = [];
await py.loadPackage(packages, {
  checkIntegrity: true,
  messageCallback: () => {},
  errorCallback: (m) => problems.push(m),
});
const missing = packages.filter((name) => !(name in py.loadedPackages));
if (missing.length) throw new Error(`not loaded: ${missing} (${problems.join("; ")})`);
const call = py.pyimport("demos._runtime").call;

const answers = [];
for (const { name, params } of requests) {
  const started = performance.now();
  const answer = JSON.parse(call(name, JSON.stringify(params)));
  answer.ms = performance.now() - started;
  answers.push(answer);
}
call.destroy();
process.stdout.write(JSON.stringify({ version: py.version, answers }));
