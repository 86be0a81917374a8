// Drives assets/js/params.js's linkFor with hashes from tests/js/test_link_fuzz.py.
// Protocol, one JSON object per line: the first line on stdin is {specs: {demo: {param: spec}}};
// each further line is {hash, demo}; each answer line is {result} or {crash: "…"}.
import { createInterface } from "node:readline";
import { linkFor } from "../../assets/js/params.js";

let specs = null;
for await (const line of createInterface({ input: process.stdin })) {
  if (specs === null) {
    specs = JSON.parse(line).specs;
    continue;
  }
  const { hash, demo } = JSON.parse(line);
  let answer;
  try {
    answer = { result: linkFor(hash, `demo-${demo}`, specs[demo]) };
  } catch (err) {
    answer = { crash: `${err?.name}: ${err?.message}` };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
