// Inside an askdesk embed: tell the page around it how tall the content is (askdesk/embed.js listens).
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ askdesk: "resize", height: height, href: location.href }, "*");
    }
  }
  window.addEventListener("load", report);
  if (window.ResizeObserver) { new ResizeObserver(report).observe(document.documentElement); }
  else { setInterval(report, 500); }
  report();
})();
