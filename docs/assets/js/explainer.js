// "Explain my report": marks the words of a pasted MRI report that the glossary knows,
// lists them with their explanations and what the report says of each (there, not there,
// normal, not sure), and shows on the diagrams the parts it names: as a finding, as normal
// or as uncertain, narrowed by the report's location words ("posterolateral", "second").
//
// Everything happens on the reader's device: the report is never sent and nothing is stored.
// The report is shown back with DOM nodes and textContent only (never innerHTML). What the
// tool needs once there is a report (the terms, built from data/terms.yaml, the reading words
// of data/report-words.yaml and the site diagrams) is a small document of the site's own
// (the widget's data-explainer-data; generators/site/explainer.py writes it), fetched the
// first time the reader reaches for the text box: the page itself stays light. The reading
// itself is explainer-reading.js, imported at the same moment.

const MAX_CHARS = 20000;
const DELAY_MS = 300;

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

// --- the widget's data, fetched on first use --------------------------------------------------

const loads = new Map();   // data document's address -> Promise of {terms, words, diagrams, styles, scripts}

function parseData(text) {
  const doc = new DOMParser().parseFromString(text, "text/html");   // nothing in it runs
  const json = (id) => { try { return JSON.parse(doc.getElementById(id).textContent); } catch { return null; } };
  const terms = json("explainer-terms");
  if (!Array.isArray(terms)) throw new Error("no terms in the explainer's data");
  // (its addresses are written for the page that shows the widget: used as they are)
  const attrs = (selector, name) => [...doc.querySelectorAll(selector)].map((n) => n.getAttribute(name));
  return { terms, words: json("explainer-words") || {}, diagrams: doc.querySelector("[data-explainer-diagrams]"),
           styles: attrs('link[rel="stylesheet"][href]', "href"), scripts: attrs("script[src]", "src") };
}

function loadData(src) {
  const url = new URL(src, document.baseURI).href;
  if (!loads.has(url)) {
    const load = fetch(url, { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(`${r.status}`); return r.text(); })
      .then(parseData);
    load.catch(() => loads.delete(url));   // the next try fetches again
    loads.set(url, load);
  }
  return loads.get(url);
}

// the diagrams' stylesheets and script, once in the page (instant navigation keeps a script
// loaded, but drops a stylesheet with the content it came with)
function addOnce(tag, address, where) {
  const url = new URL(address, document.baseURI).href;
  const key = tag === "link" ? "href" : "src";
  if ([...document.querySelectorAll(`${tag}[${key}]`)].some((n) => n[key] === url)) return Promise.resolve();
  return new Promise((done) => {
    const node = document.createElement(tag);
    if (tag === "link") node.rel = "stylesheet";
    node.addEventListener("load", done);
    node.addEventListener("error", done);   // the words still work without it
    node[key] = url;
    where.append(node);
  });
}

const FAILED = "The explainer could not load its word list, so it cannot read your report yet. " +
  "Check your internet connection, then press Explain to try again.";

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

const READING = "./explainer-reading.js";   // (resolved from this module's own address)

function setup(root) {
  if (root.dataset.explainerReady || !root.dataset.explainerData) return;
  root.dataset.explainerReady = "true";
  // nothing heavy before the reader asks: the data is fetched when the reader first reaches
  // for the text box, the term index and the reading words are built on the first report, and
  // the diagrams join the page the first time a report names one of their parts
  let data = null, engine = null, loading = null, index = null, words = null;
  const $ = (name) => root.querySelector(`[data-explainer-${name}]`);
  const input = $("input"), status = $("status"), area = $("results-area"), output = $("output");
  const list = $("list"), sideNote = $("side"), limit = $("limit");
  const unknownNote = $("unknown");
  let diagrams = null;
  function showDiagrams() {
    if (!diagrams && data.diagrams) {
      diagrams = document.importNode(data.diagrams, true);
      for (const details of diagrams.querySelectorAll(".explainer__site details")) details.open = false;
      $("tool").append(diagrams);
    }
    return diagrams;
  }
  function load() {
    if (!loading) {
      loading = Promise.all([loadData(root.dataset.explainerData), import(READING)])
        .then(([d, m]) => Promise.all([...d.styles.map((a) => addOnce("link", a, root)),
                                       ...d.scripts.map((a) => addOnce("script", a, document.body))]).then(() => [d, m]))
        .then(([d, m]) => {
          data = d;
          engine = m;
          root.dataset.explainerLoaded = "true";
          if (input.value) { shown = null; render(); }
        }, () => {
          loading = null;
          if (input.value.trim()) status.textContent = FAILED;
        });
    }
    return loading;
  }
  input.addEventListener("focus", load, { once: true });

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
    if (!data) { load(); return; }   // renders when the data is in
    if (!index) {
      index = engine.buildIndex(data.terms);
      words = engine.buildWords(data.words);
    }
    const { found, sides, parts, regions, unknown } = engine.analyse(text, index, words);
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
      if (engine.normalise(info.wrote) !== engine.normalise(term.term)) head.append(" ", el("span", { class: "explainer__wrote" }, `(“${info.wrote}”)`));
      if (info.negated) head.append(" ", el("span", { class: "explainer__absent" }, "(not present in this report)"));
      const item = el("li", { "data-term-item": id, "data-negated": String(info.negated), id: `explainer-item-${id}` }, head,
        el("p", { id: `explainer-desc-${id}`, class: "explainer__desc" }, term.explanation));
      // what the report says about it
      const isPart = partStates.has(id);
      const isWhat = !isPart && !words.whatNot.has(id) && (engine.WHAT.has(term.category) || words.whatAlso.has(id));
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
    if (data.diagrams && (diagrams || regions.size)) {
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
