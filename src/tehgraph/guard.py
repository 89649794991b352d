"""Guards for a public endpoint: read-only, no outgoing requests, a hard time limit, a row cap.

Two parts:

- `QueryPolicy.check` parses a query text with rdflib and looks at its algebra: an update
  (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is refused before evaluation, and so
  is any `SERVICE` to an endpoint not listed in `Settings.trusted_endpoints` and any `FROM` /
  `FROM NAMED` naming a graph the store does not hold (rdflib would fetch such a graph over HTTP:
  server-side request forgery). Checking the parsed algebra, not the text, means comments,
  strings, nesting in sub-queries or `FILTER EXISTS` cannot hide a SERVICE.
- `GuardedStore` runs every query in a worker process and kills a worker that overruns
  `Settings.query_timeout`. Neither rdflib nor pyoxigraph can be interrupted from Python, so a
  separate process is the only way to really stop the work. Workers are forked (copy-on-write,
  no reload of the graph) by a "zygote" process that is itself forked once, when the store is
  wrapped, before the web server starts its threads: forking later from a threaded process could
  copy a lock held by another thread. A killed or retired worker is replaced by the zygote.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import queue
import signal
import socket
import threading
import weakref
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import Graph
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.processor import prepareQuery
from rdflib.term import Node

from .binding import bind_values
from .config import Settings
from .errors import (
    EndpointError,
    ForbiddenQueryError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    RemoteQueryError,
    RemoteTimeoutError,
    TehgraphError,
)
from .namespaces import PREFIXES, bind_prefixes
from .oxterms import to_rdflib
from .results import QueryResult
from .store import OxigraphStore, Store

log = logging.getLogger(__name__)

# A worker is retired (and replaced) after this many queries, so copy-on-write growth stays bounded.
QUERIES_PER_WORKER = 500
# Errors a worker sends back by class name (the nearest one of these in the error's class tree).
ERRORS: dict[str, type[TehgraphError]] = {
    cls.__name__: cls
    for cls in (
        QueryError,
        ForbiddenQueryError,
        ParameterError,
        QueryTimeoutError,
        EndpointError,
        RemoteQueryError,
        RemoteTimeoutError,
        TehgraphError,
    )
}


# --- what a public query may ask -------------------------------------------------------------


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
        inner = store.inner if isinstance(store, GuardedStore) else store
        return cls(
            frozenset(settings.trusted_endpoints),
            frozenset(str(g) for g in graphs),
            from_any_graph=isinstance(inner, OxigraphStore),
        )

    def check(self, sparql: str) -> None:
        """Refuse, before any evaluation, what a read-only endpoint without outgoing requests must."""
        try:
            query = prepareQuery(sparql, initNs=dict(PREFIXES))
        except Exception as error:  # pyparsing and the algebra translation raise many kinds
            if _is_update(sparql):
                raise ForbiddenQueryError(
                    "This SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
                    "CREATE, ADD, MOVE, COPY) is not accepted."
                ) from None
            raise QueryError(f"SPARQL syntax error: {error}") from None
        for clause in query.algebra.get("datasetClause") or ():
            graph = clause.get("default") or clause.get("named")
            if not self.from_any_graph and str(graph) not in self.known_graphs:
                raise ForbiddenQueryError(
                    f"FROM <{graph}> is not allowed: this endpoint queries only its own named graphs "
                    "and never loads data from elsewhere."
                )
        for target in service_targets(query.algebra):
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


# --- running one query, checked and capped ---------------------------------------------------


def run_query(
    store: Store,
    sparql: str,
    bindings: dict[str, Node] | None = None,
    *,
    policy: QueryPolicy | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Check `sparql` against `policy` (when given), run it, keep at most `limit` rows or triples.

    In a GuardedStore all of this happens in a worker, under the time limit; on a plain store
    it happens here (the test client and the CLI, which has no cap).
    """
    if isinstance(store, GuardedStore):
        return store.query(sparql, bindings, policy=policy, limit=limit)
    if policy is not None:
        policy.check(sparql)
    if limit is not None and isinstance(store, OxigraphStore):
        return _oxigraph_limited(store, sparql, bindings, limit)
    result = store.query(sparql, bindings)
    return cap(result, limit)


def cap(result: QueryResult, limit: int | None) -> QueryResult:
    """`result` cut to `limit` rows (or triples), marked truncated when something was cut."""
    if limit is None:
        return result
    if result.kind == "SELECT" and len(result.rows) > limit:
        result.rows, result.truncated = result.rows[:limit], True
    elif result.kind == "CONSTRUCT" and len(result.graph) > limit:
        kept = Graph()
        bind_prefixes(kept)
        for triple in itertools.islice(result.graph, limit):
            kept.add(triple)
        result.graph, result.truncated = kept, True
    return result


