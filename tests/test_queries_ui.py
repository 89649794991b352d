"""Saved-query pages, « open in the editor », labelled downloads, pickers and the API (issue 17).

Flask's test client over the real built graph; the expected rows come from the store itself, run
with the same parameters bound, never from numbers written here.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from tehgraph.catalog import bind_parameters
from tehgraph.namespaces import TEH, expand
from tehgraph.web import create_app

# Three parameterised queries, each with a value that is NOT its default: the editor used to drop it.
PARAMETERISED = [
    ("plan-measures", {"plan": "id:plan/pan-2019-2021"}),
    ("measures-without-demand", {"plan": "id:plan/pan-2019-2021"}),
    ("measure-stances", {"measure": "id:measure/pan-2014-2016/3"}),
]


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def catalog(app):
    return app.extensions["tehgraph"].catalog


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def expected_rows(store, saved, raw: dict[str, str]) -> int:
    return len(store.query(saved.text, bind_parameters(store, saved, raw)).rows)


@pytest.mark.parametrize(("slug", "raw"), PARAMETERISED)
def test_open_in_the_editor_runs_the_rows_the_page_ran(client, catalog, store, slug, raw):
    saved = catalog[slug]
    page = soup(client.get(f"/queries/{slug}", query_string=raw))
    shown = len(page.select(".view-panel[data-view=table] tbody tr"))
    link = page.select_one("a.button[href^='/sparql/editor']")["href"]
    text = parse_qs(urlsplit(link).query)["query"][0]
    assert "VALUES" in text and str(expand(raw[saved.params[0].name])) in text
    editor = soup(client.get(link))
    in_editor = len(editor.select("#results table.results tbody tr"))
    unbound = len(store.query(saved.text, {}).rows)  # what the editor used to run
    print(f"{slug} {raw}: page {shown}, editor {in_editor} (before: {unbound})")
    assert shown == in_editor == expected_rows(store, saved, raw)
    assert f"{shown} " in editor.select_one("#results .count").text


def test_columns_are_labelled_and_iris_show_their_labels(client, catalog):
    saved = catalog["plan-measures"]
    page = soup(client.get("/queries/plan-measures"))
    headers = [th.text for th in page.select(".view-panel[data-view=table] thead th")]
    assert headers == [saved.column_label(c, "fr") for c in saved.columns] and headers != list(saved.columns)
    english = soup(client.get("/queries/plan-measures?lang=en"))
    assert [th.text for th in english.select("thead th")] == [
        saved.column_label(c, "en") for c in saved.columns
    ]
    first = page.select_one("tbody td a")
    assert first["href"].startswith("/") and not first.text.startswith("http")
    assert "^^" not in page.select_one("tbody").text and "xsd:" not in page.select_one("tbody").text


def test_labelled_csv_and_its_excel_variant(client, store, catalog):
    saved = catalog["plan-measures"]
    plain = client.get("/queries/plan-measures?format=csv")
    assert plain.mimetype == "text/csv" and "header=present" in plain.headers["Content-Type"]
    rows = list(csv.DictReader(io.StringIO(plain.get_data(as_text=True))))
    assert len(rows) == expected_rows(store, saved, {})
    assert (
        "measure_label" in rows[0] and rows[0]["measure_label"] and rows[0]["measure"].startswith("https://")
    )
    excel = client.get("/queries/plan-measures?format=csv-excel").get_data(as_text=True)
    assert excel.startswith("\ufeff")
    assert list(csv.DictReader(io.StringIO(excel[1:]), delimiter=";")) == rows
    assert (
        "attachment" in client.get("/queries/plan-measures?format=csv-excel").headers["Content-Disposition"]
    )


def test_the_page_offers_views_as_tabs_and_pickers(client):
    page = soup(client.get("/queries/demand-responses"))
    assert [b["data-view"] for b in page.select(".view-tab")] == ["table", "heatmap"]
    picker = page.select_one(".picker")
    assert picker["data-class"] == "teh:ActionPlan" and picker.select_one(".picker-text")["value"]


def test_pick_filters_by_class_with_subclasses_and_names_the_plan(client, app):
    state = app.extensions["tehgraph"]
    actors = client.get("/search/pick?q=min&class=teh:Actor&limit=20").get_json()
    assert actors and all(str(TEH.Actor) in state.classes_of(a["iri"]) for a in actors)
    assert any(a["class"] != str(TEH.Actor) for a in actors)  # subclasses count
    measures = client.get("/search/pick?q=mesure&class=teh:Measure").get_json()
    assert measures and all(m["iri"].split("/")[-2].removeprefix("pan-") in m["label"] for m in measures)
    assert client.get("/search/pick?q=min&class=nope:Thing").get_json() == []


def test_api_answers_json_and_csv(client, store, catalog):
    saved, raw = catalog["plan-measures"], {"plan": "id:plan/pan-2019-2021"}
    answer = client.get("/api/queries/plan-measures", query_string=raw).get_json()
    assert answer["count"] == len(answer["rows"]) == expected_rows(store, saved, raw)
    assert set(answer["rows"][0]) >= {"measure", "measure_label"}
    by_accept = client.get("/api/queries/plan-measures", query_string=raw, headers={"Accept": "text/csv"})
    assert by_accept.mimetype == "text/csv"
    assert len(list(csv.DictReader(io.StringIO(by_accept.get_data(as_text=True))))) == answer["count"]
    bad = client.get("/api/queries/plan-measures?plan=id:nothing/here")
    assert bad.status_code == 400 and bad.get_json()["error"]
    assert client.get("/api/queries/plan-measures?format=xml").status_code == 400
    assert client.get("/api/queries/no-such-query").status_code == 404


def test_api_and_page_print_the_corpus_gaps_of_the_chosen_plan(client, catalog):
    assert catalog["measures-without-association"].depends_on
    later = {"plan": "id:plan/pan-2019-2021"}
    answer = client.get("/api/queries/measures-without-association", query_string=later).get_json()
    assert answer["gaps"] and all(g["message"] for g in answer["gaps"])
    page = soup(client.get("/queries/measures-without-association", query_string=later))
    assert len(page.select(".corpus-gap")) == len(answer["gaps"])
    first = {"plan": "id:plan/pan-2014-2016"}  # the corpus gives the first plan's implementers
    assert (
        client.get("/api/queries/measures-without-association", query_string=first).get_json()["gaps"] == []
    )
    assert not soup(client.get("/queries/measures-without-association", query_string=first)).select(
        ".corpus-gap"
    )


def test_openapi_document_describes_every_select_query(client, catalog):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    selects = {slug for slug, s in catalog.items() if s.kind == "SELECT"}
    assert {p.rsplit("/", 1)[1] for p in doc["paths"]} == selects
    op = doc["paths"]["/api/queries/plan-comparison"]["get"]
    dimension = next(p for p in op["parameters"] if p["name"] == "dimension")
    assert dimension["schema"]["enum"] == ["theme", "form", "target"]
    human = soup(client.get("/api/"))
    assert len(human.select("section.api-operation")) == len(selects)


def test_editor_completes_from_the_ontology_and_gives_error_positions(client, app):
    terms = client.get("/sparql/editor/terms.json").get_json()
    assert str(TEH.Measure) in terms["classes"] and str(TEH.respondsTo) in terms["properties"]
    assert any(p.startswith("teh: <") for p in terms["prefixes"])
    bad = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p }"})
    # the engine that runs the query parses it (Oxigraph: « error at LINE:COL »; rdflib: « line:LINE »)
    assert bad.status_code == 400 and re.search(r"error at 2:\d+|line:2\b", bad.get_data(as_text=True))
    measure = "https://w3id.org/tehgraph/id/measure/pan-2014-2016/3"
    labels = client.post("/sparql/editor/labels", json=[measure, "javascript:alert(1)"]).get_json()
    assert list(labels) == [measure] and labels[measure]["href"].startswith("/")
    assert client.post("/sparql/editor/labels", data="nope").status_code == 400


def test_editor_does_not_reflect_the_host(client):
    page = client.get("/sparql/editor", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
