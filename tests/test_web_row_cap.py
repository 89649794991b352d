"""Saved-query pages over the row cap: a visible notice, and downloads that hold every row."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from tehgraph.web import create_app


def test_saved_query_page_says_when_rows_are_cut_and_downloads_hold_all(settings, store):
    measures = store.query(
        "SELECT ?m WHERE { ?m teh:inPlan <https://w3id.org/tehgraph/id/plan/pan-2014-2016> ; a teh:Measure }"
    )
    assert len(measures.rows) == 23
    client = create_app(replace(settings, max_rows=5, query_workers=0)).test_client()
    page = client.get("/queries/plan-measures", query_string={"plan": "id:plan/pan-2014-2016"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count("<tr>") == 5 + 1  # header row and five result rows
    assert 'class="notice truncated"' in text and "23" in text
    download = client.get(
        "/queries/plan-measures", query_string={"plan": "id:plan/pan-2014-2016", "format": "csv"}
    )
    assert len(list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))) == 23
