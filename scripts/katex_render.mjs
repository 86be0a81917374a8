// Renders TeX to HTML with KaTeX at build time, so pages ship no math JavaScript.
// stdin: JSON list of {tex, display}; stdout: JSON list of HTML strings.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const katex = createRequire(import.meta.url)("katex");
const items = JSON.parse(readFileSync(0, "utf8"));
const html = items.map(({ tex, display }) =>
  katex.renderToString(tex, { displayMode: display, throwOnError: false, output: "htmlAndMathml" }),
);
process.stdout.write(JSON.stringify(html));