def _oxigraph_limited(store: OxigraphStore, sparql: str, bindings, limit: int | None) -> QueryResult:
    return _unpack(_oxigraph_parts(store, sparql, bindings, limit))


def _oxigraph_parts(store: OxigraphStore, sparql: str, bindings, limit: int | None) -> tuple:
    """A query answered straight from Oxigraph's lazy iterator, as `_pack` parts.

    Only limit + 1 solutions are read, so a huge result costs no memory, and no rdflib Graph is
    built in the worker (the server builds one from the triples anyway).
    """
    text = bind_values(sparql, bindings)
    try:
        answer = store.store.query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
        if isinstance(answer, ox.QueryBoolean):
            return ("ASK", [], [], bool(answer), None, False)
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            found = itertools.islice(answer, limit + 1) if limit is not None else answer
            rows = [tuple(to_rdflib(s[n]) for n in names) for s in found]
            cut = limit is not None and len(rows) > limit
            return ("SELECT", names, rows[:limit] if cut else rows, None, None, cut)
        found = itertools.islice(answer, limit + 1) if limit is not None else answer
        triples = list({(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in found})
        cut = limit is not None and len(triples) > limit
        return ("CONSTRUCT", [], [], None, triples[:limit] if cut else triples, cut)
    except SyntaxError as error:
        raise QueryError(str(error)) from None
    except OSError as error:
        raise QueryError(f"query evaluation failed: {error}") from None


# --- the worker side -------------------------------------------------------------------------


def _pack(result: QueryResult) -> tuple:
    """A result as plain picklable parts (a CONSTRUCT graph as its triples)."""
    triples = list(result.graph) if result.graph is not None else None
    return (result.kind, result.vars, result.rows, result.boolean, triples, result.truncated)


def _unpack(parts: tuple) -> QueryResult:
    kind, names, rows, boolean, triples, truncated = parts
    graph = None
    if triples is not None:
        graph = Graph()
        bind_prefixes(graph)
        for triple in triples:
            graph.add(triple)
    return QueryResult(kind, vars=names, rows=rows, boolean=boolean, graph=graph, truncated=truncated)


def _worker_loop(store: Store, conn: Connection, watchdog: int) -> None:
    """Answer requests until the parent closes the connection.

    The alarm is a second, independent limit: should the parent die while this worker runs a
    runaway query, the default SIGALRM action ends the process even inside native code.
    """
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # defence in depth: never fetch FROM graphs
    while True:
        try:
            sparql, bindings, policy, limit = conn.recv()
        except (EOFError, OSError):
            return
        signal.alarm(watchdog)
        try:
            if isinstance(store, OxigraphStore):
                if policy is not None:
                    policy.check(sparql)
                reply = ("ok", _oxigraph_parts(store, sparql, bindings, limit), "")
            else:
                reply = ("ok", _pack(run_query(store, sparql, bindings, policy=policy, limit=limit)), "")
        except TehgraphError as error:
            name = next(c.__name__ for c in type(error).__mro__ if c.__name__ in ERRORS)
            reply = ("error", name, str(error))
        except Exception as error:  # reported to the parent, which logs it and answers a bare 500
            reply = ("crash", f"{type(error).__name__}: {error}", "")
        signal.alarm(0)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class Zygote:
    """A single-threaded process holding the loaded store, whose only job is to fork workers.

    It is forked once, before any server thread exists; workers are then forked from it, never
    from the threaded server. A new worker's socket is passed back to the server with SCM_RIGHTS.
    """

    def __init__(self, serve: Callable[[Connection], None]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:  # the zygote
            ours.close()
            code = 0
            try:
                self._loop(theirs, serve)
            except BaseException:
                code = 1
            os._exit(code)
        theirs.close()
        self.pid, self.sock, self.lock = pid, ours, threading.Lock()

    @staticmethod
    def _loop(sock: socket.socket, serve: Callable[[Connection], None]) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps exited workers
        while sock.recv(1):
            mine, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            pid = os.fork()
            if pid == 0:  # a worker
                sock.close()
                mine.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                try:
                    serve(Connection(worker_end.detach()))
                finally:
                    os._exit(0)
            worker_end.close()
            socket.send_fds(sock, [pid.to_bytes(8, "big")], [mine.fileno()])
            mine.close()

    def spawn(self) -> tuple[int, Connection]:
        """A new worker: its pid and a connection to it."""
        with self.lock:
            self.sock.sendall(b"w")
            message, fds, _flags, _addr = socket.recv_fds(self.sock, 8, 1)
        if len(message) != 8 or len(fds) != 1:
            raise TehgraphError("the query worker pool could not start a worker")
        return int.from_bytes(message, "big"), Connection(fds[0])

    def close(self) -> None:
        self.sock.close()  # the zygote reads end-of-file and exits


@dataclass
class Worker:
    pid: int
    conn: Connection
    served: int = 0


# --- the server side -------------------------------------------------------------------------


class GuardedStore(Store):
    """A store whose queries run in a pool of killable worker processes under a hard time limit."""

    name = "guarded"

    def __init__(self, inner: Store, timeout: float, workers: int = 4):
        if workers < 1:
            raise ValueError("a GuardedStore needs at least one worker")
        self.inner, self.timeout, self.size = inner, float(timeout), workers
        watchdog = max(1, math.ceil(self.timeout * 3))
        self.zygote = Zygote(lambda conn: _worker_loop(inner, conn, watchdog))
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: dict[int, Worker] = {}
        self.killed = 0  # workers stopped at the time limit (reported by the load benchmark)
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._add_worker()
        self._finalizer = weakref.finalize(self, GuardedStore._shutdown, self.zygote, self.workers)

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(self.workers)

    def _add_worker(self) -> None:
        pid, conn = self.zygote.spawn()
        worker = Worker(pid, conn)
        with self._lock:
            self.workers[pid] = worker
        self.idle.put(worker)

    def _retire(self, worker: Worker, kill: bool) -> None:
        with self._lock:
            self.workers.pop(worker.pid, None)
        if kill:
            with suppress(ProcessLookupError):  # it may have exited already
                os.kill(worker.pid, signal.SIGKILL)
        worker.conn.close()  # a retired, idle worker reads end-of-file and exits
        if self._closed:
            return
        try:
            self._add_worker()
        except (OSError, TehgraphError):
            log.exception("could not replace query worker %s; the pool is smaller", worker.pid)

    def query(
        self,
        sparql: str,
        bindings: dict[str, Node] | None = None,
        *,
        policy: QueryPolicy | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        """Run in a worker; past `timeout` seconds the worker is killed and QueryTimeoutError raised."""
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"The server is busy: no query worker became free within {self.timeout:g} seconds. "
                "Try again in a moment."
            ) from None
        try:
            worker.conn.send((sparql, dict(bindings or {}), policy, limit))
            if not worker.conn.poll(self.timeout):
                self.killed += 1
                self._retire(worker, kill=True)
                raise QueryTimeoutError(
                    f"The query was stopped after {self.timeout:g} seconds, the time limit of this server. "
                    "Simplify it (fewer joins, a LIMIT) or run it on your own copy of the data "
                    "(`tehgraph query`)."
                )
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._retire(worker, kill=True)
            raise QueryTimeoutError(f"The query worker stopped while running the query ({error}).") from None
        worker.served += 1
        if worker.served >= QUERIES_PER_WORKER:
            self._retire(worker, kill=False)
        else:
            self.idle.put(worker)
        return self._result(reply)

    @staticmethod
    def _result(reply: tuple) -> QueryResult:
        status, first, second = reply
        if status == "ok":
            return _unpack(first)
        if status == "error":
            raise ERRORS.get(first, TehgraphError)(second)
        raise RuntimeError(f"query worker failed: {first}")

    @staticmethod
    def _shutdown(zygote: Zygote, workers: dict[int, Worker]) -> None:
        for worker in list(workers.values()):
            with suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            worker.conn.close()
        workers.clear()
        zygote.close()
        with suppress(ProcessLookupError, ChildProcessError):
            os.kill(zygote.pid, signal.SIGKILL)
            os.waitpid(zygote.pid, 0)

    def close(self) -> None:
        """Stop every worker and the zygote; the inner store is closed too."""
        self._closed = True
        self._finalizer()
        self.inner.close()


def guard_store(settings: Settings, store: Store) -> Store:
    """`store` wrapped in a GuardedStore when `settings.query_workers` > 0 (the served default)."""
    if settings.query_workers <= 0 or isinstance(store, GuardedStore):
        return store
    return GuardedStore(store, settings.query_timeout, settings.query_workers)


_POLICIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def policy_for(store: Store, settings: Settings) -> QueryPolicy:
    """The public policy of a store (its graph names are read once and kept)."""
    policy = _POLICIES.get(store)
    if policy is None or policy.trusted_endpoints != frozenset(settings.trusted_endpoints):
        policy = QueryPolicy.for_store(store, settings)
        _POLICIES[store] = policy
    return policy


def public_query(store: Store, sparql: str, settings: Settings) -> QueryResult:
    """A query text from the public: checked, time-limited (in a GuardedStore) and row-capped."""
    return run_query(store, sparql, policy=policy_for(store, settings), limit=settings.max_rows)
