"""The listings of the largest classes, read once in the background as soon as the app has started.

At a million triples a class listing's first visit sorts every instance and counts every facet in
the store (the demands 1.7 s, the statements 3.2 s); after it, the app's answer cache serves the
same listing in 20-40 ms. The store never changes while it is served, so the app asks itself for
the listings of its `warm_listings` largest classes, in each language, in one background thread:
the very requests a visitor sends (its own test client, through every hook and both caches), so
what is kept is what a visit computes. Serving does not wait for it: a visitor who comes before
the thread reaches a class pays what the first visit costs. `/health` says how far it got.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import Flask

from .home import class_counts
from .i18n import LANGUAGES

log = logging.getLogger(__name__)
EXTENSION = "tehgraph.warm"


@dataclass
class Warming:
    """What the background thread has read so far (for /health)."""

    planned: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float | None = None  # when finished: how long it took
    thread: threading.Thread | None = field(default=None, repr=False)

    def status(self) -> dict:
        return {
            "planned": len(self.planned),
            "paths": self.planned,
            "done": len(self.done),
            "failed": self.failed,
            "finished": self.seconds is not None,
            "seconds": None if self.seconds is None else round(self.seconds, 2),
        }


def largest_classes(app: Flask, count: int) -> list[str]:
    """The CURIEs of the `count` classes with the most instances."""
    with app.test_request_context("/browse/"):
        return [row["curie"] for row in class_counts()[:count]]


def start(app: Flask, count: int) -> Warming:
    """Start reading the listings of the `count` largest classes (0: none) in a daemon thread."""
    warming = Warming()
    app.extensions[EXTENSION] = warming
    if count <= 0:
        warming.seconds = 0.0
        return warming

    def run() -> None:
        started = time.perf_counter()
        try:
            curies = largest_classes(app, count)
            warming.planned = [f"/browse/{c}?lang={lang}" for c in curies for lang in LANGUAGES]
            client = app.test_client()
            for path in warming.planned:
                response = client.get(path)
                (warming.done if response.status_code == 200 else warming.failed).append(path)
        except Exception:  # noqa: BLE001 - a failed warm-up costs only speed; say so, serve on
            log.exception("reading the largest listings ahead failed")
        warming.seconds = time.perf_counter() - started
        log.info(
            "listings read ahead: %d of %d in %.1f s",
            len(warming.done),
            len(warming.planned),
            warming.seconds,
        )

    warming.thread = threading.Thread(target=run, name="tehgraph-warm-listings", daemon=True)
    warming.thread.start()
    return warming
