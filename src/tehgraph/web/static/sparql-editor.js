// The SPARQL editor: YASGUI (vendored) over the page's form, which keeps working without it.
// Completion of prefixes, classes and properties comes from this app's ontology (terms.json),
// never from a remote service; queries go to this app's endpoint; IRIs in results are shown with
// their labels and link only to pages or http(s) IRIs; an error of the endpoint is marked at the
// line and column its message gives; the address bar always holds ?query=… so it can be shared.
(function () {
  "use strict";

  // « (line:2, col:3) » (rdflib's parser) or « error at 3:2 » (Oxigraph's): line and column, 1-based.
  function errorPosition(message) {
    var m = /line:\s*(\d+),\s*col:\s*(\d+)/.exec(message) || /error at (\d+):(\d+)/.exec(message);
    return m ? { line: parseInt(m[1], 10), col: parseInt(m[2], 10) } : null;
  }

  function shareUrl(page, query) {
    var params = new URLSearchParams(window.location.search);
    params.set("query", query);
    params.delete("example");
    return page + "?" + params.toString();
  }

  function linkFor(iri, known) {
    var href = known && known.href;
    if (!href && /^https?:\/\//.test(iri)) { href = iri; }
    return href || null;
  }

  // A YASR plugin: the result table with labels beside IRIs (text nodes only, no HTML from data).
  function labelledTable(labelsUrl, messages) {
    function Plugin(yasr) { this.yasr = yasr; this.priority = 100; this.label = messages.label; }
    Plugin.prototype.canHandleResults = function () {
      var r = this.yasr.results; return !!(r && r.getVariables && r.getVariables().length);
    };
    Plugin.prototype.getIcon = function () {
      var icon = document.createElement("span"); icon.textContent = "≡"; return icon;
    };
    Plugin.prototype.draw = function () {
      var yasr = this.yasr, vars = yasr.results.getVariables(), rows = yasr.results.getBindings();
      var iris = {};
      rows.forEach(function (row) {
        vars.forEach(function (v) { if (row[v] && row[v].type === "uri") { iris[row[v].value] = true; } });
      });
      return fetch(labelsUrl, { method: "POST", headers: { "Content-Type": "application/json" },
                                body: JSON.stringify(Object.keys(iris)) })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; })
        .then(function (labels) {
          var wrap = document.createElement("div"), count = document.createElement("p");
          count.className = "count";
          count.textContent = rows.length + " " + messages.rows;
          var table = document.createElement("table"), head = table.createTHead().insertRow();
          table.className = "results labelled";
          vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = "?" + v; head.appendChild(th); });
          var body = table.createTBody();
          rows.forEach(function (row) {
            var tr = body.insertRow();
            vars.forEach(function (v) {
              var td = tr.insertCell(), term = row[v];
              if (!term) { return; }
              if (term.type === "uri") {
                var known = labels[term.value], href = linkFor(term.value, known);
                var text = known ? known.label : term.value, el = document.createElement(href ? "a" : "span");
                if (href) { el.setAttribute("href", href); }
                el.title = term.value; el.textContent = text; td.appendChild(el);
                if (known) { var c = document.createElement("span"); c.className = "curie"; c.textContent = " " + term.value; td.appendChild(c); }
              } else {
                td.textContent = term.value;
                if (term["xml:lang"]) { var l = document.createElement("span"); l.className = "lang"; l.textContent = " @" + term["xml:lang"]; td.appendChild(l); }
              }
            });
          });
          wrap.appendChild(count); wrap.appendChild(table);
          yasr.resultsEl.appendChild(wrap);
        });
    };
    return Plugin;
  }

  function markError(yasqe, message, box) {
    yasqe.getAllMarks().forEach(function (m) { m.clear(); });
    yasqe.clearGutter("gutterErrorBar");
    box.hidden = !message;
    if (!message) { return; }
    var at = errorPosition(message);
    box.textContent = message;
    if (!at) { return; }
    var line = Math.max(0, Math.min(at.line - 1, yasqe.lineCount() - 1));
    var text = yasqe.getLine(line), ch = Math.max(0, Math.min(at.col - 1, text.length));
    var end = ch; while (end < text.length && !/\s/.test(text[end])) { end++; }
    yasqe.markText({ line: line, ch: ch }, { line: line, ch: Math.max(end, ch + 1) }, { className: "sparql-error-token" });
    var marker = document.createElement("span");
    marker.className = "sparql-error-marker"; marker.textContent = "✖"; marker.title = message;
    yasqe.setGutterMarker(line, "gutterErrorBar", marker);
    box.setAttribute("data-line", String(at.line)); box.setAttribute("data-col", String(at.col));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.sparql-form"), host = document.getElementById("yasgui");
    if (!form || !host || typeof window.Yasgui === "undefined") { return; }
    var messages = JSON.parse(form.dataset.messages), Yasgui = window.Yasgui, Yasqe = Yasgui.Yasqe;
    var terms = fetch(form.dataset.terms).then(function (r) { return r.json(); });
    Yasqe.Autocompleters.prefixes.get = function () { return terms.then(function (t) { return t.prefixes; }); };
    ["class", "property"].forEach(function (name) {
      var key = name === "class" ? "classes" : "properties";
      Yasqe.Autocompleters[name].bulk = true;
      Yasqe.Autocompleters[name].get = function () { return terms.then(function (t) { return t[key]; }); };
    });
    Yasgui.Yasr.registerPlugin("labelled", labelledTable(form.dataset.labels, messages));
    var area = document.getElementById("sparql-query"), box = document.getElementById("editor-error");
    form.hidden = true; host.hidden = false;
    var serverError = document.querySelector(".server-error"), results = document.getElementById("results");
    if (results) { results.hidden = true; }
    var yasgui = new Yasgui(host, {
      requestConfig: { endpoint: form.dataset.endpoint, method: "POST" },
      copyEndpointOnNewTab: false, endpointCatalogueOptions: { getData: function () { return []; } },
      persistenceId: null, populateFromUrl: false, showCogTab: false,
      yasqe: { persistenceId: null, createShareableLink: null, editorHeight: "22rem",
               // The editable area named like the textarea it replaces (axe).
               inputStyle: "contenteditable", screenReaderLabel: "SPARQL",
               autocompleters: ["prefixes", "class", "property", "variables"] },
      yasr: { persistenceId: null, pluginOrder: ["labelled", "response"], defaultPlugin: "labelled", prefixes: {} }
    });
    var tab = yasgui.getTab(), yasqe = tab.getYasqe();
    yasqe.setValue(area.value);
    var page = form.dataset.page;
    var share = function () { window.history.replaceState(null, "", shareUrl(page, yasqe.getValue())); };
    yasqe.on("change", share);
    yasqe.on("queryResponse", function (_y, response) {
      var failed = response && (response.status >= 400 || response instanceof Error);
      var text = failed ? (response.response && response.response.text) || response.message || String(response) : "";
      markError(yasqe, failed ? text : "", box);
    });
    yasqe.on("query", function () { markError(yasqe, "", box); share(); });
    if (serverError) { markError(yasqe, serverError.textContent, box); serverError.hidden = true; }
    else if (new URLSearchParams(window.location.search).get("run")) { yasqe.query(); }
    document.body.classList.add("yasgui-ready");
  });
}());
