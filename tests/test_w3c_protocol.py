"""The W3C SPARQL 1.1 Protocol and Service Description tests, run against a served app.

The manifests (tests/fixtures/w3c/, copied from the W3C rdf-tests) describe each test as RDF: the
HTTP requests to send and the response expected. They are read with rdflib and every entry is
either run, request by request, against a real waitress server holding fixture.trig, or listed in
NOT_APPLICABLE with the reason; a test checks that this table is exactly the manifest's updates.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from tehgraph.config import Settings
from tehgraph.formats import GRAPH_FORMATS, RESULT_FORMATS
from tehgraph.namespaces import SD
from tehgraph.web import create_app

from .ld_helpers import parse_graph, parse_results, send, served, write_dist

W3C = Path(__file__).parent / "fixtures" / "w3c"
PROTOCOL_MANIFEST = W3C / "protocol" / "manifest.ttl"
SD_MANIFEST = W3C / "service-description" / "manifest.ttl"
PROTOCOL_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
SD_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/service-description/manifest#"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
STATUS_CLASSES = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4, HTS.StatusCode5xx: 5}

UPDATE_REASON = "needs SPARQL Update to succeed (2xx); tehgraph's public endpoint is read-only"
# Entries of protocol/manifest.ttl that do not apply to a read-only query endpoint, and why.
# test_not_applicable_table_is_complete derives this set from the manifest; test_updates_are_refused
# sends their first request and checks the endpoint refuses it.
NOT_APPLICABLE = {
    "update_dataset_default_graph": UPDATE_REASON,
    "update_dataset_default_graphs": UPDATE_REASON,
    "update_dataset_named_graphs": UPDATE_REASON,
    "update_dataset_full": UPDATE_REASON,
    "update_post_form": UPDATE_REASON,
    "update_post_direct": UPDATE_REASON,
    "update_base_uri": UPDATE_REASON,
}


def entries(path: Path) -> tuple[Graph, list[URIRef]]:
    graph = Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


PROTOCOL, PROTOCOL_ENTRIES = entries(PROTOCOL_MANIFEST)
SD_GRAPH, SD_ENTRIES = entries(SD_MANIFEST)


def name(entry: URIRef, base: str) -> str:
    return str(entry)[len(base) :]


def requests(entry: URIRef) -> list[dict]:
    """The HTTP requests of a protocol test, in order, with what each response must be."""
    action = PROTOCOL.value(entry, MF.action)
    out = []
    for request in Collection(PROTOCOL, PROTOCOL.value(action, HT.requests)):
        body_node = PROTOCOL.value(request, HT.body)
        body = None
        if body_node is not None:
            encoding = str(PROTOCOL.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(PROTOCOL.value(body_node, CNT.chars)).encode(encoding.lower())
        headers = {}
        header_list = PROTOCOL.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(PROTOCOL, header_list):
                field_name = str(PROTOCOL.value(header, HT.fieldName))
                headers[field_name] = str(PROTOCOL.value(header, HT.fieldValue))
        response = PROTOCOL.value(request, HT.resp)
        out.append(
            {
                "method": str(PROTOCOL.value(request, HT.methodName)),
                # "A program using this manifest must replace /sparql/ with the endpoint's path."
                "path": str(PROTOCOL.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "body": body,
                "headers": headers,
                "status": {STATUS_CLASSES[s] for s in PROTOCOL.objects(response, MF.expectedStatus)},
                "format": PROTOCOL.value(response, MF.expectedFormat),
                "boolean": PROTOCOL.value(response, MF.expectedBoolean),
            }
        )
    return out


def is_update(request: dict) -> bool:
    content_type = request["headers"].get("content-type", "")
    body = request["body"] or b""
    return (
        content_type.startswith("application/sparql-update")
        or body.startswith(b"update=")
        or "update=" in request["path"]
    )


APPLICABLE = [e for e in PROTOCOL_ENTRIES if name(e, PROTOCOL_BASE) not in NOT_APPLICABLE]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server over an app whose store holds the W3C fixture dataset."""
    folder = tmp_path_factory.mktemp("w3c")
    dist = write_dist(W3C / "fixture" / "fixture.trig", folder / "dist")
    app = create_app(Settings(project_dir=folder, dist_dir=dist))
    with served(app) as address:
        yield address


def test_manifests_are_read():
    """The runner sees every entry the manifests list (34 protocol tests, 3 service description)."""
    assert len(PROTOCOL_ENTRIES) == len(set(PROTOCOL_ENTRIES)) == 34
    assert len(SD_ENTRIES) == 3
    assert all(requests(entry) for entry in PROTOCOL_ENTRIES)


def test_not_applicable_table_is_complete():
    """An entry is not applicable exactly when it needs an update to succeed; nothing else is left out."""
    needs_update = {
        name(entry, PROTOCOL_BASE)
        for entry in PROTOCOL_ENTRIES
        if any(is_update(r) and r["status"] & {2, 3} for r in requests(entry))
    }
    assert set(NOT_APPLICABLE) == needs_update
    assert set(NOT_APPLICABLE) <= {name(e, PROTOCOL_BASE) for e in PROTOCOL_ENTRIES}
    assert len(APPLICABLE) + len(NOT_APPLICABLE) == len(PROTOCOL_ENTRIES)


