"""The VoID + DCAT description of a build: what is in it, how big, when, in which files."""

from __future__ import annotations

from datetime import datetime, timezone

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from . import __version__, builtin
from .dist import dump_name
from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .namespaces import ID, bind_prefixes
from .stores.base import Store

DATASET_IRI = ID["dataset"]


def graph_sizes(store: Store) -> list[tuple[URIRef, int]]:
    """Triples per named graph, in graph order (the counts VoID and the service description give)."""
    return [(name, int(size)) for name, size in store.query(builtin.sparql("service-graph-sizes")).rows]


def describe(store: Store, built_at: datetime | None = None) -> Graph:
    """VoID/DCAT triples: counts per named graph and per class, build date, version, dumps."""
    built_at = built_at or datetime.now(timezone.utc)
    void = Graph()
    bind_prefixes(void)
    root = DATASET_IRI
    void.add((root, RDF.type, VOID.Dataset))
    void.add((root, RDF.type, DCAT.Dataset))
    void.add(
        (
            root,
            DCTERMS.title,
            Literal("tehgraph : politique française contre la traite des êtres humains", lang="fr"),
        )
    )
    void.add((root, DCTERMS.title, Literal("tehgraph: French anti-trafficking policy", lang="en")))
    void.add(
        (root, DCTERMS.modified, Literal(built_at.replace(microsecond=0).isoformat(), datatype=XSD.dateTime))
    )
    void.add((root, OWL.versionInfo, Literal(__version__)))
    void.add((root, URIRef(f"{DCAT}version"), Literal(__version__)))  # DCAT 3 term
    void.add((root, VOID.uriSpace, Literal(str(ID))))
    for p, o in store.query(builtin.sparql("dataset-statements")).rows:  # licence, rights (data/dataset.ttl)
        void.add((root, p, o))
    sizes = graph_sizes(store)
    for name, count in sizes:
        subset = URIRef(f"{DATASET_IRI}/graph/{str(name).rsplit('/', 1)[-1]}")
        void.add((root, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, DCTERMS.source, name))
        void.add((subset, VOID.triples, Literal(count)))
    void.add((root, VOID.triples, Literal(sum(count for _, count in sizes))))
    # rdf:type statements per class, summed over the named graphs (inferred types included)
    for cls, count in store.query(builtin.sparql("void-class-counts")).rows:
        partition = BNode()
        void.add((root, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(int(count))))
    for fmt in [*DATASET_FORMATS.values(), *GRAPH_FORMATS.values()]:
        dist = URIRef(f"{DATASET_IRI}/dump/{fmt.suffix}")
        void.add((root, DCAT.distribution, dist))
        void.add((root, VOID.dataDump, URIRef(dump_name(fmt.suffix))))
        void.add((dist, RDF.type, DCAT.Distribution))
        void.add((dist, DCAT.mediaType, Literal(fmt.mime)))
        void.add((dist, DCTERMS.title, Literal(f"{fmt.label} dump", lang="en")))
        void.add((dist, DCAT.downloadURL, URIRef(dump_name(fmt.suffix))))
    return void
