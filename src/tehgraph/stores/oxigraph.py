"""The embedded default backend: pyoxigraph in memory, loaded from the build's dumps.

Answers are read from pyoxigraph's lazy iterators: with a row cap only limit + 1 solutions are
read, so a huge answer costs neither time nor memory beyond the cap.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from ..config import Settings
from ..dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path
from ..errors import QueryError
from ..namespaces import PREFIX_IRIS
from ..oxterms import iri_caching_converter, quads_of, store_of_triples, to_ox, to_rdflib
from ..results import QueryResult, graph_of
from .base import Store


class OxigraphStore(Store):
    """A pyoxigraph store behind the Store interface (the served graph, or one a build assembles)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None, union: bool = False):
        self.store = store if store is not None else ox.Store()
        self.union = union  # the default graph is the union of the named graphs (no merged copy)

    @classmethod
    def from_dist(cls, dist: Path) -> OxigraphStore:
        named, merged = dump_path(dist, NAMED_GRAPHS), dump_path(dist, MERGED_GRAPH)
        store = ox.Store()
        store.bulk_load(path=str(named), format=ox.RdfFormat.N_QUADS)
        store.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return cls(store)

    @classmethod
    def from_settings(cls, settings: Settings) -> OxigraphStore:
        return cls.from_dist(settings.dist)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        """A store whose default graph holds `graph`, copied term by term (checking a graph as is)."""
        return cls(store_of_triples(graph))

    def add_graphs(
        self,
        graphs: Iterable[tuple[URIRef | None, Iterable, bool]],
        on_literal: Callable[[Literal], None] | None = None,
    ) -> None:
        """Add rdflib graphs as (name, triples, merged): each to its named graph and, when merged, to
        the default graph too (the dumps' layout), every term converted once; `on_literal` sees
        every literal on the way."""
        self.store.bulk_extend(quads_of(graphs, iri_caching_converter(on_literal)))

    def merge_graph(self, name: URIRef) -> None:
        """Copy a named graph into the default graph, inside the store (no conversion)."""
        source = to_ox(name)
        default = ox.DefaultGraph()
        self.store.extend(
            [
                ox.Quad(q.subject, q.predicate, q.object, default)
                for q in self.store.quads_for_pattern(None, None, None, source)
            ]
        )

    def run(self, sparql: str):
        """pyoxigraph's own answer (lazy solutions, triples or a boolean) over this store's dataset."""
        return self.store.query(sparql, prefixes=PREFIX_IRIS, use_default_graph_as_union=self.union)

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        try:
            answer = self.run(sparql)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                return _solutions(answer, limit)
            return _triples(answer, limit)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        except OSError as error:
            raise QueryError(f"query evaluation failed: {error}") from None


def _first(items: Iterable, limit: int | None) -> list:
    """Every item, or the first limit + 1 (one more than kept, to tell that some were cut)."""
    return list(items if limit is None else itertools.islice(items, limit + 1))


def _solutions(answer: ox.QuerySolutions, limit: int | None) -> QueryResult:
    names = [v.value for v in answer.variables]
    rows = [tuple(to_rdflib(solution[name]) for name in names) for solution in _first(answer, limit)]
    cut = limit is not None and len(rows) > limit
    return QueryResult("SELECT", vars=names, rows=rows[:limit] if cut else rows, truncated=cut)


def _triples(answer: ox.QueryTriples, limit: int | None) -> QueryResult:
    found = {
        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in _first(answer, limit)
    }
    cut = limit is not None and len(found) > limit
    kept = itertools.islice(found, limit) if cut else found
    return QueryResult("CONSTRUCT", graph=graph_of(kept), truncated=cut)
