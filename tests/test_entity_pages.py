"""Entity pages that answer an analyst's questions (issue 16), through Flask's test client on the
real build: a demand's responses per plan, a measure's assessments side by side, a meeting's
attendance table, a response's verdict, RDF downloads from every page.

Expected values come from SPARQL written here on the real store, never from the pages' queries.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tehgraph.namespaces import ID
from tehgraph.web.i18n import MESSAGES


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data.decode("utf-8"), "html.parser")


def path_of(iri: str) -> str:
    return "/page/" + iri[len(str(ID)) :]


def hrefs(node) -> set[str]:
    return {a["href"].split("?")[0] for a in node.select("a[href]")}


def test_a_demands_summary_names_every_response_and_its_answer(client, ask):
    rows = ask(
        "SELECT ?d ?r ?answer WHERE { ?r a teh:Response ; teh:respondsTo ?d ; teh:answeredIn ?answer }"
    )
    assert rows
    for demand in {r["d"] for r in rows}:
        summary = page(client, path_of(demand)).select_one("section.kind-demand_summary")
        brief = summary.select_one("ul.responses-brief")
        for row in (r for r in rows if r["d"] == demand):
            # the measure that answers, or (a plan answering as a whole) the response's own page
            assert {path_of(row["answer"]), path_of(row["r"])} & hrefs(brief), (demand, row["answer"])


def test_a_demand_without_a_response_says_so(client, ask):
    unanswered = ask(
        "SELECT ?d WHERE { ?d a teh:Demand FILTER NOT EXISTS { ?r teh:respondsTo ?d } } ORDER BY ?d LIMIT 3"
    )
    assert unanswered
    for row in unanswered:
        summary = page(client, path_of(row["d"])).select_one("section.kind-demand_summary")
        assert MESSAGES["no_response_recorded"]["fr"] in summary.get_text()


def test_a_measures_assessments_stand_side_by_side_one_per_assessment(client, ask):
    rows = ask(
        "SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a teh:assesses ?m } GROUP BY ?m ORDER BY ?m LIMIT 6"
    )
    assert rows
    for row in rows:
        section = page(client, path_of(row["m"])).select_one("section.kind-assessments")
        assert len(section.select("section.column.assessment")) == int(row["n"]), row["m"]
        authors = ask("SELECT DISTINCT ?by WHERE { ?a teh:assesses ?m ; teh:assessedBy ?by }", m=row["m"])
        assert {path_of(r["by"]) for r in authors} <= hrefs(section)


def test_a_meeting_shows_who_attended_for_whom_never_attendance_iris(client, ask):
    meeting = str(ID["meeting/2014-02-03-ministre-droits-femmes"])
    rows = ask(
        "SELECT DISTINCT ?att ?person WHERE { ?m teh:attendance ?att . ?att teh:attendee ?person }", m=meeting
    )
    assert len(rows) > 5
    table = page(client, path_of(meeting)).select_one("section.kind-attendance table")
    assert len(table.select("tbody tr")) == len({r["att"] for r in rows})
    assert {path_of(r["person"]) for r in rows} <= hrefs(table)
    assert not any("/attendance/" in h for h in hrefs(table))


def test_a_response_page_gives_the_verdict_and_what_answers(client, ask):
    row = ask(
        "SELECT ?r ?d ?answer ?v WHERE { ?r a teh:Response ; teh:respondsTo ?d ; teh:answeredIn ?answer ; "
        "teh:verdict ?v } ORDER BY ?r LIMIT 1"
    )[0]
    section = page(client, path_of(row["r"])).select_one("section.kind-response")
    assert {path_of(row["d"]), path_of(row["answer"])} <= hrefs(section)
    assert section.select_one(".verdict-" + row["v"].rsplit("/", 1)[-1])


@pytest.mark.parametrize("path", ["demand/delai-reflexion-3-mois", "org/ccem", "measure/pan-2014-2016/1"])
def test_every_entity_page_offers_its_rdf(client, path):
    tools = page(client, "/page/" + path).select_one("nav.tools")
    links = {a.get_text(strip=True): a["href"] for a in tools.select("a[download]")}
    expected = {
        "Turtle": "text/turtle",
        "JSON-LD": "application/ld+json",
        "N-Triples": "application/n-triples",
    }
    assert set(expected) <= set(links)
    for name, media in expected.items():
        response = client.get(links[name])
        assert response.status_code == 200 and response.mimetype == media, name
        assert str(ID[path]) in response.data.decode("utf-8")
