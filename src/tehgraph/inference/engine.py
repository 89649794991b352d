"""OWL RL inference; the inferred triples are written apart from the asserted ones.

Two engines give the same inferred graph: owlrl, the reference, and the fast one (schema.py +
families.py), which closes the small schema with owlrl and the instances with one SPARQL update
per rule family inside Oxigraph. `ENGINES` is the registry; "auto" takes the fast one and falls
back to owlrl when the ontology needs rules it does not run.

Both read every named graph of a store (the build's: asserted and derived facts) and write into
one more, `into`, only triples no graph holds yet, so no triple is in two graphs.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import INFERRED_GRAPH, bind_prefixes
from ..oxterms import graph_of_quads, to_ox
from . import families, owlrl_engine
from .schema import Rules, Unsupported, check_supported, close_schema, read_schema

# Consequences that hold of every resource and tell an analyst nothing.
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_SAME_AS, _TYPE = OWL.sameAs, RDF.type  # looked up once: _is_trivial runs for every closure triple


def _is_trivial(triple) -> bool:
    subject, predicate, obj = triple
    if isinstance(subject, Literal) or isinstance(subject, BNode) and predicate == _SAME_AS:
        return True
    if predicate == _SAME_AS and subject == obj:
        return True
    if predicate == _TYPE and obj in _TRIVIAL_TYPES:
        return True
    return predicate in _REFLEXIVE and subject == obj


def _held(store: ox.Store, triple) -> bool:
    s, p, o = (to_ox(t) for t in triple)
    return next(iter(store.quads_for_pattern(s, p, o, None)), None) is not None


def _n3(triple) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def _rules(store: ox.Store, into: URIRef) -> None:
    """The fast engine: read and close the schema, check it, run the families in the store."""
    schema_triples, witnesses, predicates = read_schema(store, into)
    schema = close_schema(schema_triples, witnesses)
    check_supported(schema, predicates)
    rules = Rules(schema)
    # sorted: the store keeps insertion order, and the dumps must not depend on rdflib's set order
    extra = sorted((t for t in schema if not _is_trivial(t) and not _held(store, t)), key=_n3)
    families.run(store, rules, extra, predicates, into)
    _check_functional(store, rules)


def _check_functional(store: ox.Store, rules: Rules) -> None:
    """prp-fp would make two values of a functional property the same: leave that to owlrl."""
    if not rules.functional:
        return
    values = " ".join(f"<{p}>" for p in sorted(rules.functional, key=str))
    clash = store.query(
        f"ASK {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?a }} GRAPH ?h {{ ?s ?p ?b }} "
        "FILTER(!sameTerm(?a, ?b)) }"
    )
    if clash:
        raise Unsupported("a functional property with two values")


def _owlrl(store: ox.Store, into: URIRef) -> None:
    """owlrl's closure of every graph but `into`, its new non-trivial triples into `into`."""
    skip = to_ox(into)
    data = graph_of_quads(q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != skip)
    graph = to_ox(into)
    new = [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)
        for s, p, o in owlrl_engine.closure(data)
        if (s, p, o) not in data and not _is_trivial((s, p, o))
    ]
    store.extend(new)


def _auto(store: ox.Store, into: URIRef) -> None:
    try:
        _rules(store, into)
    except Unsupported:
        store.update(f"DROP SILENT GRAPH <{into}> ; DROP SILENT GRAPH <{families.SCHEMA_CLOSURE}>")
        _owlrl(store, into)


# name -> engine: (store, graph to write) -> None; the store's other named graphs are its input
ENGINES: dict[str, Callable[[ox.Store, URIRef], None]] = {"auto": _auto, "rules": _rules, "owlrl": _owlrl}


def infer_store(store: ox.Store, into: URIRef = INFERRED_GRAPH, engine: str = "auto") -> int:
    """The OWL RL closure of the store's named graphs into graph `into`, minus what they hold and
    minus trivial consequences; the number of triples written."""
    if engine not in ENGINES:
        raise ValueError(f"unknown inference engine {engine!r}; choose one of {', '.join(ENGINES)}")
    ENGINES[engine](store, into)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, to_ox(into)))


def infer(asserted: Graph, engine: str = "auto") -> Graph:
    """The inferred triples of an rdflib graph (copied into a scratch store), as an rdflib graph."""
    store, source = ox.Store(), ox.NamedNode("urn:tehgraph:input")
    store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), source) for s, p, o in asserted])
    infer_store(store, INFERRED_GRAPH, engine)
    inferred = graph_of_quads(store.quads_for_pattern(None, None, None, to_ox(INFERRED_GRAPH)))
    bind_prefixes(inferred)
    return inferred
