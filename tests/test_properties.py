"""Property-based tests: no input a reader can type makes the real app answer 500 or reach out.

Hypothesis draws random and adversarial strings (quotes, braces, unicode, NUL, very long texts,
SERVICE calls to a local recording server, update keywords) into the search box, the saved
queries' parameters, entity paths and the SPARQL endpoint of the real app, with its guard on.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tehgraph.catalog import load_catalog
from tehgraph.web import create_app

from .security_helpers import UPDATES, recording_server, store_digest

FIXTURES_OK = [HealthCheck.function_scoped_fixture]
COMMON = hsettings(max_examples=150, deadline=None, suppress_health_check=FIXTURES_OK)

FRAGMENTS = [
    '"',
    "'",
    '"""',
    "{",
    "}",
    "<",
    ">",
    "\\",
    "\x00",
    "#",
    "?x",
    "$y",
    " . ",
    ";",
    "(",
    ")",
    "é",
    "œ",
    "\u202e",
    "\U0001f600",
    "\ufeff",
    "%00",
    "%",
    "&",
    "\n",
    "\r\n",
    " ",
    "*",
    "a",
    ":",
    "teh:",
    "id:",
    "https://w3id.org/tehgraph/id/",
    "../",
    "..%2f",
    "<script>",
    "SELECT",
    "WHERE",
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "SERVICE",
    "FILTER",
    "UNION",
    "GRAPH",
]
adversarial = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)
any_text = st.text(max_size=300) | adversarial | st.text(min_size=2000, max_size=30000, alphabet="{}\"' a<")


@pytest.fixture(scope="module")
def app(settings, store):
    app = create_app(replace(settings, query_workers=2), store)
    app.config["digest_before"] = store_digest(store)
    yield app
    app.extensions["tehgraph"].store.close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def recorder():
    with recording_server() as (url, hits):
        yield url, hits


def q(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def sparql_texts(url: str):
    """Queries built around real SPARQL: random holes filled with adversarial text or hostile clauses."""
    hostile = st.sampled_from(
        [
            f"SERVICE <{url}> {{ ?s ?p ?o }}",
            f"SERVICE SILENT <{url}x> {{ ?a ?b ?c }}",
            f"FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            "?s ?p ?o",
            "OPTIONAL { ?s rdfs:label ?l }",
        ]
    )
    prologue = st.sampled_from(["", f"PREFIX e: <{url}> ", "BASE <http://127.0.0.1/> "])
    shape = st.sampled_from(
        [
            "SELECT * WHERE {{ {} {} }}",
            "ASK {{ {} {} }}",
            "CONSTRUCT WHERE {{ {} {} }}",
            "SELECT * FROM <" + url + "> WHERE {{ {} {} }}",
            "{}{}",
        ]
    )
    built = st.tuples(prologue, shape, hostile | adversarial, hostile | adversarial).map(
        lambda t: t[0] + t[1].format(t[2], t[3])
    )
    return built | st.sampled_from(UPDATES) | any_text


@COMMON
@given(text=any_text)
def test_search_never_fails(client, text):
    response = client.get(f"/search/?q={q(text)}")
    assert response.status_code == 200
    assert b"Traceback" not in response.data


@COMMON
@given(data=st.data())
def test_saved_query_parameters_never_fail(client, project_dir, data):
    catalog = load_catalog(project_dir)
    slug = data.draw(st.sampled_from(sorted(catalog)))
    params = {p.name: data.draw(any_text) for p in catalog[slug].params}
    fmt = data.draw(st.sampled_from([None, "csv", "json", "ttl", "xml", "<b>"]))
    query = urllib.parse.urlencode({**params, **({"format": fmt} if fmt else {})})
    response = client.get(f"/queries/{slug}?{query}")
    assert response.status_code in (200, 400), (slug, params, response.status_code)


@COMMON
@given(path=any_text, suffix=st.sampled_from(["", ".ttl", ".jsonld", ".nt", ".rdf", ".html", ".x"]))
def test_entity_and_resource_paths_never_fail(client, path, suffix):
    for url in (f"/page/{q(path)}{suffix}", f"/id/{q(path)}{suffix}", f"/browse/{q(path)}"):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code in (200, 303, 308, 400, 404), url
        if response.status_code == 308:  # `/browse//` → `/browse/`: a relative redirect, not to the Host
            assert response.headers["Location"].startswith("/"), response.headers["Location"]


@hsettings(max_examples=300, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_sparql_text_never_fails_never_writes_never_reaches_out(client, app, recorder, data):
    url, hits = recorder
    text = data.draw(sparql_texts(url))
    method = data.draw(st.sampled_from(["get", "form", "direct", "editor"]))
    if method == "get":
        response = client.get(f"/sparql?query={q(text)}")
    elif method == "form":
        response = client.post("/sparql", data={"query": text})
    elif method == "direct":
        response = client.post(
            "/sparql", data=text.encode("utf-8", "surrogatepass"), content_type="application/sparql-query"
        )
    else:
        response = client.get(f"/sparql/editor?run=1&query={q(text)}")
    assert response.status_code in (200, 400, 403, 413, 503), (text[:300], response.status_code)
    assert b"Traceback" not in response.data
    assert hits == []


def test_the_data_are_unchanged_after_the_properties(app, store):
    """Runs last in this module: the served store's quads are those it held before the properties."""
    assert store_digest(store) == app.config["digest_before"]
