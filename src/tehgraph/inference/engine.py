"""OWL RL inference; the inferred triples are returned apart from the asserted ones.

Two engines give the same inferred graph: owlrl, the reference, and rules.py, which closes the
small schema with owlrl and the instances with an indexed worklist (~20x faster, docs/benchmarks.md).
`ENGINES` is the registry; "auto" takes the fast one and falls back to owlrl when the ontology
needs rules it does not run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import bind_prefixes
from . import owlrl_engine, rules

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


def _owlrl(asserted: Graph) -> Iterable:
    return (triple for triple in owlrl_engine.closure(asserted) if triple not in asserted)


def _auto(asserted: Graph) -> Iterable:
    try:
        return rules.derived(asserted)
    except rules.Unsupported:
        return _owlrl(asserted)


# name -> engine: asserted graph -> the triples its OWL RL closure adds (trivial ones included)
ENGINES: dict[str, Callable[[Graph], Iterable]] = {"auto": _auto, "rules": rules.derived, "owlrl": _owlrl}


def infer(asserted: Graph, engine: str = "auto") -> Graph:
    """The OWL RL closure of `asserted`, minus `asserted` and minus trivial consequences.

    The closure is computed on a copy: asserted graphs are never touched, so the inferred
    graph can be published as its own named graph and asserted and inferred stay apart.
    `engine` is one of ENGINES: "owlrl" (the reference), "rules" (rules.py) or "auto".
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown inference engine {engine!r}; choose one of {', '.join(ENGINES)}")
    inferred = Graph()
    bind_prefixes(inferred)
    inferred.addN((*triple, inferred) for triple in ENGINES[engine](asserted) if not _is_trivial(triple))
    return inferred
