// The MRI-report explainer's reading: what a report says about each word the glossary knows
// (there, not there, normal, not sure), its sides and the parts of the body it names, narrowed
// by its location words. Pure functions, no page: explainer.js imports this module the first
// time a reader reaches for the text box (so a first visit does not load it), and the tests run
// it under Node (tests/js/).

// --- words and gaps ---------------------------------------------------------------------

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const JOIN_GAP = /^[\s\u00a0\-‐‑‒–—/]+$/u;          // a multi-word term may span it
const HYPHEN_GAP = /^[\-‐‑‒–]$/u;                      // "sub-chondral" may also be "subchondral"
const NOT_A_FULL_STOP = new Set(["approx", "e", "g", "i", "vs", "cf", "dr", "fig", "etc", "no", "ca"]);

export function normalise(word) {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").replace(/’/g, "'").toLowerCase();
}

/** Words of ``text`` with their offsets, the gap before each and what that gap does. */
export function tokenise(text) {
  const tokens = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const gap = text.slice(last, m.index);
    const prev = tokens[tokens.length - 1];
    const kind = prev ? gapKind(gap, prev, m[0]) : "start";
    tokens.push({ raw: m[0], key: normalise(m[0]), start: m.index, end: m.index + m[0].length, gap, kind,
                  colon: kind === "break" && /^[ \t\u00a0]*:[ \t\u00a0]*$/.test(gap),
                  semicolon: kind === "break" && /^[ \t\u00a0]*;[ \t\u00a0]*$/.test(gap) });
    last = m.index + m[0].length;
  }
  return tokens;
}

function gapKind(gap, prev, next) {
  if (/\n[ \t\u00a0]*\n/.test(gap) || /\n[ \t\u00a0]*[-*•·–—>]/.test(gap)) return "break";
  if (/[.!?;:]/.test(gap)) {
    const decimal = /^[.,]$/.test(gap) && /\d$/.test(prev.raw) && /^\d/.test(next);
    const abbrev = gap.startsWith(".") && !/[!?;:]/.test(gap) && NOT_A_FULL_STOP.has(prev.key) &&
      !/^\p{Lu}/u.test(next) ;
    return decimal || abbrev ? "soft" : "break";
  }
  if (gap.includes(",")) return "comma";
  if (JOIN_GAP.test(gap)) return "join";
  return "soft";
}

// --- the term index -------------------------------------------------------------------------

function newNode() { return { next: new Map(), id: null }; }

function splitForm(form) {
  return tokenise(form);
}

function addForm(root, tokens, id, keyOf) {
  let node = root;
  for (const t of tokens) {
    const k = keyOf(t);
    if (!node.next.has(k)) node.next.set(k, newNode());
    node = node.next.get(k);
  }
  if (node.id === null) node.id = id;
}

/** Two tries of forms (any case; exact case), each form also with its hyphens closed up. */
export function buildIndex(terms) {
  const loose = newNode();
  const exact = newNode();
  const byId = new Map();
  for (const term of terms) {
    byId.set(term.id, term);
    for (const [forms, root, keyOf] of [[term.forms || [], loose, (t) => t.key],
                                         [term.exact || [], exact, (t) => t.raw]]) {
      for (const form of forms) {
        const tokens = splitForm(form);
        if (!tokens.length) continue;
        addForm(root, tokens, term.id, keyOf);
        if (tokens.some((t) => HYPHEN_GAP.test(t.gap))) {   // "fat-sat" -> "fatsat"
          const closed = [];
          for (const t of tokens) {
            if (closed.length && HYPHEN_GAP.test(t.gap)) {
              const prev = closed.pop();
              closed.push({ key: prev.key + t.key, raw: prev.raw + t.raw });
            } else closed.push({ key: t.key, raw: t.raw });
          }
          addForm(root, closed, term.id, keyOf);
        }
      }
    }
  }
  return { loose, exact, byId };
}

