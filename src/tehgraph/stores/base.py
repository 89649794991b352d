"""The store interface: what the CLI, the web app, the build and the tests ask of a backend.

Layout, the same on every backend: one named graph per source file plus the graphs the build
computes, and a default graph that is the merged set of all of them, so that queries without
GRAPH see each triple once. The embedded store answers it as the union of the named graphs when
no triple is in two of them (dist/release.json says so), else holds the merged dump.

Backends say what they can do in class attributes (`embedded`, `fetches_remote_graphs`,
`isolated`); code that must treat them differently reads those, never the class. The row cap is
each store's own job (`query(limit=)`), so a backend that can stop reading early does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..binding import bind_values
from ..oxterms import to_ox
from ..results import QueryResult
from .answers import Answer, Job, Policy, answer

if TYPE_CHECKING:
    from ..config import Settings


DESCRIBE = (
    "CONSTRUCT { ?s ?p ?o . ?in ?ip ?s . ?b ?bp ?bo } WHERE {"
    " { ?s ?p ?o } UNION { ?in ?ip ?s } UNION { ?s ?sp ?b . FILTER(isBlank(?b)) ?b ?bp ?bo } }"
)

# A term as a reader of texts needs it: (lexical value — an IRI's string —, language or "").
# A plain tuple: a million of them are made in a build at 1M triples, a NamedTuple costs twice.
Text = tuple[str, str]


class Store(ABC):
    """One SPARQL 1.1 dataset, embedded or remote, read-only."""

    name: str = "store"
    embedded: bool = True  # loaded in this process from the build's dumps (else a server holds it)
    fetches_remote_graphs: bool = False  # FROM <iri> it does not hold makes it fetch <iri> over HTTP
    isolated: bool = False  # queries run in killable worker processes (stores/guarded.py)
    # The engine that runs a query parses it itself, and can be barred from the network by the
    # worker's sandbox: the public policy then needs no parse of its own (policy.py).
    own_parser: bool = False
    network_barred: bool = False  # queries run where no network connection can be opened

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store the settings describe (the build's dumps, or the endpoint's URL)."""
        raise NotImplementedError(f"{cls.__name__} is not opened from settings")

    def query(
        self,
        sparql: str,
        bindings: dict[str, Node] | None = None,
        limit: int | None = None,
        *,
        policy: Policy | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query.

        `bindings` are bound as RDF terms, never pasted into the text; at most `limit` rows (or
        triples) come back, `truncated` saying whether some were cut; `policy` refuses, before
        anything runs, what a public query may not do.
        """
        if policy is not None:
            policy.check(sparql)
        return self.evaluate(bind_values(sparql, bindings), limit)

    def text_rows(self, sparql: str) -> tuple[list[str], Iterator[tuple[Text | None, ...]]]:
        """A SELECT's rows as (lexical value, language) pairs, for readers that need only strings
        (the search index, the quote check): the embedded store gives them without making rdflib
        terms, which was half the search phase of a build at 100k triples."""
        result = self.query(sparql)
        rows = (
            tuple(None if t is None else (str(t), getattr(t, "language", None) or "") for t in row)
            for row in result.rows
        )
        return list(result.vars), rows

    def answer(self, job: Job, policy: Policy | None = None) -> QueryResult | Answer:
        """A public query answered whole (stores/answers.py): rows, or bytes in the client's format."""
        return answer(self, job, policy)

    @abstractmethod
    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        """Run a query text whose parameters are already bound, keeping at most `limit` rows."""

    @property
    def in_process(self) -> Store:
        """The store that answers in this process: itself (a guarded store gives its inner store)."""
        return self

    def describe(self, iri: URIRef) -> Graph:
        """Outgoing and incoming triples of one resource, with the blank nodes it points to described
        (a meeting's attendances), so the view served at /id/... stands on its own."""
        return self.query(DESCRIBE, {"s": iri}).graph

    def describe_triples(self, iri: URIRef) -> list[ox.Triple]:
        """`describe` as pyoxigraph triples, for the writers that take them (Turtle at /id/...):
        the embedded store gives them without making rdflib terms or an rdflib graph."""
        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in self.describe(iri)]

    def count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0])

    def close(self) -> None:  # noqa: B027 - optional hook, embedded stores hold nothing to release
        """Release what the backend holds (files, connections, worker processes)."""
