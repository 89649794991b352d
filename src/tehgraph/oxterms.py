"""rdflib graphs into pyoxigraph stores, term by term (no serialise-and-reparse round trip).

Validation and inference run their queries on pyoxigraph because rdflib's SPARQL engine re-parses
and evaluates in pure Python; copying the terms across directly costs less than writing N-Triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term (literal lexical forms are kept as written)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def store_of_triples(
    triples: Iterable[tuple[Node, Node, Node]], on_literal: Callable[[Literal], None] | None = None
) -> ox.Store:
    """An in-memory Oxigraph store whose default graph holds `triples`.

    IRIs are converted once each (they repeat); `on_literal` sees every literal object, so a
    caller can inspect literals without a second pass over the graph.
    """
    store = ox.Store()
    cache: dict[URIRef, ox.NamedNode] = {}

    def convert(term: Node):
        if type(term) is URIRef:
            found = cache.get(term)
            if found is None:
                found = cache[term] = ox.NamedNode(term)
            return found
        if on_literal is not None and isinstance(term, Literal):
            on_literal(term)
        return to_ox(term)

    store.bulk_extend(ox.Quad(convert(s), convert(p), convert(o)) for s, p, o in triples)
    return store