/** Every form starting at token ``i``: [{id, last}] (``last``: index of its last token). */
function formsAt(tokens, i, root, keyOf) {
  const out = [];
  const add = (id, last) => { if (!out.some((m) => m.last === last)) out.push({ id, last }); };
  const walk = (node, j) => {
    if (j >= tokens.length) return;
    if (j > i && tokens[j].kind !== "join") return;
    // the word itself, or words joined by hyphens ("sub-chondral" for "subchondral")
    let key = "";
    for (let k = j; k < tokens.length && k < j + 4; k++) {
      if (k > j && !HYPHEN_GAP.test(tokens[k].gap)) break;
      key += keyOf(tokens[k]);
      const child = node.next.get(key);
      if (child) {
        if (child.id !== null) add(child.id, k);
        walk(child, k + 1);
      }
      // a plural the list does not give ("effusions" for "effusion"), as the form's last word only
      for (const ending of ["s", "es"]) {
        if (key.length > ending.length + 3 && key.toLowerCase().endsWith(ending)) {
          const base = node.next.get(key.slice(0, -ending.length));
          if (base && base.id !== null) add(base.id, k);
        }
      }
    }
  };
  walk(root, i);
  return out;
}

/** The recognised terms in ``tokens``, left to right: [{id, first, last, start, end}].
 * Of all ways to read the words as terms, the one that covers the most words with the
 * fewest and longest terms wins, so the longest form does ("medial femoral condyle", not "condyle"),
 * and "subchondral bone marrow oedema" is "subchondral" + "bone marrow oedema" rather
 * than "subchondral bone" + "marrow" + "oedema". */
export function findTerms(tokens, index) {
  const n = tokens.length;
  const at = [];
  for (let i = 0; i < n; i++) {
    const loose = formsAt(tokens, i, index.loose, (t) => t.key);
    const exact = formsAt(tokens, i, index.exact, (t) => t.raw).filter((m) => !loose.some((l) => l.last === m.last));
    at.push([...loose, ...exact].sort((x, y) => y.last - x.last));
  }
  // best[i]: the best reading of tokens i..n-1 as {covered, count, next, match}
  const best = new Array(n + 1);
  // (ties: the reading with the longer forms, by the sum of their squared lengths)
  const better = (a, b) => a.covered !== b.covered ? a.covered > b.covered
    : a.count !== b.count ? a.count < b.count : a.square > b.square;
  best[n] = { covered: 0, count: 0, square: 0, match: null, next: n };
  for (let i = n - 1; i >= 0; i--) {
    const skip = best[i + 1];
    let choice = { covered: skip.covered, count: skip.count, square: skip.square, match: null, next: i + 1 };
    for (const m of at[i]) {
      const rest = best[m.last + 1];
      const len = m.last - i + 1;
      const option = { covered: rest.covered + len, count: rest.count + 1, square: rest.square + len * len,
                       match: m, next: m.last + 1 };
      if (better(option, choice)) choice = option;
    }
    best[i] = choice;
  }
  const found = [];
  for (let i = 0; i < n;) {
    const { match, next } = best[i];
    if (match) found.push({ id: match.id, first: i, last: match.last, start: tokens[i].start, end: tokens[match.last].end });
    i = next;
  }
  return found;
}

// --- reading: what the report says about each term -------------------------------------------
//
// Everything below runs in time linear in the report's length: the words are read once
// (tokenise), the terms found once (findTerms), the state words found once with a trie, and
// the reach of every state word worked out in one pass each way: a state word reaches the
// words after it (or before it) up to the first stop, and the nearest state word wins, so no
// clause is ever read twice.

// Words that end a state word's reach; and, after a comma, words that start a new clause.
const BREAK_WORDS = new Set(["but", "however", "although", "though", "whereas", "except", "apart", "aside",
  "yet", "while", "whilst", "which", "there", "otherwise", "instead", "nevertheless", "nonetheless"]);