@pytest.mark.parametrize("entry", APPLICABLE, ids=lambda e: name(e, PROTOCOL_BASE))
def test_protocol(server, entry):
    """Send each request of the test as the manifest writes it; check status, format and answer."""
    host, port = server
    for request in requests(entry):
        answer = send(host, port, request["method"], request["path"], request["body"], request["headers"])
        assert answer.status // 100 in request["status"], (answer.status, answer.body[:500])
        if request["format"] == Literal("boolean"):
            assert answer.mime in (RESULT_FORMATS["json"].mime, RESULT_FORMATS["xml"].mime)
            result = parse_results(answer.body, answer.mime)
            assert result.type == "ASK"
            if request["boolean"] is not None:
                assert result.askAnswer == request["boolean"].toPython()
        elif request["format"] == Literal("tabular"):
            result = parse_results(answer.body, answer.mime)
            assert result.type == "SELECT" and result.vars
        elif request["format"] == Literal("RDF"):
            parse_graph(answer.body, answer.mime)
        if answer.status // 100 == 4:
            assert answer.mime == "text/plain" and answer.body.strip(), "a refusal says why"


@pytest.mark.parametrize("entry_name", sorted(NOT_APPLICABLE))
def test_updates_are_refused(server, entry_name):
    """The update tests that cannot apply still get a clear refusal, and the data is untouched."""
    host, port = server
    entry = URIRef(PROTOCOL_BASE + entry_name)
    request = requests(entry)[0]
    answer = send(host, port, request["method"], request["path"], request["body"], request["headers"])
    assert answer.status == 403
    assert b"read-only" in answer.body
    check = send(
        host,
        port,
        "GET",
        "/sparql?query=ASK%20%7B%20GRAPH%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09"
        "%2Fsparql%2Fdata%2Fdata3.rdf%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
    )
    assert parse_results(check.body, check.mime).askAnswer is True


# --- service description -----------------------------------------------------------------


def describe(server, accept: str | None) -> tuple[str, Graph]:
    host, port = server
    answer = send(host, port, "GET", "/sparql", headers={"Accept": accept} if accept else {})
    assert answer.status == 200
    return answer.mime, parse_graph(answer.body, answer.mime)


def sd_returns_rdf(server) -> None:
    for accept in (None, "*/*", *(f.mime for f in GRAPH_FORMATS.values())):
        mime, graph = describe(server, accept)
        assert mime == (accept if accept in [f.mime for f in GRAPH_FORMATS.values()] else "text/turtle")
        assert len(graph) > 0


def sd_has_endpoint_triple(server) -> None:
    host, port = server
    _, graph = describe(server, "text/turtle")
    endpoints = set(graph.objects(None, SD.endpoint))
    assert endpoints == {URIRef(f"http://{host}:{port}/sparql")}
    service = next(graph.subjects(SD.endpoint, URIRef(f"http://{host}:{port}/sparql")))
    assert (service, RDF.type, SD.Service) in graph


def sd_conforms_to_schema(server) -> None:
    _, graph = describe(server, "application/rdf+xml")
    shapes = Graph().parse(W3C / "service-description" / "sd-shapes.ttl")
    conforms, _, report = validate(graph, shacl_graph=shapes)
    assert conforms, report
    names = {graph.value(named, SD.name) for named in graph.subjects(RDF.type, SD.NamedGraph)}
    expected = {URIRef(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf") for n in (1, 2, 3)}
    assert names == expected
    # The fixture's default graph is not the merge of its named graphs: that feature must not be claimed.
    assert (None, SD.feature, SD.UnionDefaultGraph) not in graph


SERVICE_DESCRIPTION_TESTS = {
    "returns-rdf": sd_returns_rdf,
    "has-endpoint-triple": sd_has_endpoint_triple,
    "conforms-to-schema": sd_conforms_to_schema,
}


def test_every_service_description_test_is_implemented():
    assert set(SERVICE_DESCRIPTION_TESTS) == {name(e, SD_BASE) for e in SD_ENTRIES}


@pytest.mark.parametrize("entry", SD_ENTRIES, ids=lambda e: name(e, SD_BASE))
def test_service_description(server, entry):
    SERVICE_DESCRIPTION_TESTS[name(entry, SD_BASE)](server)


def test_shapes_catch_a_broken_description():
    """The schema check can fail: a service without endpoint and with an unknown feature is refused."""
    broken = Graph().parse(
        data="""
        @prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
        [] a sd:Service ; sd:supportedLanguage sd:SPARQL11Query ; sd:feature sd:Teleportation .
    """,
        format="turtle",
    )
    shapes = Graph().parse(W3C / "service-description" / "sd-shapes.ttl")
    conforms, _, _ = validate(broken, shacl_graph=shapes)
    assert not conforms


def test_endpoint_url_is_the_one_asked(server):
    """sd:endpoint follows the address the client used (behind another host name it changes too)."""
    host, port = server
    answer = send(host, port, "GET", "/sparql", headers={"Host": f"sparql.example:{port}"})
    graph = parse_graph(answer.body, answer.mime)
    assert {urlsplit(str(e)).netloc for e in graph.objects(None, SD.endpoint)} == {f"sparql.example:{port}"}
