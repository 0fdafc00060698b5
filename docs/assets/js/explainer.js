// "Explain my report": marks the words of a pasted MRI report that the glossary knows,
// lists them with their explanations and what the report says of each (there, not there,
// normal, not sure), and shows on the diagrams the parts it names: as a finding, as normal
// or as uncertain, narrowed by the report's location words ("posterolateral", "second").
//
// Everything happens on the reader's device: no request, no storage. The report is
// shown back with DOM nodes and textContent only (never innerHTML). The terms come
// from the page (<script type="application/json" id="explainer-terms">, built from
// data/terms.yaml by generators/site/explainer.py) and the reading words from the page too
// (the widget's data-explainer-words attribute, JSON from data/report-words.yaml).

const MAX_CHARS = 20000;
const DELAY_MS = 300;

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
const WHAT = new Set(["finding", "cause"]);
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

// --- the page ---------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);   // strings become text nodes
  return node;
}

/** "Bone bruise" -> "bone bruise", but "MRI", "STIR" and "T1-weighted" keep their capitals. */
function inSentence(name) {
  return /^\p{Lu}\p{Ll}/u.test(name) ? name[0].toLowerCase() + name.slice(1) : name;
}

function listOf(items) {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function readJson(root) {
  // Material's instant navigation re-creates inline scripts without their attributes,
  // so fall back to the widget's own inline script. The reading words are an attribute.
  const script = root.querySelector("script#explainer-terms") || root.querySelector(":scope > script:not([src])");
  const parse = (text) => { try { return JSON.parse(text); } catch { return null; } };
  return { terms: script ? parse(script.textContent) : null, words: parse(root.dataset.explainerWords || "null") };
}

// what the report says, in plain words
const SAYS = {
  present: "The report says this is there.",
  absent: "The report says this is not there.",
  normal: "The report says this looks normal.",
  uncertain: "The report is not sure about this.",
};
const PART_SAYS = {
  finding: "The report describes a finding in this part.",
  normal: "The report says this part looks normal.",
  absent: "The report says something it looked for is not there in this part.",
  uncertain: "The report is not sure about something in this part.",
};
const REGION_SAYS = { finding: "In your report: a finding here", normal: "In your report: normal",
                      uncertain: "In your report: not sure" };
const STATE_ORDER = ["present", "uncertain", "normal", "absent"];

function setup(root) {
  if (root.dataset.explainerReady) return;
  const { terms, words: wordData } = readJson(root);
  if (!Array.isArray(terms)) return;
  root.dataset.explainerReady = "true";
  // nothing heavy before the reader asks: the term index and the reading words are built on
  // the first report, and the diagrams come out of their <template> the first time a report
  // names one of their parts
  let index = null, words = null;
  const $ = (name) => root.querySelector(`[data-explainer-${name}]`);
  const input = $("input"), status = $("status"), area = $("results-area"), output = $("output");
  const list = $("list"), sideNote = $("side"), limit = $("limit");
  const unknownNote = $("unknown");
  let diagrams = $("diagrams");
  const template = root.querySelector("template[data-explainer-diagrams-template]");
  const hasDiagrams = Boolean(diagrams || template);
  function showDiagrams() {
    if (!diagrams && template) {
      template.replaceWith(template.content.cloneNode(true));
      diagrams = $("diagrams");
      for (const details of diagrams.querySelectorAll(".explainer__site details")) details.open = false;
    }
    return diagrams;
  }

  for (const details of root.querySelectorAll(".explainer__site details")) details.open = false;
  $("tool").hidden = false;

  let timer = 0;
  let shown = null;

  // the diagrams' own names for their regions (the text list under each diagram)
  const regionLabel = (diagram, id) => {
    const link = diagrams && diagrams.querySelector(`[data-explainer-site="${diagram}"] [data-region-item="${id}"] a`);
    return link ? inSentence(link.textContent.trim()) : id;
  };

  function render() {
    clearTimeout(timer);
    const full = input.value;
    if (full === shown) return;
    shown = full;
    const text = full.length > MAX_CHARS ? full.slice(0, MAX_CHARS) : full;
    limit.hidden = full.length <= MAX_CHARS;
    limit.textContent = limit.hidden ? "" :
      `Your report is longer than ${MAX_CHARS.toLocaleString("en-GB")} characters. ` +
      `Only the first ${MAX_CHARS.toLocaleString("en-GB")} are explained.`;

    if (!text.trim()) {
      area.hidden = true;
      if (diagrams) diagrams.hidden = true;
      output.replaceChildren();
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    if (!index) {
      index = buildIndex(terms);
      words = buildWords(wordData || {});
    }
    const { found, sides, parts, regions, unknown } = analyse(text, index, words);
    if (regions.size) showDiagrams();   // before the list: it names the parts as the diagrams do

    // the report, with each recognised word marked
    const notes = { absent: "explainer-note-absent", normal: "explainer-note-normal", uncertain: "explainer-note-uncertain" };
    const out = [];
    let at = 0;
    for (const f of found) {
      out.push(text.slice(at, f.start));
      const state = f.negated ? "absent" : f.state === "normal" || f.state === "uncertain" ? f.state : "";
      const attrs = { "data-term": f.id, "data-negated": String(f.negated),
                      "aria-describedby": (state ? notes[state] + " " : "") + `explainer-desc-${f.id}` };
      if (state) attrs["data-state"] = state;
      out.push(el("mark", attrs, text.slice(f.start, f.end)));
      at = f.end;
    }
    out.push(text.slice(at));
    output.replaceChildren(...out, el("span", { id: notes.absent, hidden: "" }, "The report says this is not present."));
    if (!area.querySelector(`#${notes.normal}`)) {
      area.append(el("span", { id: notes.normal, hidden: "" }, "The report says this looks normal."),
                  el("span", { id: notes.uncertain, hidden: "" }, "The report is not sure about this."));
    }

    // the list, in order of first appearance; negated only when every mention is
    const order = [];
    const seen = new Map();
    for (const f of found) {
      if (!seen.has(f.id)) {
        seen.set(f.id, { negated: true, wrote: text.slice(f.start, f.end), states: new Set(), where: [] });
        order.push(f.id);
      }
      const info = seen.get(f.id);
      if (!f.negated) info.negated = false;
      if (f.state) info.states.add(f.state);
    }
    const partStates = new Map();
    const placesOfList = new Map();
    for (const p of parts) {
      const named = Object.entries(p.regions).flatMap(([d, ids]) => ids.map((id) => regionLabel(d, id)));
      const place = (named.length ? listOf(named) : inSentence(index.byId.get(p.term).term)) +
        (p.side ? ` (${p.side === "both" ? "both sides" : p.side})` : "");
      // (parts of one clause share its list of what was found: each place once per list)
      if (!placesOfList.has(p.what)) placesOfList.set(p.what, new Set());
      if (!placesOfList.get(p.what).has(place)) {
        placesOfList.get(p.what).add(place);
        for (const w of p.what) {
          const info = seen.get(w.id);
          if (info && !info.where.includes(place)) info.where.push(place);
        }
      }
      if (!partStates.has(p.term)) partStates.set(p.term, []);
      const places = partStates.get(p.term);
      if (!places.some((x) => x.place === place && x.said === p.said)) places.push({ place, said: p.said });
    }
    const SAID_RANK = { finding: 4, uncertain: 3, normal: 2, absent: 1 };
    list.replaceChildren(...order.map((id) => {
      const term = index.byId.get(id);
      const info = seen.get(id);
      const head = el("p", { class: "explainer__term" }, el("strong", {}, term.term));
      if (normalise(info.wrote) !== normalise(term.term)) head.append(" ", el("span", { class: "explainer__wrote" }, `(“${info.wrote}”)`));
      if (info.negated) head.append(" ", el("span", { class: "explainer__absent" }, "(not present in this report)"));
      const item = el("li", { "data-term-item": id, "data-negated": String(info.negated), id: `explainer-item-${id}` }, head,
        el("p", { id: `explainer-desc-${id}`, class: "explainer__desc" }, term.explanation));
      // what the report says about it
      const isPart = partStates.has(id);
      const isWhat = !isPart && !words.whatNot.has(id) && (WHAT.has(term.category) || words.whatAlso.has(id));
      if (isPart) {
        const places = partStates.get(id);
        const strongest = places.reduce((a, b) => (SAID_RANK[b.said] > SAID_RANK[a.said] ? b : a)).said;
        item.dataset.state = strongest;
        if (new Set(places.map((x) => x.said)).size === 1) {
          item.append(el("p", { class: "explainer__state", "data-state": strongest }, PART_SAYS[strongest]));
        } else {   // several places, said differently ("second metatarsal ..., fifth ...")
          item.append(el("p", { class: "explainer__state", "data-state": strongest }, "The report names this more than once."),
            el("ul", { class: "explainer__places" }, ...places.map((x) =>
              el("li", { "data-state": x.said }, `${x.place[0].toUpperCase()}${x.place.slice(1)}: ${inSentence(PART_SAYS[x.said])}`))));
        }
      } else if (!isWhat && info.states.size === 1 && info.states.has("normal")) {
        // a structure the report calls normal ("the menisci are intact")
        item.dataset.state = "normal";
        item.append(el("p", { class: "explainer__state", "data-state": "normal" }, SAYS.normal));
      } else if (isWhat && info.states.size) {
        const states = STATE_ORDER.filter((s) => info.states.has(s));
        item.dataset.state = states[0];
        const said = states.length === 1 ? SAYS[states[0]]
          : "The report mentions this more than once. " + states.map((s) => SAYS[s]).join(" ");
        item.append(el("p", { class: "explainer__state", "data-state": states[0] }, said));
        if (info.where.length) item.append(el("p", { class: "explainer__where" }, `Where: ${listOf(info.where)}.`));
        if (words.askDoctor.has(id) && (info.states.has("present") || info.states.has("uncertain")) && words.help) {
          item.append(el("p", { class: "explainer__ask", "data-explainer-ask": "" },
            "Ask your doctor about this. ", el("a", { href: words.help }, "When to get help")));
        }
      }
      item.append(el("p", { class: "explainer__more" }, el("a", { href: term.href }, `Read more about ${inSentence(term.term)}`)));
      return item;
    }));

    // words we do not know
    if (unknownNote) {
      unknownNote.hidden = !unknown.length;
      const shownWords = unknown.slice(0, 30).map((w) => `“${w}”`);
      unknownNote.textContent = !unknown.length ? "" :
        `Words we do not know: ${listOf(shownWords)}${unknown.length > 30 ? ` and ${unknown.length - 30} more` : ""}. ` +
        "We have not guessed what they mean. Your doctor can explain them.";
    }

    // side
    sideNote.hidden = !sides.length;
    const names = sides.map((s) => (s === "both" ? "both sides" : s));
    sideNote.textContent = names.length === 1 ? `Side mentioned: ${names[0]}.` :
      names.length ? `Sides mentioned: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}.` : "";

    // diagrams: each part named shows what the report says of it
    if (hasDiagrams && (diagrams || regions.size)) {
      showDiagrams();
      let any = false;
      for (const site of diagrams.querySelectorAll("[data-explainer-site]")) {
        const states = regions.get(site.dataset.explainerSite) || new Map();
        site.hidden = !states.size;
        any = any || states.size > 0;
        for (const a of site.querySelectorAll("a[data-region]")) {
          const state = states.get(a.getAttribute("data-region"));
          if (!a.hasAttribute("data-explainer-label")) a.setAttribute("data-explainer-label", a.getAttribute("aria-label") || "");
          const label = a.getAttribute("data-explainer-label");
          if (state) {
            a.setAttribute("data-report", state);
            // (the diagram's own name kept whole: its visible label stays part of it)
            a.setAttribute("aria-label", `${label.replace(/[.\s]*$/, "")}. ${REGION_SAYS[state]}.`);
          } else {
            a.removeAttribute("data-report");
            if (label) a.setAttribute("aria-label", label);
          }
        }
        // findings hatched by the diagrams' own mechanism (diagrams.js), on each drawing of the site
        const findings = [...states].filter(([, s]) => s === "finding").map(([id]) => id);
        if (window.bmoDiagrams) {
          const figures = site.querySelectorAll("figure[data-diagram-figure]");
          for (const figure of figures.length ? figures : [site]) window.bmoDiagrams.highlight(figure, findings);
        }
      }
      diagrams.hidden = !any;
      const note = diagrams.querySelector("[data-explainer-diagram-note]");
      if (note) {
        note.textContent = "Hatched: the report describes a finding there. Dotted outline: the report is not sure. " +
          "Plain outline with the word “normal” in its name: the report says that part looks normal or that " +
          "something is not there. Parts the report does not name are left plain." +
          (sides.includes("left") ? " The drawings show the right side: your left side is its mirror image." : "");
      }
      // where the drawings cannot be as exact as the report, say so
      const approx = diagrams.querySelector("[data-explainer-approx]");
      if (approx) {
        const lines = [];
        const said = new Set();
        for (const p of parts) {
          const wrote = text.slice(p.start, p.end);
          const named = Object.entries(p.regions).flatMap(([d, ids]) => ids.map((id) => regionLabel(d, id)));
          let line = "";
          if (!named.length) line = `“${wrote}”: the drawings have no separate area for this part.`;
          else if (p.missing.length) {
            line = `“${wrote}”: the drawing cannot show the ${listOf(p.missing.map((m) => words.plain.get(m) || m))} ` +
              `on its own. It shows the whole ${listOf(named)}.`;
          }
          if (line && !said.has(line)) { said.add(line); lines.push(el("li", {}, line)); }
        }
        approx.replaceChildren(...lines);
        approx.hidden = !lines.length;
      }
    }

    area.hidden = false;
    const n = order.length;
    const absent = order.filter((id) => seen.get(id).negated).length;
    status.textContent = n === 0
      ? "No terms found. We only know the words in our glossary."
      : `${n} ${n === 1 ? "term" : "terms"} found` +
        (absent ? `, ${absent} of them described as not present.` : ".");
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, DELAY_MS);
  });
  $("run").addEventListener("click", () => { shown = null; render(); });
  $("clear").addEventListener("click", () => { input.value = ""; render(); input.focus(); });
  if (input.value) render();   // text kept by the browser (back button)
}

function setupAll() {
  for (const root of document.querySelectorAll("[data-explainer]")) setup(root);
}

if (typeof document !== "undefined") {
  setupAll();
  // Material's instant navigation swaps the page without reloading this module. The theme's
  // bundle is deferred too and runs after this module: its document$ exists by DOMContentLoaded.
  const follow = () => {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setupAll);
  };
  if (window.document$) follow();
  else document.addEventListener("DOMContentLoaded", follow, { once: true });
}