const CLAUSE_STARTS = new Set(["the", "a", "an", "this", "these", "that", "it", "its", "there", "with", "in",
  "at", "on", "is", "are", "was", "were", "has", "have", "shows", "showing", "likely", "probably",
  "possibly", "consistent", "suggestive", "suggesting", "which", "and", "also", "mild", "moderate",
  "severe", "marked", "extensive", "small", "large", "minor", "new", "residual", "persistent", "there's"]);
const LIST_WORDS = new Set(["or", "nor", "and"]);
const AND_NEW = new Set(["there", "the", "this", "it"]);     // "... and the talus is normal"
const COORDINATE = new Set(["and", "or"]);
const NEGATABLE = new Set(["finding", "cause", "imaging", "treatment"]);
export const WHAT = new Set(["finding", "cause"]);
const STATE_RANK = { finding: 3, uncertain: 2, normal: 1 };

function phraseTrie(entries) {
  const root = newNode();
  for (const [phrase, value] of entries) {
    const tokens = splitForm(phrase);
    if (tokens.length) addForm(root, tokens, value, (t) => t.key);
  }
  return root;
}

/** The report-words data (data/report-words.yaml, as JSON) made ready for reading. */
export function buildWords(data) {
  data = data || {};
  const cueEntries = [];
  for (const [state, dirs] of Object.entries(data.states || {})) {
    for (const [dir, phrases] of Object.entries(dirs || {})) {
      for (const p of phrases || []) cueEntries.push([p, { state, dir }]);
    }
  }
  for (const p of data["not-state"] || []) cueEntries.push([p, { state: null, dir: null }]);
  const axisOf = new Map(), plain = new Map(), locations = new Map();
  for (const loc of data.locations || []) if (loc.axis) { axisOf.set(loc.id, loc.axis); plain.set(loc.id, loc.plain); }
  for (const loc of data.locations || []) {
    const ids = loc.axis ? [loc.id] : (loc.means || []).filter((m) => axisOf.has(m));
    for (const f of loc.forms || []) locations.set(normalise(f), ids);
  }
  const groups = [];
  const groupsOfTerm = new Map();
  for (const part of data.parts || []) {
    const group = { diagram: part.diagram, exact: new Set(part.exact || []),
                    regions: Object.entries(part.regions || {}).map(([id, words]) => ({ id, words })) };
    groups.push(group);
    for (const [term, words] of Object.entries(part.terms || {})) {
      if (!groupsOfTerm.has(term)) groupsOfTerm.set(term, []);
      groupsOfTerm.get(term).push({ group, words });
    }
  }
  const sides = data.sides || {};
  const set = (list) => new Set((list || []).map(normalise));
  return {
    cues: phraseTrie(cueEntries), linking: set(data["linking-verbs"]), locations, axisOf, plain,
    fillers: set(data.fillers), groups, groupsOfTerm,
    left: set(sides.left), right: set(sides.right), both: set(sides.both), bothOf: set(sides["both-of"]),
    askDoctor: new Set(data["ask-doctor"] || []), whatAlso: new Set((data.what || {}).also || []),
    whatNot: new Set((data.what || {}).not || []), everyday: set(data.everyday),
    help: data.help || "",
  };
}

/** The state words in ``tokens`` (outside terms), longest first: [{first, last, state, dir}]. */
export function findCues(tokens, covered, words) {
  const cues = [];
  for (let i = 0; i < tokens.length; i++) {
    if (covered[i]) continue;
    let node = words.cues, match = null;
    for (let j = i; j < tokens.length && j < i + 8; j++) {
      if (covered[j] || (j > i && tokens[j].kind !== "join")) break;
      node = node.next.get(tokens[j].key);
      if (!node) break;
      if (node.id !== null) match = { last: j, ...node.id };
    }
    if (!match) continue;
    if (match.state !== null) cues.push({ first: i, last: match.last, state: match.state, dir: match.dir });
    i = match.last;
  }
  return cues;
}

const isBoundary = (t) => t.kind === "break" || t.kind === "comma" || t.kind === "start";

