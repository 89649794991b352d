"""A store whose queries run in a pool of killable worker processes, under a hard time limit.

`GuardedStore` runs every query in a worker process and kills a worker that overruns
`Settings.query_timeout`. Neither rdflib nor pyoxigraph can be interrupted from Python, so a
separate process is the only way to really stop the work. Workers are forked (copy-on-write, no
reload of the graph) by a "zygote" process that is itself forked once, when the store is wrapped,
before the web server starts its threads: forking later from a threaded process could copy a
lock held by another thread. A killed or retired worker is replaced by the zygote.

A query's policy (policy.py) travels with it and is checked inside the worker, so even parsing a
hostile text happens under the time limit. What a public query may do is policy.py's business.
"""

from __future__ import annotations

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

import rdflib.plugins.sparql
from rdflib.term import Node

from ..config import Settings
from ..errors import (
    EndpointError,
    ForbiddenQueryError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    RemoteQueryError,
    RemoteTimeoutError,
    TehgraphError,
)
from ..results import QueryResult, graph_of
from .base import Policy, Store

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


# --- the worker side -------------------------------------------------------------------------


def _pack(result: QueryResult) -> tuple:
    """A result as plain picklable parts (a CONSTRUCT graph as its triples)."""
    triples = list(result.graph) if result.graph is not None else None
    return (result.kind, result.vars, result.rows, result.boolean, triples, result.truncated)


def _unpack(parts: tuple) -> QueryResult:
    kind, names, rows, boolean, triples, truncated = parts
    graph = graph_of(triples) if triples is not None else None
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
            sparql, bindings, limit, policy = conn.recv()
        except (EOFError, OSError):
            return
        signal.alarm(watchdog)
        try:
            reply = ("ok", _pack(store.query(sparql, bindings, limit, policy=policy)), "")
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
    isolated = True

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

    @property
    def embedded(self) -> bool:
        return self.inner.embedded

    @property
    def fetches_remote_graphs(self) -> bool:
        return self.inner.fetches_remote_graphs

    @property
    def in_process(self) -> Store:
        return self.inner

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
        limit: int | None = None,
        *,
        policy: Policy | None = None,
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
            worker.conn.send((sparql, dict(bindings or {}), limit, policy))
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

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        return self.query(sparql, limit=limit)

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
    if settings.query_workers <= 0 or store.isolated:
        return store
    return GuardedStore(store, settings.query_timeout, settings.query_workers)
