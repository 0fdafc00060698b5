/* Anatomy diagrams: progressive enhancement of the figures built by generators/anatomy.py.
 *
 * Without this script every region is a plain link to its section, its <title> shows
 * on hover, and the text list under the diagram says everything. With it:
 * - a details panel shows the hovered, focused or tapped region (WCAG 1.4.13: it stays
 *   until Escape, the close button or another region; the pointer can move onto it);
 * - on touch, a tap on a region selects it and explains it in the panel (just under the
 *   drawing, kept in view by CSS while open; scrolled to only if still off screen); the
 *   reader leaves the diagram only by the panel's "Read more" link. A mouse click or
 *   Enter still follows the region's link;
 * - a figure may hold two variants of the drawing (wide and narrow, CSS shows one): both
 *   are driven together;
 * - the cause buttons (revealed here) highlight one pattern's regions at a time and
 *   explain the pattern in the panel.
 * Initialised through Material's document$ (instant navigation), else on DOMContentLoaded;
 * figures are marked, so running twice does nothing more.
 */
(function () {
  "use strict";

  var HINT = "Point to, tap or Tab to a part of the diagram to read about it.";

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // "Lateral femoral condyle" -> "lateral femoral condyle", but "ACL tear" stays
  function inSentence(label) {
    return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  }

  function make(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content) el.textContent = content;
    return el;
  }

  function setup(figure) {
    if (figure.hasAttribute("data-diagram-ready")) return;
    var svgs = Array.prototype.slice.call(figure.querySelectorAll("svg[data-diagram]"));
    var panel = figure.querySelector("[data-diagram-panel]");
    if (!svgs.length || !panel) return;
    figure.setAttribute("data-diagram-ready", "");

    var regions = Array.prototype.slice.call(figure.querySelectorAll("svg[data-diagram] a[data-region]"));
    var buttons = Array.prototype.slice.call(figure.querySelectorAll("button[data-pattern]"));
    var byId = {};
    regions.forEach(function (a) {
      if (!byId[a.getAttribute("data-region")]) byId[a.getAttribute("data-region")] = a;
    });
    function active(id) {   // marks the pattern on every variant of the drawing
      svgs.forEach(function (svg) {
        if (id) svg.setAttribute("data-active-pattern", id);
        else svg.removeAttribute("data-active-pattern");
      });
    }

    // what the panel says, read from the text alternative (one source of truth)
    function regionInfo(id) {
      var item = figure.querySelector('[data-region-item="' + id + '"]');
      var link = item && item.querySelector("a");
      return {
        label: text(link) || id,
        description: text(item && item.querySelector(".bmo-diagram__desc")),
        href: byId[id] ? byId[id].getAttribute("href") : link && link.getAttribute("href")
      };
    }
    function patternInfo(id) {
      var item = figure.querySelector('[data-pattern-item="' + id + '"]');
      var link = item && item.querySelector("a");
      return {
        label: text(link) || id,
        explanation: text(item && item.querySelector(".bmo-diagram__desc")),
        href: link && link.getAttribute("href")
      };
    }

    var current = null;       // region id shown in the panel
    var pressed = null;       // pattern button pressed

    function fill(title, lines, href, linkText) {
      panel.textContent = "";
      var close = make("button", "bmo-diagram__close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Close the details");
      close.addEventListener("click", function () { dismiss(true); });
      panel.appendChild(close);
      panel.appendChild(make("p", "bmo-diagram__panel-title", title));
      lines.forEach(function (line) { if (line) panel.appendChild(make("p", null, line)); });
      if (href) {
        var p = make("p");
        var a = make("a", null, linkText);
        a.href = href;
        p.appendChild(a);
        panel.appendChild(p);
      }
      panel.setAttribute("data-state", "open");
    }

    function hint() {
      panel.textContent = "";
      panel.appendChild(make("p", "bmo-diagram__panel-hint", HINT));
      panel.setAttribute("data-state", "closed");
    }

    function showRegion(id) {
      if (current === id && panel.getAttribute("data-state") === "open") return;
      current = id;
      regions.forEach(function (a) { a.classList.toggle("is-current", a.getAttribute("data-region") === id); });
      var info = regionInfo(id);
      fill(info.label, [info.description], info.href, "Read more about " + inSentence(info.label));
    }

    function showPattern(id) {
      var info = patternInfo(id);
      var button = figure.querySelector('button[data-pattern="' + id + '"]');
      var names = (button.getAttribute("data-regions") || "").split(/\s+/).filter(Boolean)
        .map(function (r) { return regionInfo(r).label; });
      current = null;
      regions.forEach(function (a) { a.classList.remove("is-current"); });
      fill(info.label, [info.explanation, "Parts usually affected: " + names.join(", ") + "."],
           info.href, "Read more about " + inSentence(info.label));
    }

    function dismiss(returnFocus) {
      current = null;
      regions.forEach(function (a) { a.classList.remove("is-current"); });
      hint();
      if (returnFocus && pressed) {
        var b = figure.querySelector('button[data-pattern="' + pressed + '"]');
        if (b) b.focus();
      }
    }

    function mark(wanted) {
      regions.forEach(function (a) {
        a.classList.toggle("is-highlighted", !!wanted[a.getAttribute("data-region")]);
      });
    }

    function press(id) {
      pressed = id;
      var wanted = {};
      buttons.forEach(function (b) {
        var on = b.getAttribute("data-pattern") === id;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) (b.getAttribute("data-regions") || "").split(/\s+/).forEach(function (r) { wanted[r] = true; });
      });
      mark(wanted);
      active(id);
      if (id) showPattern(id);
      else dismiss(false);
    }

    // Scroll the panel into view only when it is not on screen already.
    function reveal() {
      var r = panel.getBoundingClientRect();
      var h = window.innerHeight || document.documentElement.clientHeight;
      if (r.top < 0 || r.bottom > h) panel.scrollIntoView({block: "nearest"});
    }

    var pointer = "mouse";   // the kind of pointer that started the latest press
    figure.addEventListener("pointerdown", function (event) { pointer = event.pointerType || "mouse"; }, true);
    regions.forEach(function (a) {
      var id = a.getAttribute("data-region");
      a.addEventListener("mouseenter", function () { showRegion(id); });
      a.addEventListener("focus", function () { showRegion(id); });
      a.addEventListener("click", function (event) {
        // mouse and keyboard (a click with no press behind it, detail 0) follow the link
        if (event.detail === 0 || (pointer !== "touch" && pointer !== "pen")) return;
        event.preventDefault();
        showRegion(id);
        reveal();
      });
    });
    buttons.forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        press(b.getAttribute("aria-pressed") === "true" ? null : b.getAttribute("data-pattern"));
      });
    });
    var controls = figure.querySelector(".bmo-diagram__controls");
    if (controls) controls.hidden = false;

    figure.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.getAttribute("data-state") === "open") {
        dismiss(false);
        event.stopPropagation();
      }
    });
    // Highlight any set of regions (the MRI-report explainer uses this): releases the
    // cause buttons, marks the regions the same way a pattern does.
    figure._bmoHighlight = function (ids) {
      if (pressed) press(null);
      var wanted = {};
      (ids || []).forEach(function (r) { wanted[r] = true; });
      mark(wanted);
      active(ids && ids.length ? "custom" : null);
    };
    figure._bmoDismiss = function () {
      if (panel.getAttribute("data-state") === "open") { dismiss(false); return true; }
      return false;
    };

    hint();
    panel.hidden = false;
  }

  // Escape anywhere closes an open panel (the pointer may still be over the diagram)
  function onKey(event) {
    if (event.key !== "Escape") return;
    var figures = document.querySelectorAll("figure[data-diagram-ready]");
    Array.prototype.forEach.call(figures, function (f) { if (f._bmoDismiss) f._bmoDismiss(); });
  }

  function init() {
    var figures = document.querySelectorAll("figure[data-diagram-figure]");
    Array.prototype.forEach.call(figures, setup);
    if (!document.documentElement.hasAttribute("data-bmo-diagram-keys")) {
      document.documentElement.setAttribute("data-bmo-diagram-keys", "");
      document.addEventListener("keydown", onKey);
    }
  }

  // Public API: window.bmoDiagrams.highlight(figure, ["medial-femoral-condyle"]), .clear(figure)
  window.bmoDiagrams = {
    highlight: function (figure, ids) {
      if (!figure._bmoHighlight) setup(figure);
      if (figure._bmoHighlight) figure._bmoHighlight(ids);
    },
    clear: function (figure) { window.bmoDiagrams.highlight(figure, []); }
  };

  // Loaded (deferred) by the pages that show a diagram, before the theme's bundle: its document$
  // exists by DOMContentLoaded. Instant navigation runs this file again on each page that links
  // it: follow document$ once only.
  function follow() {
    if (window.document$ && typeof window.document$.subscribe === "function" && !window.bmoDiagramsFollowing) {
      window.bmoDiagramsFollowing = true;
      window.document$.subscribe(function () { init(); });
      return true;
    }
    return false;
  }
  if (!follow()) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { if (!follow()) init(); });
    } else {
      init();
      document.addEventListener("DOMContentLoaded", follow);
    }
  }
})();
