"""Who may have a public query run or wait, and which running queries may go on being slow.

The pool (stores/guarded.py) asks here before it gives a query a worker: a client may have
`client_limit` queries running or waiting (429 past it); at most `in_flight_limit` are in flight
(503), up to `newcomer_limit` for a client with nothing in flight, so a few clients sending many
queries cannot shut the others out; and a query still running after the pool's `slow_after`
needs one of the slow slots — one per client — or it is stopped. The catalog's own queries
(`catalog`) are counted per client but never turned away for the in-flight limit.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ServerBusyError


class Admission:
    """The counters of one pool, under one lock."""

    def __init__(self, client_limit: int, workers: int, slow_slots: int, timeout: float):
        self.client_limit = max(1, client_limit)
        self.in_flight_limit = 2 * workers
        self.newcomer_limit = 3 * workers  # also the request threads public queries may hold
        self.timeout = timeout
        self._slow = threading.BoundedSemaphore(max(1, min(slow_slots, workers)))
        self._admitted: Counter[str] = Counter()
        self._slow_clients: Counter[str] = Counter()
        self._gate = threading.Lock()

    @contextmanager
    def admit(self, client: str, catalog: bool = False) -> Iterator[None]:
        """Let `client`'s query run or wait, or raise ServerBusyError (429 or 503)."""
        with self._gate:
            if client != "-" and self._admitted[client] >= self.client_limit:
                raise ServerBusyError(
                    f"Too many queries at once from your address: at most {self.client_limit} may run "
                    "or wait at the same time. Wait for one to finish.",
                    status=429,
                    retry_after=math.ceil(self.timeout),
                )
            in_flight = sum(self._admitted.values())
            limit = self.newcomer_limit if self._admitted[client] == 0 else self.in_flight_limit
            if not catalog and in_flight >= limit:
                raise ServerBusyError("Every query worker is taken. Try again in a moment.", retry_after=1)
            self._admitted[client] += 1
        try:
            yield
        finally:
            with self._gate:
                self._admitted[client] -= 1
                if self._admitted[client] <= 0:
                    del self._admitted[client]

    @contextmanager
    def slow_slot(self, client: str) -> Iterator[bool]:
        """True while `client`'s slow query holds a slow slot; False when none is to be had."""
        with self._gate:
            mine = self._slow_clients[client] if client != "-" else 0
            got = mine == 0 and self._slow.acquire(blocking=False)
            if got:
                self._slow_clients[client] += 1
        try:
            yield got
        finally:
            if got:
                with self._gate:
                    self._slow_clients[client] -= 1
                    if self._slow_clients[client] <= 0:
                        del self._slow_clients[client]
                self._slow.release()