/** For each state word: which way it looks ("fwd", "back", "both"), and whether it crosses a colon. */
function directions(tokens, cues, words) {
  for (const cue of cues) {
    const next = tokens[cue.last + 1];
    const lastInClause = !next || next.kind === "break" || next.kind === "comma" || BREAK_WORDS.has(next.key);
    const first = tokens[cue.first];
    // "Effusion: none." / "Menisci: intact." - a state word that is all that follows a colon looks back
    cue.crossing = first.colon && lastInClause && cue.first > 0;
    const afterVerb = cue.first > 0 && first.kind === "join" && words.linking.has(tokens[cue.first - 1].key);
    let dir = cue.dir === "before" ? "fwd" : cue.dir === "after" ? "back" : cue.dir === "both" ? "both"
      : afterVerb || lastInClause ? "back" : "fwd";
    if (cue.crossing) dir = "back";
    cue.look = dir;
  }
}

/** Where a state word's forward reach stops, for every token (one backward and one forward pass):
 * at a full stop or semicolon, at "but", "however"..., at a comma unless a list goes on
 * ("no fracture, effusion or bruise"), and at "and the ...". */
export function forwardStops(tokens) {
  const n = tokens.length;
  // is there a list word ahead in the clause?
  const listAhead = new Array(n + 1).fill(false);
  for (let j = n - 1; j >= 0; j--) {
    listAhead[j] = LIST_WORDS.has(tokens[j].key) || (j + 1 < n && tokens[j + 1].kind !== "break" && listAhead[j + 1]);
  }
  return tokens.map((t, j) => {
    if (t.kind === "break" || BREAK_WORDS.has(t.key)) return true;
    if (t.kind === "comma") {
      const next = tokens[j + 1];
      const starter = (t.key === "and" || t.key === "or") && next && next.kind === "join" ? next : t;
      if (CLAUSE_STARTS.has(starter.key) && starter.key !== "and" && starter.key !== "or") return true;
      if (!listAhead[j]) return true;
    }
    return t.key === "and" && !!tokens[j + 1] && tokens[j + 1].kind === "join" && AND_NEW.has(tokens[j + 1].key);
  });
}

/** The state word reaching every token (null where none does): one pass each way. */
export function reachStates(tokens, cues, stops = forwardStops(tokens)) {
  const n = tokens.length;
  const fwd = new Array(n).fill(null), back = new Array(n).fill(null);
  const stopsForward = (j) => stops[j];
  const byFirst = new Map(cues.map((c) => [c.first, c]));
  const byLast = new Map(cues.map((c) => [c.last, c]));
  let active = null;
  for (let j = 0; j < n; j++) {
    if (stopsForward(j)) active = null;
    const cue = byFirst.get(j);
    if (cue) {
      if (cue.look !== "back") active = cue;
      j = cue.last;
      continue;
    }
    fwd[j] = active;
  }
  active = null;
  for (let j = n - 1; j >= 0; j--) {
    const cue = byLast.get(j);
    if (cue) {
      if (cue.look !== "fwd") {
        active = cue.first > 0 && (cue.crossing || !isBoundary(tokens[cue.first])) ? cue : null;
      } else if (isBoundary(tokens[cue.first])) active = null;
      j = cue.first;
      continue;
    }
    const t = tokens[j];
    if (BREAK_WORDS.has(t.key)) { active = null; continue; }
    back[j] = active;
    if (isBoundary(t) || (AND_NEW.has(t.key) && t.kind === "join" && j > 0 && tokens[j - 1].key === "and")) active = null;
  }
  // a word after it ("fracture is not seen") says more than one before it ("possible")
  return tokens.map((_, j) => back[j] || fwd[j]);
}

/** Sets ``state`` ("present", "absent", "normal", "uncertain" or null for a modifier) and
 * ``negated`` on each found term. */
