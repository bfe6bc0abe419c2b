// "Copy link" buttons: <button data-copy-target="ID" data-copied="..." data-failed="..." hidden>.
// The button stays hidden without JavaScript or without the clipboard API; the link can still be selected.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target || !navigator.clipboard) {
      return;
    }
    var status = button.parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.href || target.textContent.trim();
      navigator.clipboard.writeText(text).then(
        function () {
          if (status) status.textContent = button.dataset.copied || "Copied";
        },
        function () {
          if (status) status.textContent = button.dataset.failed || "";
        }
      );
    });
  });
})();
