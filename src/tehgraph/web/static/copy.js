// Copy buttons: <button data-copy="ID" data-copy-status="STATUS-ID"> copies the text of the element
// ID; the status element says it was copied, or selects the text for Ctrl+C where copying is refused.
(function () {
  "use strict";
  function copy(button) {
    var source = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    var say = function (key) { if (status) { status.textContent = status.dataset[key] || ""; } };
    var failed = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      say("copyFailed");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent).then(function () { say("copied"); }, failed);
    } else { failed(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
}());
