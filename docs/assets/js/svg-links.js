/* Links inside the inline SVG diagrams are <a href> (SVG 2). On every page load the
   theme's instant navigation re-assigns each relative link's `href` to itself, which
   throws on SVG links (their `href` is read-only) and stops it half-way. Give SVG
   links a setter that takes a string and ignores the rest. */
(function () {
  var d = window.SVGAElement && Object.getOwnPropertyDescriptor(SVGAElement.prototype, "href");
  if (d && d.get && !d.set) {
    Object.defineProperty(SVGAElement.prototype, "href", {
      configurable: true, enumerable: d.enumerable, get: d.get,
      set: function (value) { if (typeof value === "string") this.setAttribute("href", value); }
    });
  }
})();
