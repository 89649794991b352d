"""Linked data on the real built graph: `/id/...` with content negotiation and suffixes, the
ontology at its namespace (RDF and HTML documentation), dumps and the VoID description.

Expected answers come from the store, from dist/ or from ontology/*.ttl parsed independently,
never from numbers pasted from a run; every format of the registry is exercised.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, OWL, RDF, RDFS, SH, SKOS, VOID

from tehgraph.dist import DUMP_STEM
from tehgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
from tehgraph.namespaces import ID, TEH, shorten
from tehgraph.void import DATASET_IRI

from .conftest import PROJECT_DIR
from .ld_helpers import Page, parse_graph

ONTOLOGY = PROJECT_DIR / "ontology"
# One resource of each class the data uses (the smallest IRI), so every kind of page is covered.
SAMPLE = """SELECT ?class (MIN(STR(?s)) AS ?iri) WHERE {
  ?s a ?class FILTER (STRSTARTS(STR(?s), "https://w3id.org/tehgraph/id/"))
} GROUP BY ?class ORDER BY ?class"""


@pytest.fixture(scope="module")
def samples(store) -> list[URIRef]:
    iris = sorted({URIRef(str(iri)) for _, iri in store.query(SAMPLE).rows})
    assert len(iris) > 10, "the real graph has resources of many classes"
    return iris


def path_of(iri: URIRef) -> str:
    return "/id/" + str(iri)[len(str(ID)) :]


# --- resources -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_resources_by_content_negotiation_round_trip(client, store, samples, fmt):
    for iri in samples:
        response = client.get(path_of(iri), headers={"Accept": fmt.mime})
        assert response.status_code == 200, iri
        assert response.mimetype == fmt.mime
        assert "Accept" in response.vary
        assert response.headers["Content-Location"] == f"{path_of(iri)}.{fmt.suffix}"
        graph = Graph().parse(data=response.data, format=fmt.rdflib)
        assert isomorphic(graph, store.describe(iri)), iri


@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_resources_by_suffix_round_trip(client, store, samples, fmt):
    for iri in samples:
        response = client.get(f"{path_of(iri)}.{fmt.suffix}", headers={"Accept": "text/html"})
        assert response.status_code == 200 and response.mimetype == fmt.mime, iri
        graph = Graph().parse(data=response.data, format=fmt.rdflib)
        assert isomorphic(graph, store.describe(iri)), iri


def test_turtle_puts_the_resource_first_and_writes_no_escaped_local_names(client, samples):
    for iri in samples:
        text = client.get(path_of(iri), headers={"Accept": "text/turtle"}).data.decode("utf-8")
        body = [line for line in text.splitlines() if line and not line.startswith("@prefix")]
        assert body[0].startswith(f"<{iri}> "), iri
        assert "\\/" not in text, iri  # `id:org\/ccem`: valid, unreadable
        declared = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
        assert all(any(p in line for line in body) for p in declared), iri  # each one used


def test_own_first_puts_the_resources_blank_nodes_right_after_it():
    """The real data has no blank node on a resource; a meeting's attendances could be some."""
    from rdflib import BNode

    from tehgraph.oxterms import to_ox
    from tehgraph.web.linked_data import own_first

    meeting, other = URIRef(str(ID) + "meeting/m"), URIRef(str(ID) + "org/o")
    seat = BNode("seat")
    graph = Graph()
    graph.add((other, TEH.participatedIn, meeting))
    graph.add((seat, TEH.onBehalfOf, other))
    graph.add((meeting, TEH.hasAttendance, seat))
    graph.add((meeting, RDF.type, TEH.Meeting))
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    text = own_first(triples, meeting).decode("utf-8")
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
    body = [line for line in text.splitlines() if line and not line.startswith("@prefix")]
    assert body[0].startswith(f"<{meeting}> a teh:Meeting")
    assert body[2].startswith("_:")  # the attendance, before the organisation that points at the meeting
    assert body[3].startswith(f"<{other}>")


def test_a_resource_states_what_the_store_states(client, store, samples):
    """Not only the same shape: the triples name the resource, with its type and label."""
    for iri in samples:
        graph = parse_graph(client.get(path_of(iri) + ".nt").data, "application/n-triples")
        types = {row[0] for row in store.query("SELECT ?t WHERE { ?s a ?t }", {"s": iri}).rows}
        assert set(graph.objects(iri, RDF.type)) == types


