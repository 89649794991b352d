"""A store whose public queries run in a pool of killable, sandboxed worker processes.

Neither rdflib nor pyoxigraph can be interrupted from Python, so a separate process is the only
way to really stop a query: past `Settings.query_timeout` its worker is killed (SIGKILL) and
replaced. Workers are forked by a single-threaded zygote (zygote.py) that a nursery forked before
the server started its threads; the nursery bars itself, and so every worker, from the network
(sandbox.py), and each worker caps its own address space and lowers its CPU priority, so the
server's pages get the processor first.

A whole public query (`answers.Job`: text, dataset, base, format, caps) travels to the worker
with its policy (policy.py): binding, checking, parsing, evaluating and writing the result in the
client's format all happen there, under the time limit; the request thread gets bytes back.

Admission (stores/admission.py), so that a few hostile clients cannot take the pool: a client may
have `client_queries` public queries running or waiting (429 past it); at most twice the workers
are in flight (503), three times for a client that has none in flight yet; a query still running
after `slow_after` seconds needs one of the `slow_queries` slow slots — one per client — or it is
stopped (503), so slow queries never take more than that many workers and quick ones always find
one. The catalog's own queries (a saved query's page, its parameters bound as terms) are the
site's pages, not arbitrary text: they keep the time limit and the admission but not the slow rule
(`catalog_query()`), so a saved query that needs a second on a busy machine is answered rather
than stopped. A third of the workers are the catalog's (`reserved`): they run at the server's own
CPU priority and never take arbitrary text, so saved-query pages neither wait behind hostile
queries nor share the processor with them on equal terms; the others, at a lower priority, take
public queries (and catalog ones when idle).
"""

from __future__ import annotations

import contextvars
import logging
import math
import os
import queue
import signal
import socket
import threading
import time
import weakref
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection

from rdflib.term import Node

from .. import sandbox
from ..config import Settings
from ..dist import process_alive
from ..errors import QueryTimeoutError, ServerBusyError, TehgraphError
from ..results import QueryResult
from .admission import Admission
from .answers import Answer, Job
from .base import Policy, Store
from .fair import FairPool
from .worker import ERRORS, Worker, unpack, worker_loop
from .zygote import Forker, kill, serve_forks

log = logging.getLogger(__name__)
# What the nursery's sandbox set up, kept in the nursery's memory for the zygotes it forks.
_NURSERY_HELLO: dict[str, str] = {}

# A worker is retired (and replaced) after this many queries, so copy-on-write growth stays bounded.
QUERIES_PER_WORKER = 500
PUBLIC, CATALOG = "public", "catalog"  # the two kinds of workers (see the module's docstring)
READY = "ready"  # what a new worker says once its priority and memory cap are set
# The client a request thread is serving (set by the web app for each request): admission counts it.
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("tehgraph_client", default="-")
# Set while the site runs one of its catalog's queries: the slow rule does not apply to it.
_CATALOG: contextvars.ContextVar[bool] = contextvars.ContextVar("tehgraph_catalog_query", default=False)


@contextmanager
def catalog_query():
    """Run the enclosed queries as the catalog's own (time limit and admission, no slow rule)."""
    token = _CATALOG.set(True)
    try:
        yield
    finally:
        _CATALOG.reset(token)


