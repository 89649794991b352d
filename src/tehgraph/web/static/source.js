// The source page: select lines (click a line number, shift-click another, or select words and
// « Cite the selection »), get the evidence block `tehgraph cite` prints (copy.js copies it). Served from the
// package (no inline script); without it the form still works (it opens the block as a page).
(function () {
  "use strict";
  var text, form, lines, phrase, status, result, block, anchor = null;

  function lineOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var li = el && el.closest ? el.closest(".source-text li") : null;
    return li ? parseInt(li.id.slice(1), 10) : null;
  }

  function range(first, last) {
    return first === last ? String(first) : Math.min(first, last) + "-" + Math.max(first, last);
  }

  function parse(value) {
    var match = /^\s*(\d+)\s*(?:[-–:]\s*(\d+))?\s*$/.exec(value || "");
    if (!match) { return null; }
    var first = parseInt(match[1], 10), last = match[2] ? parseInt(match[2], 10) : first;
    return [Math.min(first, last), Math.max(first, last)];
  }

  function mark(className, span) {
    text.querySelectorAll("li." + className).forEach(function (li) { li.classList.remove(className); });
    if (!span) { return; }
    for (var n = span[0]; n <= span[1]; n++) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add(className); }
    }
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", !!isError);
  }

  function show(data) {
    block.textContent = data.block;
    result.hidden = false;
    say(text.dataset.ready, false);
    mark("selected", [data.start, data.end]);
  }

  function request() {
    var span = parse(lines.value);
    if (!span) { form.reportValidity(); return; }
    mark("selected", span);
    var params = new URLSearchParams(new FormData(form));
    say(text.dataset.loading, false);
    fetch(form.action + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.block) { show(data); return; }
        result.hidden = true;
        say(data.error || "", true);
      })
      .catch(function (error) { say(String(error), true); });
  }

  function choose(first, last) {
    lines.value = range(first, last);
    phrase.value = "";
    mark("selected", [Math.min(first, last), Math.max(first, last)]);
    var hash = "#L" + Math.min(first, last) + (first === last ? "" : "-L" + Math.max(first, last));
    history.replaceState(null, "", hash);
    request();
  }

  // A click in the gutter (the line number drawn before each line) selects; shift extends.
  function onClick(event) {
    var li = event.target.closest ? event.target.closest("li") : null;
    if (!li || event.target.closest("a")) { return; }
    var gutter = parseFloat(getComputedStyle(li).paddingLeft) || 0;
    if (event.clientX - li.getBoundingClientRect().left > gutter) { return; }
    var n = lineOf(li);
    if (event.shiftKey && anchor !== null) { choose(anchor, n); } else { anchor = n; choose(n, n); }
    event.preventDefault();
  }

  function citeSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) { return; }
    var first = lineOf(selection.anchorNode), last = lineOf(selection.focusNode);
    if (first === null || last === null) { return; }
    lines.value = range(first, last);
    phrase.value = selection.toString().replace(/\s+/g, " ").trim();
    request();
  }

  // A #L120 or #L120-L122 fragment highlights the whole range and fills the form with it.
  function fromHash() {
    var match = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    var span = match ? [parseInt(match[1], 10), parseInt(match[2] || match[1], 10)] : null;
    mark("target", span);
    if (!span) { return; }
    if (!lines.value) { lines.value = range(span[0], span[1]); }
    var first = document.getElementById("L" + span[0]);
    if (first && !document.getElementById(window.location.hash.slice(1))) { first.scrollIntoView(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    text = document.querySelector(".source-text");
    form = document.getElementById("cite-form");
    if (!text || !form) { return; }
    lines = document.getElementById("cite-lines");
    phrase = document.getElementById("cite-phrase");
    status = document.getElementById("cite-status");
    result = document.getElementById("cite-result");
    block = document.getElementById("cite-block");
    var selectionButton = document.getElementById("cite-selection");
    selectionButton.hidden = false;
    text.classList.add("selectable");
    text.addEventListener("click", onClick);
    form.addEventListener("submit", function (event) { event.preventDefault(); request(); });
    // Pressing the button would clear a mouse selection first: read it on pointer down.
    selectionButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
    selectionButton.addEventListener("click", citeSelection);
    document.getElementById("cite-close").addEventListener("click", function () {
      result.hidden = true;
      say("", false);
    });
    window.addEventListener("hashchange", fromHash);
    fromHash();
  });
}());
