"""`/sparql` and `/sparql/editor` on the real built graph, through Flask's test client.

Every answer is compared with what the store itself returns for the same query, never with
numbers pasted from a run; every format of the registry is exercised.
"""

from __future__ import annotations

import dataclasses
import io
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.query import Result

from tehgraph.catalog import load_catalog
from tehgraph.formats import DATASET_FORMATS, GRAPH_FORMATS, RESULT_FORMATS
from tehgraph.namespaces import GRAPH, SD, TEH, shorten
from tehgraph.protocol import needs_base, with_dataset
from tehgraph.web import create_app

from .conftest import PROJECT_DIR
from .ld_helpers import Page, parse_graph

MEASURES = "SELECT ?m ?n WHERE { ?m a teh:Measure ; teh:number ?n }"
PLANS_CONSTRUCT = (
    "CONSTRUCT { ?p a teh:ActionPlan ; rdfs:label ?l } WHERE { ?p a teh:ActionPlan ; rdfs:label ?l }"
)
ASK_MEASURE = "ASK { ?m a teh:Measure }"
ASK_NOTHING = "ASK { ?m a teh:NoSuchClass }"
BAD = "SELECT ?x WHERE { ?x a "


def get(client, query: str, accept: str | None = None, **params):
    return client.get(
        "/sparql?" + urlencode({"query": query, **params}), headers={"Accept": accept} if accept else {}
    )


def rows_of(result) -> set[tuple]:
    """Rows as sets of text, so CSV (which loses datatypes) compares with the store's terms."""
    return {tuple(str(v) for v in row) for row in result}


# --- query operations ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RESULT_FORMATS.values(), ids=lambda f: f.name)
def test_select_in_every_result_format(client, store, fmt):
    expected = store.query(MEASURES)
    assert expected.rows, "the real graph has measures"
    response = get(client, MEASURES, fmt.mime)
    assert response.status_code == 200
    assert response.mimetype == fmt.mime
    assert "Accept" in response.vary
    parsed = Result.parse(io.BytesIO(response.data), format=fmt.rdflib)
    assert [str(v) for v in parsed.vars] == expected.vars
    assert rows_of(parsed) == rows_of(expected.rows)


@pytest.mark.parametrize("fmt", RESULT_FORMATS.values(), ids=lambda f: f.name)
def test_format_parameter_overrides_accept(client, fmt):
    """Download links cannot set Accept: `format=` (name or suffix) chooses instead."""
    for value in (fmt.name, fmt.suffix):
        response = get(client, MEASURES, "application/sparql-results+xml", format=value)
        assert response.mimetype == fmt.mime


@pytest.mark.parametrize("fmt", [RESULT_FORMATS["json"], RESULT_FORMATS["xml"]], ids=lambda f: f.name)
@pytest.mark.parametrize("query", [ASK_MEASURE, ASK_NOTHING])
def test_ask(client, store, fmt, query):
    response = get(client, query, fmt.mime)
    assert response.mimetype == fmt.mime
    parsed = Result.parse(io.BytesIO(response.data), format=fmt.rdflib)
    assert parsed.askAnswer is store.query(query).boolean


@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_construct_in_every_graph_format(client, store, fmt):
    response = get(client, PLANS_CONSTRUCT, fmt.mime)
    assert response.status_code == 200 and response.mimetype == fmt.mime
    graph = Graph().parse(data=response.data, format=fmt.rdflib)
    expected = store.query(PLANS_CONSTRUCT).graph
    assert len(expected) > 0 and isomorphic(graph, expected)


def test_describe_gives_rdf(client, store):
    measure = store.query(MEASURES).rows[0][0]
    response = get(client, f"DESCRIBE <{measure}>")
    assert response.mimetype == GRAPH_FORMATS["turtle"].mime
    graph = parse_graph(response.data, response.mimetype)
    assert (measure, RDF.type, TEH.Measure) in graph


def test_default_format_when_accept_is_missing_or_any(client):
    for accept in (None, "*/*"):
        assert get(client, MEASURES, accept).mimetype == RESULT_FORMATS["json"].mime
        assert get(client, PLANS_CONSTRUCT, accept).mimetype == GRAPH_FORMATS["turtle"].mime


def test_post_form_and_post_direct_agree_with_get(client):
    by_get = get(client, MEASURES, "text/csv").data
    by_form = client.post("/sparql", data={"query": MEASURES}, headers={"Accept": "text/csv"})
    by_body = client.post(
        "/sparql",
        data=MEASURES.encode(),
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": "text/csv"},
    )
    assert by_form.status_code == by_body.status_code == 200
    parse = lambda data: rows_of(Result.parse(io.BytesIO(data), format="csv"))  # noqa: E731
    assert parse(by_form.data) == parse(by_body.data) == parse(by_get)