export function markStates(tokens, found, byId, cues, stops) {
  const reached = reachStates(tokens, cues, stops);
  found.forEach((f, n) => {
    const cue = reached[f.first];
    f.cue = cue;
    f.state = cue ? cue.state : "present";
    const term = byId.get(f.id);
    // a modifier of the next term ("no STIR hyperintensity") says nothing itself
    const next = found[n + 1];
    if (cue && term && NEGATABLE.has(term.category) && next && next.first === f.last + 1 &&
        tokens[next.first].kind === "join" && NEGATABLE.has(byId.get(next.id)?.category) &&
        reached[next.first] === cue) f.state = null;
    f.negated = !!term && NEGATABLE.has(term.category) && f.state === "absent";
  });
  return found;
}

/** Which found terms the report says are absent (sets ``negated`` on each). */
export function markNegations(tokens, found, byId, words = buildWords({})) {
  const covered = coveredBy(tokens, found);
  const cues = findCues(tokens, covered, words);
  directions(tokens, cues, words);
  return markStates(tokens, found, byId, cues, forwardStops(tokens));
}

function coveredBy(tokens, found) {
  const covered = new Array(tokens.length).fill(false);
  for (const f of found) for (let k = f.first; k <= f.last; k++) covered[k] = true;
  return covered;
}

function sideOf(key, next, words) {
  if (words.left.has(key)) return "left";
  if (words.right.has(key)) return "right";
  if (words.both.has(key)) return "both";
  if (key === "both" && next && next.kind === "join" && words.bothOf.has(next.key)) return "both";
  return null;
}

/** The sides the report names, in order: "left", "right", "both" (bilateral, both knees...). */
export function findSides(tokens, words = DEFAULT_SIDES) {
  const sides = [];
  tokens.forEach((t, i) => {
    const side = sideOf(t.key, tokens[i + 1], words);
    if (side && !sides.includes(side)) sides.push(side);
  });
  return sides;
}
const DEFAULT_SIDES = { left: new Set(["left"]), right: new Set(["right"]), both: new Set(["bilateral", "bilaterally"]),
  bothOf: new Set(["sides", "hips", "knees", "ankles", "feet", "legs", "tali", "limbs", "lower"]) };

// --- where: parts of the body, narrowed by location words --------------------------------------

function locationIds(token, words) {
  return words.locations.get(token.key) || null;
}

/** The location words around a part named from token ``first`` to ``last``: its own, the ones
 * just before it ("posterolateral tibial plateau", "posterior aspect of the ...") and just after
 * ("talar dome medially"). Also the location words of a part named alongside it
 * ("the medial and lateral ...", "femoral head and neck"): [{ids, first, last}]. */
function locationsAround(tokens, first, last, covered, words) {
  // (``covered``: the tokens of terms that name a part, which never count as another's location words)
  const own = new Set();
  let from = first, to = last;
  for (let k = first; k <= last; k++) for (const id of locationIds(tokens[k], words) || []) own.add(id);
  // before: location words and fillers, on the same side of any punctuation
  let j = first - 1;
  for (let steps = 0; j >= 0 && steps < 8 && tokens[j + 1].kind === "join"; j--, steps++) {
    const ids = locationIds(tokens[j], words);
    if (ids) { ids.forEach((id) => own.add(id)); from = j; } else if (!words.fillers.has(tokens[j].key)) break;
  }
  const extra = [];
  // "the medial and lateral femoral condyles": the words before "and" name another part
  if (j >= 1 && COORDINATE.has(tokens[j].key) && from === j + 1 && tokens[j + 1].kind === "join") {
    const alt = new Set();
    let k = j - 1, altFrom = j;
    for (let steps = 0; k >= 0 && steps < 6; k--, steps++) {
      const ids = covered[k] ? null : locationIds(tokens[k], words);
      if (!ids) break;
      ids.forEach((id) => alt.add(id));
      altFrom = k;
      if (tokens[k].kind !== "join") break;
    }
    if (alt.size && tokens[j].kind === "join") extra.push({ ids: alt, first: altFrom, last: j - 1 });
  }
  // after: location words only ("the talar dome medially")
  let k = last + 1;
  for (let steps = 0; k < tokens.length && steps < 4 && tokens[k].kind === "join" && !covered[k]; k++, steps++) {
    const ids = locationIds(tokens[k], words);
    if (!ids) break;
    ids.forEach((id) => own.add(id));
    to = k;
  }
  // "femoral head and neck": location words after "and" that no term takes
  if (k < tokens.length && COORDINATE.has(tokens[k].key) && (tokens[k].kind === "join" || tokens[k].kind === "comma")) {
    const alt = new Set();
    let m = k + 1, altTo = -1;
    for (let steps = 0; m < tokens.length && steps < 4 && tokens[m].kind === "join" && !covered[m]; m++, steps++) {
      const ids = locationIds(tokens[m], words);
      if (ids) { ids.forEach((id) => alt.add(id)); altTo = m; } else if (!words.fillers.has(tokens[m].key)) break;
    }
    const ends = m >= tokens.length || tokens[m].kind !== "join" || !covered[m];
    if (alt.size && ends && altTo > 0) extra.push({ ids: alt, first: k + 1, last: altTo });
  }
  return { own, from, to, extra };
}

