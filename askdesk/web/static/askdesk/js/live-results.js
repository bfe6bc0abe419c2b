// Live voting results: <ul data-live-results="URL"> with <li data-option="ID"> rows holding
// <progress>, [data-votes] and [data-percent]. Polls every 5 s while the tab is visible,
// once a minute otherwise, and stops when the round is closed.
(function () {
  "use strict";
  function update(list, data) {
    data.options.forEach(function (option) {
      var row = list.querySelector('[data-option="' + option.id + '"]');
      if (!row) return;
      row.querySelector("[data-votes]").textContent = option.votes;
      row.querySelector("[data-percent]").textContent = option.percent;
      var bar = row.querySelector("progress");
      if (bar) {
        bar.value = option.percent;
        bar.textContent = option.percent + "%";
      }
      row.classList.toggle("winner", data.winner === option.id);
    });
  }
  document.querySelectorAll("[data-live-results]").forEach(function (list) {
    if (list.dataset.liveStarted) return;
    list.dataset.liveStarted = "1";
    var url = list.dataset.liveResults;
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (!data) return schedule();
          update(list, data);
          if (data.open) schedule();
        })
        .catch(schedule);
    }
    function schedule() {
      window.setTimeout(poll, document.hidden ? 60000 : 5000);
    }
    schedule();
  });
})();
