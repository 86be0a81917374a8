// The floor's work without a browser or a network (benchmark.py --choose-compile's CPU column):
// start Pyodide from a served pyodide/ directory under Node.js, loadPackage(numpy) with
// checkIntegrity, import numpy. Prints JSON {runtime, load, importNumpy} in ms.
// usage: node benchmark_node_start.mjs PYODIDE_DIR
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist] = process.argv.slice(2);
const t0 = performance.now();
const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: dist + path.sep });
const t1 = performance.now();
await py.loadPackage(["numpy"], { checkIntegrity: true, messageCallback: () => {} });
const t2 = performance.now();
py.runPython("import numpy");
const t3 = performance.now();
process.stdout.write(JSON.stringify({ runtime: t1 - t0, load: t2 - t1, importNumpy: t3 - t2 }));
