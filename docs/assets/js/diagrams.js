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
 *   explain the pattern in the panel;
 * - a figure may show several views of a joint (generators/diagrams/views.py): a radio
 *   button switch (it works without this script) and one set of cause buttons for all
 *   views. A cause is highlighted in every view that shows it; pressing it switches to
 *   the first such view when the chosen one does not show it, and the panel says which
 *   view shows what.
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
    var radios = Array.prototype.slice.call(figure.querySelectorAll("input.bmo-views__input"));
    // the view a region is drawn in ("" when the figure has one view only)
    function viewOf(el) {
      var v = el.closest("[data-view]");
      return v ? v.getAttribute("data-view") : "";
    }
    function key(view, id) { return view + " " + id; }
    var byId = {};
    regions.forEach(function (a) {
      var k = key(viewOf(a), a.getAttribute("data-region"));
      if (!byId[k]) byId[k] = a;
    });
    function currentView() {
      for (var i = 0; i < radios.length; i++) if (radios[i].checked) return radios[i].value;
      return "";
    }
    function radioFor(view) {
      for (var i = 0; i < radios.length; i++) if (radios[i].value === view) return radios[i];
      return null;
    }
    function viewName(view) {   // "from the front", from the switch's own label
      var r = radioFor(view);
      return inSentence(text(r && r.parentNode));
    }
    function seenIn(b) {        // the views that show a cause (all, in a one-view figure)
      var v = b.getAttribute("data-seen-in");
      return v ? v.split(/\s+/).filter(Boolean) : [""];
    }
    function regionsOf(b, view) {   // the cause's regions in one view
      var list = view && b.hasAttribute("data-regions-" + view) ? b.getAttribute("data-regions-" + view)
        : (view && b.hasAttribute("data-seen-in") ? "" : b.getAttribute("data-regions"));
      return (list || "").split(/\s+/).filter(Boolean);
    }
    function active(id) {   // marks the pattern on every variant of the drawing
      svgs.forEach(function (svg) {
        if (id) svg.setAttribute("data-active-pattern", id);
        else svg.removeAttribute("data-active-pattern");
      });
    }

    // what the panel says, read from the text alternative (one source of truth)
    function regionInfo(id, view) {
      var item = (view && figure.querySelector('[data-view-text="' + view + '"] [data-region-item="' + id + '"]')) ||
        figure.querySelector('[data-region-item="' + id + '"]');
      var link = item && item.querySelector("a");
      var a = byId[key(view || "", id)];
      return {
        label: text(link) || id,
        description: text(item && item.querySelector(".bmo-diagram__desc")),
        href: a ? a.getAttribute("href") : link && link.getAttribute("href")
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

    var current = null;       // region shown in the panel (view + id)
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

    function showRegion(id, view) {
      if (current === key(view, id) && panel.getAttribute("data-state") === "open") return;
      current = key(view, id);
      regions.forEach(function (a) {
        a.classList.toggle("is-current", a.getAttribute("data-region") === id && viewOf(a) === view);
      });
      var info = regionInfo(id, view);
      fill(info.label, [info.description], info.href, "Read more about " + inSentence(info.label));
    }

    function names(button, view) {
      return regionsOf(button, view).map(function (r) { return regionInfo(r, view).label; }).join(", ");
    }

    // ``switched``: the view the press just changed to (the chosen one did not show the cause)
    function showPattern(id, switched) {
      var info = patternInfo(id);
      var button = figure.querySelector('button[data-pattern="' + id + '"]');
      current = null;
      regions.forEach(function (a) { a.classList.remove("is-current"); });
      var lines = [info.explanation];
      var view = currentView();
      if (!radios.length) {
        lines.push("Parts usually affected: " + names(button, "") + ".");
      } else {
        var seen = seenIn(button);
        var others = seen.filter(function (v) { return v !== view; }).map(viewName);
        if (switched) lines.unshift("Now showing the view " + viewName(switched) + ", where this pattern can be seen.");
        if (seen.indexOf(view) >= 0) {
          lines.push("Parts usually affected, seen " + viewName(view) + ": " + names(button, view) + ".");
          if (others.length) lines.push("Also shown in the view " + others.join(" and ") + ".");
        } else {
          lines.push("Not shown in this view. Choose the view " + others.join(" or ") + " to see it.");
        }
      }
      fill(info.label, lines, info.href, "Read more about " + inSentence(info.label));
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

    // ``wanted``: region ids, each for every view, or view + " " + id for one view
    function mark(wanted) {
      regions.forEach(function (a) {
        var id = a.getAttribute("data-region");
        a.classList.toggle("is-highlighted", !!(wanted[id] || wanted[key(viewOf(a), id)]));
      });
    }

    function press(id) {
      pressed = id;
      var wanted = {};
      var switched = null;
      buttons.forEach(function (b) {
        var on = b.getAttribute("data-pattern") === id;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (!on) return;
        var seen = seenIn(b);
        seen.forEach(function (v) {
          regionsOf(b, v).forEach(function (r) { wanted[key(v, r)] = true; });
        });
        // the chosen view does not show this cause: show the first view that does
        if (radios.length && seen.indexOf(currentView()) < 0 && radioFor(seen[0])) {
          radioFor(seen[0]).checked = true;
          switched = seen[0];
        }
      });
      mark(wanted);
      active(id);
      if (id) showPattern(id, switched);
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
      var view = viewOf(a);
      a.addEventListener("mouseenter", function () { showRegion(id, view); });
      a.addEventListener("focus", function () { showRegion(id, view); });
      a.addEventListener("click", function (event) {
        // mouse and keyboard (a click with no press behind it, detail 0) follow the link
        if (event.detail === 0 || (pointer !== "touch" && pointer !== "pen")) return;
        event.preventDefault();
        showRegion(id, view);
        reveal();
      });
    });
    // the reader changes the view: the panel follows (a pressed cause says what this view
    // shows; a region of the view now hidden is closed)
    radios.forEach(function (r) {
      r.addEventListener("change", function () {
        if (pressed) showPattern(pressed, null);
        else if (current && current.split(" ")[0] !== currentView()) dismiss(false);
      });
    });
    buttons.forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        // the panel above the buttons grows, the view may change: keep the button where it was
        // (under the finger), so the page does not move under the reader
        var top = b.getBoundingClientRect().top;
        press(b.getAttribute("aria-pressed") === "true" ? null : b.getAttribute("data-pattern"));
        var moved = b.getBoundingClientRect().top - top;
        if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
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
