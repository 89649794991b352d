"""The query worker's side of the pool (stores/guarded.py): its loop, and what crosses its pipe.

A worker receives `(job, policy)`, answers it with the wrapped store (stores/answers.py: policy,
parse, evaluation and writing, all here, under the time limit) and sends back one reply tuple —
`("answer", (kind, format, truncated, chunks), "")` followed by the body in `CHUNK`-sized
messages, `("ok", packed rows, "")`, `("error", class name, message)` or `("crash", text, "")`.
Errors travel by class name (`ERRORS`) so the request thread raises the same class.
"""

from __future__ import annotations

import math
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

import rdflib.plugins.sparql

from ..errors import (
    EndpointError,
    ForbiddenQueryError,
    NotAcceptableError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    RemoteQueryError,
    RemoteTimeoutError,
    TehgraphError,
)
from ..results import QueryResult, graph_of
from .answers import Answer
from .base import Store

CHUNK = 1 << 20  # bytes per message of an answer's body on the worker's pipe
ERRORS: dict[str, type[TehgraphError]] = {
    cls.__name__: cls
    for cls in (
        QueryError,
        ForbiddenQueryError,
        NotAcceptableError,
        ParameterError,
        QueryTimeoutError,
        EndpointError,
        RemoteQueryError,
        RemoteTimeoutError,
        TehgraphError,
    )
}


def pack(result: QueryResult) -> tuple:
    """A result as plain picklable parts (a CONSTRUCT graph as its triples)."""
    triples = list(result.graph) if result.graph is not None else None
    return (result.kind, result.vars, result.rows, result.boolean, triples, result.truncated, result.total)


def unpack(parts: tuple) -> QueryResult:
    kind, names, rows, boolean, triples, truncated, total = parts
    graph = graph_of(triples) if triples is not None else None
    return QueryResult(
        kind, vars=names, rows=rows, boolean=boolean, graph=graph, truncated=truncated, total=total
    )


def worker_loop(store: Store, conn: Connection, watchdog: int) -> None:
    """Answer jobs until the parent closes the connection.

    The alarm is a second, independent limit: should the parent die while this worker runs a
    runaway query, the default SIGALRM action ends the process even inside native code.
    """
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # defence in depth: never fetch FROM graphs
    # pyoxigraph draws RAND(), UUID() and blank node names from a thread-local generator, which a
    # fork copies: every worker of one zygote would draw the same numbers. A thread started after
    # the fork seeds its own generator from the system, so the jobs are answered on one.
    answering = threading.Thread(target=_answer_jobs, args=(store, conn, watchdog), name="query-worker")
    answering.start()
    answering.join()


def _answer_jobs(store: Store, conn: Connection, watchdog: int) -> None:
    while True:
        try:
            job, policy = conn.recv()
        except (EOFError, OSError):
            return
        signal.alarm(watchdog)
        body = b""
        try:
            found = store.answer(job, policy)
            if isinstance(found, Answer):
                body = found.body
                chunks = max(1, math.ceil(len(body) / CHUNK))
                reply = ("answer", (found.kind, found.format, found.truncated, chunks), "")
            else:
                reply = ("ok", pack(found), "")
        except TehgraphError as error:
            name = next(c.__name__ for c in type(error).__mro__ if c.__name__ in ERRORS)
            reply = ("error", name, str(error))
        except MemoryError:
            reply = ("error", "QueryTimeoutError", "The query went past this server's memory limit.")
        except Exception as error:  # reported to the parent, which logs it and answers a bare 500
            reply = ("crash", f"{type(error).__name__}: {error}", "")
        signal.alarm(0)
        try:
            conn.send(reply)
            if reply[0] == "answer":
                for start in range(0, max(1, len(body)), CHUNK):
                    conn.send_bytes(body[start : start + CHUNK])
        except (BrokenPipeError, OSError):
            return


@dataclass
class Worker:
    pid: int
    conn: Connection
    served: int = 0
    kind: str = "public"  # or "catalog": the pool's reserved workers (stores/guarded.py)
