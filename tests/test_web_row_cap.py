"""Saved-query pages over the row cap: a visible notice, and downloads that hold every row."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from tehgraph.stores.answers import Job
from tehgraph.web import create_app


@pytest.mark.parametrize(
    "engine, workers",
    [("oxigraph", 0), ("oxigraph", 2), ("rdflib", 0)],
    ids=["embedded", "workers", "rdflib"],
)
def test_saved_query_page_says_when_rows_are_cut_and_downloads_hold_all(settings, store, engine, workers):
    """The page converts only the rows it shows and counts the others, in this process, in a
    worker, and on a store answered by rdflib; the count is the whole answer's."""
    measures = store.query(
        "SELECT ?m WHERE { ?m teh:inPlan <https://w3id.org/tehgraph/id/plan/pan-2014-2016> ; a teh:Measure }"
    )
    assert len(measures.rows) == 23
    app = create_app(replace(settings, max_rows=5, query_workers=workers, store=engine))
    client = app.test_client()
    page = client.get("/queries/plan-measures", query_string={"plan": "id:plan/pan-2014-2016"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count("<tr>") == 5 + 1  # header row and five result rows
    assert 'class="notice truncated"' in text and "23" in text
    download = client.get(
        "/queries/plan-measures", query_string={"plan": "id:plan/pan-2014-2016", "format": "csv"}
    )
    assert len(list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))) == 23
    app.extensions["tehgraph"].store.close()


def test_a_cut_answer_counts_its_other_rows_without_converting_them(store):
    text = "SELECT ?m WHERE { ?m a teh:Measure }"
    every = store.query(text).rows
    cut = store.answer(Job(text, limit=4, count_cut=True))
    assert (len(cut.rows), cut.total, cut.row_count, cut.truncated) == (4, len(every), len(every), True)
    assert set(cut.rows) <= set(every)
    whole = store.answer(Job(text, limit=len(every), count_cut=True))
    assert (whole.total, whole.row_count, whole.truncated) == (None, len(every), False)
    plain = store.answer(Job(text, limit=4))
    assert plain.total is None and plain.row_count == 4


def test_strings_cut_to_their_cap_are_not_rows_left_out(store):
    text = "SELECT ?m ?label WHERE { ?m a teh:Measure ; rdfs:label ?label }"
    every = store.query(text).rows
    cut = store.answer(Job(text, limit=len(every), count_cut=True, max_string=3))
    assert cut.truncated and len(cut.rows) == len(every)  # strings were cut, no row was
    assert cut.total is None and cut.row_count == len(every)
