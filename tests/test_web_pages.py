"""The web browser on the real built graph, through Flask's test client.

Expected values come from the store (SPARQL written here, independently of the pages' queries) or
from the source files, never from the pages themselves.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from urllib.parse import parse_qs, quote, urlparse

import pytest
from bs4 import BeautifulSoup
from rdflib import Literal

from tehgraph.binding import bind_values
from tehgraph.catalog import bind_parameters, load_catalog, run_saved
from tehgraph.namespaces import ID, TEH
from tehgraph.search.text import fold
from tehgraph.web import create_app
from tehgraph.web.i18n import LANGUAGES, MESSAGES

from .conftest import PROJECT_DIR

P1 = ID["plan/pan-2014-2016"]


@pytest.fixture(scope="module")
def web_app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def client(web_app):
    return web_app.test_client()


def page(client, url: str, status: int = 200, **headers) -> BeautifulSoup:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.data.decode("utf-8"), "html.parser")


def label_of(ask, iri: str, lang: str = "fr") -> str:
    rows = ask(
        "SELECT ?l WHERE { ?s rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) = ?lang) }",
        s=iri,
        lang=Literal(lang),
    )
    return rows[0]["l"]


def path_of(iri: str) -> str:
    return "/page/" + iri[len(str(ID)) :]


def links(soup: BeautifulSoup) -> set[str]:
    return {a["href"] for a in soup.find_all("a", href=True)}


# --- home ---------------------------------------------------------------------------------


def test_home_shows_counts_plans_and_sources(client, ask):
    soup = page(client, "/")
    measures = ask("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a teh:Measure }")[0]["n"]
    row = soup.find("a", href="/browse/teh:Measure", string=label_of(ask, str(TEH.Measure)))
    assert row is not None and row.find_parent("tr").find("td", class_="num").text == measures
    for plan in ask("SELECT ?p WHERE { ?p a teh:ActionPlan }"):
        assert path_of(plan["p"]) in links(soup)
    for doc in ask("SELECT ?d ?f WHERE { ?d a teh:SourceDocument ; teh:sourceFile ?f }"):
        assert "/source/" + doc["d"].rsplit("/", 1)[1] in links(soup)
    assert soup.find("form", action="/search/") is not None
    assert {"/queries/", "/pictures/", "/browse/teh:Actor", "/browse/teh:Demand"} <= links(soup)


# --- browse -------------------------------------------------------------------------------


def test_every_class_with_instances_lists_them_all(client, ask):
    """Loop over the browse index: each list's count is the number of instances in the graph."""
    index = page(client, "/browse/")
    listed = [a["href"] for a in index.select("table.counts a")]
    assert "/browse/teh:Measure" in listed and "/browse/teh:Association" in listed
    for href in listed:
        curie = href.rsplit("/", 1)[1]
        iri = str(TEH) + curie[4:] if curie.startswith("teh:") else None
        soup = page(client, href)
        if iri:
            n = ask("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) }", c=iri)[0]["n"]
            assert soup.find("h1").find("span", class_="count").text == n, href