def test_browsers_are_sent_to_the_html_page(client, samples):
    for iri in samples[:5]:
        response = client.get(path_of(iri), headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert response.status_code == 303
        assert "Accept" in response.vary
        location = urlsplit(response.headers["Location"]).path
        assert location == "/page/" + str(iri)[len(str(ID)) :]
        assert client.get(location).status_code == 200


def test_any_accept_gets_turtle(client, samples):
    for accept in (None, "*/*"):
        response = client.get(path_of(samples[0]), headers={"Accept": accept} if accept else {})
        assert response.mimetype == GRAPH_FORMATS["turtle"].mime


@pytest.mark.parametrize(
    "path", ["/id/nothing/here", "/id/nothing/here.ttl", "/id/org/ccem.xyz", "/id/org/with space", "/id/"]
)
def test_unknown_resources_are_404(client, path):
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_unacceptable_accept_is_406(client, samples):
    assert client.get(path_of(samples[0]), headers={"Accept": "image/png"}).status_code == 406


def test_dataset_resources_come_from_the_void(client):
    """id/dataset… IRIs are minted by the VoID, not stored in the graph: they are served from it."""
    response = client.get("/id/dataset", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = parse_graph(response.data, response.mimetype)
    assert (DATASET_IRI, RDF.type, VOID.Dataset) in graph


# --- the ontology -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology_file() -> Graph:
    return Graph().parse(ONTOLOGY / "tehgraph.ttl", format="turtle")


@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_ontology_is_its_file_in_every_format(client, ontology_file, fmt):
    by_accept = client.get("/ontology", headers={"Accept": fmt.mime})
    for response in (by_accept, client.get(f"/ontology.{fmt.suffix}")):
        assert response.status_code == 200 and response.mimetype == fmt.mime
        assert isomorphic(Graph().parse(data=response.data, format=fmt.rdflib), ontology_file)


def test_ontology_documentation_lists_every_class_and_property(client, ontology_file):
    response = client.get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = Page.of(response.data)
    classes = [c for c in ontology_file.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)]
    properties = [
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in ontology_file.subjects(RDF.type, kind)
    ]
    assert len(classes) > 20 and len(properties) > 20
    for term in [*classes, *properties]:
        anchor = str(term).rsplit("#", 1)[-1]
        assert anchor in page.rows, term
        cells = " ".join(page.rows[anchor])
        assert shorten(str(term)) in cells
        for label in ontology_file.objects(term, RDFS.label):
            assert str(label) in cells, (term, label)
    for prop in properties:
        cells = " ".join(page.rows[str(prop).rsplit("#", 1)[-1]])
        for related in [*ontology_file.objects(prop, RDFS.domain), *ontology_file.objects(prop, RDFS.range)]:
            if isinstance(related, URIRef):
                assert shorten(str(related)) in cells, (prop, related)


def test_ontology_documentation_lists_schemes_concepts_and_shapes(client):
    concepts = Graph().parse(ONTOLOGY / "concepts.ttl", format="turtle")
    ontology = Graph().parse(ONTOLOGY / "tehgraph.ttl", format="turtle")
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    page = Page.of(client.get("/ontology", headers={"Accept": "text/html"}).data)
    text = page.plain
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        assert str(scheme).rsplit("#", 1)[-1] in page.ids
    for concept in concepts.subjects(RDF.type, SKOS.Concept):
        for label in concepts.objects(concept, SKOS.prefLabel):
            assert str(label) in text, concept
    messages = {str(m) for m in shapes.objects(None, SH.message)}
    assert messages
    for message in messages:
        assert " ".join(message.split()) in text, message


# --- dumps and VoID -------------------------------------------------------------------------


DUMP_FORMATS = [*DATASET_FORMATS.values(), *GRAPH_FORMATS.values()]


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.name)
def test_dumps_are_the_build_files(client, built, fmt):
    response = client.get(f"/dumps/{DUMP_STEM}.{fmt.suffix}")
    assert response.status_code == 200
    assert response.mimetype == fmt.mime
    assert response.data == (Path(built.dist) / f"{DUMP_STEM}.{fmt.suffix}").read_bytes()


@pytest.mark.parametrize(
    "path", ["/dumps/other.ttl", "/dumps/tehgraph.exe", "/dumps/..%2Fconftest.py", "/dumps/../tehgraph.ttl"]
)
def test_no_other_file_is_served(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
@pytest.mark.parametrize("fmt", GRAPH_FORMATS.values(), ids=lambda f: f.name)
def test_void_points_to_this_server(client, store, path, fmt):
    response = client.get(path, headers={"Accept": fmt.mime})
    assert response.status_code == 200 and response.mimetype == fmt.mime
    void = Graph().parse(data=response.data, format=fmt.rdflib)
    assert (DATASET_IRI, VOID.sparqlEndpoint, URIRef("http://localhost/sparql")) in void
    downloads = list(void.objects(None, DCAT.downloadURL))
    assert len(downloads) == len(DUMP_FORMATS)
    for distribution in void.subjects(RDF.type, DCAT.Distribution):
        url = void.value(distribution, DCAT.downloadURL)
        assert str(url).startswith("http://localhost/dumps/")
        served = client.get(urlsplit(str(url)).path)
        assert served.status_code == 200
        assert served.mimetype == str(void.value(distribution, DCAT.mediaType))
    sizes = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    assert void.value(DATASET_IRI, VOID.triples) == Literal(sum(int(n) for _, n in sizes))


def test_void_file_itself_is_served(client, built):
    response = client.get("/dumps/void.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.data == (Path(built.dist) / "void.ttl").read_bytes()


# --- CORS on the data paths -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/id/{sample}", "/ontology.ttl", "/void", "/.well-known/void", f"/dumps/{DUMP_STEM}.ttl"]
)
def test_data_paths_are_open_to_other_sites(client, samples, path):
    response = client.get(
        path.format(sample=str(samples[0])[len(str(ID)) :]),
        headers={"Origin": "https://example.org", "Accept": "text/turtle"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_ontology_terms_link_back(client):
    """Class anchors are the local names, so https://w3id.org/tehgraph/ontology#Measure lands on its row."""
    page = Page.of(client.get("/ontology", headers={"Accept": "text/html"}).data)
    assert str(TEH.Measure).rsplit("#", 1)[-1] in page.rows
