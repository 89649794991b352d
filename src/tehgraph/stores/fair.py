"""Idle query workers handed out fairly between clients (stores/guarded.py's public workers).

A plain queue gives a freed worker to whichever request waited first, so a few clients sending
many queries at once take the pool from everyone else. Here a request from a client that has no
query running goes before the second, third… query of a client that already has one: each
client gets its share of the workers before anyone gets more, whatever the order of arrival.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from typing import Generic, TypeVar

W = TypeVar("W")


class FairPool(Generic[W]):
    """Idle workers; `take` favours clients with nothing running, `done` says a query ended."""

    def __init__(self) -> None:
        self._idle: deque[W] = deque()  # in turn, so every worker serves (and a dead one is found)
        self._ready = threading.Condition()
        self._running: Counter[str] = Counter()
        self._newcomers = 0  # waiting requests whose client has nothing running

    def put(self, worker: W) -> None:
        with self._ready:
            self._idle.append(worker)
            self._ready.notify_all()

    def take(self, client: str, timeout: float) -> W | None:
        """An idle worker for `client` within `timeout` seconds, else None."""
        deadline = time.monotonic() + timeout
        with self._ready:
            newcomer = self._running[client] == 0
            self._newcomers += newcomer
            try:
                while not (self._idle and (newcomer or self._newcomers == 0)):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._ready.wait(remaining)
                self._running[client] += 1
                return self._idle.popleft()
            finally:
                self._newcomers -= newcomer
                if self._newcomers == 0:
                    self._ready.notify_all()  # those who gave way may go now

    def take_nowait(self) -> W | None:
        """An idle worker for the catalog's own queries (not counted against any client)."""
        with self._ready:
            return self._idle.popleft() if self._idle else None

    def done(self, client: str) -> None:
        """`client`'s query, started by `take`, has ended (answered, stopped or failed)."""
        with self._ready:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]

    def qsize(self) -> int:
        with self._ready:
            return len(self._idle)