@pytest.mark.parametrize("curie", ["teh:Measure", "teh:Demand", "teh:Actor"])
def test_list_downloads_hold_every_instance(client, ask, curie):
    iri = str(TEH) + curie[4:]
    expected = {r["s"] for r in ask("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }", c=iri)}
    response = client.get(f"/browse/{curie}?format=csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    assert {r["iri"] for r in rows} == expected and len(rows) == len(expected)
    records = client.get(f"/browse/{curie}?format=json").get_json()
    assert {r["iri"] for r in records} == expected
    assert set(records[0]) == set(rows[0])  # same columns in both downloads


def test_measures_filtered_by_plan(client, ask):
    expected = {r["m"] for r in ask("SELECT ?m WHERE { ?m a teh:Measure ; teh:inPlan ?p }", p=str(P1))}
    records = client.get(f"/browse/teh:Measure?plan={P1}&format=json").get_json()
    assert {r["iri"] for r in records} == expected
    soup = page(client, f"/browse/teh:Measure?plan={P1}")
    assert soup.find("h1").find("span", class_="count").text == str(len(expected))


def test_measures_filtered_by_status_and_form(client, ask):
    status = ask(
        "SELECT ?st (COUNT(DISTINCT ?m) AS ?n) WHERE { ?a teh:assesses ?m ; teh:status ?st } "
        "GROUP BY ?st ORDER BY DESC(?n) LIMIT 1"
    )[0]["st"]
    assessed = {r["m"] for r in ask("SELECT ?m WHERE { ?a teh:assesses ?m ; teh:status ?st }", st=status)}
    records = client.get(f"/browse/teh:Measure?status={status}&format=json").get_json()
    assert {r["iri"] for r in records} == assessed
    form = str(ID["concept/form/sexual-exploitation"])
    both = {
        r["m"]
        for r in ask(
            "SELECT ?m WHERE { ?a teh:assesses ?m ; teh:status ?st . ?m teh:concernsForm ?f }",
            st=status,
            f=form,
        )
    }
    records = client.get(f"/browse/teh:Measure?status={status}&form={form}&format=json").get_json()
    assert {r["iri"] for r in records} == both


def test_facet_counts_match_the_graph(client, ask):
    soup = page(client, "/browse/teh:Demand")
    actors = ask(
        "SELECT ?a (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a teh:Demand ; teh:demandedBy ?a } GROUP BY ?a"
    )
    facet = {
        parse_qs(urlparse(a["href"]).query)["actor"][0]: a.find_next_sibling("span").text
        for a in soup.select("aside.facets a[href*='actor=']")
    }
    for row in actors:
        if row["a"] in facet:  # the facet shows the 25 largest values
            assert facet[row["a"]] == row["n"]
    assert facet, "the demand list has an actor facet"


def test_demand_recurrence_is_the_number_of_statements(client, ask):
    records = {r["iri"]: r for r in client.get("/browse/teh:Demand?format=json").get_json()}
    counts = ask(
        "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a teh:Demand ; teh:evidence ?e } GROUP BY ?d"
    )
    assert counts
    for row in counts:
        assert records[row["d"]]["recurrence"] == row["n"]


def test_actor_kinds_are_the_most_specific_classes(client, ask):
    records = client.get("/browse/teh:Actor?format=json").get_json()
    kinds = {r["iri"]: r["kind"] for r in records}
    for row in ask("SELECT ?s WHERE { ?s a teh:Ministry }"):
        assert kinds[row["s"]] == label_of(ask, str(TEH.Ministry))
    ministries = client.get(f"/browse/teh:Actor?kind={quote(str(TEH.Ministry))}&format=json").get_json()
    assert len(ministries) == len(ask("SELECT ?s WHERE { ?s a teh:Ministry }"))


def test_sorting_and_pages(settings, ask):
    app = create_app(replace(settings, page_size=7))
    client = app.test_client()
    total = len(ask("SELECT DISTINCT ?s WHERE { ?s a teh:Demand }"))
    pages = math.ceil(total / 7)
    first = page(client, "/browse/teh:Demand?sort=label")
    assert len(first.select("table.list tbody tr")) == 7
    assert first.find("a", rel="next") is not None
    assert f"{pages}" in first.select_one("nav.pages span").text
    seen = []
    for number in range(1, pages + 1):
        soup = page(client, f"/browse/teh:Demand?sort=label&page={number}")
        seen += [tr.td.a["href"] for tr in soup.select("table.list tbody tr")]
    assert len(seen) == total == len(set(seen))
    ascending = [r["label"] for r in client.get("/browse/teh:Demand?sort=label&format=json").get_json()]
    descending = [
        r["label"] for r in client.get("/browse/teh:Demand?sort=label&order=desc&format=json").get_json()
    ]
    assert descending == ascending[::-1]
    by_recurrence = client.get("/browse/teh:Demand?sort=recurrence&order=desc&format=json").get_json()
    values = [int(r["recurrence"] or 0) for r in by_recurrence]
    assert values == sorted(values, reverse=True)


# --- entity pages -------------------------------------------------------------------------


def test_one_entity_of_every_class_has_a_page(client, ask):
    samples = ask(
        "SELECT ?type (SAMPLE(?s) AS ?one) WHERE { GRAPH ?g { ?s a ?type } "
        "FILTER(?g != <https://w3id.org/tehgraph/graph/inferred>) "
        "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/tehgraph/id/')) } GROUP BY ?type"
    )
    assert len(samples) > 10
    for row in samples:
        soup = page(client, path_of(row["one"]))
        assert soup.select_one("p.iri code").text == row["one"]
        labels = ask(
            "SELECT ?l WHERE { ?s rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) = 'fr') }", s=row["one"]
        )
        title = soup.h1.text.strip()
        assert title and title != row["one"][len(str(ID)) :], "never a slug as a title"
        if labels:
            plan = ask(
                "SELECT ?start ?end WHERE { ?s a teh:Measure ; teh:inPlan ?p . "
                "?p teh:startYear ?start ; teh:endYear ?end }",
                s=row["one"],
            )
            expected = labels[0]["l"]
            if plan:
                years = f"(PAN {plan[0]['start']}-{plan[0]['end']})"
                expected = re.sub(r"^Mesure (\d+) :", rf"Mesure \1 {years} :", expected)
            assert title == expected


def assessed_measure(ask) -> dict:
    return ask(
        "SELECT ?m ?a ?st ?doc ?start ?end WHERE { ?a teh:assesses ?m ; teh:status ?st ; teh:evidence ?e . "
        "?e teh:statedIn ?doc ; teh:lineStart ?start ; teh:lineEnd ?end . ?m teh:inPlan ?p } "
        "ORDER BY ?m LIMIT 1",
        p=str(P1),
    )[0]


def test_measure_page_shows_implementers_assessments_and_evidence(client, ask):
    row = assessed_measure(ask)
    soup = page(client, path_of(row["m"]))
    implementers = ask("SELECT ?x WHERE { ?m teh:implementedBy ?x }", m=row["m"])
    for implementer in implementers:
        assert path_of(implementer["x"]) in links(soup)
    section = soup.select_one("section.kind-assessments")
    assert section is not None and path_of(row["a"]) in links(section)
    assert label_of(ask, row["st"]) in section.text
    start, end = int(row["start"]), int(row["end"])
    anchor = f"L{start}" if start == end else f"L{start}-L{end}"
    assert f"/source/{row['doc'].rsplit('/', 1)[1]}#{anchor}" in links(section)
    assert path_of(row["a"]) in links(soup.select_one("section.referenced"))


def test_measure_page_shows_stances_by_actor_and_follow_ups(client, ask):
    row = ask("SELECT ?m ?by WHERE { ?pos teh:on ?m ; teh:heldBy ?by . ?m a teh:Measure } LIMIT 1")[0]
    soup = page(client, path_of(row["m"]))
    assert path_of(row["by"]) in links(soup.select_one("section.kind-stances"))
    follow = ask("SELECT ?new ?old WHERE { ?new teh:followsUp ?old }")
    assert follow, "the second plan follows up measures of the first"
    soup = page(client, path_of(follow[0]["old"]))
    assert path_of(follow[0]["new"]) in links(soup.select_one("section.kind-followups"))


def test_inferred_facts_are_marked(client, ask):
    """A triple only in graph/inferred (e.g. teh:implements, inverse of implementedBy) is marked."""
    rows = ask(
        "SELECT ?s ?o WHERE { GRAPH <https://w3id.org/tehgraph/graph/inferred> { ?s teh:implements ?o } "
        "FILTER NOT EXISTS { GRAPH ?g { ?s teh:implements ?o } FILTER(?g != "
        "<https://w3id.org/tehgraph/graph/inferred>) } } LIMIT 1"
    )
    assert rows
    soup = page(client, path_of(rows[0]["s"]))
    table = soup.select_one("section.properties")
    item = table.find("a", href=path_of(rows[0]["o"])).find_parent("li")
    assert "marked" in item["class"] and item.find("span", class_="badge-inferred") is not None
    asserted = ask(
        "SELECT ?x WHERE { GRAPH <https://w3id.org/tehgraph/graph/actors> { ?s rdfs:label ?x } }",
        s=rows[0]["s"],
    )
    assert asserted
    identity = soup.select("section.properties")[0]
    label_items = [li for li in identity.select("li") if asserted[0]["x"] in li.text]
    assert label_items and not any("inferred" in li.get("class", []) for li in label_items)


def test_actor_page_lists_what_it_said_in_date_order(client, ask):
    actor = ask(
        "SELECT ?a (COUNT(?d) AS ?n) WHERE { ?d teh:demandedBy ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 1"
    )[0]
    claims = {r["d"] for r in ask("SELECT ?d WHERE { ?d teh:demandedBy ?a }", a=actor["a"])}
    shown, dates, url = set(), [], path_of(actor["a"]) + "?kind=demand"
    while url:  # every page of its demands, in order of first statement
        soup = page(client, url)
        said = soup.select_one("section.kind-said")
        shown |= links(said.select_one("ol.claims"))
        dates += [t["datetime"] for t in said.select("ol.claims time")]
        following = said.select_one("nav.pages a[rel=next]")
        url = following["href"] if following else None
    assert dates == sorted(dates) and dates
    assert {path_of(c) for c in claims} <= shown


def test_demand_page_has_a_timeline_and_measures(client, ask):
    row = ask(
        "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a teh:Demand ; teh:evidence ?e ; teh:about ?m . "
        "?m a teh:Measure } GROUP BY ?d ORDER BY DESC(?n) LIMIT 1"
    )[0]
    soup = page(client, path_of(row["d"]))
    assert len(soup.select("section.kind-lineage li.statement")) == int(row["n"])
    measures = {r["m"] for r in ask("SELECT ?m WHERE { ?d teh:about ?m . ?m a teh:Measure }", d=row["d"])}
    assert {path_of(m) for m in measures} <= links(soup.select_one("section.kind-measures"))


def test_conforming_data_shows_no_shacl_results(client, ask):
    row = assessed_measure(ask)
    assert page(client, path_of(row["m"])).select_one("section.shacl") is None


def test_unknown_resource_is_a_404_page(client):
    soup = page(client, "/page/measure/nowhere/999", status=404)
    assert "https://w3id.org/tehgraph/id/measure/nowhere/999" in soup.text


# --- sources ------------------------------------------------------------------------------


def test_source_pages_number_lines_and_highlight_every_quote(client, ask):
    docs = ask("SELECT ?d ?f WHERE { ?d a teh:SourceDocument ; teh:sourceFile ?f }")
    assert len(docs) >= 5
    for doc in docs:
        soup = page(client, "/source/" + doc["d"].rsplit("/", 1)[1])
        text = (PROJECT_DIR / doc["f"]).read_text(encoding="utf-8").splitlines()
        lines = soup.select("div.source-text ol.block > li")
        assert len(lines) == len(text)
        assert [int(ol["start"]) for ol in soup.select("div.source-text ol.block")][:2] == [1, 201][
            : len(text) // 200 + 1
        ]
        assert lines[-1]["id"] == f"L{len(text)}" and lines[-1].text.startswith(text[-1])
        for ev in ask(
            "SELECT ?s ?e WHERE { ?x teh:statedIn ?d ; teh:lineStart ?s ; teh:lineEnd ?e }", d=doc["d"]
        ):
            start, end = int(ev["s"]), int(ev["e"])
            for n in range(start, end + 1):
                assert "quoted" in soup.find(id=f"L{n}")["class"], (doc["d"], n)
            if end != start:
                assert soup.find(id=f"L{start}-L{end}").find_parent("li")["id"] == f"L{start}"


def test_source_outside_the_corpus_is_404(client):
    page(client, "/source/cncdh-avis-2019-11-19", status=404)
    page(client, "/source/..%2F..%2Fpyproject", status=404)


# --- search -------------------------------------------------------------------------------


def test_search_ignores_case_and_accents(client, ask):
    demands = {
        r["d"]
        for r in ask("SELECT ?d ?l WHERE { ?d a teh:Demand ; rdfs:label ?l }")
        if "reflexion" in fold(r["l"])
    }
    assert demands, "the data has demands about the reflection period"
    found = {}
    for query in ("reflexion", "RÉFLEXION", "Réflexion"):
        found[query], url = set(), f"/search/?q={query}&class=teh:Demand"
        while url:  # every page of results
            soup = page(client, url)
            found[query] |= {a["href"] for a in soup.select("ol.results a.hit-label")}
            following = soup.select_one("nav.pages a[rel=next]")
            url = following["href"] if following else None
        assert {path_of(d) for d in demands} <= found[query]
    assert found["reflexion"] == found["RÉFLEXION"] == found["Réflexion"]


def test_search_finds_acronyms_and_quotes_and_counts_by_class(client, ask):
    acronym = ask("SELECT ?s ?a WHERE { ?s a teh:Ministry ; skos:altLabel ?a } LIMIT 1")
    acronym = acronym or ask("SELECT ?s ?a WHERE { ?s a teh:PublicBody ; skos:altLabel ?a } LIMIT 1")
    soup = page(client, f"/search/?q={acronym[0]['a']}")
    assert path_of(acronym[0]["s"]) in links(soup.select_one("main"))
    quote = ask("SELECT ?d ?q WHERE { ?d a teh:Demand ; teh:evidence/teh:quote ?q } LIMIT 1")[0]
    words = " ".join(quote["q"].split()[2:6])
    soup = page(client, "/search/?q=" + words.replace("&", "%26").replace("#", "%23") + "&class=teh:Demand")
    assert path_of(quote["d"]) in links(soup.select_one("main"))
    facets = [a.get_text(strip=True) for a in soup.select("aside.facets li > *:first-child")]
    assert label_of(ask, str(TEH.Demand)) in facets
    rows = client.get("/search/?q=reflexion&format=csv").data.decode("utf-8")
    assert next(csv.reader(io.StringIO(rows))) == ["iri", "label", "class", "field", "text"]


# --- saved queries ------------------------------------------------------------------------

CATALOG = load_catalog(PROJECT_DIR)
WITH_PARAM = next(q for q in CATALOG.values() if any(p.type == "iri" and p.cls for p in q.params))


def test_every_saved_query_has_a_page(client):
    index = page(client, "/queries/")
    assert {f"/queries/{slug}" for slug in CATALOG} <= links(index)
    for slug, saved in CATALOG.items():
        soup = page(client, f"/queries/{slug}")
        assert soup.h1.text == saved.label("fr")
        assert saved.text.strip()[:40] in soup.select_one("details.query-text pre").text


def test_saved_query_form_pickers_offer_entities_of_the_class(client, ask, store):
    param = next(p for p in WITH_PARAM.params if p.type == "iri" and p.cls)
    soup = page(client, f"/queries/{WITH_PARAM.slug}")
    picker = soup.select_one(".picker")
    assert picker.select_one("input.picker-value")["name"] == param.name
    expected = {
        r["s"] for r in ask("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }", c=str(param.cls))
    }
    offered = client.get(
        picker["data-pick-url"],
        query_string={"q": picker.select_one(".picker-text")["value"][:4], "class": picker["data-class"]},
    )
    assert offered.get_json() and {o["iri"] for o in offered.get_json()} <= expected


def test_saved_query_results_and_downloads(client, store):
    param = next(p for p in WITH_PARAM.params if p.type == "iri" and p.cls)
    value = next(str(r[0]) for r in store.query("SELECT ?s WHERE { ?s a ?c }", {"c": param.cls}).rows)
    result = run_saved(store, WITH_PARAM, {param.name: value})
    url = f"/queries/{WITH_PARAM.slug}?{param.name}={value}"
    soup = page(client, url)
    assert len(soup.select("table.results tbody tr")) == len(result.rows)
    labels = [WITH_PARAM.column_label(v, "fr") for v in result.vars]
    assert [th.text for th in soup.select("table.results thead th")] == labels
    rows = list(csv.reader(io.StringIO(client.get(url + "&format=csv").data.decode("utf-8"))))
    assert [c for c in rows[0] if not c.endswith("_label")] == result.vars and len(rows) == len(
        result.rows
    ) + 1
    tsv = client.get(url + "&format=tsv")
    assert (
        tsv.mimetype == "text/tab-separated-values"
        and len(tsv.data.decode().splitlines()) == len(result.rows) + 1
    )
    srj = json.loads(client.get(url + "&format=srj").data)
    assert srj["head"]["vars"] == result.vars and len(srj["results"]["bindings"]) == len(result.rows)
    srx = ET.fromstring(client.get(url + "&format=srx").data)
    assert len(srx.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == len(result.rows)
    assert len(client.get(url + "&format=json").get_json()) == len(result.rows)
    editor = soup.select_one("main a.button")["href"]
    assert urlparse(editor).path == "/sparql/editor"
    bound = bind_values(WITH_PARAM.text, bind_parameters(store, WITH_PARAM, {param.name: value}))
    assert parse_qs(urlparse(editor).query)["query"][0] == bound


def test_saved_query_bad_parameter_is_400_with_the_reason(client):
    param = next(p for p in WITH_PARAM.params if p.type == "iri" and p.cls)
    soup = page(
        client, f"/queries/{WITH_PARAM.slug}?{param.name}=https://w3id.org/tehgraph/id/nothing", status=400
    )
    assert param.name in soup.select_one("p.error").text
    assert client.get(f"/queries/{WITH_PARAM.slug}?format=docx").status_code == 400
    page(client, "/queries/no-such-query", status=404)


# --- pictures -----------------------------------------------------------------------------


def test_timeline_shows_dated_events_and_filters(client, ask):
    soup = page(client, "/pictures/timeline")
    circles = soup.select("svg circle.event")  # one per lane and day, sized by its number of events
    assert circles and sum(int(c["data-count"]) for c in circles) == len(soup.select("ol.timeline li"))
    assert len(circles) < len(soup.select("ol.timeline li"))  # busy days are clusters, not a pile of dots
    meetings = ask("SELECT DISTINCT ?m ?d WHERE { ?m a teh:Meeting ; dcterms:date ?d }")
    assert sum(int(c["data-count"]) for c in soup.select("svg circle.event-meeting")) == len(meetings)
    years = [int(t.text) for t in soup.select("svg .tick-label")]
    approximate = ask(
        "SELECT (MAX(STR(?y)) AS ?y) WHERE { ?d a teh:SourceDocument ; teh:approximateDate ?y }"
    )
    assert max(years) >= int(approximate[0]["y"][:4])  # the range reaches the CCEM's approximate date
    only = page(client, "/pictures/timeline?kind=meeting")
    assert {c["class"][1] for c in only.select("svg circle.event")} == {"event-meeting"}
    actor = ask(
        "SELECT ?a (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d teh:demandedBy ?a ; teh:evidence/dcterms:date ?x } "
        "GROUP BY ?a ORDER BY DESC(?n) LIMIT 1"
    )[0]
    filtered = client.get(f"/pictures/timeline?actor={actor['a']}&format=json").get_json()
    demands = {r["iri"] for r in filtered if r["kind"] == "demand"}
    assert len(demands) == int(actor["n"])


def test_matrix_marks_every_ministry_implementing_a_measure(client, ask):
    pairs = ask(
        "SELECT DISTINCT ?x ?m WHERE { ?m teh:inPlan ?p ; teh:implementedBy ?x . ?x a teh:Ministry }",
        p=str(P1),
    )
    soup = page(client, "/pictures/matrix/pan-2014-2016")
    assert len(soup.select("td.cell.implementer")) == len(pairs) > 0
    page(client, "/pictures/matrix/no-such-plan", status=404)


def test_coverage_counts_measures_per_form(client, ask):
    rows = {
        (r.get("section", ""), r["f"]): r["n"]
        for r in ask(
            "SELECT ?section ?f (COUNT(DISTINCT ?m) AS ?n) WHERE { "
            "?m teh:inPlan ?p ; a teh:Measure ; teh:concernsForm ?f "
            "OPTIONAL { ?m teh:inSection ?section } } GROUP BY ?section ?f",
            p=str(P1),
        )
    }
    records = client.get("/pictures/coverage/pan-2014-2016?format=json").get_json()
    total = sum(int(v) for r in records for k, v in r.items() if k not in ("section", "measures"))
    assert total == sum(int(n) for n in rows.values()) > 0
    page(client, "/pictures/coverage/pan-2014-2016")


# --- languages, errors, page hygiene ------------------------------------------------------


def test_every_message_exists_in_both_languages():
    for key, texts in MESSAGES.items():
        assert all(texts.get(lang) for lang in LANGUAGES), key


def test_french_by_default_english_on_request(client, ask):
    fr, en = label_of(ask, str(TEH.Measure), "fr"), label_of(ask, str(TEH.Measure), "en")
    assert page(client, "/browse/teh:Measure").h1.contents[0].strip() == fr
    assert page(client, "/browse/teh:Measure?lang=en").h1.contents[0].strip() == en
    soup = page(client, "/browse/teh:Measure", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert soup.h1.contents[0].strip() == en and soup.html["lang"] == "en"
    english = page(client, "/?lang=en")
    assert all("lang=en" in a["href"] for a in english.select("ul.cards a"))


def test_errors_never_show_internals(settings):
    app = create_app(settings)

    @app.get("/boom")
    def boom():
        raise RuntimeError(f"secret path {PROJECT_DIR}/src/tehgraph/web/state.py")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.data.decode()
    assert "Traceback" not in body and str(PROJECT_DIR) not in body and ".py" not in body
    bad = client.get("/browse/teh:Measure?format=xlsx")
    assert bad.status_code == 400 and "xlsx" in bad.data.decode()
    assert client.get("/browse/nope:Thing").status_code == 404


def test_pages_need_no_inline_script_or_style(client, ask):
    """Ready for a Content-Security-Policy without 'unsafe-inline'."""
    row = assessed_measure(ask)
    for url in [
        "/",
        "/browse/teh:Measure",
        path_of(row["m"]),
        "/source/" + row["doc"].rsplit("/", 1)[1],
        "/search/?q=traite",
        f"/queries/{WITH_PARAM.slug}",
        "/pictures/timeline",
        "/pictures/matrix/pan-2014-2016",
        "/pictures/coverage/pan-2014-2016",
    ]:
        soup = page(client, url)
        assert all(script.get("src") for script in soup.find_all("script")), url
        assert not soup.find_all(style=True), url
        assert not soup.find_all("style"), url
        assert not [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)], url
    assert client.get("/static/tehgraph.css").status_code == 200
    assert client.get("/static/tehgraph.js").status_code == 200


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_resource_is_named_by_a_label_or_a_caption_never_its_slug(web_app, ask, lang):
    """Positions, attendances, memberships, evidence: every resource of the corpus gets a name."""
    state = web_app.extensions["tehgraph"]
    resources = ask("SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(STRSTARTS(STR(?s), STR(id:))) }")
    assert len(resources) > 1000
    with web_app.test_request_context(f"/?lang={lang}"):
        web_app.preprocess_request()
        unnamed = [r["s"] for r in resources if state.label(r["s"], lang) == r["s"][len(str(ID)) :]]
    assert not unnamed, unnamed[:10]


@pytest.mark.parametrize("plan", ["plan/pan-2014-2016", "plan/pan-2019-2021"])
def test_a_plan_page_lists_its_measures_in_the_plans_order(client, ask, plan):
    expected = ask(
        "SELECT ?m ?n WHERE { ?m a teh:Measure ; teh:inPlan ?p ; teh:number ?n } ORDER BY ?n", p=str(ID[plan])
    )
    assert len(expected) > 20
    section = page(client, "/page/" + plan).select_one("section.kind-plan_measures")
    shown = [a["href"] for a in section.select("ul.measures a")]
    assert shown == [path_of(r["m"]) for r in expected]
