// Votes and "I want to know too" inside a newsroom's page, where third-party cookies are blocked:
// a random key kept in this browser's storage (partitioned per site by browsers) tells askdesk
// that the same reader votes again. Without storage or scripts the server falls back on its own
// checks (docs/privacy.md); the key grants nothing, so a made-up one gains nothing.
(function () {
  "use strict";
  var NAME = "askdesk-reader-key";
  function fresh() {
    var bytes = crypto.getRandomValues(new Uint8Array(24));
    return Array.prototype.map.call(bytes, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
  }
  var key = "";
  try {
    key = window.localStorage.getItem(NAME) || "";
    if (!/^[0-9a-f]{48}$/.test(key)) { key = fresh(); window.localStorage.setItem(NAME, key); }
  } catch (blocked) {
    key = "";
  }
  if (!key) { return; }
  document.querySelectorAll("input[data-reader-key]").forEach(function (input) { input.value = key; });
})();
