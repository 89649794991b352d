"""The embedded default backend: pyoxigraph in memory, loaded from the build's dumps.

The store holds every named graph once (the N-Quads dump) and answers the default graph as their
union, which is exact when no triple is in two graphs: the build never repeats an asserted triple
in graph/derived or graph/inferred, and counts in dist/release.json the triples two files state;
when there are some, the merged dump is loaded as the default graph instead (each triple once, at
the old memory cost). A query with its own FROM clauses gets the dataset it names. Answers are
read from pyoxigraph's lazy iterators: with a row cap only limit + 1 solutions are read, so a huge
answer costs neither time nor memory beyond the cap.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..binding import bind_values, has_dataset_clause
from ..config import Settings
from ..dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path, union_is_exact
from ..errors import QueryError
from ..namespaces import PREFIX_IRIS
from ..oxterms import iri_caching_converter, memo_to_rdflib, quads_of, store_of_triples
from ..results import QueryResult, graph_of
from .answers import Answer, Job, answer_oxigraph
from .base import DESCRIBE, Policy, Store, Text


class OxigraphStore(Store):
    """A pyoxigraph store behind the Store interface (the served graph, or one a build assembles)."""

    name = "oxigraph"
    own_parser = True

    def __init__(self, store: ox.Store | None = None, union: bool = False):
        self.store = store if store is not None else ox.Store()
        self.union = union  # the default graph is the union of the named graphs (no merged copy)

    @classmethod
    def from_dist(cls, dist: Path) -> OxigraphStore:
        """The build's named graphs (N-Quads), the default graph answered as their union — or, when
        some triple is in two graphs (the union would repeat it), loaded from the merged dump."""
        store = ox.Store()
        store.bulk_load(path=str(dump_path(dist, NAMED_GRAPHS)), format=ox.RdfFormat.N_QUADS)
        if union_is_exact(dist):
            return cls(store, union=True)
        store.bulk_load(
            path=str(dump_path(dist, MERGED_GRAPH)), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
        )
        return cls(store)

    @classmethod
    def from_settings(cls, settings: Settings) -> OxigraphStore:
        return cls.from_dist(settings.dist)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        """A store whose default graph holds `graph`, copied term by term (checking a graph as is)."""
        return cls(store_of_triples(graph))

    def add_graphs(self, graphs: Iterable[tuple[URIRef | None, Iterable]]) -> None:
        """Add small rdflib graphs as (name, triples): each to its named graph (None: the default
        graph), every IRI converted once, in term order (the store keeps the order it is given,
        and the dumps must not depend on rdflib's set order)."""
        ordered = [(name, sorted(triples, key=_n3)) for name, triples in graphs]
        self.store.bulk_extend(quads_of(ordered, iri_caching_converter()))

    def answer(self, job: Job, policy: Policy | None = None) -> QueryResult | Answer:
        return answer_oxigraph(self.store, job, policy, union=self.union)

    def run(self, sparql: str):
        """pyoxigraph's own answer (lazy solutions, triples or a boolean) over this store's dataset:
        the union of the named graphs, unless the query names its own dataset (FROM)."""
        union = self.union and not has_dataset_clause(sparql)
        return self.store.query(sparql, prefixes=PREFIX_IRIS, use_default_graph_as_union=union)

    def text_rows(self, sparql: str) -> tuple[list[str], Iterator[tuple[Text | None, ...]]]:
        try:
            answer = self.run(sparql)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        literal = ox.Literal
        rows = (
            tuple(
                None if term is None else (term.value, (term.language or "") if type(term) is literal else "")
                for term in solution
            )
            for solution in answer
        )
        return [v.value for v in answer.variables], rows

    def describe_triples(self, iri: URIRef) -> list[ox.Triple]:
        try:
            answer = self.run(bind_values(DESCRIBE, {"s": iri}))
        except SyntaxError as error:  # an IRI the text cannot hold
            raise QueryError(str(error)) from None
        return list(dict.fromkeys(answer))  # a triple found by two branches is written once

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        try:
            answer = self.run(sparql)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                return _solutions(answer, limit)
            return _triples(answer, limit)
        except (SyntaxError, RuntimeError) as error:  # RuntimeError: an unknown function
            raise QueryError(str(error)) from None
        except OSError as error:
            raise QueryError(f"query evaluation failed: {error}") from None


def _n3(triple) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def _first(items: Iterable, limit: int | None) -> list:
    """Every item, or the first limit + 1 (one more than kept, to tell that some were cut)."""
    return list(items if limit is None else itertools.islice(items, limit + 1))


def _solutions(answer: ox.QuerySolutions, limit: int | None) -> QueryResult:
    names = [v.value for v in answer.variables]
    convert = memo_to_rdflib()
    rows = [tuple(convert(term) for term in solution) for solution in _first(answer, limit)]
    cut = limit is not None and len(rows) > limit
    return QueryResult("SELECT", vars=names, rows=rows[:limit] if cut else rows, truncated=cut)


def _triples(answer: ox.QueryTriples, limit: int | None) -> QueryResult:
    convert = memo_to_rdflib()
    found = {(convert(t.subject), convert(t.predicate), convert(t.object)) for t in _first(answer, limit)}
    cut = limit is not None and len(found) > limit
    kept = itertools.islice(found, limit) if cut else found
    return QueryResult("CONSTRUCT", graph=graph_of(kept), truncated=cut)
