// Grades exercise sources inside real Pyodide under Node.js: the same pyodide/
// directory the site serves (runtime, wheels, the demos wheel, the site's lock),
// packages loaded by name as the browser worker does (the worker's CHECK path).
// Reads a JSON list of {name, source} from stdin and prints the verdicts
// demos._exercise_runtime.check returns, parsed.
//
// usage: node run_exercises.mjs SITE_PYODIDE_DIR PACKAGE... < requests.json
import { readFileSync } from "node:fs";
import { loadSitePyodide } from "../../scripts/site_pyodide.mjs";

const [dist, ...packages] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(0, "utf8"));
const py = await loadSitePyodide(dist, packages);
const check = py.pyimport("demos._exercise_runtime").check;

const verdicts = [];
for (const { name, source } of requests) {
  const started = performance.now();
  const verdict = JSON.parse(check(name, source));
  verdict.ms = performance.now() - started;
  verdicts.push(verdict);
}
check.destroy();
process.stdout.write(JSON.stringify({ version: py.version, verdicts }));
