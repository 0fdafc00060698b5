// "Explain my report": marks the words of a pasted MRI report that the glossary knows,
// lists them with their explanations and shows where the named parts are.
//
// Everything happens on the reader's device: no request, no storage. The report is
// shown back with DOM nodes and textContent only (never innerHTML). The terms come
// from the page (<script type="application/json" id="explainer-terms">, built from
// data/terms.yaml by generators/explainer.py).

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
    tokens.push({ raw: m[0], key: normalise(m[0]), start: m.index, end: m.index + m[0].length,
                  gap, kind: prev ? gapKind(gap, prev, m[0]) : "start" });
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

// --- negation ---------------------------------------------------------------------------------

// Phrases that look negative but are not: checked first, then skipped.
const NOT_NEGATIONS = [
  "no change", "no interval change", "no significant change", "no significant interval change",
  "no increase", "no decrease", "not changed", "not only", "not excluded", "not be excluded",
  "cannot be excluded", "can't be excluded", "cannot exclude", "can't exclude", "not ruled out",
  "not be ruled out", "cannot be ruled out", "can't be ruled out", "cannot rule out", "can't rule out",
];
// A cue before the words it negates ("no fracture"), after them ("fracture is not seen"), or both.
const CUES = [
  ["no", "pre"], ["not", "pre"], ["without", "pre"], ["nor", "pre"], ["neither", "pre"],
  ["negative for", "pre"], ["absence of", "pre"], ["free of", "pre"], ["rather than", "pre"],
  ["instead of", "pre"], ["resolution of", "pre"], ["never", "pre"],
  ["not seen", "post"], ["not identified", "post"], ["not present", "post"], ["not demonstrated", "post"],
  ["not visible", "post"], ["not detected", "post"], ["not evident", "post"], ["not appreciated", "post"],
  ["not shown", "post"], ["absent", "post"], ["resolved", "post"], ["has resolved", "post"],
  ["have resolved", "post"], ["ruled out", "post"], ["excluded", "post"], ["disappeared", "post"],
  ["no longer", "both"], ["none", "post"], ["nil", "post"], ["negative", "post"],
];
// Words that end a negation's reach; and, after a comma, words that start a new clause.
const BREAK_WORDS = new Set(["but", "however", "although", "though", "whereas", "except", "apart", "aside",
  "yet", "while", "whilst", "which", "there", "otherwise", "instead", "nevertheless", "nonetheless"]);
const CLAUSE_STARTS = new Set(["the", "a", "an", "this", "these", "that", "it", "its", "there", "with", "in",
  "at", "on", "is", "are", "was", "were", "has", "have", "shows", "showing", "likely", "probably",
  "possibly", "consistent", "suggestive", "suggesting", "which", "and", "also", "mild", "moderate",
  "severe", "marked", "extensive", "small", "large", "minor", "new", "residual", "persistent", "there's"]);
const LIST_WORDS = new Set(["or", "nor", "and"]);
const NEGATABLE = new Set(["finding", "cause", "imaging", "treatment"]);

const phraseKeys = (p) => splitForm(p).map((t) => t.key);
const NOT_NEGATION_KEYS = NOT_NEGATIONS.map(phraseKeys);
const CUE_KEYS = CUES.map(([p, dir]) => [phraseKeys(p), dir]).sort((x, y) => y[0].length - x[0].length);

function phraseAt(tokens, i, keys, covered) {
  if (i + keys.length > tokens.length) return false;
  for (let k = 0; k < keys.length; k++) {
    const t = tokens[i + k];
    if (covered[i + k] || t.key !== keys[k] || (k > 0 && t.kind !== "join")) return false;
  }
  return true;
}

/** The negation cues in ``tokens`` (outside terms): [{first, last, dir}]. */
export function findCues(tokens, covered) {
  const cues = [];
  for (let i = 0; i < tokens.length; i++) {
    if (covered[i]) continue;
    const pseudo = NOT_NEGATION_KEYS.find((keys) => phraseAt(tokens, i, keys, covered));
    if (pseudo) { i += pseudo.length - 1; continue; }
    const cue = CUE_KEYS.find(([keys]) => phraseAt(tokens, i, keys, covered));
    if (cue) { cues.push({ first: i, last: i + cue[0].length - 1, dir: cue[1] }); i += cue[0].length - 1; }
  }
  return cues;
}

