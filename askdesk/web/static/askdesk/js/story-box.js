// An evidence link beside a question leads to a sentence of the story box: scroll the box (not
// the window) so the sentence shows, and move focus to it. Where the box does not scroll on its
// own (a narrow screen puts it under the question), the page scrolls as a link would.
(function () {
  "use strict";
  var box = document.querySelector("[data-story-box]");
  if (!box) return;

  function scrollsOnItsOwn() {
    var overflow = getComputedStyle(box).overflowY;
    return (overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link || box.contains(link)) return;
    var sentence = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!sentence || !box.contains(sentence)) return;
    event.preventDefault();
    if (history.replaceState) history.replaceState(null, "", "#" + sentence.id);
    if (!sentence.hasAttribute("tabindex")) sentence.setAttribute("tabindex", "-1");
    if (scrollsOnItsOwn()) {
      var top = sentence.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
      sentence.focus({ preventScroll: true });
    } else {
      sentence.focus();
    }
    box.querySelectorAll(".sentence.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    sentence.classList.add("is-target");
  });
})();
