/* Runs before the theme's bundle (both deferred, in this order; see overrides/main.html); a file,
 * so the Content-Security-Policy needs no 'unsafe-inline'. Why each part: README, Benchmark.
 * 1. SVG links (read-only `href`) get a setter, so the theme's instant navigation, which
 *    re-assigns every relative link, does not throw on the diagrams' links.
 * 2. The search worker and index wait until the reader reaches for search (hover or focus on
 *    the search box, / or s, or ?h= from a search result).
 * 3. Stylesheet links keep their relative address until instant navigation first parses a page
 *    to swap in (re-assigning them as a page starts restyles the whole page); then they get
 *    exactly the address the theme gave them, so its <head> comparison matches.
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
        // only the same address, made absolute, for a stylesheet of this page (not the icon:
        // the browser reads it again when the page's address changes)
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
      var doc = parse.apply(this, arguments);
      // a page of the site, to be swapped in (not, say, the explainer's data document)
      if (held && type === "text/html" && doc.querySelector("[data-md-component=container]")) {
        var links = held;
        held = null;
        links.forEach(function (l) { if (l[0].getAttribute("href") !== l[1]) l[0].setAttribute("href", l[1]); });
      }
      return doc;
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

  // a stand-in for the search worker queues postMessage and listeners until search is wanted
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