/** The regions of ``group`` that location words ``ids`` pick: {regions, missing}. Words on one
 * axis exclude each other (a lateral word rules out a medial region); the regions matching most
 * words win; location words no region carries are ``missing`` (the nearest whole part is shown). */
export function resolveRegions(group, ids, axisOf, strict = false) {
  const wanted = new Map();
  for (const id of ids) {
    const axis = axisOf.get(id);
    if (!wanted.has(axis)) wanted.set(axis, new Set());
    wanted.get(axis).add(id);
  }
  const usable = group.regions.filter((r) => !group.exact.has(r.id) || r.words.every((w) => ids.has(w)));
  const fits = usable.filter((r) => {
    const axes = new Map();
    for (const w of r.words) {
      const axis = axisOf.get(w);
      if (!axes.has(axis)) axes.set(axis, []);
      axes.get(axis).push(w);
    }
    for (const [axis, ws] of axes) {
      const want = wanted.get(axis);
      if (want && !ws.some((w) => want.has(w))) return false;
    }
    return true;
  });
  const score = (r) => r.words.filter((w) => ids.has(w)).length;
  const best = Math.max(0, ...fits.map(score));
  const chosen = best > 0 ? fits.filter((r) => score(r) === best)
    : !strict && fits.length === usable.length ? fits : [];
  return { regions: chosen.map((r) => r.id), matched: new Set(chosen.flatMap((r) => r.words)) };
}

function resolvePart(groupsWords, ids, words, strict) {
  const byDiagram = new Map();
  const matched = new Set();
  for (const { group, words: own } of groupsWords) {
    const all = new Set([...own, ...ids]);
    // the term's own words give way to a location word on the same axis ("talar dome" + "lateral")
    const r = resolveRegions(group, all, words.axisOf, strict);
    r.matched.forEach((w) => matched.add(w));
    if (!r.regions.length) continue;
    if (!byDiagram.has(group.diagram)) byDiagram.set(group.diagram, []);
    for (const id of r.regions) if (!byDiagram.get(group.diagram).includes(id)) byDiagram.get(group.diagram).push(id);
  }
  const missing = [...ids].filter((id) => !matched.has(id));
  return { byDiagram, missing };
}

function replaceAxes(base, alt, axisOf) {
  const axes = new Set([...alt].map((id) => axisOf.get(id)));
  return new Set([...[...base].filter((id) => !axes.has(axisOf.get(id))), ...alt]);
}

// --- the whole reading ------------------------------------------------------------------------

/** The whole analysis of one report: {tokens, found, sides, parts, regions, unknown}.
 * ``parts``: every part of the body named, with the regions it is drawn as, its state
 * ("finding", "normal", "uncertain"), side and what was found there; ``regions``: diagram ->
 * region -> state (the strongest said of it). */
