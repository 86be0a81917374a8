// Runs the site's Python work inside Pyodide under Node.js and reports which modules it
// imported (scripts/pyodide_imports.py drives it and maps them to archive members).
// Does what assets/js/runtime/worker.js does at start-up (numpy and the demos wheel from
// the site's lock with checkIntegrity, import numpy, the demos' entry points), then every
// request: {call: [name, paramsJson]} | {source: [name, source, paramsJson]} |
// {check: [exercise, source]}.
// stdin: JSON list of requests; stdout: JSON {version, modules: {name: origin}}.
// usage: node pyodide_imports.mjs SITE_PYODIDE_DIR PACKAGE... < requests.json
import { readFileSync } from "node:fs";
import { loadSitePyodide } from "./site_pyodide.mjs";

const [dist, ...packages] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(0, "utf8"));
const py = await loadSitePyodide(dist, packages);
py.runPython("import numpy");
const entries = {
  call: py.pyimport("demos._runtime").call,
  source: py.pyimport("demos._runtime").call_source,
  check: py.pyimport("demos._exercise_runtime").check,
};
for (const request of requests) {
  const [kind] = Object.keys(request);
  entries[kind](...request[kind]);
}
const modules = py.runPython(`
import json, sys
json.dumps({
    name: m.__spec__.origin
    for name, m in sorted(sys.modules.items())
    if isinstance(getattr(getattr(m, "__spec__", None), "origin", None), str)
    and m.__spec__.origin.endswith((".py", ".pyc"))
})`);
process.stdout.write(JSON.stringify({ version: py.version, modules: JSON.parse(modules) }));
