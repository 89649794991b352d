"""The VoID + DCAT description of a build: what is in it, how big, which release, under which
licence, in which files."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from . import builtin
from .dist import dump_name
from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .graphs import kind_of
from .namespaces import ID, bind_prefixes
from .release import Release
from .stores.base import Store

DATASET_IRI = ID["dataset"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
RIGHTS = {
    "fr": "Données sous licence CC BY 4.0. Les textes sources (data/sources/) restent ceux de leurs "
    "auteurs : le Collectif « Ensemble contre la traite des êtres humains » et le Comité contre "
    "l'esclavage moderne (CCEM).",
    "en": "Data under the CC BY 4.0 licence. The source texts (data/sources/) remain their authors': "
    "the Collectif « Ensemble contre la traite des êtres humains » and the Comité contre l'esclavage "
    "moderne (CCEM).",
}


def graph_sizes(store: Store) -> list[tuple[URIRef, int]]:
    """Triples per named graph, in graph order (the counts VoID and the service description give)."""
    return [(name, int(size)) for name, size in store.query(builtin.sparql("service-graph-sizes")).rows]


def version_iri(version: str) -> URIRef:
    """The dataset as it was in one release (what dcat:previousVersion points at)."""
    return URIRef(f"{DATASET_IRI}/version/{version}")


def describe(store: Store, release: Release) -> Graph:
    """VoID/DCAT triples: counts per named graph and per class, release, licence, dumps."""
    built_at = release.built_at
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
    void.add((root, OWL.versionInfo, Literal(release.version)))
    void.add((root, URIRef(f"{DCAT}version"), Literal(release.version)))  # DCAT 3 terms
    if release.previous:
        previous = version_iri(release.previous)
        void.add((root, URIRef(f"{DCAT}previousVersion"), previous))
        void.add((previous, URIRef(f"{DCAT}version"), Literal(release.previous)))
    void.add((root, DCTERMS.license, LICENSE))
    for lang, text in RIGHTS.items():
        void.add((root, DCTERMS.rights, Literal(text, lang=lang)))
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
        kind = kind_of(name)  # where its facts come from: asserted, editorial, derived, inferred...
        void.add((subset, DCTERMS.type, Literal(kind.name)))
        for lang, text in kind.description.items():
            void.add((subset, DCTERMS.description, Literal(text, lang=lang)))
    void.add((root, VOID.triples, Literal(sum(count for _, count in sizes))))
    # rdf:type statements per class, summed over the named graphs (inferred types included)
    # numbered blank nodes: rdflib writes nested nodes in the order of their names, and random
    # names reordered the partitions at every build
    for number, (cls, count) in enumerate(sorted(store.query(builtin.sparql("void-class-counts")).rows)):
        partition = BNode(f"class{number}")
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
