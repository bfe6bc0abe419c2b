// Live answers: poll the cached answers list; the browser revalidates it with its ETag (304 when
// nothing changed), and the list is replaced only when its version changes.
(function () {
  "use strict";
  var box = document.querySelector(".live-answers[data-live-url]");
  if (!box || !window.fetch) { return; }
  var seconds = parseInt(box.getAttribute("data-live-seconds") || "5", 10);
  function version(root) {
    var counts = root.querySelector("[data-version]");
    return counts ? counts.getAttribute("data-version") : "";
  }
  function poll() {
    fetch(box.getAttribute("data-live-url"), { cache: "no-cache", credentials: "omit" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var next = new DOMParser().parseFromString(html, "text/html").body;
        if (version(next) !== version(box)) { box.replaceChildren.apply(box, Array.from(next.childNodes)); }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, seconds * 1000); });
  }
  setTimeout(poll, seconds * 1000);
})();
