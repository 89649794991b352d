"""The SPARQL 1.1 Service Description of the endpoint, derived from the store and the formats table.

Clients (YASGUI, SPARQLWrapper users, federators) read it to learn the endpoint URL, the query
language, the result formats and the dataset; nothing in it is typed by hand, so it cannot drift
from what the endpoint really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .namespaces import SD, bind_prefixes
from .store import Store

FORMATS_NS = "http://www.w3.org/ns/formats/"
# The W3C's IRI for each format of formats.py (https://www.w3.org/ns/formats/), by format name.
# Tests check that every format of RESULT_FORMATS and GRAPH_FORMATS has one.
W3C_FORMAT_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "jsonld": "JSON-LD",
    "ntriples": "N-Triples",
    "rdfxml": "RDF_XML",
}

QUERIES = Path(__file__).parent / "ld_queries"


def _query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def w3c_format(name: str) -> URIRef:
    return URIRef(FORMATS_NS + W3C_FORMAT_NAMES[name])


@dataclass(frozen=True)
class DatasetFacts:
    """What the description says about the data; read once, since a served store never changes."""

    default_size: int
    graph_sizes: tuple[tuple[URIRef, int], ...]
    union_default_graph: bool


def dataset_facts(store: Store) -> DatasetFacts:
    sizes = tuple((name, int(size)) for name, size in store.query(_query("service-graph-sizes")).rows)
    default = int(store.query(_query("service-default-size")).rows[0][0])
    return DatasetFacts(default, sizes, not store.query(_query("service-not-union")).boolean)


def service_description(endpoint: str, facts: DatasetFacts) -> Graph:
    """sd:Service for `endpoint`: language, result formats, features and the dataset with sizes."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("formats", FORMATS_NS)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal("Read-only SPARQL 1.1 Query endpoint of tehgraph; SPARQL Update is refused.", lang="en"),
        )
    )
    for name in [*RESULT_FORMATS, *GRAPH_FORMATS]:
        graph.add((service, SD.resultFormat, w3c_format(name)))
    if facts.union_default_graph:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(facts.default_size)))
    for name, size in facts.graph_sizes:
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(size)))
    return graph
