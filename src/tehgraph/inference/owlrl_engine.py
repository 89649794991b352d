"""owlrl, the reference OWL RL engine: every rule re-run over the whole graph until nothing changes."""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import Graph


def closure(triples: Iterable) -> Graph:
    """A new graph holding `triples` and their OWL RL closure (no axiomatic or datatype triples)."""
    closed = Graph()
    closed.addN((s, p, o, closed) for s, p, o in triples)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closed
    )
    return closed
