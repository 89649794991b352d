"""What a public query may do, in one place: read, and nothing else.

Decide with the engine that executes (issue 18: rdflib expanded `\\u` escapes over the whole text
and saw a string where Oxigraph, which ran the query, saw a SERVICE). Two checks:

- the textual check, always, on the text with comments, strings and IRIs masked as Oxigraph
  reads them (`binding.mask_syntax`): a query whose first keyword is an update (INSERT, DELETE,
  LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH) is a 403 « read-only », and any SERVICE
  keyword is a 403 — a clear message, cheap, before the engine parses;
- the algebra check, with rdflib's parser, where the engine that runs the query is rdflib or a
  remote server, or where the embedded engine is not barred from the network (no sandbox, or
  trusted endpoints configured): SERVICE found in the parsed algebra and refused unless trusted,
  `FROM` / `FROM NAMED` naming a graph the store does not hold where the store would fetch it.

For the embedded Oxigraph store in sandboxed workers (`Store.own_parser` and `network_barred`)
the textual check is all: pyoxigraph's parser has the last word on syntax (its message is the
400), it refuses updates itself, and the worker's network namespace (sandbox.py) makes any
SERVICE that got past the text fail without a packet leaving. The store that runs a query applies
its policy (`Store.query(policy=)`, `Store.answer`): a guarded store does it inside its worker.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import rdflib
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.processor import prepareQuery

from .binding import mask_syntax
from .config import Settings
from .errors import ForbiddenQueryError, QueryError
from .namespaces import PREFIXES
from .results import QueryResult
from .stores.answers import Answer, Job
from .stores.base import Store
from .stores.remote import QUERY_FORMS, query_form

_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)
# What follows a SERVICE keyword, in the original text: only a written-out IRI can name a trusted
# endpoint (a prefixed name or a variable is refused: the text alone cannot tell where it points).
_SERVICE_TARGET = re.compile(r"(?:\s+SILENT\b)?\s*<([^<>\"{}|^`\\\s]*)>", re.IGNORECASE)
READ_ONLY = (
    "This SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
    "CREATE, ADD, MOVE, COPY) is not accepted."
)


@dataclass(frozen=True)
class QueryPolicy:
    """What the public endpoint allows: SERVICE only to trusted endpoints, FROM only local graphs."""

    trusted_endpoints: frozenset[str] = frozenset()
    known_graphs: frozenset[str] = frozenset()
    # Oxigraph reads FROM <x> as the name of a graph in the store (absent: empty); rdflib fetches
    # a graph it does not hold, and a remote engine may too: there FROM must name a known graph.
    from_any_graph: bool = False
    # The engine parses the query itself and cannot reach the network: no rdflib parse needed.
    textual_only: bool = False

    @classmethod
    def for_store(cls, store: Store, settings: Settings) -> QueryPolicy:
        trusted = frozenset(settings.trusted_endpoints)
        if store.own_parser and not store.fetches_remote_graphs:
            graphs: frozenset[str] = frozenset()  # FROM names a graph of the store, never a fetch
        else:
            rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g")
            graphs = frozenset(str(g) for g in rows)
        return cls(
            trusted,
            graphs,
            from_any_graph=not store.fetches_remote_graphs,
            textual_only=store.own_parser and store.network_barred and not trusted,
        )

    def check(self, sparql: str) -> None:
        """Refuse, before any evaluation, what a read-only endpoint without outgoing requests must."""
        form = query_form(sparql)
        if form is not None and form not in QUERY_FORMS:
            raise ForbiddenQueryError(READ_ONLY)
        masked = mask_syntax(sparql)
        for keyword in _SERVICE.finditer(masked):  # as the engine reads the text: every one is checked
            target = _SERVICE_TARGET.match(sparql, keyword.end())
            self._check_service(target.group(1) if target else None)
        if self.textual_only:
            return
        try:
            query = prepareQuery(sparql, initNs=dict(PREFIXES))
        except RecursionError:
            raise QueryError("the query is nested too deeply for this endpoint's parser") from None
        except Exception as error:  # pyparsing and the algebra translation raise many kinds
            raise QueryError(f"SPARQL syntax error: {error}") from None
        for clause in query.algebra.get("datasetClause") or ():
            self._check_from(clause.get("default") or clause.get("named"))
        for target in service_targets(query.algebra):
            self._check_service(target)

    def _check_from(self, graph) -> None:
        if not self.from_any_graph and str(graph) not in self.known_graphs:
            raise ForbiddenQueryError(
                f"FROM <{graph}> is not allowed: this endpoint queries only its own named graphs "
                "and never loads data from elsewhere."
            )

    def _check_service(self, target: str | None) -> None:
        if target is None or target not in self.trusted_endpoints:
            raise ForbiddenQueryError(
                f"SERVICE {target + ' ' if target else ''}is not allowed: this endpoint makes "
                f"no outgoing requests except to trusted endpoints "
                f"({', '.join(sorted(self.trusted_endpoints)) or 'none configured'})."
            )


def service_targets(algebra) -> list[str | None]:
    """Endpoint IRIs of every SERVICE anywhere in the algebra (None for a variable endpoint)."""
    found: list[str | None] = []

    def visit(node) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = node.get("term")
            found.append(str(term) if isinstance(term, rdflib.URIRef) else None)

    traverse(algebra, visit)
    return found


_POLICIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def policy_for(store: Store, settings: Settings) -> QueryPolicy:
    """The public policy of a store (its graph names are read once and kept)."""
    policy = _POLICIES.get(store)
    if policy is None or policy.trusted_endpoints != frozenset(settings.trusted_endpoints):
        policy = QueryPolicy.for_store(store, settings)
        _POLICIES[store] = policy
    return policy


def public_query(store: Store, sparql: str, settings: Settings) -> QueryResult:
    """A query text from the public: checked, time-limited (by a guarded store) and row-capped."""
    return public_answer(store, Job(sparql, limit=settings.max_rows), settings)


def public_answer(store: Store, job: Job, settings: Settings) -> QueryResult | Answer:
    """A public job (stores/answers.py), under the store's public policy; in a worker when guarded."""
    return store.answer(job, policy_for(store, settings))