/** Token indexes a cue reaches: forward to the end of its clause, or back to its start. */
function reach(tokens, cue) {
  const out = [];
  const lastInClause = cue.last + 1 >= tokens.length || tokens[cue.last + 1].kind === "break";
  // "Effusion: none." / "Fracture: no." - a cue that is all that follows a colon looks back
  const afterColon = tokens[cue.first].kind === "break" && /^[ \t\u00a0]*:[ \t\u00a0]*$/.test(tokens[cue.first].gap);
  const dir = afterColon && lastInClause ? "post" : cue.dir;
  if (dir !== "post") {
    for (let j = cue.last + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.kind === "break" || BREAK_WORDS.has(t.key)) break;
      if (t.kind === "comma") {
        // a list goes on ("no fracture, effusion or bruise"); anything else is a new clause
        const next = tokens[j + 1];
        const starter = (t.key === "and" || t.key === "or") && next && next.kind === "join" ? next : t;
        if (CLAUSE_STARTS.has(starter.key) && starter.key !== "and" && starter.key !== "or") break;
        let list = false;
        for (let k = j; k < tokens.length && (k === j || tokens[k].kind !== "break"); k++) {
          if (LIST_WORDS.has(tokens[k].key)) { list = true; break; }
        }
        if (!list) break;
      }
      if (t.key === "and" && tokens[j + 1] && ["there", "the", "this", "it"].includes(tokens[j + 1].key)) break;
      out.push(j);
    }
  }
  if (dir !== "pre") {
    const crossing = afterColon && lastInClause;
    if (cue.first > 0 && (crossing || !["break", "comma"].includes(tokens[cue.first].kind))) {
      for (let j = cue.first - 1; j >= 0; j--) {
        const t = tokens[j];
        if (BREAK_WORDS.has(t.key)) break;
        out.push(j);
        if (t.kind === "break" || t.kind === "comma" || t.kind === "start") break;
      }
    }
  }
  return out;
}

/** Which found terms the report says are absent (sets ``negated`` on each). */
export function markNegations(tokens, found, byId) {
  const covered = new Array(tokens.length).fill(false);
  for (const f of found) for (let k = f.first; k <= f.last; k++) covered[k] = true;
  const reached = new Set();
  for (const cue of findCues(tokens, covered)) for (const j of reach(tokens, cue)) reached.add(j);
  found.forEach((f, n) => {
    const term = byId.get(f.id);
    f.negated = false;
    if (!term || !NEGATABLE.has(term.category) || !reached.has(f.first)) return;
    // a modifier of the next term ("no STIR hyperintensity") is not itself negated
    const next = found[n + 1];
    if (next && next.first === f.last + 1 && tokens[next.first].kind === "join" &&
        NEGATABLE.has(byId.get(next.id)?.category) && reached.has(next.first)) return;
    f.negated = true;
  });
  return found;
}

/** The sides the report names, in order: "left", "right", "both" (bilateral, both knees...). */
export function findSides(tokens) {
  const sides = [];
  const add = (side) => { if (!sides.includes(side)) sides.push(side); };
  tokens.forEach((t, i) => {
    if (t.key === "left" || t.key === "right") add(t.key);
    else if (t.key === "bilateral" || t.key === "bilaterally") add("both");
    else if (t.key === "both" && tokens[i + 1] && tokens[i + 1].kind === "join" &&
             BOTH_OF.has(tokens[i + 1].key)) add("both");
  });
  return sides;
}
const BOTH_OF = new Set(["sides", "hips", "knees", "ankles", "feet", "legs", "tali", "limbs", "lower"]);

