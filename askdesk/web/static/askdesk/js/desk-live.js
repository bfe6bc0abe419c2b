// Live triage: poll the call-out's version (askdesk questions.views.triage_live) with its ETag, so
// an unchanged list costs one 304. When something changed, say so in the polite status bar and
// update the state counts; the list is replaced only when the editor presses "Show", and the
// ticked boxes come back ticked after that reload.
(function () {
  "use strict";
  var bar = document.getElementById("desk-live");
  if (!bar || !window.fetch) { return; }
  var url = bar.getAttribute("data-live-url");
  var seconds = parseFloat(bar.getAttribute("data-live-seconds") || "5");
  var shownVersion = bar.getAttribute("data-live-version");
  var shownArrivals = parseInt(bar.getAttribute("data-live-arrivals") || "0", 10);
  var text = bar.querySelector("[data-live-text]");
  var show = bar.querySelector("[data-live-show]");
  var etag = bar.getAttribute("data-live-etag");
  var KEY = "askdesk-ticked:" + window.location.pathname + window.location.search;
  var timer = null;
  var asking = false;

  function ticks() {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="selected"]'));
  }

  // After "Show": tick again what was ticked before the reload.
  try {
    var kept = JSON.parse(window.sessionStorage.getItem(KEY) || "[]");
    window.sessionStorage.removeItem(KEY);
    ticks().forEach(function (box) { if (kept.indexOf(box.value) >= 0) { box.checked = true; } });
  } catch (e) { /* storage refused: nothing to restore */ }

  function say(data) {
    var arrived = data.arrivals - shownArrivals;
    var message;
    if (arrived > 0) {
      // Its grouping by the worker is part of a question's arrival: not called "other changes".
      message = arrived + (arrived === 1 ? " new question" : " new questions");
    } else {
      message = "This list has changed since you opened it.";
    }
    if (text.textContent !== message) { text.textContent = message; }
    show.hidden = false;
    bar.classList.add("has-news");
    if (bar.hasAttribute("data-live-counts") && data.counts) {
      var total = 0;
      Object.keys(data.counts).forEach(function (state) {
        if (state !== "spam") { total += data.counts[state]; }  // "All" leaves spam out, as its list does
        var count = document.querySelector('.state-tabs a[data-state="' + state + '"] .count');
        if (count) { count.textContent = data.counts[state]; }
      });
      var all = document.querySelector(".state-tabs a:not([data-state]) .count");
      if (all) { all.textContent = total; }
    }
  }

  function poll() {
    timer = null;
    if (document.hidden || asking) { return; }  // polled again when the tab is shown
    asking = true;
    fetch(url, { cache: "no-store", credentials: "same-origin", headers: { "If-None-Match": etag, "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag") || etag;
          return response.json();
        }
        return null;  // 304: nothing changed; anything else: try again later
      })
      .then(function (data) { if (data && String(data.version) !== shownVersion) { say(data); } })
      .catch(function () {})
      .then(function () { asking = false; schedule(); });
  }

  function schedule() {
    if (timer === null && !document.hidden) { timer = setTimeout(poll, seconds * 1000); }
  }

  show.addEventListener("click", function () {
    try {
      var ticked = ticks().filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      window.sessionStorage.setItem(KEY, JSON.stringify(ticked));
    } catch (e) { /* storage refused: the reload loses the ticks */ }
    window.location.reload();
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !asking) { poll(); }
  });
  schedule();
})();
