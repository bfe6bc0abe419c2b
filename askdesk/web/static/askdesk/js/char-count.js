// Characters left in a text box with a limit: <textarea maxlength="1000" data-char-count>.
// Shows the count under the box as the reader types, and tells screen readers once they
// pause. Without JavaScript the box still stops at its limit and the hint states it.
(function () {
  "use strict";

  function attach(box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!limit) return;
    var shown = document.createElement("p");
    shown.className = "char-count";
    shown.id = box.id + "-count";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", spoken);
    box.insertAdjacentElement("afterend", shown);
    var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(shown.id);
    box.setAttribute("aria-describedby", described.join(" "));
    var timer = null;

    function message() {
      var left = limit - box.value.length;
      if (left >= 0) return left + (left === 1 ? " character" : " characters") + " left";
      return -left + (left === -1 ? " character" : " characters") + " too many";
    }

    function update() {
      var text = message();
      shown.textContent = text;
      shown.classList.toggle("char-count-near", box.value.length > limit * 0.9);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = text; }, 1000);
    }

    box.addEventListener("input", update);
    shown.textContent = message();
  }

  document.querySelectorAll("textarea[data-char-count]").forEach(attach);
})();
