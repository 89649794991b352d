"""Terms between rdflib and pyoxigraph, both ways, and small graphs across (term by term: no
serialise-and-reparse round trip).

The build's data lives in pyoxigraph from the parse on (load.py); rdflib only sees the small graphs
its engines need (the ontology model, the shapes, a catalog, a query's answer) and the copies the
reference engines (pySHACL, owlrl) get in the equivalence tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import QueryError

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


def memo_to_rdflib() -> Callable[[object], Node | None]:
    """`to_rdflib` that makes each distinct term of one answer once (None stays None): answers
    repeat their terms (an actor on every row of its demands, the same counts), and making an
    rdflib Literal costs ~10 µs — 1.9 of the 2.3 s of a 10,000-row saved query at 1M triples."""
    made: dict = {}

    def convert(term):
        if term is None:
            return None
        found = made.get(term)
        if found is None:
            found = made[term] = to_rdflib(term)
        return found

    return convert


def iri_caching_converter(on_literal: Callable[[Literal], None] | None = None) -> Callable[[Node], object]:
    """`to_ox` that converts each IRI once (IRIs repeat across a graph; literals mostly do not).

    `on_literal` sees every literal converted, so a caller can inspect literals in the same pass.
    """
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

    return convert


def _iri(value: str) -> URIRef:
    """An rdflib IRI made without rdflib's character check: pyoxigraph has parsed the IRI, and
    the check (~7 µs an IRI) was a fifth of a 40,000-row answer's time at 1M triples. The object
    is the one `URIRef(value)` makes (a str subclass with no state of its own)."""
    return str.__new__(URIRef, value)


def _string(value: str, language: str | None) -> Literal:
    """A plain or language-tagged rdflib Literal made as `Literal(value, lang=language)` makes it,
    without its casting round trip (a string's value is its lexical form; pyoxigraph has checked
    the tag): ~16 µs a literal otherwise. tests/test_oxterms.py holds it equal to rdflib's own."""
    literal = str.__new__(Literal, value)
    literal._language = language
    literal._datatype = None
    literal._value = value
    literal._ill_typed = None
    return literal


def to_rdflib(term) -> Node | None:
    """The rdflib term of a pyoxigraph term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return _string(term.value, term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return _string(term.value, None)
        return Literal(term.value, datatype=_iri(datatype))
    raise QueryError(f"unsupported RDF term in results: {term!r}")


def quads_of(
    graphs: Iterable[tuple[Node | None, Iterable[tuple[Node, Node, Node]]]],
    convert: Callable[[Node], object],
) -> Iterator[ox.Quad]:
    """Quads of (graph name, triples) entries: each triple in its named graph (None: the default graph)."""
    default = ox.DefaultGraph()
    for name, triples in graphs:
        graph = default if name is None else convert(name)
        for s, p, o in triples:
            yield ox.Quad(convert(s), convert(p), convert(o), graph)


def graph_of_quads(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of the quads' triples (their graph names dropped)."""
    graph = Graph()
    graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph) for q in quads)
    return graph


def store_of_triples(
    triples: Iterable[tuple[Node, Node, Node]], on_literal: Callable[[Literal], None] | None = None
) -> ox.Store:
    """An in-memory Oxigraph store whose default graph holds `triples`.

    `on_literal` sees every literal object, so a caller can inspect literals without a second pass.
    """
    store = ox.Store()
    convert = iri_caching_converter(on_literal)
    store.bulk_extend(ox.Quad(convert(s), convert(p), convert(o)) for s, p, o in triples)
    return store
