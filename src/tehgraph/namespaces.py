"""Every namespace tehgraph uses, and the one prefix map for binding, SPARQL and display."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

from .binding import term_text
from .errors import ParameterError

TEH = Namespace("https://w3id.org/tehgraph/ontology#")
ID = Namespace("https://w3id.org/tehgraph/id/")
GRAPH = Namespace("https://w3id.org/tehgraph/graph/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")
TEHSH = Namespace("https://w3id.org/tehgraph/shapes#")

ONTOLOGY_IRI = "https://w3id.org/tehgraph/ontology"
INFERRED_GRAPH = GRAPH["inferred"]
DERIVED_GRAPH = GRAPH["derived"]
DERIVED_EDITORIAL_GRAPH = GRAPH["derived-editorial"]
CATALOG_GRAPH = GRAPH["queries"]

PREFIXES: dict[str, Namespace] = {
    "teh": TEH,
    "tehsh": TEHSH,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "org": ORG,
    "foaf": FOAF,
    "prov": PROV,
    "dcterms": DCTERMS,
    "eli": ELI,
    "sh": SH,
    "dcat": DCAT,
    "void": VOID,
    "sd": SD,
    "vann": VANN,
}
# The same map as plain strings, the form pyoxigraph's `prefixes=` and writers take.
PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


def bind_prefixes(graph) -> None:
    """Bind the project prefixes so every serialisation reads the same."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def sparql_prologue() -> str:
    """PREFIX lines for queries typed by users who rely on the usual prefixes."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def shorten(iri: str) -> str:
    """A CURIE for display when a prefix matches, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and prefix != "id":
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri


def expand(value: str) -> URIRef:
    """A full IRI from `<iri>`, `iri`, a CURIE of the prefix map, or `id:path/like/this`.

    The one reader of IRIs typed by people (parameters, URLs, query headers): anything else is a
    ParameterError, and an IRI that could not be written safely into a query is refused too.
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = str(PREFIXES[prefix]) + local
    if not _ABSOLUTE.match(value):
        raise ParameterError(f"not an absolute IRI or known prefix: {value!r}")
    iri = URIRef(value)
    term_text(iri)  # refuses characters that could not be written safely
    return iri