def test_relative_iris_resolve_against_the_endpoint(client):
    response = get(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples")
    graph = parse_graph(response.data, response.mimetype)
    assert (URIRef("http://localhost/s"), URIRef("http://localhost/p"), Literal(1)) in graph


# --- the protocol's dataset ----------------------------------------------------------------


def test_default_graph_uri_restricts_the_default_graph(client, store):
    """With default-graph-uri=G, a pattern sees exactly what it sees inside GRAPH <G>."""
    for name in ("plans", "actors", "ontology"):
        graph = GRAPH[name]
        expected = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert expected.rows
        response = get(
            client,
            "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
            "application/sparql-results+json",
            **{"default-graph-uri": str(graph)},
        )
        parsed = Result.parse(io.BytesIO(response.data), format="json")
        assert rows_of(parsed) == rows_of(expected.rows)


def test_named_graph_uri_gives_exactly_those_graphs(client):
    names = [str(GRAPH["plans"]), str(GRAPH["actors"])]
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    params = [("query", query), *[("named-graph-uri", n) for n in names]]
    response = client.get("/sparql?" + urlencode(params))
    parsed = Result.parse(io.BytesIO(response.data), format="json")
    assert {str(row[0]) for row in parsed} == set(names)


def test_protocol_dataset_overrides_the_query_dataset(client, store):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH['actors']}> WHERE {{ ?s ?p ?o }}"
    plans = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH['plans']}> {{ ?s ?p ?o }} }}")
    response = get(client, query, "text/csv", **{"default-graph-uri": str(GRAPH["plans"])})
    parsed = Result.parse(io.BytesIO(response.data), format="csv")
    assert [str(row[0]) for row in parsed] == [str(plans.rows[0][0])]


