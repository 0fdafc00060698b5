/* "Print a handout": the button the theme override puts on every patient page
 * (docs/overrides/main.html) prints the page's short version (print.css, html.bmo-handout):
 * title, key points, the diagram, its patterns, when to get help, review dates, QR code.
 * Without JavaScript the button stays hidden (the browser's own print gives the full page).
 * Linked from the page content next to the button, so the theme's instant navigation runs it
 * again on each page it opens: it is safe to run more than once.
 */
(function () {
  "use strict";

  function done() { document.documentElement.classList.remove("bmo-handout"); }

  function setup(button) {
    if (button.hasAttribute("data-handout-ready")) return;
    button.setAttribute("data-handout-ready", "");
    button.hidden = false;
    button.addEventListener("click", function () {
      document.documentElement.classList.add("bmo-handout");
      window.print();   // "afterprint" ends the handout
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-print-handout]"), setup);
  if (!window.bmoHandoutFollowing) {
    window.bmoHandoutFollowing = true;
    window.addEventListener("afterprint", done);
  }
})();
