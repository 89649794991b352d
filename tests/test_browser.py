"""A real browser (headless Chromium) against a real `tehgraph serve` on the real build.

Walks what an analyst does: home → plan → measure → evidence → the quoted lines of the source;
a search for « reflexion »; a saved query run with a parameter and its CSV downloaded.
Screenshots go to /tmp/tehgraph-browser-*.png for people to look at.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.namespaces import ID, expand
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
    expect(first).to_have_class("line quoted target")
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
    page.select_option(f"select[name={param.name}]", value)
    page.click("form.params button[type=submit]")
    page.wait_for_selector("table.results")
    assert len(page.locator("table.results tbody tr").all()) == len(expected.rows)
    page.screenshot(path=str(SHOTS / "tehgraph-browser-5-query.png"))
    with page.expect_download() as download:
        page.click("p.downloads a:text-is('CSV')")
    target = tmp_path / "result.csv"
    download.value.save_as(target)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == expected.vars
    assert len(rows) == len(expected.rows) + 1
    assert {r[0] for r in rows[1:]} == {str(row[0]) for row in expected.rows if row[0] is not None} | (
        {""} if any(row[0] is None for row in expected.rows) else set()
    )
    assert errors == []