/** The whole analysis of one report: {found, sides}. */
export function analyse(text, index) {
  const tokens = tokenise(text);
  const found = markNegations(tokens, findTerms(tokens, index), index.byId);
  return { found, sides: findSides(tokens) };
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

function readTerms(root) {
  // Material's instant navigation re-creates inline scripts without their attributes,
  // so fall back to the widget's own inline script.
  const script = root.querySelector("script#explainer-terms") || root.querySelector(":scope > script:not([src])");
  try {
    return JSON.parse(script.textContent);
  } catch {
    return null;
  }
}

/** Highlight ``regions`` on the diagram in ``figure`` with the anatomy diagrams' own
 * mechanism (diagrams.js, deferred: it runs just after this module, before any report). */
function highlight(figure, regions) {
  if (window.bmoDiagrams) window.bmoDiagrams.highlight(figure, regions);
}

function setup(root) {
  if (root.dataset.explainerReady) return;
  const terms = readTerms(root);
  if (!Array.isArray(terms)) return;
  root.dataset.explainerReady = "true";
  // nothing heavy before the reader asks: the term index is built on the first report, and the
  // diagrams come out of their <template> the first time a report names one of their parts
  let index = null;
  const $ = (name) => root.querySelector(`[data-explainer-${name}]`);
  const input = $("input"), status = $("status"), area = $("results-area"), output = $("output");
  const list = $("list"), sideNote = $("side"), limit = $("limit");
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
    if (!index) index = buildIndex(terms);
    const { found, sides } = analyse(text, index);

    // the report, with each recognised word marked
    const negatedNote = "explainer-note-absent";
    const parts = [];
    let at = 0;
    for (const f of found) {
      parts.push(text.slice(at, f.start));
      const mark = el("mark", { "data-term": f.id, "data-negated": String(f.negated),
        "aria-describedby": (f.negated ? negatedNote + " " : "") + `explainer-desc-${f.id}` },
        text.slice(f.start, f.end));
      parts.push(mark);
      at = f.end;
    }
    parts.push(text.slice(at));
    output.replaceChildren(...parts, el("span", { id: negatedNote, hidden: "" },
      "The report says this is not present."));

    // the list, in order of first appearance; negated only when every mention is
    const order = [];
    const seen = new Map();
    for (const f of found) {
      if (!seen.has(f.id)) { seen.set(f.id, { negated: true, wrote: text.slice(f.start, f.end) }); order.push(f.id); }
      if (!f.negated) seen.get(f.id).negated = false;
    }
    list.replaceChildren(...order.map((id) => {
      const term = index.byId.get(id);
      const info = seen.get(id);
      const head = el("p", { class: "explainer__term" }, el("strong", {}, term.term));
      if (normalise(info.wrote) !== normalise(term.term)) head.append(" ", el("span", { class: "explainer__wrote" }, `(“${info.wrote}”)`));
      if (info.negated) head.append(" ", el("span", { class: "explainer__absent" }, "(not present in this report)"));
      return el("li", { "data-term-item": id, "data-negated": String(info.negated), id: `explainer-item-${id}` },
        head,
        el("p", { id: `explainer-desc-${id}`, class: "explainer__desc" }, term.explanation),
        el("p", { class: "explainer__more" }, el("a", { href: term.href }, `Read more about ${inSentence(term.term)}`)));
    }));

    // side
    sideNote.hidden = !sides.length;
    const names = sides.map((s) => (s === "both" ? "both sides" : s));
    sideNote.textContent = names.length === 1 ? `Side mentioned: ${names[0]}.` :
      names.length ? `Sides mentioned: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}.` : "";

    // diagrams: every part named (also where the report says something is absent there)
    const bySite = new Map();
    for (const f of found) {
      const term = index.byId.get(f.id);
      if (!term.diagram || !term.regions) continue;
      if (!bySite.has(term.diagram)) bySite.set(term.diagram, new Set());
      for (const r of term.regions) bySite.get(term.diagram).add(r);
    }
    if (hasDiagrams && (diagrams || bySite.size)) {
      showDiagrams();
      let any = false;
      for (const site of diagrams.querySelectorAll("[data-explainer-site]")) {
        const regions = [...(bySite.get(site.dataset.explainerSite) || [])];
        site.hidden = !regions.length;
        any = any || regions.length > 0;
        highlight(site, regions);
      }
      diagrams.hidden = !any;
      const note = diagrams.querySelector("[data-explainer-diagram-note]");
      if (note) {
        note.textContent = "The coloured areas show where these parts of the body are. " +
          "They do not show what the report found there." +
          (sides.includes("left") ? " The drawings show the right side: your left side is its mirror image." : "");
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
