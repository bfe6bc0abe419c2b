// Keyboard shortcuts for the desk: j/k next and previous, o open, s shortlist, r reject,
// x spam, a assign, m merge into the group above (groups view), u undo, ? this list.
// Single keys only fire outside text fields, and can be turned off in the list (WCAG 2.1.4).
// Each shortcut clicks a link or button the page already has, so everything it does also
// works without JavaScript.
(function () {
  "use strict";
  var STORAGE = "askdesk-shortcuts-off";
  var help = document.getElementById("shortcuts-help");
  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(".question-row, .group-row"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("is-current"); });
    all[current].classList.add("is-current");
    var target = all[current].querySelector(".question-link") || all[current].querySelector("a, button");
    if (target) target.focus();
  }

  function press(selector) {
    var row = rows()[current];
    var button = row && row.querySelector(selector);
    if (button) button.click();
  }

  // The assign control of the current item: the group's own expert list, or the list's
  // expert choice with the current question ticked; on a question's page, its expert list.
  function assign() {
    var row = rows()[current];
    var control = row && row.querySelector("[data-assign]");
    if (!control) {
      var tick = row && row.querySelector('input[type="checkbox"][name="selected"]');
      if (tick && !tick.checked) tick.click();
      control = document.querySelector("[data-assign]");
    }
    if (!control) return;
    control.scrollIntoView({ block: "nearest" });
    control.focus();
  }

  function follow(name) {
    var target = document.querySelector('[data-shortcut="' + name + '"]');
    if (target) target.click();
  }

  var keys = {
    j: function () { if (rows().length) select(current + 1); else follow("next"); },
    k: function () { if (rows().length) select(current - 1); else follow("previous"); },
    o: function () { var link = rows()[current] && rows()[current].querySelector(".question-link"); if (link) link.click(); },
    s: function () { press('button[value="shortlist"], button[value^="shortlist:"]'); },
    r: function () { press('button[value="reject"], button[value^="reject:"]'); },
    a: assign,
    m: function () { press('button[name="merge_into"]'); },
    x: function () { press('button[value="spam"]'); },
    u: function () { follow("undo"); },
    "?": function () { if (help && !help.open) help.showModal(); }
  };

  function off() {
    try { return window.localStorage.getItem(STORAGE) === "1"; } catch (e) { return false; }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Focus can still sit in the list of keys for a moment after it closed (the browser moves
    // it out at its next layout): a key pressed then belongs to the page, not to the list.
    var closed = event.target.closest && event.target.closest("dialog:not([open])");
    if (!closed && event.target.closest && event.target.closest("input, textarea, select, [contenteditable], dialog")) return;
    var action = keys[event.key];
    if (!action || (off() && event.key !== "?")) return;
    event.preventDefault();
    action();
  });

  // Back from an action, the list opens at the row that took the acted-on row's place.
  var anchored = window.location.hash.match(/^#([qg]-\d+)$/);
  if (anchored) {
    rows().forEach(function (row, index) { if (row.id === anchored[1]) current = index; });
    if (current >= 0) rows()[current].classList.add("is-current");
  }

  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { if (help) help.showModal(); });
  });
  if (help) {
    // Closed, the list gives focus back to the current row (or the page), so the next key
    // works at once instead of landing on the list's own checkbox.
    help.addEventListener("close", function () {
      if (!help.contains(document.activeElement)) return;
      var row = rows()[current];
      var link = row && row.querySelector(".question-link");
      if (link) link.focus(); else document.activeElement.blur();
    });
    var toggle = help.querySelector("[data-shortcuts-toggle]");
    if (toggle) {
      toggle.checked = !off();
      toggle.addEventListener("change", function () {
        try { window.localStorage.setItem(STORAGE, toggle.checked ? "0" : "1"); } catch (e) { /* private mode */ }
      });
    }
  }
})();
