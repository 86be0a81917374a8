// Grades exercise sources inside real Pyodide under Node.js: the assembled,
// verified Pyodide files and the same demos.zip the site serves (the worker's
// CHECK path).  Reads a JSON list of {name, source} from stdin and prints the
// verdicts demos._exercise_runtime.check returns, parsed.
//
// usage: node run_exercises.mjs PYODIDE_DIR DEMOS_ZIP < requests.json
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, zipPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);

const requests = JSON.parse(readFileSync(0, "utf8"));
const py = await loadPyodide({ indexURL: dist + path.sep });
await py.loadPackage("numpy", { messageCallback: () => {} });
py.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: "/home/pyodide" });
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
