// The SPARQL editor: CodeMirror syntax highlighting over the plain textarea (the page works
// without it: the form submits the textarea). Ctrl/Cmd-Enter runs the query. No inline scripts.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var area = document.getElementById("sparql-query");
    if (!area || typeof window.CodeMirror === "undefined") { return; }
    var form = area.form;
    var run = function () {
      editor.save();
      if (form.requestSubmit) { form.requestSubmit(document.getElementById("sparql-run")); }
      else { form.submit(); }
    };
    var editor = window.CodeMirror.fromTextArea(area, {
      mode: "application/sparql-query",
      lineNumbers: true,
      matchBrackets: true,
      indentUnit: 2,
      // The editable area inside the scrolled region, named like the textarea it replaces (axe).
      inputStyle: "contenteditable",
      screenReaderLabel: (area.labels && area.labels[0] && area.labels[0].textContent) || "SPARQL",
      viewportMargin: Infinity,
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
    });
    editor.getWrapperElement().classList.add("sparql-editor");
    form.addEventListener("submit", function () { editor.save(); });
  });
}());
