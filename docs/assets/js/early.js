/* Runs before the theme's bundle (both deferred, in this order; see overrides/main.html).
 * An external file, not inline script, so that a Content-Security-Policy needs no 'unsafe-inline'.
 *
 * 1. Links inside the inline SVG diagrams are <a href> (SVG 2). On every page load the theme's
 *    instant navigation re-assigns each relative link's `href` to itself, which throws on SVG
 *    links (their `href` is read-only) and stops it half-way. Give SVG links a setter that takes
 *    a string and ignores the rest.
 * 2. Search waits for the reader. The theme starts its search worker (12 kB) and fetches the
 *    search index (the text of every page, over 100 kB compressed) as soon as any page opens.
 *    Both are held back until the reader reaches for search (hovers or focuses the search box,
 *    or presses / or s, which focuses it), or arrives from a search result (?h=, which
 *    highlights the words). Nothing else about search changes.
 * 3. The stylesheets are not taken again as a page starts. Instant navigation also re-assigns
 *    the relative address of every link in the open page to itself, made absolute, so that what
 *    it keeps when it swaps pages (the header, the <head>) still points where it did. For a
 *    stylesheet's <link> in the <head>, that change makes the browser take it again and
 *    recalculate the style and layout of the whole page: on /knee/ on a phone, the largest task
 *    left as the page started (README, Benchmark). These links keep their relative address
 *    until the theme parses the first page it is going to swap in (with DOMParser, before it
 *    compares <head> elements by their markup); then each gets exactly the address the theme
 *    gave it, so the comparison matches as before and no stylesheet is reloaded.
 */
(function () {
  "use strict";

  var d = window.SVGAElement && Object.getOwnPropertyDescriptor(SVGAElement.prototype, "href");
  if (d && d.get && !d.set) {
    Object.defineProperty(SVGAElement.prototype, "href", {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (value) { if (typeof value === "string") this.setAttribute("href", value); }
    });
  }

  var held = [], link = window.HTMLLinkElement && Object.getOwnPropertyDescriptor(HTMLLinkElement.prototype, "href");
  if (link && link.get && link.set && window.DOMParser) {
    Object.defineProperty(HTMLLinkElement.prototype, "href", {
      configurable: true, enumerable: link.enumerable, get: link.get,
      set: function (value) {
        // only the no-op re-assignment (the same address, made absolute) of a stylesheet's link
        // in this page (the others cost nothing, and the browser reads the icon's again as soon
        // as the address of the page changes)
        if (held && this.ownerDocument === document && /(^|\s)stylesheet(\s|$)/i.test(this.rel) &&
            String(value) === link.get.call(this)) {
          held.push([this, String(value)]);
        } else {
          link.set.call(this, value);
        }
      }
    });
    var parse = DOMParser.prototype.parseFromString;
    DOMParser.prototype.parseFromString = function (text, type) {
      if (held && type === "text/html") {
        var links = held;
        held = null;
        links.forEach(function (l) { if (l[0].getAttribute("href") !== l[1]) l[0].setAttribute("href", l[1]); });
      }
      return parse.apply(this, arguments);
    };
  }

  var start, wanted = new Promise(function (resolve) { start = resolve; });
  if (/[?&]h=/.test(location.search)) start();
  function maybe(event) {
    var t = event.target;
    if (t && t.closest && t.closest(".md-search, label[for='__search']")) start();
  }
  document.addEventListener("focusin", maybe, true);
  document.addEventListener("pointerover", maybe, true);
  document.addEventListener("touchstart", maybe, { capture: true, passive: true });

  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.bmoLater = /\/search\/search_index\.json$/.test(String(url).split("?")[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (!request.bmoLater) return send.apply(request, args);
    wanted.then(function () { send.apply(request, args); });
  };

  // The theme talks to its search worker with postMessage and "message" events only: a stand-in
  // queues both until search is wanted, then hands them to the real worker.
  var RealWorker = window.Worker;
  if (!RealWorker) return;
  function LaterWorker(url, options) {
    var self = this, queue = [], listeners = [], real = null;
    this.postMessage = function (message) { if (real) real.postMessage(message); else queue.push(message); };
    this.addEventListener = function (type, fn, opts) {
      if (real) real.addEventListener(type, fn, opts); else listeners.push([type, fn, opts]);
    };
    this.removeEventListener = function (type, fn, opts) {
      if (real) real.removeEventListener(type, fn, opts);
      else listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== fn; });
    };
    var ended = false;
    this.terminate = function () { ended = true; if (real) real.terminate(); };
    wanted.then(function () {
      if (ended) return;
      real = new RealWorker(url, options);
      listeners.forEach(function (l) { real.addEventListener(l[0], l[1], l[2]); });
      if (self.onmessage) real.onmessage = self.onmessage;
      queue.forEach(function (m) { real.postMessage(m); });
      queue = listeners = null;
    });
  }
  window.Worker = function (url, options) {
    // the theme's search worker, or our own that wraps it (assets/js/search-worker.js, if present)
    return /\/(workers\/search\.[^/]*|search-worker)\.js$/.test(String(url).split("?")[0])
      ? new LaterWorker(url, options) : new RealWorker(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
