"""A real browser (headless Chromium) against a real `tehgraph serve` on the real build.

Walks what an analyst does: home → plan → measure → evidence → the quoted lines of the source;
a search for « reflexion »; a saved query run with a parameter and its CSV downloaded.
Screenshots go to /tmp/tehgraph-browser-*.png for people to look at.
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright
from rdflib import URIRef

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.namespaces import ID, expand, shorten
from tehgraph.search.text import fold

from .conftest import CHROMIUM, PROJECT_DIR

SRC = Path(__file__).resolve().parent.parent / "src"
SHOTS = Path("/tmp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(built):
    """`tehgraph serve` in a subprocess on a free port, serving the session's build."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "TEHGRAPH_DIST_DIR": str(built.dist)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", str(PROJECT_DIR), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/static/tehgraph.css", timeout=2)
            break
        except OSError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode()
                raise RuntimeError("tehgraph serve did not start: " + output) from error
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser_page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**CHROMIUM)
        context = browser.new_context(
            locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors
        browser.close()


def path_of(iri) -> str:
    return "/page/" + str(iri)[len(str(ID)) :]


def test_from_home_to_the_quoted_lines_of_a_source(server, browser_page, store):
    page, errors = browser_page
    plan = ID["plan/pan-2014-2016"]
    # the page lists a measure's assessments by date (measure 1 has the Collectif's and the CCEM's), then
    # each one's evidence by date, document and line
    row = store.query(
        "SELECT ?m ?doc ?start ?end WHERE { ?a teh:assesses ?m ; dcterms:date|teh:approximateDate ?d ; "
        "teh:evidence ?e . ?m teh:inPlan ?p . "
        "?e teh:statedIn ?doc ; teh:lineStart ?start ; teh:lineEnd ?end } "
        "ORDER BY ?m STR(?d) ?doc ?start LIMIT 1",
        {"p": plan},
    ).records()[0]
    page.goto(server + "/")
    page.screenshot(path=str(SHOTS / "tehgraph-browser-1-home.png"))
    page.click(f"main a[href='{path_of(plan)}']")
    expect(page).to_have_url(server + path_of(plan))
    page.click(f"main a[href='{path_of(row['m'])}']")
    expect(page).to_have_url(server + path_of(row["m"]))
    page.screenshot(path=str(SHOTS / "tehgraph-browser-2-measure.png"))
    page.click("section.kind-assessments a.evidence-link >> nth=0")
    slug = str(row["doc"]).rsplit("/", 1)[1]
    expect(page).to_have_url(
        f"{server}/source/{slug}#L{row['start']}" + ("" if row["start"] == row["end"] else f"-L{row['end']}")
    )
    first = page.locator(f"#L{row['start']}")
    expect(first).to_be_in_viewport()
    expect(first).to_have_class(re.compile(r"\bquoted\b.*\btarget\b"))
    page.screenshot(path=str(SHOTS / "tehgraph-browser-3-source.png"))
    assert errors == []


def test_search_reflexion_finds_the_reflection_period_demand(server, browser_page, store):
    page, errors = browser_page
    demands = [
        (str(d), str(label))
        for d, label in store.query(
            "SELECT DISTINCT ?d ?l WHERE { ?d a teh:Demand ; rdfs:label ?l ; teh:evidence/teh:statedIn ?doc "
            "FILTER(LANG(?l) = 'fr') }",
            {"doc": ID["doc/cr-2014-02-03"]},
        ).rows
        if "reflexion" in fold(str(label))
    ]
    assert demands, "the 2014 minutes state a demand about the reflection period"
    page.goto(server + "/")
    page.fill("header form.search input[name=q]", "reflexion")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=reflexion*")
    for iri, label in demands:
        expect(page.locator(f"ol.results a.hit-label[href='{path_of(iri)}']")).to_have_text(label)
    page.screenshot(path=str(SHOTS / "tehgraph-browser-4-search.png"), full_page=True)
    assert errors == []


def test_run_a_saved_query_with_a_parameter_and_download_csv(server, browser_page, store, tmp_path):
    page, errors = browser_page
    catalog = load_catalog(PROJECT_DIR)
    saved = next(q for q in catalog.values() if any(p.type == "iri" and p.cls for p in q.params))
    param = next(p for p in saved.params if p.type == "iri" and p.cls)
    candidates = [
        str(r[0]) for r in store.query("SELECT DISTINCT ?s WHERE { ?s a ?c }", {"c": param.cls}).rows
    ]
    default = str(expand(param.default)) if param.default else None
    value, expected = next(
        (c, result)
        for c in candidates
        if c != default and (result := run_saved(store, saved, {param.name: c})).rows
    )
    page.goto(server + "/queries/")
    page.click(f"a[href='/queries/{saved.slug}']")
    # The pickers listen once queries.js (deferred) has run: typing before the page has loaded
    # sends no request (the fresh-clone CI on a loaded machine once typed too early).
    page.wait_for_load_state("load")
    label = next(
        str(r[0])
        for r in store.query(
            "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'fr') }", {"s": URIRef(value)}
        ).rows
    )
    page.fill(f".picker:has(input[name={param.name}]) .picker-text", label)
    page.click(f".picker-list li[data-iri='{value}']")
    assert page.input_value(f"input[name={param.name}]") == value
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results")
    assert len(page.locator("table.results tbody tr").all()) == len(expected.rows)
    page.screenshot(path=str(SHOTS / "tehgraph-browser-5-query.png"))
    with page.expect_download() as download:
        page.click("p.downloads a:text-is('CSV')")
    target = tmp_path / "result.csv"
    download.value.save_as(target)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert [c for c in rows[0] if not c.endswith("_label")] == expected.vars
    assert len(rows) == len(expected.rows) + 1
    assert {r[0] for r in rows[1:]} == {str(row[0]) for row in expected.rows if row[0] is not None} | (
        {""} if any(row[0] is None for row in expected.rows) else set()
    )
    assert errors == []


def test_a_long_result_sorts_filters_and_pages(server, browser_page, store):
    page, errors = browser_page
    saved = load_catalog(PROJECT_DIR)["plan-measures"]
    rows = run_saved(store, saved, {"plan": "id:plan/pan-2019-2021"}).rows
    assert len(rows) > 25  # more than one page
    page.goto(server + "/queries/plan-measures?plan=id:plan/pan-2019-2021")
    body = page.locator(".view-panel[data-view=table] tbody tr")
    expect(body).to_have_count(25)
    expect(page.locator(".datatable-info")).to_contain_text(f"sur {len(rows)}")
    page.click(".datatable-pagination button:text-is('2')")
    expect(body).to_have_count(len(rows) - 25)
    word = "victimes"
    wanted = sum(1 for r in rows if any(word in cell_text(store, term).casefold() for term in r))
    page.fill(".datatable-input", word)
    expect(body).to_have_count(wanted)
    page.fill(".datatable-input", "")
    first_column = ".view-panel[data-view=table] tbody tr td:first-child"
    page.click(".view-panel[data-view=table] thead th:first-child button")
    page.click(".view-panel[data-view=table] thead th:first-child button")  # descending
    shown = page.locator(first_column).all_text_contents()
    assert shown == sorted(shown, key=lambda t: t.casefold(), reverse=True)
    assert errors == []


def cell_text(store, term) -> str:
    """What a result cell shows: an IRI's French label and its CURIE, a literal's text."""
    if not isinstance(term, URIRef):
        return "" if term is None else str(term)
    query = "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'fr') }"
    return " ".join([*(str(r[0]) for r in store.query(query, {"s": term}).rows), shorten(str(term))])


def test_views_are_tabs(server, browser_page):
    page, errors = browser_page
    for slug, kind in [
        ("demand-responses", "heatmap"),
        ("meeting-attendance", "graph"),
        ("stances-over-time", "timeline"),
        ("ministries-by-measures", "bar"),
    ]:
        page.goto(f"{server}/queries/{slug}")
        panel = page.locator(f".view-panel[data-view={kind}]")
        expect(panel).to_be_hidden()
        page.click(f".view-tab[data-view={kind}]")
        expect(panel).to_have_attribute("data-drawn", "true")
        expect(page.locator(".view-panel[data-view=table]")).to_be_hidden()
        page.screenshot(path=str(SHOTS / f"tehgraph-view-{slug}-{kind}.png"), full_page=True)
    assert errors == []


def test_the_editor_completes_marks_errors_and_shares(server, browser_page):
    page, errors = browser_page
    page.goto(server + "/sparql/editor?query=" + quote("SELECT * WHERE { ?s a teh:Mea"))
    page.wait_for_selector("body.yasgui-ready")
    page.click(".CodeMirror")
    page.keyboard.press("Control+End")
    page.keyboard.type("s")
    expect(page.locator(".CodeMirror-hints li").first).to_have_text("teh:Measure")
    page.keyboard.press("Escape")
    page.goto(server + "/sparql/editor?run=1&query=" + quote("SELECT * WHERE {\n  ?s ?p }"))
    page.wait_for_selector("body.yasgui-ready")
    box = page.locator("#editor-error")
    expect(box).to_have_attribute("data-line", "2")
    expect(box).to_have_attribute("data-col", "10")  # the offending token « } », as Oxigraph reports it
    expect(page.locator(".sparql-error-marker")).to_have_count(1)
    page.click(".CodeMirror")
    page.keyboard.press("Control+a")
    page.keyboard.type("ASK { ?s ?p ?o }")
    shared = parse_qs(urlsplit(page.url).query)["query"][0]
    assert shared == "ASK { ?s ?p ?o }"
    page.screenshot(path=str(SHOTS / "tehgraph-editor.png"), full_page=True)
    errors[:] = [e for e in errors if "400" not in e]  # the bad query's own answer
    assert errors == []


def test_the_analysis_views_draw_without_errors(server, browser_page):
    page, errors = browser_page
    for path, name in [
        ("/views/responses/pan-2019-2021", "responses-2019"),
        ("/views/stances", "stances"),
        ("/views/plans?dimension=form", "plans-by-form"),
        ("/views/network?year=2014", "network-2014"),
    ]:
        page.goto(server + path)
        expect(page.locator("h1")).to_be_visible()
        page.screenshot(path=str(SHOTS / f"tehgraph-view-{name}.png"), full_page=True)
    graph = page.locator(".view-panel[data-view=graph]")
    expect(graph).to_have_attribute("data-drawn", "true")
    assert int(page.get_attribute(".graph-canvas", "data-edges")) > 0
    assert errors == []
