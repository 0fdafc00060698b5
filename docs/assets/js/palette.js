/* The light/dark switch in the header (docs/overrides/partials/palette.html), in place of the
 * theme's palette script. Same markup, same stored choice (the theme's "__palette" key, which
 * the theme's inline script in <body> applies as each page is parsed), same behaviour: a tap
 * moves on to the next palette (follow the system -> light -> dark), so does Enter; "follow the
 * system" follows it while the page is open; the browser's bar takes the header's colour
 * (<meta name="theme-color">).
 *
 * Why our own: as every page starts, the theme's script applies the palette again although the
 * inline script has done it. It sets data-md-color-switching on <body> (which the theme's
 * palette stylesheet uses as `[data-md-color-switching] *`, so every element's style is
 * recalculated), reads the header's computed style twice with a change to the color-scheme
 * <meta> in between (each read another whole-document recalculation), and removes the
 * attribute a frame later (one more). On /knee/ on a phone that was three recalculations of
 * about 1,050 elements each, the largest part of the page's blocking time (README, Benchmark).
 * This script changes nothing as a page starts unless something is different, and on a switch
 * it changes only what differs. Instead of the color-scheme <meta>, site.css sets
 * `color-scheme: dark` on the root in the dark palette (scroll bars and form controls).
 *
 * docs/overrides/main.html stores "follow the system" (palette 1 of mkdocs.yml) on a first visit,
 * before <body>, so the inline script shows a first visit in the reader's system palette from
 * the first paint (the theme's script switched it after the page had started).
 *
 * Loaded with `defer` on every page; the header stays when the theme's instant navigation
 * changes pages, so this runs once.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-bmo-palette]");
  if (!form || form.hasAttribute("data-bmo-palette-ready")) return;
  form.setAttribute("data-bmo-palette-ready", "");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name='__palette']"));
  if (!inputs.length) return;
  var body = document.body;
  var light = window.matchMedia("(prefers-color-scheme: light)");
  var AUTO = "(prefers-color-scheme)";

  function stored() {
    try { return window.__md_get ? __md_get("__palette") : null; } catch (e) { return null; }
  }

  function store(palette) {
    try { if (window.__md_set) __md_set("__palette", palette); } catch (e) { /* private mode */ }
  }

  function startIndex() {
    var saved = stored(), index = saved && typeof saved.index === "number" ? saved.index : -1;
    if (index < 0) {
      index = inputs.findIndex(function (input) {
        return window.matchMedia(input.getAttribute("data-md-color-media")).matches;
      });
    }
    return Math.max(0, Math.min(index, inputs.length - 1));
  }

  // The colours of a palette: "follow the system" takes those of the light or the dark one.
  function colours(input) {
    var media = input.getAttribute("data-md-color-media"), from = input;
    if (media === AUTO) {
      from = form.querySelector(light.matches
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']") || input;
    }
    return {
      media: media,
      scheme: from.getAttribute("data-md-color-scheme"),
      primary: from.getAttribute("data-md-color-primary"),
      accent: from.getAttribute("data-md-color-accent")
    };
  }

  var meta = document.querySelector("meta[name='theme-color']");
  if (!meta) {
    meta = document.createElement("meta");
    meta.name = "theme-color";
    document.head.appendChild(meta);
  }
  function themeColour() {
    var header = document.querySelector("[data-md-component=header]");
    var rgb = header && getComputedStyle(header).backgroundColor.match(/\d+/g);
    if (!rgb) return;
    var hex = "#" + rgb.slice(0, 3).map(function (c) { return (+c).toString(16).padStart(2, "0"); }).join("");
    if (meta.content !== hex) meta.content = hex;
  }

  var index = startIndex();

  // Show the palette `to`'s colours; on a switch (`switching`), without the theme's colour
  // transitions. Only what differs is changed: unchanged attributes cost no style work.
  function apply(to, switching) {
    index = to;
    var color = colours(inputs[to]), keys = ["scheme", "primary", "accent"], changed = false;
    keys.forEach(function (key) {
      if (body.getAttribute("data-md-color-" + key) !== color[key]) changed = true;
    });
    if (changed) {
      if (switching) body.setAttribute("data-md-color-switching", "");
      keys.forEach(function (key) { body.setAttribute("data-md-color-" + key, color[key]); });
      body.setAttribute("data-md-color-media", color.media);
      if (switching) {
        requestAnimationFrame(function () { body.removeAttribute("data-md-color-switching"); });
      }
    }
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL" && label.hidden !== (i !== to)) label.hidden = i !== to;
    });
    store({ index: to, color: color });
    requestAnimationFrame(themeColour);
  }

  apply(index, false);

  form.addEventListener("change", function (event) {
    var i = inputs.indexOf(event.target);
    if (i >= 0) apply(i, true);
  });
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || inputs.indexOf(event.target) < 0) return;
    event.preventDefault();
    var next = inputs[(index + 1) % inputs.length];
    next.click();
    next.focus();
  });
  function followSystem() { apply(index, true); }
  if (light.addEventListener) light.addEventListener("change", followSystem);
  else if (light.addListener) light.addListener(followSystem);
})();
