// Unit tests of the explainer's reading functions (docs/assets/js/explainer-reading.js), run with
// `node --test tests/js/` (tests/test_explainer_reading.py runs them). Small made-up vocabularies,
// so each test shows one rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyse, buildIndex, buildWords, findCues, forwardStops, reachStates, resolveRegions, tokenise }
  from "../../docs/assets/js/explainer-reading.js";

const AXIS = new Map([["medial", "across"], ["lateral", "across"], ["posterior", "depth"], ["plateau", "part"],
                      ["condyle", "part"], ["head", "part"], ["second", "ray"], ["third", "ray"], ["fifth", "ray"],
                      ["base", "part"], ["shaft", "part"]]);
const PLATEAU = { diagram: "knee", exact: new Set(),
                  regions: [{ id: "mtp", words: ["plateau", "medial"] }, { id: "ltp", words: ["plateau", "lateral"] }] };
const METATARSALS = { diagram: "foot", exact: new Set(), regions: [
  { id: "m2", words: ["second"] }, { id: "m3", words: ["third"] }, { id: "m5-base", words: ["fifth", "base"] },
  { id: "heads", words: ["head"] }] };

test("a location word on an axis rules out the regions with another word on that axis", () => {
  assert.deepEqual(resolveRegions(PLATEAU, new Set(["plateau", "lateral"]), AXIS).regions, ["ltp"]);
  assert.deepEqual(resolveRegions(PLATEAU, new Set(["plateau", "medial", "posterior"]), AXIS).regions, ["mtp"]);
});

test("no location word: the whole part, every region", () => {
  assert.deepEqual(resolveRegions(PLATEAU, new Set(["plateau"]), AXIS).regions, ["mtp", "ltp"]);
  assert.deepEqual(resolveRegions(METATARSALS, new Set(), AXIS).regions, ["m2", "m3", "m5-base", "heads"]);
});

test("the regions matching most words win; a word no region carries is not matched", () => {
  const r = resolveRegions(METATARSALS, new Set(["second", "shaft"]), AXIS);
  assert.deepEqual(r.regions, ["m2"]);
  assert.ok(!r.matched.has("shaft"));
  assert.deepEqual(resolveRegions(METATARSALS, new Set(["fifth", "base"]), AXIS).regions, ["m5-base"]);
});

test("a part the drawing has no region for gets none (never a neighbour)", () => {
  assert.deepEqual(resolveRegions(METATARSALS, new Set(["first"]), new Map([...AXIS, ["first", "ray"]])).regions, []);
});

test("strict: a part named alongside another needs a word that picks a region", () => {
  const acetabulum = { diagram: "hip", exact: new Set(), regions: [{ id: "acetabulum", words: [] }] };
  assert.deepEqual(resolveRegions(acetabulum, new Set(["neck"]), AXIS, true).regions, []);
  assert.deepEqual(resolveRegions(acetabulum, new Set(["neck"]), AXIS, false).regions, ["acetabulum"]);
});

test("exact regions show only when all their words are named", () => {
  const group = { diagram: "ankle", exact: new Set(["talus-medial"]), regions: [{ id: "talus-medial", words: ["medial"] }] };
  assert.deepEqual(resolveRegions(group, new Set(), AXIS).regions, []);
  assert.deepEqual(resolveRegions(group, new Set(["medial"]), AXIS).regions, ["talus-medial"]);
});

const WORDS = buildWords({
  states: { absent: { before: ["no"], after: ["not seen"] }, normal: { either: ["normal"] },
            uncertain: { before: ["in keeping with"], after: ["cannot be excluded"], either: ["possible"] } },
  "not-state": ["no change"], "linking-verbs": ["is", "are"],
});
const INDEX = buildIndex([
  { id: "fracture", term: "Fracture", forms: ["fracture"], category: "finding" },
  { id: "effusion", term: "Effusion", forms: ["effusion"], category: "finding" },
  { id: "talus", term: "Talus", forms: ["talus"], category: "anatomy" },
]);
const states = (text) => analyse(text, INDEX, WORDS).found.map((f) => [f.id, f.state]);

test("state words: before, after, and either way by the words around them", () => {
  assert.deepEqual(states("No fracture."), [["fracture", "absent"]]);
  assert.deepEqual(states("Fracture not seen."), [["fracture", "absent"]]);
  assert.deepEqual(states("The talus is normal."), [["talus", "normal"]]);       // after a linking verb: back
  assert.deepEqual(states("Normal talus."), [["talus", "normal"]]);              // otherwise forward
  assert.deepEqual(states("Talus normal."), [["talus", "normal"]]);              // at the end of a clause: back
  assert.deepEqual(states("Fracture cannot be excluded."), [["fracture", "uncertain"]]);
  assert.deepEqual(states("No change in the effusion."), [["effusion", "present"]]);
});

test("hedges are not negations, and the nearest state word wins", () => {
  assert.deepEqual(states("No effusion, possible fracture."), [["effusion", "absent"], ["fracture", "uncertain"]]);
  assert.deepEqual(states("No effusion or possible fracture."), [["effusion", "absent"], ["fracture", "uncertain"]]);
  assert.deepEqual(states("In keeping with a fracture."), [["fracture", "uncertain"]]);
});

test("a list goes on after a comma; a new clause does not", () => {
  assert.deepEqual(states("No effusion, fracture or talus."),
                   [["effusion", "absent"], ["fracture", "absent"], ["talus", "absent"]]);
  assert.deepEqual(states("No effusion, the talus shows a fracture."),
                   [["effusion", "absent"], ["talus", "present"], ["fracture", "present"]]);
});

test("a colon: a state word that is all the clause after it looks back across it", () => {
  const words = buildWords({ states: { absent: { after: ["none"] } } });
  assert.deepEqual(analyse("Effusion: none. Fracture.", INDEX, words).found.map((f) => f.state), ["absent", "present"]);
});

test("state words are found once each, longest first, and never inside a term", () => {
  const tokens = tokenise("no change, no effusion, fracture not seen");
  const cues = findCues(tokens, new Array(tokens.length).fill(false), WORDS);
  assert.deepEqual(cues.map((c) => [tokens[c.first].raw, c.state]), [["no", "absent"], ["not", "absent"]]);
});

test("forward stops: full stops, 'but', a comma that does not go on with a list", () => {
  const tokens = tokenise("no a, b or c. no d, the e but f");
  const stops = forwardStops(tokens).map((s, i) => s ? tokens[i].raw : null).filter(Boolean);
  assert.deepEqual(stops, ["no", "the", "but"]);
});

test("the nearest state word reaches every word of a long list", () => {
  // (the list that froze the old reading: each "no" re-read the rest of the list)
  const tokens = tokenise("no x, ".repeat(5000) + "or y");
  const covered = new Array(tokens.length).fill(false);
  const cues = findCues(tokens, covered, WORDS);
  cues.forEach((c) => { c.look = "fwd"; });
  const reached = reachStates(tokens, cues);
  assert.equal(cues.length, 5000);
  assert.equal(reached.filter((c) => c !== null).length, tokens.length - 5000);   // every word but the cues
  assert.equal(reached[tokens.length - 1], cues[cues.length - 1]);                 // "y": the nearest "no"
});
