// Shared by tests/pyodide/run_demos.mjs, run_exercises.mjs and scripts/pyodide_imports.mjs:
// start real Pyodide under Node.js
// from the site's pyodide/ directory and load `packages` by name from the site's
// lock with integrity checks, as the browser worker does.
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Pyodide started from `dist` with `packages` loaded (throws naming what did not load). */
export async function loadSitePyodide(dist, packages) {
  const { loadPyodide } = await import(pathToFileURL(path.join(dist, "pyodide.mjs")).href);
  const py = await loadPyodide({ indexURL: dist + path.sep });
  const problems = [];
  await py.loadPackage(packages, {
    checkIntegrity: true,
    messageCallback: () => {},
    errorCallback: (m) => problems.push(m),
  });
  const missing = packages.filter((name) => !(name in py.loadedPackages));
  if (missing.length) throw new Error(`not loaded: ${missing} (${problems.join("; ")})`);
  return py;
}
