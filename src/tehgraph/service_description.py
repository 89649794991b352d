"""The SPARQL 1.1 Service Description of the endpoint, derived from the store and the formats table.

Clients (YASGUI, SPARQLWrapper users, federators) read it to learn the endpoint URL, the query
language, the result formats and the dataset; nothing in it is typed by hand, so it cannot drift
from what the endpoint really does.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from . import builtin
from .formats import FORMATS_NS, GRAPH_FORMATS, RESULT_FORMATS
from .graphs import kind_of
from .namespaces import SD, bind_prefixes
from .stores.base import Store


@dataclass(frozen=True)
class DatasetFacts:
    """What the description says about the data; read once, since a served store never changes."""

    default_size: int
    graph_sizes: tuple[tuple[URIRef, int], ...]
    union_default_graph: bool


def dataset_facts(store: Store) -> DatasetFacts:
    sizes = tuple((name, int(size)) for name, size in store.query(builtin.sparql("service-graph-sizes")).rows)
    default = int(store.query(builtin.sparql("service-default-size")).rows[0][0])
    return DatasetFacts(default, sizes, not store.query(builtin.sparql("service-not-union")).boolean)


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
    for fmt in [*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()]:
        graph.add((service, SD.resultFormat, URIRef(fmt.w3c_iri)))
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
        kind = kind_of(name)
        graph.add((named, DCTERMS.type, Literal(kind.name)))
        graph.add((named, DCTERMS.description, Literal(kind.description["en"], lang="en")))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(size)))
    return graph
