"""Answers kept whole in memory: a page, a description or a GET query is rendered once per build.

The data never changes while a build is served, so what a GET request gets depends only on the
request: its path and query string, the language, `Accept`, and the host (links are absolute
when no public base URL is set). The first 200 answer to such a request is kept — its status,
headers and body, before compression — and every later identical request gets a copy without
rendering or querying anything. The cache is an LRU bounded in bytes (`response_cache_mb`; one
answer may take at most a quarter of it), so memory stays flat whatever visitors ask for, and it
is reset with the process, that is with every new build served. Identical requests that arrive
while the first is being rendered wait for it (up to `WAIT_FOR_FIRST` seconds) instead of all
running the same queries at once: a page asked for by fifty readers at the same moment is
rendered once. Not for the SPARQL endpoint, whose queries keep their per-client admission
(a 429 past the limit), and at most `MAX_WAITING` requests wait at once, so waiting can never
take the request threads the pages need.

Not kept: anything but GET/HEAD and 200; streamed files (the dumps, sent from disk); answers that
set a cookie or say `no-store`; `/health` (live state); a request whose query string calls a SPARQL function
whose value changes between runs (NOW, RAND, UUID, STRUUID, BNODE: a query, a saved query's
parameter), which must be evaluated each time.
"""

from __future__ import annotations

import hashlib
import re
import threading
from urllib.parse import unquote_plus

from cachetools import LRUCache
from flask import Flask, Response, current_app, g, request

from .i18n import current_language

HEADER = "X-Cache"  # "hit" or "miss": what the cache did for this answer
UNKEPT_PATHS = ("/health",)
# Functions whose value differs from one evaluation to the next (SPARQL 1.1, 17.4.5 and 17.4.2.8).
VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
# Headers that belong to one exchange, made again for every answer.
PER_ANSWER = {"content-length", "content-encoding", "x-request-id", "date", "set-cookie"}
WAIT_FOR_FIRST = 10.0  # seconds an identical request waits for the first one's answer
MAX_WAITING = 8  # requests waiting for another's answer at once; past it they render themselves
ADMITTED_PATHS = ("/sparql",)  # public queries: admission decides, no waiting for another client


class ResponseCache:
    """A thread-safe LRU of (status, headers, body) under a byte budget."""

    def __init__(self, max_bytes: int, wait_for_first: float = WAIT_FOR_FIRST):
        self.max_bytes = max(0, max_bytes)
        self.wait_for_first = wait_for_first
        self.max_entry = self.max_bytes // 4
        self._entries: LRUCache = LRUCache(maxsize=max(1, self.max_bytes), getsizeof=_weight)
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Event] = {}
        self._waiting = 0
        self.hits = self.misses = self.waited = self.gave_up = 0

    def get(self, key: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
            else:
                self.hits += 1
            return entry

    def begin(self, key: str) -> threading.Event | bool:
        """True when this thread is to render `key` and let the others know; False when it renders
        beside the first because too many already wait; else the first one's event, to wait on."""
        with self._lock:
            rendering = self._rendering.get(key)
            if rendering is None:
                self._rendering[key] = threading.Event()
                return True
            if self._waiting >= MAX_WAITING:
                return False
            self._waiting += 1
            self.waited += 1
            return rendering

    def wait(self, rendering: threading.Event) -> None:
        """Wait for the first one's answer; past `wait_for_first` seconds, go on and render."""
        finished = False
        try:
            finished = rendering.wait(self.wait_for_first)
        finally:
            with self._lock:
                self._waiting -= 1
                if not finished:
                    self.gave_up += 1

    def finish(self, key: str) -> None:
        """The answer to `key` is kept (or will not be): let the waiting requests go on."""
        with self._lock:
            rendering = self._rendering.pop(key, None)
        if rendering is not None:
            rendering.set()

    def put(self, key: str, status: int, headers: list[tuple[str, str]], body: bytes) -> bool:
        entry = (status, headers, body)
        if _weight(entry) > self.max_entry:
            return False
        with self._lock:
            self._entries[key] = entry
        return True

    def status(self) -> dict:
        with self._lock:
            return {
                "answers": len(self._entries),
                "bytes": int(self._entries.currsize) if self.max_bytes else 0,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "waited_for_first": self.waited,
                "gave_up_waiting": self.gave_up,
            }


def _weight(entry: tuple[int, list[tuple[str, str]], bytes]) -> int:
    _, headers, body = entry
    # Python objects weigh more than their characters: ~100 bytes a header, ~300 for the entry.
    return len(body) + sum(len(k) + len(v) + 100 for k, v in headers) + 300


def _key() -> str | None:
    """This request's key, or None when its answer must not be kept."""
    if request.method not in ("GET", "HEAD") or request.path.startswith(UNKEPT_PATHS):
        return None
    if VOLATILE.search(unquote_plus(request.query_string.decode("latin-1"))):
        return None
    parts = (
        request.scheme,
        request.host,
        request.full_path,
        current_language(),
        request.headers.get("Accept", ""),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _cache(app: Flask) -> ResponseCache:
    return app.extensions["tehgraph.responses"]


def answer_from_cache() -> Response | None:
    """A copy of the kept answer, if this request has one (a before_request hook)."""
    key = _key()
    g.response_key = key
    if key is None:
        return None
    cache = _cache(current_app)
    entry = cache.get(key)
    if entry is None:
        if request.path.startswith(ADMITTED_PATHS):
            return None
        first = cache.begin(key)
        if first is True:  # this request renders it; teardown lets the others go on
            g.rendering_key = key
            return None
        if first is False:  # too many wait already: render beside the first
            return None
        cache.wait(first)
        entry = cache.get(key)
        if entry is None:  # the first answer was an error, or too big to keep: render this one
            return None
    status, headers, body = entry
    g.response_key = None  # nothing to keep again
    response = Response(body, status=status, headers=headers)
    response.headers[HEADER] = "hit"
    return response


def keep_answer(response: Response) -> Response:
    """Keep a fresh 200 answer (an after_request hook that runs before compression)."""
    key = getattr(g, "response_key", None)
    if key is None or response.status_code != 200:
        return response
    if (
        response.direct_passthrough
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or "no-store" in response.headers.get("Cache-Control", "")
    ):
        return response
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in PER_ANSWER]
    if _cache(current_app).put(key, response.status_code, headers, response.get_data()):
        response.headers[HEADER] = "miss"
    return response


def release_waiting(_error: BaseException | None = None) -> None:
    """After the answer (or its failure), the identical requests waiting for it go on."""
    key = g.pop("rendering_key", None)
    if key is not None:
        _cache(current_app).finish(key)


def register(app: Flask, max_bytes: int) -> None:
    """Install the cache; call it after compression is registered, so keeping runs before it."""
    app.extensions["tehgraph.responses"] = ResponseCache(max_bytes)
    if max_bytes <= 0:
        return
    app.before_request(answer_from_cache)
    app.after_request(keep_answer)
    app.teardown_request(release_waiting)
