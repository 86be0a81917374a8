// Runs demos inside real Pyodide under Node.js: the same pyodide/ directory the
// site serves (runtime, wheels, the demos wheel, the site's lock), packages loaded
// by name from that lock as the browser worker does.  Reads a JSON list of
// {name, params} from stdin and prints a JSON list of the worker-protocol
// answers (the JSON strings demos._runtime.call returns, parsed).
//
// usage: node run_demos.mjs SITE_PYODIDE_DIR PACKAGE... < requests.json
import { readFileSync } from "node:fs";
import { loadSitePyodide } from "../../scripts/site_pyodide.mjs";

const [dist, ...packages] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(0, "utf8"));
const py = await loadSitePyodide(dist, packages);
const call = py.pyimport("demos._runtime").call;
const callSource = py.pyimport("demos._runtime").call_source;

const answers = [];
for (const { name, params, source } of requests) {
  const started = performance.now();
  const json = JSON.stringify(params);
  const answer = JSON.parse(source === undefined ? call(name, json) : callSource(name, source, json));
  answer.ms = performance.now() - started;
  answers.push(answer);
}
call.destroy();
callSource.destroy();
process.stdout.write(JSON.stringify({ version: py.version, answers }));
