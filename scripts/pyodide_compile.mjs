// Byte-compiles archives inside Pyodide under Node.js (scripts/pyc_in_pyodide.py does the work).
// stdin: JSON {jobs: [{src, dest, kind: "zip"|"wheel", only}], dateTime: [y, m, d, H, M, S]}
// (only: the members to compile, or null for every .py);
// stdout: JSON list of per-job summaries.
// usage: node pyodide_compile.mjs OFFICIAL_PYODIDE_DIR < jobs.json
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [dist] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const { jobs, dateTime } = JSON.parse(readFileSync(0, "utf8"));
const py = await loadPyodide({ indexURL: dist + path.sep });
const here = path.dirname(fileURLToPath(import.meta.url));
py.runPython(readFileSync(path.join(here, "pyc_in_pyodide.py"), "utf8"));
const compileArchive = py.globals.get("compile_archive");

const summaries = [];
for (const { src, dest, kind, only } of jobs) {
  py.FS.writeFile("/tmp/in", new Uint8Array(readFileSync(src)));
  const args = ["/tmp/in", "/tmp/out", kind, py.toPy(dateTime), only ? py.toPy(only) : null];
  summaries.push(JSON.parse(compileArchive(...args)));
  writeFileSync(dest, py.FS.readFile("/tmp/out"));
}
compileArchive.destroy();
process.stdout.write(JSON.stringify(summaries));
