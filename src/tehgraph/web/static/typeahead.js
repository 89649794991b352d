// tehgraph: type-ahead in the header's search box (no inline script; the form works without it).
// As the reader types, /search/pick (the search index, names only) offers the resources whose
// names match; arrows choose one, Enter opens its page, Escape closes the list. Enter with no
// choice submits the form: the full search. ARIA 1.2 combobox pattern, with a status line.
(function () {
  "use strict";
  var DELAY = 150;

  function setup(input) {
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null, active = -1, items = [], asked = "";
    list.id = "site-search-list";
    list.className = "typeahead";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("aria-label"));
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-typeahead");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(n) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (n + options.length) % options.length;
      options.forEach(function (el, i) { el.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    function show(rows) {
      items = rows;
      list.textContent = "";
      rows.forEach(function (row, i) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        var kind = document.createElement("span");
        li.id = "site-search-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        name.textContent = row.label;
        kind.className = "tag";
        kind.textContent = row.class_label;
        li.appendChild(name);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); window.location = row.url; });
        list.appendChild(li);
      });
      active = -1;
      list.hidden = rows.length === 0;
      input.setAttribute("aria-expanded", rows.length ? "true" : "false");
      status.textContent = rows.length ? input.dataset.hint.replace("{n}", rows.length) : input.dataset.none;
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      if (text === asked) { return; }
      asked = text;
      var url = input.dataset.pick + "?q=" + encodeURIComponent(text) + "&limit=8";
      var lang = form.querySelector("input[name=lang]");
      if (lang) { url += "&lang=" + encodeURIComponent(lang.value); }
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) { if (asked === text) { show(rows.filter(function (r) { return r.url; })); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { return; }
        event.preventDefault();
        choose(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0 && items[active]) {
        event.preventDefault();
        window.location = items[active].url;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[data-pick]");
    if (input && window.fetch) { setup(input); }
  });
}());
