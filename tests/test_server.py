"""A real `tehgraph serve` subprocess on a free port, queried with SPARQLWrapper like any client.

The answers are compared with the embedded store over the same build: SELECT in JSON, XML and
CSV, CONSTRUCT as Turtle, ASK; plus the refusals a client sees (bad query, update) and linked data
fetched over HTTP.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tehgraph.namespaces import ID, sparql_prologue

from .conftest import PROJECT_DIR

MEASURES = sparql_prologue() + "SELECT ?m ?n WHERE { ?m a teh:Measure ; teh:number ?n }"
PLANS = sparql_prologue() + (
    "CONSTRUCT { ?p a teh:ActionPlan ; rdfs:label ?l } WHERE { ?p a teh:ActionPlan ; rdfs:label ?l }"
)
ASK = sparql_prologue() + "ASK { ?m a teh:Measure }"
SRC = Path(__file__).resolve().parent.parent / "src"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    """`python -m tehgraph serve` over the session's build; stopped (by its pid) at the end."""
    port = free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("wb")
    env = {
        **os.environ,
        "TEHGRAPH_DIST_DIR": str(built.dist),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        "-m",
        "tehgraph",
        "serve",
        str(PROJECT_DIR),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise AssertionError(f"tehgraph serve exited: {Path(log.name).read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "/sparql", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError("tehgraph serve did not answer within 120 s") from None
            time.sleep(0.3)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def client(server: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def text_of(binding) -> str:
    """The value inside <binding><uri|literal>value</…></binding>."""
    term = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
    return "".join(n.data for n in term.childNodes if n.nodeType == n.TEXT_NODE)


def expected_rows(store) -> set[tuple[str, str]]:
    return {(str(m), str(n)) for m, n in store.query(MEASURES).rows}


def test_select_json(server, store):
    answer = client(server, MEASURES, JSON).queryAndConvert()
    rows = {(b["m"]["value"], b["n"]["value"]) for b in answer["results"]["bindings"]}
    assert rows == expected_rows(store) and rows
    assert {b["n"]["datatype"] for b in answer["results"]["bindings"]} == {
        "http://www.w3.org/2001/XMLSchema#integer"
    }


def test_select_xml(server, store):
    document = client(server, MEASURES, XML).queryAndConvert()
    rows = set()
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): text_of(b) for b in result.getElementsByTagName("binding")}
        rows.add((values["m"], values["n"]))
    assert rows == expected_rows(store)


def test_select_csv_by_post(server, store):
    sparql = client(server, MEASURES, CSV)
    sparql.setMethod(POST)
    text = sparql.queryAndConvert()
    reader = csv.reader(io.StringIO(text.decode("utf-8") if isinstance(text, bytes) else text))
    header, *rows = list(reader)
    assert header == ["m", "n"]
    assert {tuple(r) for r in rows} == expected_rows(store)


def test_construct_turtle(server, store):
    data = client(server, PLANS, TURTLE).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    expected = store.query(PLANS).graph
    assert len(expected) > 0 and isomorphic(graph, expected)


def test_ask(server, store):
    assert client(server, ASK, JSON).queryAndConvert()["boolean"] is store.query(ASK).boolean is True
    nothing = sparql_prologue() + "ASK { ?m a teh:NoSuchClass }"
    assert (
        client(server, nothing, XML).queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data
        == "false"
    )


def test_bad_query_reaches_the_client_as_400(server):
    with pytest.raises(QueryBadFormed):
        client(server, "SELECT ?x WHERE { ?x a ", JSON).queryAndConvert()


def test_update_is_refused(server, store):
    before = store.count()
    sparql = client(server, "INSERT DATA { <http://x.example/s> <http://x.example/p> 1 }", JSON)
    sparql.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403
    assert client(server, "ASK { <http://x.example/s> ?p ?o }", JSON).queryAndConvert()["boolean"] is False
    assert store.count() == before


def test_linked_data_over_http(server, store):
    iri = URIRef(str(store.query(MEASURES).rows[0][0]))
    url = server + "/id/" + str(iri)[len(str(ID)) :]
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get_content_type() == "text/turtle"
        graph = Graph().parse(data=response.read(), format="turtle")
    assert isomorphic(graph, store.describe(iri))
    number = store.query(MEASURES).rows[0][1]
    assert (iri, URIRef("https://w3id.org/tehgraph/ontology#number"), Literal(int(number))) in graph
