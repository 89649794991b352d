// tehgraph: small progressive enhancements (no inline scripts; pages work without this file).
// On a source page, a #L120-L122 fragment highlights every line of the range, not only the first.
(function () {
  "use strict";
  function markRange() {
    document.querySelectorAll(".line.target").forEach(function (el) { el.classList.remove("target"); });
    var match = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    if (!match) { return; }
    var first = parseInt(match[1], 10);
    var last = match[2] ? parseInt(match[2], 10) : first;
    for (var n = first; n <= last; n++) {
      var line = document.getElementById("L" + n);
      if (line) { line.classList.add("target"); }
    }
    // A range nobody quoted has no anchor of its own: bring its first line into view.
    var start = document.getElementById("L" + first);
    if (start && !document.getElementById(window.location.hash.slice(1))) { start.scrollIntoView(); }
  }
  window.addEventListener("hashchange", markRange);
  document.addEventListener("DOMContentLoaded", markRange);
}());
