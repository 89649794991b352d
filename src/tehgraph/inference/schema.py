"""The schema side of the fast OWL RL engine: read out of the store, closed by owlrl, indexed.

The T-box (subclass, subproperty, domain, range, inverse... axioms and the typing of terms as
classes or properties) is a few hundred triples: owlrl closes it exactly and cheaply, with one
witness literal of each datatype the data uses (owlrl states datatype facts only for datatypes in
use). `check_supported` refuses what the instance families (families.py) do not compute —
restrictions, property chains, keys, symmetric or transitive properties, sameAs, class
disjointness, OWL or RDFS vocabulary used as data — so engine.py can fall back to owlrl.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from owlrl.OWLRL import OWLRL_Annotation_properties
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from ..oxterms import to_rdflib
from .owlrl_engine import closure
from .schema_cache import cached_closure

# Schema terms whose consequences on instances the families compute.
SUPPORTED_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.disjointWith,
}
SCHEMA_PREDICATES = SUPPORTED_PREDICATES | {
    OWL.propertyDisjointWith,
    OWL.onProperty,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.propertyChainAxiom,
    OWL.hasKey,
    OWL.members,
    OWL.distinctMembers,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.onClass,
    OWL.sourceIndividual,
    RDF.first,
    RDF.rest,
}
# Schema terms whose consequences on instances the families do not compute.
UNSUPPORTED_PREDICATES = SCHEMA_PREDICATES - SUPPORTED_PREDICATES
UNSUPPORTED_TYPES = {
    OWL.SymmetricProperty,
    OWL.TransitiveProperty,
    OWL.InverseFunctionalProperty,
    OWL.AsymmetricProperty,
    OWL.IrreflexiveProperty,
    OWL.Restriction,
    OWL.AllDisjointClasses,
    OWL.AllDisjointProperties,
    OWL.AllDifferent,
    OWL.NegativePropertyAssertion,
}
VOCABULARIES = (str(OWL), str(RDFS))
WITNESS = URIRef("urn:tehgraph:datatype-witness")
# Literals rdflib reads without a datatype: owlrl states nothing about them.
_UNTYPED = {str(XSD.string), str(RDF.langString)}


class Unsupported(Exception):
    """The graph needs OWL RL rules the fast engine does not run; the caller uses owlrl instead."""


def is_schema(triple: tuple[Node, Node, Node]) -> bool:
    """A T-box triple: an axiom, or a typing of a term as a class or property kind."""
    _, predicate, obj = triple
    if predicate in SCHEMA_PREDICATES:
        return True
    return predicate == RDF.type and isinstance(obj, URIRef) and str(obj).startswith(VOCABULARIES)


def _rows(store: ox.Store, query: str, names: tuple[str, ...]) -> list[tuple]:
    return [tuple(to_rdflib(row[n]) for n in names) for row in store.query(query)]


def read_schema(store: ox.Store, skip: URIRef) -> tuple[list[tuple], list[Literal], set[URIRef]]:
    """From every named graph but `skip`: the schema triples, one witness literal per datatype, and
    the predicates of the data (each a query Oxigraph answers on its indexes, or one scan)."""
    graphs = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{skip}>)"
    values = " ".join(f"<{p}>" for p in sorted(SCHEMA_PREDICATES, key=str))
    schema = _rows(store, f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} {graphs} }}", ("s", "p", "o"))
    classes = _rows(store, f"SELECT DISTINCT ?o WHERE {{ BIND(<{RDF.type}> AS ?p) {graphs} }}", ("o",))
    vocabulary = " ".join(
        f"<{c}>" for (c,) in classes if isinstance(c, URIRef) and str(c).startswith(VOCABULARIES)
    )
    if vocabulary:
        typed = f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {vocabulary} }} BIND(<{RDF.type}> AS ?p) {graphs} }}"
        schema += _rows(store, typed, ("s", "p", "o"))
    found = store.query(
        f"SELECT ?p ?dt (SAMPLE(?lit) AS ?witness) WHERE {{ {graphs} "
        "BIND(IF(isLiteral(?o), datatype(?o), ?nothing) AS ?dt) "
        "BIND(IF(isLiteral(?o), ?o, ?nothing) AS ?lit) } "
        "GROUP BY ?p ?dt"
    )
    predicates, witnesses = set(), {}
    for row in found:
        predicates.add(URIRef(row["p"].value))
        dt = row["dt"]
        if dt is not None and dt.value not in _UNTYPED and dt.value not in witnesses:
            witnesses[dt.value] = to_rdflib(row["witness"])
    return schema, list(witnesses.values()), predicates


def close_schema(schema: Iterable, data_literals: Iterable[Literal]) -> Graph:
    """owlrl's closure of the schema, with one witness literal per datatype the data uses
    (triples naming the witness are dropped afterwards); kept between builds (schema_cache.py)."""
    witnesses = [(WITNESS, WITNESS, literal) for literal in data_literals]
    return cached_closure([*schema, *witnesses], _closed_without_witnesses)


def _closed_without_witnesses(triples: list) -> Graph:
    graph = closure(triples)
    for triple in list(graph):
        if WITNESS in triple or isinstance(triple[0], Literal):
            graph.remove(triple)
    return graph


def check_supported(schema: Graph, data_predicates: Iterable) -> None:
    """Raise Unsupported when the closed schema or the data needs rules the families lack."""
    for s, p, o in schema:
        if p in UNSUPPORTED_PREDICATES and p not in (RDF.first, RDF.rest):
            raise Unsupported(f"schema uses {p}")
        if p == RDF.type and o in UNSUPPORTED_TYPES:
            raise Unsupported(f"schema uses {o}")
        if p in (OWL.sameAs, OWL.differentFrom) and s != o:
            raise Unsupported(f"schema uses {p}")
        if p == OWL.disjointWith and (s, RDF.type, RDFS.Datatype) not in schema:
            raise Unsupported("class disjointness")
    for p in data_predicates:
        if (
            str(p).startswith(VOCABULARIES)
            and p not in OWLRL_Annotation_properties
            and p not in SCHEMA_PREDICATES
        ):
            raise Unsupported(f"data uses {p}")


class Rules:
    """What the closed schema says of instances, indexed by class and property."""

    def __init__(self, schema: Graph):
        self.supers: dict[Node, set] = defaultdict(set)
        self.super_properties: dict[Node, set] = defaultdict(set)
        self.inverses: dict[Node, set] = defaultdict(set)
        self.domains: dict[Node, set] = defaultdict(set)
        self.ranges: dict[Node, set] = defaultdict(set)
        for s, o in schema.subject_objects(RDFS.subClassOf):
            if s != o:
                self.supers[s].add(o)
        for s, o in schema.subject_objects(RDFS.subPropertyOf):
            if s != o:
                self.super_properties[s].add(o)
        for s, o in schema.subject_objects(OWL.inverseOf):
            self.inverses[s].add(o)
            self.inverses[o].add(s)
        for s, o in schema.subject_objects(RDFS.domain):
            self.domains[s].add(o)
        for s, o in schema.subject_objects(RDFS.range):
            self.ranges[s].add(o)
        self.functional = set(schema.subjects(RDF.type, OWL.FunctionalProperty))
