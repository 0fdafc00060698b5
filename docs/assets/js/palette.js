/* The light/dark switch in the header (overrides/partials/palette.html), in place of the theme's
 * palette script, with the same markup, stored choice and behaviour. The theme's re-applied the
 * palette as every page started, restyling the whole page three times; this one changes only
 * what differs, and nothing as a page starts (README, Benchmark). */
(() => {
  "use strict";
  const form = document.querySelector("form[data-bmo-palette]");
  if (!form || form.dataset.bmoReady) return;
  form.dataset.bmoReady = "1";
  const inputs = [...form.querySelectorAll("input[name=__palette]")], body = document.body;
  const light = matchMedia("(prefers-color-scheme: light)"), keys = ["scheme", "primary", "accent"];
  const attr = (el, key) => el.getAttribute("data-md-color-" + key);
  const meta = document.querySelector("meta[name=theme-color]") ||
    document.head.appendChild(Object.assign(document.createElement("meta"), { name: "theme-color" }));
  let saved = null;
  try { saved = __md_get("__palette"); } catch (e) { /* no storage */ }
  let index = saved && saved.index >= 0 ? Math.min(saved.index, inputs.length - 1)
    : Math.max(0, inputs.findIndex(el => matchMedia(attr(el, "media")).matches));

  function apply(to, switching) {
    index = to;
    const input = inputs[to], color = { media: attr(input, "media") };
    // "follow the system" takes the colours of the light or the dark palette
    const from = color.media === "(prefers-color-scheme)" && form.querySelector(
      `[data-md-color-media='(prefers-color-scheme: ${light.matches ? "light" : "dark"})']`) || input;
    keys.forEach(key => { color[key] = attr(from, key); });
    // only what differs is changed; on a switch, without the theme's colour transitions
    if (keys.some(key => attr(body, key) !== color[key])) {
      if (switching) {
        body.setAttribute("data-md-color-switching", "");
        requestAnimationFrame(() => body.removeAttribute("data-md-color-switching"));
      }
      for (const key in color) body.setAttribute("data-md-color-" + key, color[key]);
    }
    inputs.forEach((el, i) => {
      const label = el.nextElementSibling;
      if (label && label.tagName === "LABEL" && label.hidden !== (i !== to)) label.hidden = i !== to;
    });
    try { __md_set("__palette", { index: to, color }); } catch (e) { /* no storage */ }
    requestAnimationFrame(() => {   // the browser's bar takes the header's colour
      const header = document.querySelector("[data-md-component=header]") || body;
      const rgb = getComputedStyle(header).backgroundColor.match(/\d+/g) || [];
      meta.content = "#" + rgb.slice(0, 3).map(c => (+c).toString(16).padStart(2, "0")).join("");
    });
  }

  apply(index, false);
  form.addEventListener("change", event => {
    if (inputs.includes(event.target)) apply(inputs.indexOf(event.target), true);
  });
  form.addEventListener("keydown", event => {   // Enter moves on, as a tap does
    if (event.key !== "Enter" || !inputs.includes(event.target)) return;
    event.preventDefault();
    const next = inputs[(index + 1) % inputs.length];
    next.click();
    next.focus();
  });
  light.addEventListener("change", () => apply(index, true));   // "follow the system" follows it
})();
