// Live answers: poll the cached answers list; the browser revalidates it with its ETag (304 when
// nothing changed), and the list is replaced only when its version changes. A tab in the
// background does not poll; it asks once as soon as it is shown again.
(function () {
  "use strict";
  var box = document.querySelector(".live-answers[data-live-url]");
  if (!box || !window.fetch) { return; }
  var seconds = parseInt(box.getAttribute("data-live-seconds") || "5", 10);
  var timer = null;
  var asking = false;
  function version(root) {
    var counts = root.querySelector("[data-version]");
    return counts ? counts.getAttribute("data-version") : "";
  }
  function schedule() {
    if (timer === null && !document.hidden) { timer = setTimeout(poll, seconds * 1000); }
  }
  function poll() {
    timer = null;
    if (document.hidden || asking) { return; }
    asking = true;
    fetch(box.getAttribute("data-live-url"), { cache: "no-cache", credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var next = new DOMParser().parseFromString(html, "text/html").body;
        if (version(next) !== version(box)) { box.replaceChildren.apply(box, Array.from(next.childNodes)); }
      })
      .catch(function () {})
      .then(function () { asking = false; schedule(); });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !asking) { poll(); }
  });
  schedule();
})();
