"""`tehgraph serve .` reads the listings of its largest classes ahead, in the background, as a
visitor would: once /health says it has finished, those listings are already kept."""

from __future__ import annotations

import time

import pytest

from tehgraph.namespaces import expand
from tehgraph.web import create_app
from tehgraph.web.warm import largest_classes, start

from .test_attacks import Server


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    running = Server(built.dist, tmp_path_factory.mktemp("warm") / "serve.log", warm_listings="3")
    yield running
    running.stop()


def finished(server: Server, within: float = 120) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status = server.health()["listings_read_ahead"]
        if status["finished"]:
            return status
        time.sleep(0.3)
    raise AssertionError(f"the listings were not read within {within} s: {status}")


def test_a_real_server_reads_its_three_largest_listings_in_both_languages(served, settings, store):
    status = finished(served)
    assert (status["planned"], status["done"], status["failed"]) == (6, 6, [])
    app = create_app(settings, store)
    read = largest_classes(app, 3)
    assert [f"/browse/{c}?lang={lang}" for c in read for lang in ("fr", "en")] == status["paths"]
    for curie in read:  # the first visit after the reading is an answer kept, not a new one
        page = served.get(f"/browse/{curie}?lang=fr")
        assert page.status == 200 and page.getheader("X-Cache") == "hit", curie
    # the largest by the store's own count, among the ontology's classes
    counts = dict(store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c").rows)
    ontology = app.extensions["tehgraph"].ontology.classes
    sizes = sorted((int(n) for c, n in counts.items() if str(c) in ontology), reverse=True)
    assert sorted((int(counts[expand(c)]) for c in read), reverse=True) == sizes[:3]


def test_reading_ahead_can_be_turned_off(settings, store):
    app = create_app(settings, store)
    warming = start(app, 0)
    assert warming.thread is None and warming.status()["finished"] and warming.planned == []
    assert app.test_client().get("/health").json["listings_read_ahead"]["planned"] == 0
