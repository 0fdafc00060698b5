/* Site search: the theme's own search (lunr, in this web worker), taught the readers' words.

   search.js starts this file instead of the theme's search worker and passes the theme
   worker's address (?material=...). This file loads the theme's worker the first time
   search is used, and then only changes what goes in and out of it:

   - when the index arrives (the reader has reached for search), it reads the word list
     built from data/terms.yaml (../data/search-terms.json) and gives each page or section
     that a term links to a "keywords" field: the term's headword, variants, abbreviations,
     everyday phrases ("bruised bone", "bone swelling") and UK/US spellings;
   - each query is rewritten: small words ("can", "is", "it") are dropped; each word is
     searched as typed (prefix, as the theme does) and stemmed ("bruised" finds "bruise";
     the index is stemmed by the `pipeline` setting in mkdocs.yml); a query that uses a
     term's form also searches the term's headword; US and UK spellings search each other;
     a word that is nowhere in the index (a typing slip) is searched with one letter of
     tolerance (lunr's "~1"), so exact matches rank as before;
   - each result lists the reader's own words (no "Missing:" line of internal terms, and
     the ?h= highlight uses the reader's words), suggestions are whole words, and an empty
     result carries the closest glossary terms for the "no results" message (search.js).

   Everything stays in the browser; the only requests are to this site. */
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, RESULT = 3;           // the theme's SearchMessageType
  var KEYWORD_BOOST = 300, RELATED_BOOST = 100;   // the theme's boosts: title 1000, text 1
  var MAX_RELATED = 8;                           // pages
  var DATA_URL = new URL("../data/search-terms.json", self.location.href).href;
  var post = self.postMessage;
  var listeners = [], lunr = null, plain = false, index = null, vocab = null;
  var data = null, surface = {}, pending = [];

  /* The theme's worker, loaded on the first message; its message listener is kept and
     called from here, so every message passes through this file first. */
  function loadTheme() {
    if (lunr || plain) return;
    var url = new URL(new URL(self.location.href).searchParams.get("material") || "", self.location.href);
    if (url.origin !== self.location.origin || !/\/workers\/search\.[\w.-]+\.js$/.test(url.pathname))
      throw new Error("not the theme's search worker: " + url);
    var add = self.addEventListener;
    self.addEventListener = function (type, fn, options) {
      if (type === "message") listeners.push(fn); else add.call(self, type, fn, options);
    };
    try { importScripts(url.href); } finally { self.addEventListener = add; }
    if (typeof self.onmessage === "function") { listeners.push(self.onmessage); self.onmessage = null; }
    /* Another engine's worker (Zensical's search is not lunr): pass every message through. */
    if (!self.lunr || !self.lunr.Builder) { plain = true; return; }
    lunr = self.lunr;
    var build = lunr.Builder.prototype.build;
    lunr.Builder.prototype.build = function () {
      index = build.apply(this, arguments);
      vocab = null;
      return index;
    };
  }

  function normalise(text) {                     // as generators/site/search.py normalise()
    return String(text).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function words(text) { var n = normalise(text); return n ? n.split(" ") : []; }
  function stem(word) { return lunr.stemmer(new lunr.Token(word)).toString(); }
  function stemmed(phrase) { return words(phrase).map(stem).join(" "); }
  function isStop(word) { return !lunr.stopWordFilter(new lunr.Token(word)); }

  function loadData() {
    try {
      var request = new XMLHttpRequest();
      request.open("GET", DATA_URL, false);     // synchronous: allowed in a worker
      request.send();
      if (request.status !== 200) return null;
      var raw = JSON.parse(request.responseText), phrases = {}, longest = 1;
      raw.terms.forEach(function (term, i) {
        term.forms.forEach(function (form) {
          var key = stemmed(form);
          if (!key) return;
          (phrases[key] = phrases[key] || []).indexOf(i) < 0 && phrases[key].push(i);
          longest = Math.max(longest, key.split(" ").length);
        });
      });
      return { terms: raw.terms, spellings: raw.spellings, phrases: phrases, longest: longest };
    } catch (err) {
      return null;                                // search still works, without the word list
    }
  }

  /* Setup: keywords for the pages the terms link to, and whole words for suggestions. */
  function setup(message) {
    data = loadData();
    var docs = message.data.docs, byLocation = {};
    docs.forEach(function (doc) {
      byLocation[doc.location] = doc;
      words(String(doc.title).replace(/<[^>]*>/g, " ")).forEach(function (word) {
        var s = stem(word);
        if (!surface[s] || word.length < surface[s].length) surface[s] = word;
      });
    });
    if (!data) return;
    var keywords = {};
    data.terms.forEach(function (term) {
      var href = term.href === "./" ? "" : term.href;
      var doc = byLocation[href] || byLocation[href.split("#")[0]];
      if (!doc) return;
      var set = keywords[doc.location] = keywords[doc.location] || {};
      term.forms.forEach(function (form) { words(form).forEach(function (w) { set[w] = true; }); });
    });
    /* Pages and sections titled with a term ("Injury and bone bruises") get its words too,
       with less weight; not for a term in so many titles that it points nowhere. */
    var related = {}, titles = docs.map(function (doc) {
      return " " + stemmed(String(doc.title).replace(/<[^>]*>/g, " ")) + " ";
    });
    data.terms.forEach(function (term) {
      var head = " " + stemmed(term.term) + " ";
      var hits = docs.filter(function (doc, i) { return titles[i].indexOf(head) >= 0; });
      var pages = {};
      hits.forEach(function (doc) { pages[doc.location.split("#")[0]] = true; });
      if (Object.keys(pages).length > MAX_RELATED) return;
      hits.forEach(function (doc) {
        var set = related[doc.location] = related[doc.location] || {};
        term.forms.forEach(function (form) { words(form).forEach(function (w) { set[w] = true; }); });
      });
    });
    Object.keys(keywords).forEach(function (location) {
      byLocation[location].keywords = Object.keys(keywords[location]).join(" ");
    });
    Object.keys(related).forEach(function (location) {
      byLocation[location].related = Object.keys(related[location]).join(" ");
    });
    message.data.config.fields.keywords = { boost: KEYWORD_BOOST };
    message.data.config.fields.related = { boost: RELATED_BOOST };
  }

  /* Is the word in the index, as typed (a prefix of an indexed word) or stemmed? */
  function known(word) {
    if (!index) return true;
    if (!vocab) vocab = Object.keys(index.invertedIndex).sort();
    if (Object.prototype.hasOwnProperty.call(index.invertedIndex, stem(word))) return true;
    var lo = 0, hi = vocab.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab[mid] < word) lo = mid + 1; else hi = mid; }
    return lo < vocab.length && vocab[lo].indexOf(word) === 0;
  }

  function otherSpellings(word) {
    var out = [];
    (data ? data.spellings : []).forEach(function (pair) {
      for (var k = 0; k < 2; k++) {
        var a = pair[k], b = pair[1 - k];
        if (word.indexOf(a) === 0 && !(k === 1 && word.indexOf(pair[0]) === 0)) out.push(b + word.slice(a.length));
      }
    });
    return out;
  }

  /* Terms whose forms appear in the query (longest phrases first), and the words they cover. */
  function findTerms(list) {
    var found = [], covered = {};
    if (!data) return { terms: found, covered: covered };
    var stems = list.map(stem);
    for (var n = Math.min(data.longest, stems.length); n > 0; n--)
      for (var i = 0; i + n <= stems.length; i++) {
        var hits = data.phrases[stems.slice(i, i + n).join(" ")];
        if (!hits) continue;
        hits.forEach(function (t) { if (found.indexOf(t) < 0) found.push(t); });
        for (var j = i; j < i + n; j++) covered[list[j]] = true;
      }
    return { terms: found, covered: covered };
  }

  function rewrite(value) {
    var all = words(value);
    var mine = all.filter(function (w) { return !isStop(w); });
    if (!mine.length) mine = all;
    var clauses = [], seen = {};
    function add(clause) { if (!seen[clause]) { seen[clause] = true; clauses.push(clause); } }
    var terms = findTerms(all.length > mine.length ? all : mine);
    var more = findTerms(mine);
    more.terms.forEach(function (t) { if (terms.terms.indexOf(t) < 0) terms.terms.push(t); });
    Object.keys(more.covered).forEach(function (w) { terms.covered[w] = true; });

    mine.forEach(function (w) {
      if (w.length >= 3) add(w);                  // as typed: the theme adds "*" (prefix)
      add(w + "^2");                              // stemmed, whole word
      var variants = otherSpellings(w);
      variants.forEach(function (v) { add(v + "^2"); });
      if (w.length >= 4 && !terms.covered[w] && !known(w) && !variants.some(known))
        add(w + "~1");                            // nowhere in the index: allow one slip
    });
    terms.terms.forEach(function (t) {
      words(data.terms[t].term).forEach(function (w) { if (!isStop(w)) add(w + "^1"); });
    });
    return { value: value, query: clauses.join(" "), words: mine };
  }

  /* Damerau-Levenshtein distance (optimal string alignment), for the closest terms. */
  function distance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++)
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[a.length][b.length];
  }

  function closest(list) {
    if (!data || !list.length) return [];
    var targets = [list.join(" ")].concat(list.length > 1 ? list : []);
    var scored = [];
    data.terms.forEach(function (term) {
      var best = Infinity;
      term.forms.forEach(function (form) {
        targets.forEach(function (q) {
          if (q.length < 3) return;
          var cut = form.length > q.length + 3 ? form.slice(0, q.length) : form;   // "osteomy" ~ "osteomyelitis"
          best = Math.min(best, distance(q, form) / Math.max(q.length, form.length),
                          cut === form ? Infinity : (distance(q, cut) + 0.5) / q.length);
        });
      });
      if (best <= 0.4) scored.push({ term: term.term, href: term.href, score: best });
    });
    scored.sort(function (a, b) { return a.score - b.score || (a.term < b.term ? -1 : 1); });
    return scored.slice(0, 3).map(function (s) { return { term: s.term, href: s.href }; });
  }

  /* A section whose heading has every one of the reader's words is shown under its page,
     not folded away under "N more on this page": it is the deep link the reader wants. */
  function promoteSections(group, stems) {
    if (!stems.length) return group;
    var top = group.reduce(function (max, item) { return Math.max(max, item.score); }, 0);
    group.forEach(function (item) {
      if (item.location.indexOf("#") < 0) return;
      var title = words(String(item.title).replace(/<[^>]*>/g, " ")).map(stem);
      if (stems.every(function (s) { return title.indexOf(s) >= 0; })) item.score = top;
    });
    return group.slice().sort(function (a, b) { return b.score - a.score; });
  }

  function tidy(result, query) {
    var terms = {};
    result.bmo = { query: query.value };
    query.words.forEach(function (w) { terms[w] = true; });
    var stems = query.words.filter(function (w) { return !isStop(w); }).map(stem);
    result.items = result.items.map(function (group) {
      group.forEach(function (item) { item.terms = terms; });
      return promoteSections(group, stems);
    });
    if (result.suggest)
      result.suggest = result.suggest.map(function (s) { return surface[s]; }).filter(Boolean);
    if (!result.items.length) result.bmo.closest = closest(query.words);
  }

  self.postMessage = function (message) {
    if (!plain && message && message.type === RESULT && pending.length) tidy(message.data, pending.shift());
    return post.apply(self, arguments);
  };

  self.addEventListener("message", function (ev) {
    loadTheme();
    var message = ev.data;
    if (plain) message = null;
    if (message && message.type === SETUP) setup(message);
    if (message && message.type === QUERY) {
      var rewritten = rewrite(message.data);
      pending.push(rewritten);
      message.data = rewritten.query;
    }
    listeners.forEach(function (fn) { fn.call(self, ev); });
  });
})();
