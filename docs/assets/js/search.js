/* Site search, page side. The theme's search runs in a web worker; this file starts
   search-worker.js (beside it) in its place, which loads the theme's worker and teaches it
   the readers' words (see that file). It also shows a helpful message when nothing
   matches: the Glossary, When to get help and the closest terms we explain.

   It must run before the theme's bundle, which starts the search worker as it loads
   (docs/overrides/main.html loads it just before). Under another engine, or if
   the theme's worker is not the one asked for, it changes nothing. */
(function () {
  "use strict";
  var Native = window.Worker, script = document.currentScript;
  if (!Native || !script || !script.src) return;
  var here = script.src;
  var site = new URL("../../", here);             // this file is assets/js/search.js

  function SearchWorker(url, options) {
    var target = new URL(String(url), location.href);
    if (target.origin !== location.origin || !/\/workers\/search\.[\w.-]+\.js$/.test(target.pathname))
      return new Native(url, options);
    var worker = new Native(new URL("search-worker.js?material=" + encodeURIComponent(target.href), here).href,
                            options);
    worker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === 3) show(ev.data.data);   // a result (SearchMessageType)
    });
    return worker;
  }
  SearchWorker.prototype = Native.prototype;
  window.Worker = SearchWorker;

  function link(href, text) {
    var a = document.createElement("a");
    a.href = new URL(href, site).href;
    a.textContent = text;
    return a;
  }

  function item(list, a, rest) {
    var li = document.createElement("li");
    li.appendChild(a);
    li.appendChild(document.createTextNode(rest));
    list.appendChild(li);
  }

  /* The message sits between the theme's result count and its result list. */
  function box() {
    var result = document.querySelector("[data-md-component=search-result]");
    if (!result) return null;
    var el = result.querySelector(".bmo-search-help");
    if (!el) {
      el = document.createElement("div");
      el.className = "bmo-search-help";
      el.setAttribute("role", "status");          // read out when it appears
      el.hidden = true;
      result.insertBefore(el, result.lastElementChild);
    }
    return el;
  }

  function show(result) {
    if (!result || !result.bmo || !result.items) return;   // not our worker's answer
    var el = box();
    if (!el) return;
    /* which query these results answer: the state tests (and scripts) can wait for */
    el.parentNode.setAttribute("data-bmo-query", result.bmo.query);
    var input = document.querySelector("[data-md-component=search-query]");
    var value = input ? input.value.trim() : "";
    el.hidden = !(value && !result.items.length);
    if (el.hidden) return;
    el.textContent = "";
    var p = document.createElement("p");
    p.textContent = "Nothing on this site matches \u201c" + value + "\u201d. Check the spelling, or try " +
                    "fewer or other words.";
    el.appendChild(p);
    var closest = (result.bmo && result.bmo.closest) || [];
    if (closest.length) {
      var near = document.createElement("p");
      near.className = "bmo-search-help__closest";
      near.appendChild(document.createTextNode("Closest words we explain: "));
      closest.forEach(function (term, i) {
        if (i) near.appendChild(document.createTextNode(", "));
        near.appendChild(link(term.href, term.term));
      });
      el.appendChild(near);
    }
    var list = document.createElement("ul");
    item(list, link("glossary/", "Glossary"), ": every word we explain, from A to Z.");
    item(list, link("when-to-get-help/", "When to get help"), ": warning signs and who to contact.");
    el.appendChild(list);
  }
})();