export function analyse(text, index, words = buildWords({})) {
  const tokens = tokenise(text);
  const found = findTerms(tokens, index);
  const covered = coveredBy(tokens, found);
  const cues = findCues(tokens, covered, words);
  directions(tokens, cues, words);
  const stops = forwardStops(tokens);
  markStates(tokens, found, index.byId, cues, stops);
  const n = tokens.length;

  // sentences and clauses: a sentence ends at . ! ? or a blank line; a clause where a state
  // word's reach stops (any punctuation but a list's commas, "but", "and the ...")
  const clauseOf = new Array(n), sentenceOf = new Array(n);
  let clause = -1, sentence = -1;
  for (let j = 0; j < n; j++) {
    const t = tokens[j];
    if (t.kind === "start" || (t.kind === "break" && !t.colon && !t.semicolon)) sentence++;
    if (t.kind === "start" || stops[j]) clause++;
    clauseOf[j] = clause;
    sentenceOf[j] = sentence;
  }
  // sides: the nearest side word before in the sentence, else after it in the sentence, else before
  const sideAt = new Array(n).fill(null);
  let lastSide = null, lastSideSentence = -1;
  for (let j = 0; j < n; j++) {
    const side = sideOf(tokens[j].key, tokens[j + 1], words);
    if (side) { lastSide = side; lastSideSentence = sentenceOf[j]; }
    sideAt[j] = lastSide && lastSideSentence === sentenceOf[j] ? lastSide : null;
  }
  const nextSide = new Array(n + 1).fill(null);
  for (let j = n - 1; j >= 0; j--) {
    const side = sideOf(tokens[j].key, tokens[j + 1], words);
    nextSide[j] = side || (j + 1 < n && sentenceOf[j + 1] === sentenceOf[j] ? nextSide[j + 1] : null);
  }
  let carried = null;
  const sideFor = [];
  for (let j = 0; j < n; j++) {
    const side = sideOf(tokens[j].key, tokens[j + 1], words);
    sideFor.push(sideAt[j] || nextSide[j] || carried);
    if (side) carried = side;
  }

  // what was found, clause by clause
  const whatsOf = new Map();      // clause -> found terms that say what was found
  for (const f of found) {
    const term = index.byId.get(f.id);
    if (!term || words.whatNot.has(f.id) || !(WHAT.has(term.category) || words.whatAlso.has(f.id))) continue;
    if (f.state === null) continue;
    const c = clauseOf[f.first];
    if (!whatsOf.has(c)) whatsOf.set(c, []);
    whatsOf.get(c).push(f);
  }
  const clauseSentence = new Map();
  for (let j = 0; j < n; j++) if (!clauseSentence.has(clauseOf[j])) clauseSentence.set(clauseOf[j], sentenceOf[j]);
  const whatsFor = (c) => {
    if (whatsOf.has(c)) return whatsOf.get(c);
    // a part named on its own takes what its sentence says next to it ("Bone bruise: lateral
    // femoral condyle", "In the talus, there is oedema")
    const s = clauseSentence.get(c);
    for (const other of [c - 1, c + 1, c - 2, c + 2]) {
      if (clauseSentence.get(other) === s && whatsOf.has(other)) return whatsOf.get(other);
    }
    return [];
  };
  const fromStates = (list) => {
    const states = new Set(list.map((f) => f.state));
    return states.has("present") ? "finding" : states.has("uncertain") ? "uncertain"
      : states.size ? "normal" : null;
  };

  // what a clause says, worked out once for all the parts it names (a list of a thousand parts
  // in one clause must not be read a thousand times)
  const byClause = new Map();
  const clauseWhats = (c) => {
    if (!byClause.has(c)) {
      const whats = whatsFor(c);
      byClause.set(c, { whats, fromWhats: fromStates(whats), anyNormal: whats.some((w) => w.state === "normal"),
                        listed: whats.map((w) => ({ id: w.id, state: w.state })) });
    }
    return byClause.get(c);
  };
  const partCovered = new Array(n).fill(false);
  const partClauses = new Set();
  for (const f of found) {
    if (!words.groupsOfTerm.has(f.id)) continue;
    for (let k = f.first; k <= f.last; k++) partCovered[k] = true;
    partClauses.add(clauseOf[f.first]);
  }
  const clauseEnd = new Map();     // clause -> the token after it
  for (let j = 0; j < n; j++) clauseEnd.set(clauseOf[j], j + 1);

  const parts = [];
  const regions = new Map();
  for (const f of found) {
    const groupsWords = words.groupsOfTerm.get(f.id);
    if (!groupsWords) continue;
    const c = clauseOf[f.first];
    // "Left talus: oedema in the talar body and neck": a heading, only context for the parts after it
    const after = tokens[clauseEnd.get(c)];
    if (!whatsOf.has(c) && f.state === "present" && after && after.colon && partClauses.has(c + 1)) continue;
    const around = locationsAround(tokens, f.first, f.last, partCovered, words);
    const { whats, fromWhats, anyNormal, listed } = clauseWhats(clauseOf[f.first]);
    const state = f.state === "absent" || f.state === "normal" ? "normal" : f.state === "uncertain" ? "uncertain"
      : fromWhats;
    // (for the words: normal as said, or normal because what was looked for is not there)
    const said = state !== "normal" ? state : f.state === "normal" || anyNormal &&
      f.state !== "absent" ? "normal" : "absent";
    // a part named with nothing said of it ("Left talus.") is where the report is about, not a finding
    if (!state) continue;
    const mentions = [{ ids: around.own, first: around.from, last: around.to, strict: false }];
    for (const alt of around.extra) {
      mentions.push({ ids: replaceAxes(around.own, alt.ids, words.axisOf), first: Math.min(alt.first, around.from),
                      last: Math.max(alt.last, around.to), strict: true, alt: true });
    }
    for (const m of mentions) {
      let pool = groupsWords;
      if (m.alt) {   // a part named alongside: any part on the same diagrams
        const diagrams = new Set(groupsWords.map((g) => g.group.diagram));
        pool = words.groups.filter((g) => diagrams.has(g.diagram)).map((group) =>
          groupsWords.find((g) => g.group === group) || { group, words: [] });
      }
      const { byDiagram, missing } = resolvePart(pool, m.ids, words, m.strict);
      if (m.alt && !byDiagram.size) continue;
      const part = { term: f.id, first: m.first, last: m.last, start: tokens[m.first].start, end: tokens[m.last].end,
                     state, said, side: sideFor[f.first], what: listed,
                     regions: Object.fromEntries(byDiagram), missing };
      parts.push(part);
      for (const [diagram, ids] of byDiagram) {
        if (!regions.has(diagram)) regions.set(diagram, new Map());
        const map = regions.get(diagram);
        for (const id of ids) if (!map.has(id) || STATE_RANK[state] > STATE_RANK[map.get(id)]) map.set(id, state);
      }
    }
  }

  // what each word was read as ("term", "state", "location", "word": an everyday or linking
  // word, null: a word we do not know, which is said and never guessed)
  const stateWord = new Array(n).fill(false);
  for (const c of cues) for (let k = c.first; k <= c.last; k++) stateWord[k] = true;
  const readAs = tokens.map((t, k) => covered[k] ? "term" : stateWord[k] ? "state" : locationIds(t, words) ? "location"
    : t.key.length < 3 || /\d/.test(t.key) || words.everyday.has(t.key) || words.fillers.has(t.key) ||
      words.linking.has(t.key) || sideOf(t.key, tokens[k + 1], words) || BREAK_WORDS.has(t.key) ||
      CLAUSE_STARTS.has(t.key) || LIST_WORDS.has(t.key) ? "word" : null);
  const unknown = [];
  const seenUnknown = new Set();
  tokens.forEach((t, k) => {
    if (readAs[k] === null && !seenUnknown.has(t.key)) { seenUnknown.add(t.key); unknown.push(t.raw); }
  });
  return { tokens, found, sides: findSides(tokens, words), parts, regions, unknown, cues, readAs };
}

