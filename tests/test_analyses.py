"""The analysis views (/views/…) on the real built graph: each page, its downloads, its gaps.

Expected numbers are recomputed here from the saved query's rows on the store (or from the graph
itself), never written in the test.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from tehgraph.catalog import run_saved
from tehgraph.web import create_app


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def catalog(app):
    return app.extensions["tehgraph"].catalog


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "html.parser")


def test_the_index_links_every_view(client):
    page = soup(client.get("/views/"))
    hrefs = {a["href"] for a in page.select("main a")}
    assert {"/views/stances", "/views/plans", "/views/network"} <= hrefs
    assert {"/views/responses/pan-2014-2016", "/views/responses/pan-2019-2021"} <= hrefs
    assert "/views/" in {a["href"] for a in soup(client.get("/queries/")).select("main a")}


@pytest.mark.parametrize("plan", ["pan-2014-2016", "pan-2019-2021"])
def test_responses_matrix_has_a_cell_per_response(client, store, catalog, plan):
    plan_iri = f"https://w3id.org/tehgraph/id/plan/{plan}"
    rows = run_saved(store, catalog["demand-responses"], {"plan": plan_iri}).records()
    page = soup(client.get(f"/views/responses/{plan}"))
    assert len(page.select(".coverage-matrix a.verdict")) == len(rows)
    assert len(page.select(".coverage-matrix tbody tr")) == len({str(r["demand"]) for r in rows})
    download = client.get(f"/views/responses/{plan}?format=csv").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(download)))) == len({str(r["demand"]) for r in rows})
    silent = run_saved(store, catalog["demands-without-response"], {}).rows
    heading = next(h for h in page.select("h2") if "sans réponse" in h.text)
    assert heading.select_one(".count").text == str(len(silent))


def test_responses_say_where_the_corpus_is_silent(client):
    later = soup(client.get("/views/responses/pan-2019-2021"))
    assert later.select(".corpus-gap")
    first = soup(client.get("/views/responses/pan-2014-2016"))
    assert not first.select(".corpus-gap")
    assert client.get("/views/responses/no-such-plan").status_code == 404


def test_stance_changes_are_flagged(client, store, catalog):
    records = run_saved(store, catalog["stances-over-time"], {}).records()
    by_series: dict[tuple, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in records:
        by_series[(str(r["measure"]), str(r["actor"]))][str(r["date"])].add(str(r["stance"]))
    changes = (
        0  # a position whose stance the same actor did not hold on that measure at the last earlier date
    )
    for r in records:
        dates = by_series[(str(r["measure"]), str(r["actor"]))]
        earlier = [d for d in sorted(dates) if d < str(r["date"])]
        changes += bool(earlier) and str(r["stance"]) not in dates[earlier[-1]]
    page = soup(client.get("/views/stances"))
    assert len(page.select("tr.stance-changed")) == changes
    assert len(page.select("table.results tbody tr")) == len(records)
    data = client.get("/views/stances?format=json").get_json()
    assert sum(1 for r in data if r["changed"]) == changes
    actor = str(records[0]["actor"])
    one = soup(client.get("/views/stances", query_string={"actor": actor}))
    assert len(one.select("table.results tbody tr")) == sum(1 for r in records if str(r["actor"]) == actor)


@pytest.mark.parametrize("dimension", ["theme", "form", "target"])
def test_plans_side_by_side_count_each_measure_once_per_concept(client, store, catalog, dimension):
    records = run_saved(store, catalog["plan-comparison"], {"dimension": dimension}).records()
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/views/plans?dimension={dimension}&format=csv").text))
    )
    concepts = {str(r.get("concept", "")) for r in records}
    assert {r["concept"] for r in rows} == concepts
    for row in rows:
        mine = {str(r["measure"]) for r in records if str(r.get("concept", "")) == row["concept"]}
        assert sum(int(row[s]) for s in ("continued", "no-attested-follow-up", "follow-up", "new")) == len(
            mine
        )
    claims = {str(r["measure"]) for r in records if "claim" in r}
    page = soup(client.get(f"/views/plans?dimension={dimension}"))
    assert page.select_one("h2 .count").text == str(len(claims))
    assert client.get("/views/plans?dimension=colour").status_code == 400


def test_network_filters_by_year_and_relation(client, store, catalog):
    records = run_saved(store, catalog["actor-network"], {}).records()
    year = sorted({str(r["year"]) for r in records if "year" in r})[0]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/views/network?year={year}&format=csv").text)))
    assert len(rows) == sum(1 for r in records if str(r.get("year")) == year)
    only = client.get("/views/network?relation=attends&format=json").get_json()
    assert only and len(only) == sum(1 for r in records if str(r["relation"]) == "attends")
    page = soup(client.get("/views/network"))
    assert page.select_one(".view-tab[data-view=graph]") and page.select_one(".graph-canvas")
    assert client.get("/views/network?year=1900").status_code == 400
    assert client.get("/views/network?relation=loves").status_code == 400


@pytest.mark.parametrize("plan", ["pan-2014-2016", "pan-2019-2021"])
def test_coverage_cells_link_to_the_measures_they_count(client, plan):
    page = soup(client.get(f"/pictures/coverage/{plan}"))
    cells = page.select("table.coverage td a")
    assert cells
    for cell in cells:
        counted = soup(client.get(cell["href"]))
        assert len(counted.select(".view-panel[data-view=table] tbody tr")) == int(cell.text)
    assert bool(page.select(".corpus-gap")) is (plan == "pan-2019-2021")  # the corpus gap of the second plan
