// Runs the explainer's reading step (docs/assets/js/explainer-reading.js) under Node, without a page:
// reads {terms, words, reports} as JSON on stdin and writes one analysis per report as JSON.
// Used by tests/test_explainer_reading.py (the same module the browser runs, no copy).
import { readFileSync } from "node:fs";
import { analyse, buildIndex, buildWords } from "../../docs/assets/js/explainer-reading.js";

const input = JSON.parse(readFileSync(0, "utf-8"));
const index = buildIndex(input.terms);
const words = buildWords(input.words);
const out = input.reports.map((text) => {
  const a = analyse(text, index, words);
  return {
    marks: a.found.map((f) => [f.id, f.negated, f.state]),
    sides: a.sides,
    regions: Object.fromEntries([...a.regions].map(([d, m]) => [d, Object.fromEntries(m)])),
    parts: a.parts.map((p) => ({ term: p.term, state: p.state, side: p.side, regions: p.regions, missing: p.missing,
                                 text: text.slice(p.start, p.end) })),
    unknown: a.unknown,
    words: a.tokens.map((t, k) => [t.raw, a.readAs[k]]),
  };
});
process.stdout.write(JSON.stringify(out));
