/* Performance: the theme fetches the search index (the text of every page, over 100 kB
   compressed) as soon as any page opens. Hold that request back until the reader reaches
   for search (hovers or focuses the search box, or presses / or s), or arrives from a
   search result (?h=, which highlights the words). Nothing else changes. */
(function () {
  var start, wanted = new Promise(function (resolve) { start = resolve; });
  if (/[?&]h=/.test(location.search)) start();
  function maybe(event) {
    var t = event.target;
    if (t && t.closest && t.closest(".md-search, label[for='__search']")) start();
  }
  document.addEventListener("focusin", maybe, true);
  document.addEventListener("pointerover", maybe, true);
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
})();
