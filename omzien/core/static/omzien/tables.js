// SPDX-License-Identifier: EUPL-1.2
// A table too wide for the screen scrolls inside its wrapper (.omzien-table-wrap). The wrapper
// becomes a region named by the table's caption (or the nearest heading before it), and while its
// table is wider than it, a keyboard stop, so keyboard users can scroll it too (WCAG 1.4.10, 2.1.1).
(function () {
  "use strict";
  var counter = 0;

  function nameOf(wrap) {
    var table = wrap.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) {
      if (!caption.id) { caption.id = "omzien-table-caption-" + (++counter); }
      return { id: caption.id };
    }
    if (table && table.getAttribute("aria-label")) { return { text: table.getAttribute("aria-label") }; }
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) {
        if (!node.id) { node.id = "omzien-table-heading-" + (++counter); }
        return { id: node.id };
      }
    }
    return { text: document.documentElement.lang === "nl" ? "Tabel" : "Table" };
  }

  function label(wrap) {
    if (!wrap.hasAttribute("role")) {
      wrap.setAttribute("role", "region");
      var name = nameOf(wrap);
      if (name.id) { wrap.setAttribute("aria-labelledby", name.id); } else { wrap.setAttribute("aria-label", name.text); }
    }
  }

  function focusable(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.setAttribute("tabindex", "0");
    } else if (wrap.getAttribute("data-omzien-static-tabindex") === null) {
      wrap.removeAttribute("tabindex");
    }
  }

  function update() {
    var wraps = document.querySelectorAll(".omzien-table-wrap");
    for (var i = 0; i < wraps.length; i++) { label(wraps[i]); focusable(wraps[i]); }
  }

  function start() {
    var wraps = document.querySelectorAll(".omzien-table-wrap[tabindex]");
    for (var i = 0; i < wraps.length; i++) { wraps[i].setAttribute("data-omzien-static-tabindex", ""); }
    update();
    window.addEventListener("resize", update);
    document.body.addEventListener("htmx:afterSettle", update);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
