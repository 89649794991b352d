"""What a public query may do, in one place: read, and nothing else.

`QueryPolicy.check` parses a query text with rdflib and looks at its algebra: an update (INSERT,
DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is refused before evaluation, and so is any
`SERVICE` to an endpoint not listed in `Settings.trusted_endpoints` and any `FROM` / `FROM NAMED`
naming a graph the store does not hold where the store would fetch such a graph over HTTP
(server-side request forgery). Checking the parsed algebra, not the text, means comments,
strings, nesting in sub-queries or `FILTER EXISTS` cannot hide a SERVICE.

The store that runs a query applies its policy (`Store.query(policy=)`): a guarded store does it
inside its worker process, under the time limit.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import rdflib
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.processor import prepareQuery

from .config import Settings
from .errors import ForbiddenQueryError, QueryError
from .namespaces import PREFIXES
from .results import QueryResult
from .stores.base import Store

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

    @classmethod
    def for_store(cls, store: Store, settings: Settings) -> QueryPolicy:
        graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g")
        return cls(
            frozenset(settings.trusted_endpoints),
            frozenset(str(g) for g in graphs),
            from_any_graph=not store.fetches_remote_graphs,
        )

    def check(self, sparql: str) -> None:
        """Refuse, before any evaluation, what a read-only endpoint without outgoing requests must."""
        try:
            query = prepareQuery(sparql, initNs=dict(PREFIXES))
        except Exception as error:  # pyparsing and the algebra translation raise many kinds
            if _is_update(sparql):
                raise ForbiddenQueryError(READ_ONLY) from None
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
        if target not in self.trusted_endpoints:
            raise ForbiddenQueryError(
                f"SERVICE {target or 'with a variable endpoint'} is not allowed: this endpoint makes "
                f"no outgoing requests except to trusted endpoints "
                f"({', '.join(sorted(self.trusted_endpoints)) or 'none configured'})."
            )


def _is_update(sparql: str) -> bool:
    try:
        parseUpdate(sparql)
    except Exception:
        return False
    return True


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
    return store.query(sparql, limit=settings.max_rows, policy=policy_for(store, settings))
