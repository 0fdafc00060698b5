/* Tooltips: a glossary term's explanation, and a footnote's source, on hover, keyboard focus or
 * (terms) tap, instead of the theme's content.tooltips and content.footnote.tooltips, which set
 * up a tooltip on every [title] and every footnote link as the page started (README, Benchmark).
 * Nothing runs until the reader reaches for one. A term's explanation (data/terms.yaml, by
 * strangers) is shown as text, never HTML; a footnote's is a copy of the page's own footnote
 * (its nodes, not its markup). Tapping or pressing a footnote number still goes to the footnote.
 * WCAG 1.4.13: Escape hides it; the pointer can move onto it; it stays until the pointer leaves
 * both, the focus leaves the term, or a tap elsewhere. See overrides/main.html. */
(function () {
  "use strict";

  var TERM = ".md-content abbr[title]", NOTE = ".md-content a.footnote-ref";
  var tip = null, host = null, text = "", pinned = false, timer = 0;

  function termOf(node) {
    if (!node || !node.closest) return null;
    return host && host.contains(node) ? host : node.closest(TERM + "," + NOTE);   // the shown term has no title
  }

  // a footnote's text and links, copied from the page (without its links back and its ids)
  function note(ref) {
    var li = ref.hash && document.getElementById(decodeURIComponent(ref.hash.slice(1)));
    if (!li) return null;
    var copy = li.cloneNode(true);
    copy.querySelectorAll(".footnote-backref").forEach(function (a) { a.remove(); });
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    return Array.prototype.slice.call(copy.childNodes);
  }

  function make() {
    tip = document.createElement("div");
    tip.id = "bmo-tooltip";
    tip.className = "bmo-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    document.body.appendChild(tip);
  }

  function place() {
    var margin = 8, gap = 6;
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var origin = tip.getBoundingClientRect();   // where (0, 0) is (the page, scrolled)
    var term = host.getClientRects()[0] || host.getBoundingClientRect();   // a wrapped term: its first line
    var w = origin.width, h = origin.height;
    var x = Math.max(margin, Math.min(term.left + term.width / 2 - w / 2, vw - w - margin));
    var below = term.bottom + gap;
    var y = below + h > vh - margin && term.top - gap - h >= margin ? term.top - gap - h : below;
    tip.classList.toggle("bmo-tooltip--above", y < term.top);
    tip.style.left = Math.round(x - origin.left) + "px";
    tip.style.top = Math.round(y - origin.top) + "px";
  }

  function show(term, pin) {
    clearTimeout(timer);
    if (pin) pinned = true;
    if (term === host) return;
    hide();
    if (!tip || !tip.isConnected) make();
    var isNote = term.matches(NOTE), nodes = isNote ? note(term) : null;
    if (isNote && !nodes) return;
    host = term;
    if (isNote) {
      text = null;
      tip.replaceChildren.apply(tip, nodes);
    } else {
      text = term.getAttribute("title");
      term.removeAttribute("title");
      tip.textContent = text;
    }
    tip.classList.toggle("bmo-tooltip--note", isNote);
    term.setAttribute("aria-describedby", tip.id);
    tip.hidden = false;
    place();
  }

  function hide() {
    clearTimeout(timer);
    pinned = false;
    if (!host) return;
    if (text !== null) host.setAttribute("title", text);
    host.removeAttribute("aria-describedby");
    host = null;
    tip.hidden = true;
    tip.textContent = "";
  }

  function later() {
    clearTimeout(timer);
    if (host && !pinned) timer = setTimeout(hide, 300);
  }

  document.addEventListener("pointerover", function (event) {
    var term = termOf(event.target);
    if (term) show(term, false);
    else if (host && tip.contains(event.target)) clearTimeout(timer);
    else later();
  }, { passive: true });
  document.addEventListener("pointerout", function (event) {
    if (!event.relatedTarget) later();   // the pointer left the window
  }, { passive: true });
  document.addEventListener("focusin", function (event) {
    var term = termOf(event.target);
    if (term) show(term, true);
    else if (host) hide();
  });
  document.addEventListener("focusout", function (event) {
    if (host && event.target === host && !termOf(event.relatedTarget)) hide();
  });
  document.addEventListener("click", function (event) {
    var term = termOf(event.target);
    if (term && term.matches(NOTE)) hide();   // the link goes on to the footnote
    else if (term) show(term, true);
    else if (host && !tip.contains(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (host && (event.key === "Escape" || event.key === "Esc")) hide();
  });
  window.addEventListener("popstate", hide);
  window.addEventListener("resize", function () { if (host) place(); });
  window.addEventListener("beforeprint", hide);
})();
