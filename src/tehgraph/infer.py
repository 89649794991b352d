"""OWL RL inference with owlrl; the inferred triples are returned apart from the asserted ones."""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from .namespaces import bind_prefixes

# Consequences that hold of every resource and tell an analyst nothing.
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


def _is_trivial(triple) -> bool:
    subject, predicate, obj = triple
    if isinstance(subject, Literal) or isinstance(subject, BNode) and predicate == OWL.sameAs:
        return True
    if predicate == OWL.sameAs and subject == obj:
        return True
    if predicate == RDF.type and obj in _TRIVIAL_TYPES:
        return True
    return (
        predicate in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
        and subject == obj
    )


def infer(asserted: Graph) -> Graph:
    """The OWL RL closure of `asserted`, minus `asserted` and minus trivial consequences.

    The closure is computed on a copy: asserted graphs are never touched, so the inferred
    graph can be published as its own named graph and asserted and inferred stay apart.
    """
    closure = Graph()
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closure
    )
    inferred = Graph()
    bind_prefixes(inferred)
    for triple in closure:
        if triple not in asserted and not _is_trivial(triple):
            inferred.add(triple)
    return inferred