class GuardedStore(Store):
    """A store whose queries run in a pool of killable worker processes under a hard time limit."""

    name = "guarded"
    isolated = True

    def __init__(self, inner: Store, timeout: float, workers: int = 6, settings: Settings | None = None):
        if workers < 1:
            raise ValueError("a GuardedStore needs at least one worker")
        settings = settings or Settings()
        self.inner, self.timeout, self.size = inner, float(timeout), workers
        self.slow_after = min(settings.slow_after, self.timeout)
        self.admission = Admission(settings.client_queries, workers, settings.slow_queries, self.timeout)
        # Workers of the catalog alone, at the server's priority; the others take public queries.
        self.reserved = workers // 3 if workers > 1 else 0
        watchdog = max(1, math.ceil(self.timeout * 3))
        memory = settings.worker_memory

        def worker_main(sock: socket.socket) -> None:
            conn = Connection(sock.detach())
            if conn.recv() == PUBLIC:  # the pool says which kind this worker is
                sandbox.lower_priority()
            sandbox.limit_memory(memory)
            conn.send(READY)  # set up as told: the pool may give it queries
            worker_loop(inner, conn, watchdog)

        # A remote store reaches its endpoint from the workers: they keep the network, and SERVICE
        # stays refused by the policy (the remote server executes, so it is the one to be told).
        keep_network = bool(settings.trusted_endpoints or settings.endpoint)
        mode = settings.sandbox

        def nursery_setup() -> str:  # runs in the nursery; its zygotes say the same hello
            hello = "off (remote or trusted endpoints)" if keep_network else sandbox.confine_network(mode)
            _NURSERY_HELLO["hello"] = hello
            return hello

        self._zygote_lock = threading.RLock()
        self._closed = False
        self._worker_main = worker_main
        self._nursery_setup = nursery_setup
        self.nursery = Forker.start(self._zygote_main, nursery_setup)
        self.sandbox = self.nursery.hello
        self.zygote = self._new_zygote()
        self.idle: FairPool[Worker] = FairPool()  # public workers, idle, shared fairly between clients
        self.catalog_idle: queue.Queue[Worker] = queue.Queue()  # the catalog's workers, idle
        self.workers: dict[int, Worker] = {}
        self.killed = 0  # workers stopped at the time limit
        self.stopped_slow = 0  # queries stopped because the slow slots were taken
        self.restarts = 0  # zygotes (or nurseries) started again after dying
        self._lock = threading.Lock()
        for n in range(workers):
            self._add_worker(CATALOG if n < self.reserved else PUBLIC)
        self._finalizer = weakref.finalize(
            self, GuardedStore._shutdown, self.nursery, self.zygote, self.workers
        )

    def _zygote_main(self, sock: socket.socket) -> None:
        serve_forks(sock, self._worker_main, _NURSERY_HELLO.get("hello", ""))

    # --- capabilities of the wrapped store ---

    @property
    def embedded(self) -> bool:
        return self.inner.embedded

    @property
    def fetches_remote_graphs(self) -> bool:
        return self.inner.fetches_remote_graphs

    @property
    def own_parser(self) -> bool:
        return self.inner.own_parser

    @property
    def network_barred(self) -> bool:
        return self.sandbox in (sandbox.NETWORK_NAMESPACE, sandbox.SECCOMP)

    @property
    def in_process(self) -> Store:
        return self.inner

    # --- the pool ---

    def _new_zygote(self) -> Forker:
        try:
            pid, sock = self.nursery.spawn()
        except (OSError, TehgraphError):
            log.warning("the query pool's nursery is gone: starting a new one from the server")
            self.nursery = Forker.start(self._zygote_main, self._nursery_setup)
            self.sandbox = self.nursery.hello
            pid, sock = self.nursery.spawn()
        return Forker.adopt(pid, sock)

    def _spawn(self) -> tuple[int, socket.socket]:
        with self._zygote_lock:
            try:
                return self.zygote.spawn()
            except (OSError, TehgraphError):
                self._restart_zygote()
                return self.zygote.spawn()

    def _restart_zygote(self) -> None:
        log.warning("the query pool's zygote %s is gone: starting a new one", self.zygote.pid)
        with suppress(OSError):
            self.zygote.close()
        self.restarts += 1
        self.zygote = self._new_zygote()

    def ensure_zygote(self) -> bool:
        """Restart the zygote if it died (a health check calls this); True when it had to."""
        with self._zygote_lock:
            if self._closed or self.zygote.alive():
                return False
            self._restart_zygote()
            return True

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(self.workers)

    def _add_worker(self, kind: str) -> None:
        pid, sock = self._spawn()
        worker = Worker(pid, Connection(sock.detach()), kind=kind)
        worker.conn.send(kind)
        if not worker.conn.poll(30) or worker.conn.recv() != READY:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            raise TehgraphError(f"query worker {pid} did not start")
        with self._lock:
            self.workers[pid] = worker
        self._idle_queue(kind).put(worker)

    def _idle_queue(self, kind: str) -> queue.Queue[Worker] | FairPool[Worker]:
        return self.catalog_idle if kind == CATALOG else self.idle

    def _retire(self, worker: Worker, kill_it: bool) -> None:
        with self._lock:
            self.workers.pop(worker.pid, None)
        if kill_it:
            with suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        worker.conn.close()  # a retired, idle worker reads end-of-file and exits
        if self._closed:
            return
        try:
            self._add_worker(worker.kind)
        except (OSError, TehgraphError):
            log.exception("could not replace query worker %s; the pool is smaller", worker.pid)

    def status(self) -> dict:
        """What /health reports: the pool's size and state, the sandbox, what was stopped."""
        self.ensure_zygote()
        with self._lock:
            alive = sum(1 for pid in self.workers if process_alive(pid))
        return {
            "workers": self.size,
            "workers_alive": alive,
            "workers_idle": self.idle.qsize() + self.catalog_idle.qsize(),
            "zygote_alive": self.zygote.alive(),
            "zygote_pid": self.zygote.pid,
            "worker_pids": self.worker_pids(),
            "zygote_restarts": self.restarts,
            "sandbox": self.sandbox,
            "killed_at_time_limit": self.killed,
            "stopped_as_slow": self.stopped_slow,
            "time_limit_s": self.timeout,
            "reserved_for_catalog": self.reserved,
        }

    # --- running ---

    def query(
        self,
        sparql: str,
        bindings: dict[str, Node] | None = None,
        limit: int | None = None,
        *,
        policy: Policy | None = None,
    ) -> QueryResult:
        """Run in a worker; past `timeout` seconds the worker is killed and QueryTimeoutError raised."""
        return self.answer(Job(sparql, dict(bindings or {}), limit), policy)

    def answer(self, job: Job, policy: Policy | None = None) -> QueryResult | Answer:
        client = CLIENT.get()
        with self.admission.admit(client, catalog=_CATALOG.get()):
            started = time.monotonic()
            if _CATALOG.get():
                return self._run(self._catalog_worker(), job, policy, client, started)
            worker = self.idle.take(client, min(self.timeout, 2.0))
            if worker is None:
                raise ServerBusyError(
                    "The server is busy: every query worker open to public queries is taken. "
                    "Try again in a moment.",
                    retry_after=2,
                )
            try:
                return self._run(worker, job, policy, client, started)
            finally:
                self.idle.done(client)

    def _catalog_worker(self) -> Worker:
        """One of the catalog's workers, else an idle public one; waits as long as the time limit."""
        deadline = time.monotonic() + self.timeout
        while True:
            with suppress(queue.Empty):
                return self.catalog_idle.get_nowait()
            public = self.idle.take_nowait()
            if public is not None:
                return public
            if time.monotonic() >= deadline:
                raise ServerBusyError(
                    "The server is busy: no query worker became free in time. Try again in a moment.",
                    retry_after=2,
                )
            with suppress(queue.Empty):  # wake as soon as one of its own is back
                return self.catalog_idle.get(timeout=0.02)

    def _run(self, worker: Worker, job: Job, policy, client: str, started: float) -> QueryResult | Answer:
        try:
            worker.conn.send((job, policy))
            if _CATALOG.get():
                self._wait_within_limit(worker, started)
            elif not worker.conn.poll(self.slow_after):
                with self.admission.slow_slot(client) as slot:
                    if not slot:
                        self.stopped_slow += 1
                        self._retire(worker, kill_it=True)
                        raise ServerBusyError(
                            f"The query was stopped after {self.slow_after:g} s: this server runs only a few "
                            "slow queries at once (one per client) and they are all taken. Try again later, "
                            "or simplify it (fewer joins, a LIMIT).",
                            retry_after=math.ceil(self.timeout),
                        )
                    self._wait_within_limit(worker, started)
            status, first, second = worker.conn.recv()
            body = b""
            if status == "answer":
                for _ in range(first[3]):
                    body += worker.conn.recv_bytes()
        except (EOFError, OSError):
            self._retire(worker, kill_it=True)
            raise QueryTimeoutError(
                "The query worker stopped while running the query: the query went past this server's "
                "memory limit for one query, or crashed it."
            ) from None
        worker.served += 1
        if worker.served >= QUERIES_PER_WORKER:
            self._retire(worker, kill_it=False)
        else:
            self._idle_queue(worker.kind).put(worker)
        if status == "ok":
            return unpack(first)
        if status == "answer":
            kind, fmt, truncated, _chunks = first
            return Answer(kind, fmt, body, truncated)
        if status == "error":
            raise ERRORS.get(first, TehgraphError)(second)
        raise RuntimeError(f"query worker failed: {first}")

    def _wait_within_limit(self, worker: Worker, started: float) -> None:
        """Wait for the worker's reply until the time limit; past it the worker is killed."""
        if not worker.conn.poll(max(0.0, self.timeout - (time.monotonic() - started))):
            self.killed += 1
            self._retire(worker, kill_it=True)
            raise QueryTimeoutError(
                f"The query was stopped after {self.timeout:g} seconds, the time limit of "
                "this server. Simplify it (fewer joins, a LIMIT) or run it on your own copy "
                "of the data (`tehgraph query`)."
            )

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        return self.query(sparql, limit=limit)

    @staticmethod
    def _shutdown(nursery: Forker, zygote: Forker, workers: dict[int, Worker]) -> None:
        for worker in list(workers.values()):
            with suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            worker.conn.close()
        workers.clear()
        for forker in (zygote, nursery):
            with suppress(OSError):
                forker.close()
            kill(forker.pid)

    def close(self) -> None:
        """Stop every worker, the zygote and the nursery; the inner store is closed too."""
        self._closed = True
        self._finalizer()
        self.inner.close()


def guard_store(settings: Settings, store: Store) -> Store:
    """`store` wrapped in a GuardedStore when `settings.query_workers` > 0 (the served default)."""
    if settings.query_workers <= 0 or store.isolated:
        return store
    return GuardedStore(store, settings.query_timeout, settings.query_workers, settings)
