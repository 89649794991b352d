// Saved-query pages and the analysis views: type-ahead pickers over /search/pick, a sortable,
// filterable, paged result table (simple-datatables, vendored), and result views as tabs in the
// manner of the Wikidata query service (bar chart, heat map, timeline: Chart.js; graph:
// Cytoscape.js). Data come from the page itself (data-* attributes), never from elsewhere.
(function () {
  "use strict";

  // --- pickers ---------------------------------------------------------------------------------
  function picker(box) {
    var text = box.querySelector(".picker-text"), value = box.querySelector(".picker-value");
    var list = box.querySelector(".picker-list"), timer = null, active = -1;
    value.classList.add("picker-hidden");
    function close() { list.hidden = true; list.textContent = ""; active = -1; }
    function choose(item) { value.value = item.iri; text.value = item.label; close(); }
    function show(items) {
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option"); li.dataset.iri = item.iri; li.textContent = item.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }
    text.addEventListener("input", function () {
      clearTimeout(timer);
      var q = text.value.trim();
      if (!q) { value.value = ""; close(); return; }
      timer = setTimeout(function () {
        var url = box.dataset.pickUrl + "?" + new URLSearchParams({ q: q, "class": box.dataset.class });
        fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(show).catch(close);
      }, 120);
    });
    text.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("li");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % Math.max(items.length, 1);
        items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      } else if (e.key === "Enter" && active >= 0 && items[active]) {
        e.preventDefault();
        choose({ iri: items[active].dataset.iri, label: items[active].textContent });
      } else if (e.key === "Escape") { close(); }
    });
    text.addEventListener("blur", function () { setTimeout(close, 150); });
    // typed before this script ran (a slow page): look it up now rather than never
    if (text.value.trim() && text.value !== text.defaultValue) { text.dispatchEvent(new Event("input")); }
  }

  // --- the table -------------------------------------------------------------------------------
  function datatable(table) {
    if (typeof window.simpleDatatables === "undefined") { return; }
    var fr = document.documentElement.lang === "fr";
    new window.simpleDatatables.DataTable(table, {
      perPage: 25, perPageSelect: [25, 50, 100, 500], searchable: true, sortable: true, fixedHeight: false, fixedColumns: false,
      labels: fr ? {
        placeholder: "Filtrer…", searchTitle: "Filtrer le tableau", perPage: "lignes par page",
        noRows: "Aucune ligne", noResults: "Aucune ligne ne correspond au filtre",
        info: "Lignes {start} à {end} sur {rows}"
      } : { placeholder: "Filter…", info: "Rows {start} to {end} of {rows}" }
    });
  }

  // --- views -----------------------------------------------------------------------------------
  function column(data, name, fallback) {
    var i = data.columns.findIndex(function (c) { return c.name === name; });
    return i >= 0 ? i : fallback;
  }
  function firstWhere(data, test) { return data.columns.findIndex(test); }
  function text(cell) { return cell ? cell.t : ""; }
  function number(cell) { var n = cell && typeof cell.s === "number" ? cell.s : parseFloat(cell && cell.t); return isNaN(n) ? 0 : n; }
  var PALETTE = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b", "#718096"];

  function barView(canvas, data, options) {
    var x = column(data, options.x, firstWhere(data, function (c) { return !c.numeric; }));
    var ys = [].concat(options.y || []).map(function (n) { return column(data, n, -1); }).filter(function (i) { return i >= 0; });
    if (!ys.length) { ys = [firstWhere(data, function (c) { return c.numeric; })]; }
    var series = options.series ? column(data, options.series, -1) : -1;
    var labels = [], datasets = {};
    data.rows.forEach(function (row) {
      var key = text(row[x]); if (labels.indexOf(key) < 0) { labels.push(key); }
      ys.forEach(function (y) {
        var name = series >= 0 ? text(row[series]) : data.columns[y].label;
        (datasets[name] = datasets[name] || {})[key] = (datasets[name][key] || 0) + number(row[y]);
      });
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: Object.keys(datasets).map(function (name, i) {
        return { label: name, backgroundColor: PALETTE[i % PALETTE.length],
                 data: labels.map(function (l) { return datasets[name][l] || 0; }) };
      }) },
      options: { indexAxis: labels.length > 12 ? "y" : "x", responsive: true, animation: false,
                 plugins: { legend: { display: Object.keys(datasets).length > 1 } } }
    });
  }

  function heatmapView(canvas, data, options) {
    var x = column(data, options.x, 0), y = column(data, options.y, 1), v = column(data, options.value, -1);
    var xs = [], ys = [], cells = {}, links = {};
    data.rows.forEach(function (row) {
      var a = text(row[x]) || "—", b = text(row[y]) || "—";
      if (xs.indexOf(a) < 0) { xs.push(a); } if (ys.indexOf(b) < 0) { ys.push(b); }
      var key = a + "\u0000" + b, numeric = v >= 0 && data.columns[v].numeric;
      cells[key] = cells[key] || { n: 0, labels: [] };
      cells[key].n += numeric ? number(row[v]) : 1;
      if (v >= 0 && !numeric) { cells[key].labels.push(text(row[v])); }
      links[key] = links[key] || (v >= 0 && row[v] && row[v].h) || (row[y] && row[y].h);
    });
    var max = Math.max.apply(null, Object.keys(cells).map(function (k) { return cells[k].n; }).concat([1]));
    var points = Object.keys(cells).map(function (k) { var p = k.split("\u0000"); return { x: p[0], y: p[1], v: cells[k].n, l: cells[k].labels, h: links[k] }; });
    canvas.height = Math.max(200, ys.length * 22 + 80);
    var chart = new window.Chart(canvas, {
      type: "matrix",
      data: { datasets: [{ data: points,
        backgroundColor: function (c) { var p = c.dataset.data[c.dataIndex]; return "rgba(43,108,176," + (0.15 + 0.85 * (p ? p.v : 0) / max) + ")"; },
        width: function (c) { var a = c.chart.chartArea; return a ? a.width / xs.length - 2 : 10; },
        height: function (c) { var a = c.chart.chartArea; return a ? a.height / ys.length - 2 : 10; } }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { type: "category", labels: xs, offset: true, grid: { display: false } },
                  y: { type: "category", labels: ys, offset: true, grid: { display: false } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          title: function () { return ""; },
          label: function (c) { var p = c.raw; return p.y + " × " + p.x + " : " + (p.l.length ? p.l.join(", ") : p.v); } } } },
        onClick: function (_e, elements) { if (elements.length) { var p = points[elements[0].index]; if (p.h) { window.location.href = p.h; } } } }
    });
    canvas.parentNode.classList.add("heatmap-wrap");
    return chart;
  }

  function timelineView(canvas, data, options) {
    var start = column(data, options.start, firstWhere(data, function (c) { return c.name === "date" || c.name === "first"; }));
    var end = options.end ? column(data, options.end, -1) : -1;
    var label = column(data, options.label, firstWhere(data, function (c) { return c.iri; }));
    var group = options.group ? column(data, options.group, -1) : -1;
    function time(t) { var s = String(t || ""); if (/^\d{4}$/.test(s)) { s += "-07-01"; } else if (/^\d{4}-\d{2}$/.test(s)) { s += "-15"; } var d = Date.parse(s); return isNaN(d) ? null : d; }
    var groups = {}, lanes = [];
    data.rows.forEach(function (row) {
      var t0 = time(text(row[start])); if (t0 === null) { return; }
      var g = group >= 0 ? text(row[group]) : (data.columns[label] ? data.columns[label].label : "");
      if (lanes.indexOf(g) < 0) { lanes.push(g); }
      var t1 = end >= 0 ? time(text(row[end])) : null;
      (groups[g] = groups[g] || []).push({ x: t0, x2: t1, y: lanes.indexOf(g), label: text(row[label]), h: row[label] && row[label].h, when: text(row[start]) });
    });
    // Same day and lane: one point, its size the number of events (dozens of demands on one day stay readable).
    var datasets = lanes.map(function (g, i) {
      var byDay = {};
      groups[g].forEach(function (p) { var k = p.x + (p.x2 ? "-" + p.x2 : ""); (byDay[k] = byDay[k] || []).push(p); });
      return { label: g, backgroundColor: PALETTE[i % PALETTE.length], data: Object.keys(byDay).map(function (k) {
        var ps = byDay[k]; return { x: ps[0].x, y: i, r: Math.min(4 + 2 * Math.sqrt(ps.length), 22), n: ps.length, items: ps };
      }) };
    });
    var years = data.rows.map(function (r) { return time(text(r[start])); }).filter(function (t) { return t !== null; });
    var minYear = new Date(Math.min.apply(null, years)).getFullYear(), maxYear = new Date(Math.max.apply(null, years)).getFullYear();
    canvas.height = Math.max(180, lanes.length * 50 + 80);
    new window.Chart(canvas, {
      type: "bubble", data: { datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { type: "linear", min: Date.UTC(minYear, 0, 1), max: Date.UTC(maxYear + 1, 0, 1),
                       ticks: { stepSize: 365.25 * 864e5, callback: function (v) { return new Date(v).getUTCFullYear(); } } },
                  y: { min: -0.5, max: lanes.length - 0.5, ticks: { stepSize: 1, callback: function (v) { return lanes[v] || ""; } } } },
        plugins: { tooltip: { callbacks: { label: function (c) {
          var p = c.raw; return p.items[0].when + " — " + (p.n > 1 ? p.n + " × " : "") + p.items.slice(0, 5).map(function (i) { return i.label; }).join(" ; ");
        } } } },
        onClick: function (_e, el) { if (el.length) { var p = datasets[el[0].datasetIndex].data[el[0].index]; if (p.items[0].h) { window.location.href = p.items[0].h; } } } }
    });
    canvas.parentNode.classList.add("timeline-wrap");
  }

  function graphView(box, data, options) {
    var s = column(data, options.source, 0), t = column(data, options.target, 1), l = options.label ? column(data, options.label, -1) : -1;
    var nodes = {}, edges = [];
    data.rows.forEach(function (row, i) {
      var a = row[s], b = row[t]; if (!a || !b || !a.t || !b.t) { return; }
      [a, b].forEach(function (c) { var id = c.i || c.t; nodes[id] = nodes[id] || { data: { id: id, label: c.t, href: c.h } }; });
      edges.push({ data: { id: "e" + i, source: a.i || a.t, target: b.i || b.t, label: l >= 0 ? text(row[l]) : "" } });
    });
    var cy = window.cytoscape({ container: box, elements: Object.keys(nodes).map(function (k) { return nodes[k]; }).concat(edges),
      style: [{ selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "#2b6cb0", width: 12, height: 12, "text-wrap": "ellipsis", "text-max-width": 120 } },
              { selector: "edge", style: { width: 1, "line-color": "#a0aec0", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#a0aec0", "arrow-scale": 0.6 } }],
      layout: { name: "cose", animate: false, nodeRepulsion: 6000 } });
    cy.on("tap", "node", function (e) { var h = e.target.data("href"); if (h) { window.location.href = h; } });
    box.dataset.nodes = String(Object.keys(nodes).length); box.dataset.edges = String(edges.length);
    return cy;
  }

  var DRAW = { bar: barView, heatmap: heatmapView, timeline: timelineView, graph: graphView };

  function views(box) {
    var data = JSON.parse(box.dataset.table), specs = {};
    JSON.parse(box.dataset.views).forEach(function (v) { specs[v[0]] = v[1] || {}; });
    var drawn = {};
    function open(kind) {
      box.querySelectorAll(".view-tab").forEach(function (b) { b.setAttribute("aria-selected", b.dataset.view === kind ? "true" : "false"); });
      box.querySelectorAll(".view-panel").forEach(function (p) { p.hidden = p.dataset.view !== kind; });
      if (kind !== "table" && !drawn[kind] && DRAW[kind]) {
        var panel = box.querySelector(".view-panel[data-view='" + kind + "']");
        var target = panel.querySelector("canvas, .graph-canvas");
        if (data.rows.length && ((kind === "graph" && window.cytoscape) || (kind !== "graph" && window.Chart))) {
          DRAW[kind](target, data, specs[kind]); panel.dataset.drawn = "true";
        } else {
          var p = document.createElement("p"); p.className = "muted"; p.textContent = JSON.parse(box.dataset.labels).empty; panel.appendChild(p);
        }
        drawn[kind] = true;
      }
    }
    box.querySelectorAll(".view-tab").forEach(function (b) { b.addEventListener("click", function () { open(b.dataset.view); }); });
    var wanted = new URLSearchParams(window.location.search).get("view"), first = JSON.parse(box.dataset.views)[0][0];
    open(wanted && specs[wanted] !== undefined ? wanted : first);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".picker").forEach(picker);
    document.querySelectorAll(".views").forEach(views);
    document.querySelectorAll("table.sortable").forEach(datatable);
  });
}());
