"""One store interface over the embedded backends (and the remote one in remote.py).

Layout, the same on every backend: one named graph per source file plus `graph/inferred`,
and the default graph holding the merged set of all of them, so that queries without GRAPH
see each triple once (Oxigraph's union default graph would repeat a triple stated in two files).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from .binding import bind_values
from .config import Settings
from .errors import DistMissingError, QueryError
from .namespaces import PREFIXES, bind_prefixes
from .oxterms import to_rdflib
from .results import QueryResult
from .void import DUMP_STEM


class Store(ABC):
    """What the CLI, the web app and the tests ask of a backend."""

    name: str = "store"

    @abstractmethod
    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query; `bindings` are bound as RDF terms, never pasted into the text."""

    def describe(self, iri: URIRef) -> Graph:
        """Outgoing and incoming triples of one resource, with the blank nodes it points to described
        (a meeting's attendances), so the view served at /id/... stands on its own."""
        result = self.query(
            "CONSTRUCT { ?s ?p ?o . ?in ?ip ?s . ?b ?bp ?bo } WHERE {"
            " { ?s ?p ?o } UNION { ?in ?ip ?s } UNION { ?s ?sp ?b . FILTER(isBlank(?b)) ?b ?bp ?bo } }",
            {"s": iri},
        )
        return result.graph

    def count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0])

    def close(self) -> None:  # noqa: B027 - optional hook, embedded stores hold nothing to release
        """Release what the backend holds (files, connections)."""


def dump_path(dist: Path, suffix: str) -> Path:
    path = Path(dist) / f"{DUMP_STEM}.{suffix}"
    if not path.is_file():
        raise DistMissingError(f"{path} is missing: run `tehgraph build` first")
    return path


# --- Oxigraph (pyoxigraph) ------------------------------------------------------------


class OxigraphStore(Store):
    """The embedded default: pyoxigraph in memory, loaded from the build's dumps."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | None = None):
        self.store = store or ox.Store()

    @classmethod
    def from_dist(cls, dist: Path) -> OxigraphStore:
        quads, merged = dump_path(dist, "nq"), dump_path(dist, "nt")
        store = ox.Store()
        store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
        store.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return cls(store)

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        sparql = bind_values(sparql, bindings)
        try:
            answer = self.store.query(sparql, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
            return self._convert(answer)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        except OSError as error:
            raise QueryError(f"query evaluation failed: {error}") from None

    @staticmethod
    def _convert(answer) -> QueryResult:
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = [tuple(to_rdflib(solution[name]) for name in names) for solution in answer]
            return QueryResult("SELECT", vars=names, rows=rows)
        graph = Graph()
        bind_prefixes(graph)
        for triple in answer:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult("CONSTRUCT", graph=graph)


# --- rdflib ----------------------------------------------------------------------------


class RdflibStore(Store):
    """The alternative embedded store: an rdflib Dataset (pure Python, slower)."""

    name = "rdflib"

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_dist(cls, dist: Path) -> RdflibStore:
        dataset = Dataset()
        dataset.parse(dump_path(dist, "nq"), format="nquads")
        dataset.default_graph.parse(dump_path(dist, "nt"), format="nt")
        bind_prefixes(dataset)
        return cls(dataset)

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        try:
            parseQuery(bind_values(sparql, bindings))
        except Exception as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        try:
            answer = self.dataset.query(bind_values(sparql, bindings), initNs=dict(PREFIXES))
        except Exception as error:
            raise QueryError(f"query evaluation failed: {error}") from None
        if answer.type == "ASK":
            return QueryResult("ASK", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = [str(v) for v in answer.vars]
            return QueryResult("SELECT", vars=names, rows=[tuple(row) for row in answer])
        graph = Graph()
        bind_prefixes(graph)
        for triple in answer:
            graph.add(triple)
        return QueryResult("CONSTRUCT", graph=graph)


BACKENDS = {"oxigraph": OxigraphStore, "rdflib": RdflibStore}


def open_store(settings: Settings) -> Store:
    """The store the settings ask for: a remote endpoint when one is set, else an embedded one."""
    if settings.endpoint:
        from .remote import RemoteStore

        return RemoteStore.from_settings(settings)
    if settings.store not in BACKENDS:
        raise QueryError(f"unknown store {settings.store!r}; choose one of {', '.join(BACKENDS)}")
    return BACKENDS[settings.store].from_dist(settings.dist)
