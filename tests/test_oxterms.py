"""pyoxigraph terms become the rdflib terms rdflib itself would make: the fast constructors of
oxterms.py skip rdflib's checks and casts, so every term of the built graph is compared here with
the term rdflib's own constructors make (equality, hash, language, datatype, value, N3)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from tehgraph.oxterms import to_ox, to_rdflib


def _rdflib_made(term: ox.NamedNode | ox.BlankNode | ox.Literal):
    """The term as rdflib's public constructors make it (the reference)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _same(made, expected) -> None:
    assert type(made) is type(expected)
    assert made == expected and hash(made) == hash(expected)
    assert made.n3() == expected.n3()
    if isinstance(expected, Literal):
        assert made.language == expected.language
        assert made.datatype == expected.datatype
        assert made.value == expected.value and type(made.value) is type(expected.value)
        assert made.ill_typed == expected.ill_typed
        assert made.eq(expected) and made.neq(Literal(str(expected) + "x")) is True


@pytest.fixture(scope="module")
def terms(store) -> list:
    """Every distinct subject, predicate and object of the built graph."""
    found: dict = {}
    for quad in store.store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.predicate, quad.object):
            found.setdefault(term, None)
    return list(found)


def test_every_term_of_the_built_graph_converts_as_rdflib_makes_it(terms):
    kinds = {type(term).__name__ for term in terms}
    assert {"NamedNode", "Literal"} <= kinds
    languages = {term.language for term in terms if isinstance(term, ox.Literal)}
    assert {"fr", "en", None} <= languages  # French and English labels, plain and typed values
    for term in terms:
        _same(to_rdflib(term), _rdflib_made(term))


def test_strings_that_rdflib_would_read_otherwise_stay_strings():
    # lexical forms that look like numbers, dates or booleans stay plain strings, as rdflib keeps them
    for text in ["12", "2019-01-01", "true", " padded ", "é\u0301", "", "line\nbreak", "\U0001f600"]:
        for language in (None, "fr", "en-GB"):
            term = ox.Literal(text, language=language) if language else ox.Literal(text)
            _same(to_rdflib(term), _rdflib_made(term))


def test_converted_terms_go_back_to_the_same_pyoxigraph_terms(terms):
    for term in terms:
        assert to_ox(to_rdflib(term)) == term