def test_with_dataset_rewrites_only_dataset_clauses():
    query = (
        "PREFIX ex: <http://e/>\n# FROM <c> in a comment\nSELECT * FROM ex:g FROM NAMED <http://h> "
        'WHERE { ?s ?p "FROM <z>" }'
    )
    rewritten = with_dataset(query, ("http://a",), ("http://b",))
    assert "FROM ex:g" not in rewritten and "FROM NAMED <http://h>" not in rewritten
    assert "# FROM <c> in a comment" in rewritten and '"FROM <z>"' in rewritten
    assert rewritten.index("FROM <http://a>") < rewritten.index("WHERE")
    construct = with_dataset("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ("http://a",), ())
    assert construct.index("}") < construct.index("FROM <http://a>") < construct.index("WHERE")
    assert with_dataset(query, (), ()) == query


# --- refusals ---------------------------------------------------------------------------------


def parser_message(query: str) -> str:
    """What the engine that runs public queries (pyoxigraph, in the sandboxed workers) says about a
    bad query: its own parser decides, and its message, with the position, is the 400 text."""
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(query)
    return str(parser.value)


def test_bad_query_is_400_with_the_parser_message(client):
    message = parser_message(BAD)
    for response in (get(client, BAD), client.post("/sparql", data={"query": BAD})):
        assert response.status_code == 400
        assert response.mimetype == "text/plain"
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {
            "method": "POST",
            "data": b"INSERT DATA { <http://x> <http://y> <http://z> }",
            "headers": {"Content-Type": "application/sparql-update"},
        },
    ],
    ids=["get-update", "form-update", "direct-update"],
)
def test_updates_are_refused_and_change_nothing(client, store, request_kwargs):
    before = store.count()
    response = client.open("/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert store.count() == before


def test_update_sent_as_a_query_is_refused(client, store):
    before = store.count()
    response = get(client, "INSERT DATA { <http://x> <http://y> <http://z> }")
    assert response.status_code == 403 and "read-only" in response.get_data(as_text=True)
    assert store.count() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/sparql-query; charset=UTF-16", None])
def test_wrong_media_types_are_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(
        "/sparql",
        data="ASK {}".encode("utf-16" if content_type and "16" in content_type else "utf-8"),
        headers=headers,
    )
    assert response.status_code == 415 and response.mimetype == "text/plain"


def test_two_queries_are_refused(client):
    response = client.get("/sparql?" + urlencode([("query", ASK_MEASURE), ("query", MEASURES)]))
    assert response.status_code == 400


def test_unacceptable_format_is_406(client):
    response = get(client, MEASURES, "image/png")
    assert response.status_code == 406
    assert RESULT_FORMATS["json"].mime in response.get_data(as_text=True)


def test_other_methods_are_405(client):
    response = client.put("/sparql", data={"query": ASK_MEASURE})
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_limits_of_the_public_endpoint(settings, store):
    """Over-long queries are refused (413); SELECT results are cut at max_rows and say so."""
    small = create_app(dataclasses.replace(settings, max_query_length=40, max_rows=3), store).test_client()
    assert get(small, MEASURES + " " * 40).status_code == 413
    response = get(small, "SELECT ?m WHERE { ?m a teh:Measure }", "text/csv")
    assert len(list(Result.parse(io.BytesIO(response.data), format="csv"))) == 3
    assert "Tehgraph-Truncated" in response.headers


def test_service_to_untrusted_endpoints_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = get(client, query)
    assert response.status_code == 403 and "SERVICE" in response.get_data(as_text=True)


def test_needs_base_only_for_relative_iris():
    assert needs_base("CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert not needs_base("SELECT * { ?s ?p ?o FILTER (?o < 3 && ?o > 1) }")
    assert not needs_base("BASE <http://x/> SELECT * { <s> ?p ?o }")


# --- service description, CORS ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_service_description(client, store, fmt):
    response = client.get("/sparql", headers={"Accept": fmt.mime})
    assert response.status_code == 200 and response.mimetype == fmt.mime
    graph = parse_graph(response.data, response.mimetype)
    service = graph.value(None, RDF.type, SD.Service, any=False) or next(graph.subjects(RDF.type, SD.Service))
    assert graph.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {URIRef(f.w3c_iri) for f in [*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()]}
    assert set(graph.objects(service, SD.resultFormat)) == formats
    graphs = {row[0] for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows}
    assert set(graph.objects(None, SD.name)) == graphs
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph, "default graph = merge of all graphs"


def test_every_format_has_a_w3c_iri():
    for fmt in [*RESULT_FORMATS.values(), *GRAPH_FORMATS.values(), *DATASET_FORMATS.values()]:
        assert fmt.w3c, fmt.name


def test_browsers_asking_the_endpoint_land_on_the_editor(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/sparql/editor")


def test_cors(client):
    """Scripts of other sites may query the endpoint (headers set by security.py for data paths)."""
    response = client.get(
        "/sparql?" + urlencode({"query": ASK_MEASURE}), headers={"Origin": "https://example.org"}
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()


# --- the editor ---------------------------------------------------------------------------------


def test_editor_page_has_no_inline_script_and_serves_its_files(client):
    response = client.get("/sparql/editor")
    assert response.status_code == 200
    page = Page.of(response.data)
    assert page.scripts and all("src" in s for s in page.scripts), "no inline scripts (CSP)"
    assert b"<script>" not in response.data and b" on" + b"click=" not in response.data
    for script in page.scripts:
        served = client.get(script["src"])
        assert served.status_code == 200 and "javascript" in served.mimetype
    assert page.textarea and page.textarea.strip()


def test_editor_prefills_a_query_as_text(client):
    query = 'SELECT ("<script>alert(1)</script>" AS ?x) {}'
    response = client.get("/sparql/editor?" + urlencode({"query": query}))
    assert Page.of(response.data).textarea == query
    assert b"<script>alert" not in response.data


def test_editor_offers_every_saved_query_as_an_example(client):
    catalog = load_catalog(PROJECT_DIR)
    assert catalog, "the project has saved queries"
    page = Page.of(client.get("/sparql/editor").data)
    for slug, saved in catalog.items():
        link = "/sparql/editor?" + urlencode({"example": slug})
        assert link in page.links
        assert Page.of(client.get(link).data).textarea == saved.text


def test_editor_runs_a_select_and_shows_a_table(client, store):
    expected = store.query(MEASURES)
    response = client.get("/sparql/editor?" + urlencode({"query": MEASURES, "run": 1}))
    page = Page.of(response.data)
    header, *rows = page.table_rows
    assert header == ["?m", "?n"]
    assert len(rows) == len(expected.rows)
    assert sorted(row[1] for row in rows) == sorted(f"{n} {shorten(n.datatype)}" for _, n in expected.rows)
    downloads = [link for link in page.links if link.startswith("/sparql?")]
    assert len(downloads) == len(RESULT_FORMATS)
    for link in downloads:
        assert client.get(link).status_code == 200


def test_editor_shows_ask_construct_and_errors(client, store):
    ask = Page.of(client.get("/sparql/editor?" + urlencode({"query": ASK_MEASURE, "run": 1})).data)
    assert "true" in ask.plain
    construct = Page.of(client.get("/sparql/editor?" + urlencode({"query": PLANS_CONSTRUCT, "run": 1})).data)
    assert len(construct.table_rows) - 1 == len(store.query(PLANS_CONSTRUCT).graph)
    error = client.get("/sparql/editor?" + urlencode({"query": BAD, "run": 1}))
    assert error.status_code == 400
    assert " ".join(parser_message(BAD).split()) in Page.of(error.data).plain


def test_vendored_editor_is_licensed(client):
    page = client.get("/sparql/editor").get_data(as_text=True)
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "VERSION"):
        assert client.get(f"/static/vendor/yasgui/{name}").status_code == 200
        assert name.startswith("yasgui.") is (f"/static/vendor/yasgui/{name}" in page)


def test_head_is_a_get_without_body(client):
    response = client.head("/sparql?" + urlencode({"query": ASK_MEASURE}))
    assert response.status_code == 200 and response.mimetype == RESULT_FORMATS["json"].mime
    assert response.data == b""
