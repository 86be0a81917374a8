// Loads the code editor on demand.  The bundle (built by scripts/editor_bundle.py
// from assets/js/editor/index.js) is resolved relative to this file, so it
// works under any base path and across Material's instant navigation; it is
// fetched once, the first time a reader opens an editor, never on page load.

let loading = null;

/** The editor module: `{ createEditor }` (see assets/js/editor/index.js). */
export function loadEditor() {
  if (!loading) {
    loading = import(new URL("../vendor/editor/editor.js", import.meta.url).href).catch((err) => {
      loading = null; // a failed download can be retried
      throw err;
    });
  }
  return loading;
}
