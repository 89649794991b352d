"""OWL RL closure in plain Python over indexes: the fast inference engine.

owlrl re-runs every OWL RL rule over the whole graph until nothing changes, which took ~10 s of CPU
on the real graph and ~37 s at 100k triples. The ontology is small and fixed while the data grows,
so the work is split:
- the schema (T-box: subclass, subproperty, domain, range, inverse... axioms, and one literal of
  each datatype the data uses) is closed by owlrl itself: a few hundred triples, so exact and cheap;
- the data is then closed by the rules the closed schema can fire on instances — cax-sco, prp-dom,
  prp-rng, prp-spo1, prp-inv1/2 (equivalences arrive as subclass/subproperty both ways) — in one
  worklist pass, each new triple firing only the rules of its own predicate.
`check_supported` refuses anything outside that (restrictions, property chains, keys, symmetric or
transitive properties, sameAs in the data, a functional property with two values...), and engine.py
then runs owlrl on the whole graph. tests/test_fast_engines.py proves the result equal to owlrl's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from owlrl.OWLRL import OWLRL_Annotation_properties
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .owlrl_engine import closure

# Schema terms whose consequences on instances the worklist computes.
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
# Schema terms whose consequences on instances the worklist does not compute.
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
_VOCABULARIES = (str(OWL), str(RDFS))
WITNESS = URIRef("urn:tehgraph:datatype-witness")


class Unsupported(Exception):
    """The graph needs OWL RL rules this engine does not run; the caller uses owlrl instead."""


def is_schema(triple: tuple[Node, Node, Node]) -> bool:
    """A T-box triple: an axiom, or a typing of a term as a class or property kind."""
    _, predicate, obj = triple
    if predicate in SCHEMA_PREDICATES:
        return True
    return predicate == RDF.type and isinstance(obj, URIRef) and str(obj).startswith(_VOCABULARIES)


def close_schema(schema: Iterable, data_literals: Iterable[Literal]) -> Graph:
    """owlrl's closure of the schema, with one witness literal per datatype the data uses.

    owlrl states datatype facts (rdfs:Datatype, disjointness) only for datatypes in use, so a
    witness of each stands in for the data; triples naming the witness are dropped afterwards.
    """
    witnesses = [(WITNESS, WITNESS, literal) for literal in data_literals]
    graph = closure([*schema, *witnesses])
    for triple in list(graph):
        if WITNESS in triple or isinstance(triple[0], Literal):
            graph.remove(triple)
    return graph


def check_supported(schema: Graph, data: Iterable) -> None:
    """Raise Unsupported when the closed schema or the data needs rules the worklist lacks."""
    for s, p, o in schema:
        if p in UNSUPPORTED_PREDICATES and p not in (RDF.first, RDF.rest):
            raise Unsupported(f"schema uses {p}")
        if p == RDF.type and o in UNSUPPORTED_TYPES:
            raise Unsupported(f"schema uses {o}")
        if p in (OWL.sameAs, OWL.differentFrom) and s != o:
            raise Unsupported(f"schema uses {p}")
        if p == OWL.disjointWith and (s, RDF.type, RDFS.Datatype) not in schema:
            raise Unsupported("class disjointness")
    for _, p, _ in data:
        if str(p).startswith(_VOCABULARIES) and p not in OWLRL_Annotation_properties:
            raise Unsupported(f"data uses {p}")


class Rules:
    """The instance-level rules fired by a closed schema, indexed by predicate and class."""

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

    def consequences(self, triple: tuple[Node, Node, Node]) -> Iterable[tuple[Node, Node, Node]]:
        s, p, o = triple
        resource = not isinstance(o, Literal)
        if p == RDF.type:
            for cls in self.supers.get(o, ()):
                yield s, RDF.type, cls
        for sup in self.super_properties.get(p, ()):
            yield s, sup, o
        if resource:
            for inverse in self.inverses.get(p, ()):
                yield o, inverse, s
            for cls in self.ranges.get(p, ()):
                yield o, RDF.type, cls
        for cls in self.domains.get(p, ()):
            yield s, RDF.type, cls


def derived(graph: Iterable[tuple[Node, Node, Node]]) -> set[tuple[Node, Node, Node]]:
    """The triples the OWL RL closure of `graph` adds to it, or Unsupported."""
    triples = set(graph)
    schema_triples = [t for t in triples if is_schema(t)]
    data = [t for t in triples if not is_schema(t)]
    witnesses = {}
    for _, _, o in data:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in witnesses:
            witnesses[o.datatype] = o
    schema = close_schema(schema_triples, witnesses.values())
    check_supported(schema, data)
    rules = Rules(schema)
    known = triples | set(schema)
    queue = list(known)
    while queue:
        for derived in rules.consequences(queue.pop()):
            if derived not in known:
                known.add(derived)
                queue.append(derived)
    _check_functional(rules, known)
    return known - triples


def _check_functional(rules: Rules, triples: set) -> None:
    """prp-fp would make two values of a functional property the same: leave that to owlrl."""
    if not rules.functional:
        return
    values: dict[tuple, Node] = {}
    for s, p, o in triples:
        if p in rules.functional:
            seen = values.setdefault((s, p), o)
            if seen != o:
                raise Unsupported(f"{s} has two values of functional {p}")
