"""Serving at scale (issue 19) on the real built graph: class listings paged by the store, facet
counts from aggregate queries, what pages show of resources read lazily, bad input refused.

Expected values come from the store through SPARQL written here, never from the pages' queries.
A store that counts the rows of every answer shows that a page asks only for one page of rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from urllib.parse import parse_qs, quote, urlparse

import pytest
from bs4 import BeautifulSoup
from rdflib import Literal

from tehgraph.namespaces import ID, TEH
from tehgraph.stores import OxigraphStore
from tehgraph.web import browse, create_app
from tehgraph.web.helpers import natural_key

PAGE = 7
INFERRED = "https://w3id.org/tehgraph/graph/inferred"
P1 = str(ID["plan/pan-2014-2016"])


class RowCountingStore(OxigraphStore):
    """The embedded store, remembering how many rows each answer had."""

    answers: list[int] = []

    def query(self, *args, **kwargs):
        result = super().query(*args, **kwargs)
        RowCountingStore.answers.append(len(result.rows))
        return result


@pytest.fixture(scope="module")
def small(settings, store):
    """An app with pages of 7 rows over a store that counts rows (queries in this process)."""
    return create_app(replace(settings, page_size=PAGE, query_workers=0), RowCountingStore(store.store))


@pytest.fixture(scope="module")
def paged(small):
    return small.test_client()


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, (url, response.data[:300])
    return BeautifulSoup(response.data, "html.parser")


def iri_of(href: str) -> str:
    assert href.startswith("/page/"), href
    return str(ID) + href[len("/page/") :].split("?", 1)[0]


def instances(ask, cls: str) -> set[str]:
    return {r["s"] for r in ask("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }", c=cls)}


def walk(client, url: str) -> list[tuple[str, str]]:
    """(IRI, label) of every row of every page of a listing, in page order."""
    first = soup_of(client, url)
    pages = int(first.select_one("nav.pages span").text.split()[-1]) if first.select_one("nav.pages") else 1
    rows = []
    for number in range(1, pages + 1):
        soup = first if number == 1 else soup_of(client, f"{url}&page={number}")
        rows += [(iri_of(tr.td.a["href"]), tr.td.a.text) for tr in soup.select("table.list tbody tr")]
        assert len(soup.select("table.list tbody tr")) == (
            PAGE if number < pages else len(rows) - PAGE * (pages - 1)
        )
    return rows


# --- paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "curie, sort, order",
    [
        ("teh:Measure", "label", "asc"),
        ("teh:Measure", "plan", "asc"),
        ("teh:Demand", "label", "desc"),
        ("teh:Demand", "recurrence", "desc"),
        ("teh:Actor", "kind", "asc"),
        ("teh:Evidence", "label", "asc"),
    ],
)
def test_pages_hold_every_instance_once_in_the_stated_order(paged, ask, curie, sort, order):
    cls = str(TEH) + curie[4:]
    url = f"/browse/{curie}?sort={sort}&order={order}"
    rows = walk(paged, url)
    iris = [iri for iri, _ in rows]
    assert len(iris) == len(set(iris)), "a row on two pages"
    assert set(iris) == instances(ask, cls)
    downloaded = paged.get(url + "&format=json").get_json()
    assert [r["iri"] for r in downloaded] == iris, "the download keeps the pages' order"
    if sort == "label":
        keys = [natural_key(label) for _, label in rows]
        assert keys == sorted(keys, reverse=order == "desc")
    elif sort == "recurrence":
        counts = {
            r["d"]: int(r["n"])
            for r in ask(
                "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a teh:Demand ; teh:evidence ?e } GROUP BY ?d"
            )
        }
        values = [counts.get(iri, 0) for iri in iris]
        assert values == sorted(values, reverse=True)
    elif sort == "plan":
        plans = [r["plan"] for r in downloaded]
        assert [natural_key(p) for p in plans] == sorted(natural_key(p) for p in plans)
    else:
        kinds = [r["kind"] for r in downloaded]
        assert [k.casefold() for k in kinds] == sorted(k.casefold() for k in kinds)


def test_a_page_asks_the_store_for_one_page_of_rows(paged, ask):
    """The store cuts the listing: no answer holds every instance, however large the class."""
    total = len(instances(ask, str(TEH.Evidence)))
    assert total > 20 * PAGE
    RowCountingStore.answers = []
    soup = soup_of(paged, "/browse/teh:Evidence?page=3&sort=label")
    assert len(soup.select("table.list tbody tr")) == PAGE
    assert RowCountingStore.answers and max(RowCountingStore.answers) < total / 4, RowCountingStore.answers


# --- facets and filters ----------------------------------------------------------------------


def shown_counts(soup: BeautifulSoup, curie: str, key: str, chosen: str | None = None) -> dict[str, int]:
    """The values of facet `key` shown on a listing page of `curie`, with their counts (`chosen`:
    the value filtered on, shown without a link to itself)."""
    facets = browse.FACETS[curie]
    block = soup.select("aside.facets details")[[f["key"] for f in facets].index(key)]
    found = {}
    for li in block.select("li"):
        count = int(li.select_one("span.count").text)
        if li.strong:  # the value filtered on: its link removes the filter
            found[chosen] = count
        else:
            found[parse_qs(urlparse(li.a["href"]).query)[key][0]] = count
    return found


def expected_counts(ask, cls: str, path: str, where: str = "", **bindings) -> dict[str, int]:
    rows = ask(
        f"SELECT ?v (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a ?cls . FILTER(isIRI(?i)) {where} ?i {path} ?v }}"
        " GROUP BY ?v",
        cls=cls,
        **bindings,
    )
    return {r["v"]: int(r["n"]) for r in rows}


@pytest.mark.parametrize(
    "curie", ["teh:Measure", "teh:Demand", "teh:Position", "teh:Assessment", "teh:Meeting"]
)
def test_facet_counts_are_the_stores_counts(client, ask, curie):
    cls = str(TEH) + curie[4:]
    soup = soup_of(client, f"/browse/{curie}")
    checked = 0
    for facet in browse.FACETS[curie]:
        if facet.get("count") or facet.get("kind"):
            continue
        expected = expected_counts(ask, cls, facet["path"])
        shown = shown_counts(soup, curie, facet["key"])
        assert shown, facet["key"]
        for value, n in shown.items():
            assert expected[value] == n, (facet["key"], value)
        # the most frequent values are the ones shown
        hidden = [n for value, n in expected.items() if value not in shown]
        assert not hidden or max(hidden) <= min(shown.values()), facet["key"]
        assert len(shown) == min(len(expected), 25)
        checked += 1
    assert checked


def test_a_filter_narrows_rows_and_counts_alike(client, ask):
    cls = str(TEH.Measure)
    soup = soup_of(client, f"/browse/teh:Measure?plan={quote(P1)}")
    members = {r["m"] for r in ask("SELECT ?m WHERE { ?m a teh:Measure ; teh:inPlan ?p }", p=P1)}
    assert 0 < len(members) < len(instances(ask, cls))
    assert soup.find("h1").find("span", class_="count").text == str(len(members))
    rows = client.get(f"/browse/teh:Measure?plan={quote(P1)}&format=json").get_json()
    assert {r["iri"] for r in rows} == members
    status = expected_counts(ask, cls, "^teh:assesses/teh:status", "?i teh:inPlan ?p .", p=P1)
    assert shown_counts(soup, "teh:Measure", "status") == status
    assert shown_counts(soup, "teh:Measure", "plan", P1) == {P1: len(members)}
    # a second filter narrows again, and its counts follow
    value, n = max(status.items(), key=lambda item: item[1])
    both = soup_of(client, f"/browse/teh:Measure?plan={quote(P1)}&status={quote(value)}")
    assert both.find("h1").find("span", class_="count").text == str(n)
    forms = expected_counts(
        ask,
        cls,
        "teh:concernsForm",
        "?i teh:inPlan ?p . ?a teh:assesses ?i ; teh:status ?st .",
        p=P1,
        st=value,
    )
    assert shown_counts(both, "teh:Measure", "form") == dict(
        sorted(forms.items(), key=lambda kv: -kv[1])[:25]
    )


def test_kind_and_count_facets_filter_like_their_counts(client, ask):
    kinds = shown_counts(soup_of(client, "/browse/teh:Actor"), "teh:Actor", "kind")
    assert str(TEH.Ministry) in kinds
    for kind, n in kinds.items():
        rows = client.get(f"/browse/teh:Actor?kind={quote(kind)}&format=json").get_json()
        assert len(rows) == n, kind
    ministries = {
        r["iri"]
        for r in client.get(f"/browse/teh:Actor?kind={quote(str(TEH.Ministry))}&format=json").get_json()
    }
    assert ministries == instances(ask, str(TEH.Ministry))
    recurrences = shown_counts(soup_of(client, "/browse/teh:Demand"), "teh:Demand", "recurrence")
    by_count: dict[str, int] = {}
    for r in ask(
        "SELECT ?d (COUNT(DISTINCT ?e) AS ?n) WHERE { ?d a teh:Demand ; teh:evidence ?e } GROUP BY ?d"
    ):
        by_count[r["n"]] = by_count.get(r["n"], 0) + 1
    assert recurrences == by_count
    value, n = max(by_count.items(), key=lambda item: int(item[0]))
    rows = client.get(f"/browse/teh:Demand?recurrence={value}&format=json").get_json()
    assert len(rows) == n and {r["recurrence"] for r in rows} == {value}


# --- downloads -------------------------------------------------------------------------------


def test_downloads_hold_every_row_whatever_the_batch(client, ask, monkeypatch):
    monkeypatch.setattr(browse, "DOWNLOAD_BATCH", 50)  # several batches on the real graph
    expected = instances(ask, str(TEH.Evidence))
    assert len(expected) > 3 * 50
    rows = list(
        csv.DictReader(io.StringIO(client.get("/browse/teh:Evidence?format=csv").data.decode("utf-8")))
    )
    assert len(rows) == len(expected) and {r["iri"] for r in rows} == expected
    documents = {r["e"]: r["d"] for r in ask("SELECT ?e ?d WHERE { ?e a teh:Evidence ; teh:statedIn ?d }")}
    labels = {
        r["d"]: r["l"]
        for r in ask("SELECT ?d ?l WHERE { ?d a teh:SourceDocument ; rdfs:label ?l FILTER(LANG(?l) = 'fr') }")
    }
    for row in rows:
        assert row["document"] == labels[documents[row["iri"]]], row["iri"]
        assert row["label"] and not row["label"].startswith("evidence/"), "a caption, never a slug"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, status",
    [
        ("page=0", 400),
        ("page=-1", 400),
        ("page=deux", 400),
        ("page=99999", 404),
        ("page=99999999999999999999", 400),
        ("sort=nope", 400),
        ("order=sideways", 400),
        ("format=xlsx", 400),
        ("plan=" + "x" * 5000, 400),
    ],
)
def test_bad_parameters_are_the_readers_errors(paged, query, status):
    response = paged.get(f"/browse/teh:Measure?{query}")
    assert response.status_code == status, response.data[:300]


@pytest.mark.parametrize(
    "value",
    [
        '"} ; DROP ALL ; {',
        "<https://w3id.org/tehgraph/id/plan/x> } UNION {",
        "https://a.b/c d",
        "2014-2016",
        "é\u0000",
    ],
)
def test_filter_values_are_data_never_syntax(client, value):
    for key in ("plan", "status"):
        response = client.get(f"/browse/teh:Measure?{key}={quote(value)}")
        assert response.status_code == 200, (value, response.data[:300])
        assert BeautifulSoup(response.data, "html.parser").find("h1").find("span", class_="count").text == "0"
    kind = client.get(f"/browse/teh:Actor?kind={quote(value)}&format=json")
    assert kind.status_code == 200 and kind.get_json() == []


def test_an_unknown_or_empty_class_is_not_found(client):
    assert client.get("/browse/nope:Thing").status_code == 404
    assert client.get("/browse/teh:NoSuchClass").status_code == 404


# --- what pages show of resources, read lazily ------------------------------------------------


def test_start_reads_nothing_per_resource(settings, store):
    RowCountingStore.answers = []
    app = create_app(replace(settings, query_workers=0), RowCountingStore(store.store))
    assert len(RowCountingStore.answers) <= 2, RowCountingStore.answers  # the ontology's terms
    st = app.extensions["tehgraph"]
    assert len(st.known) == 0 and st.saved is None  # no resource read, no query header parsed
    assert st.catalog and st.saved is st.catalog  # the catalog, read when first asked for


def test_labels_and_types_read_lazily_are_the_graphs(small, ask):
    st = small.extensions["tehgraph"]
    first: dict[str, dict[str, str]] = {}
    for r in ask(
        "SELECT ?s ?l WHERE { { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l } FILTER(isIRI(?s)) }"
    ):
        first.setdefault(r["s"], {})
    labels = st.trusted.query(
        "SELECT ?s ?l WHERE { { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        " UNION { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } FILTER(isIRI(?s)) }"
    ).rows
    for s, label in labels:
        if isinstance(label, Literal):
            first[str(s)].setdefault(label.language or "", str(label))
    types: dict[str, set[str]] = {}
    for r in ask(f"SELECT ?s ?t WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER(isIRI(?s) && ?g != <{INFERRED}>) }}"):
        types.setdefault(r["s"], set()).add(r["t"])
    st.learn([*first, *types])
    measures = instances(ask, str(TEH.Measure))
    for iri, expected in first.items():
        if iri in measures:  # the plan goes into a measure's label
            assert st.labels.get(iri, {}).get("fr", "").startswith(expected["fr"].split(" :")[0] + " (PAN ")
        else:
            assert st.labels.get(iri, {}) == expected, iri
    for iri, expected in types.items():
        assert set(st.types.get(iri, ())) == expected, iri
    assert "https://w3id.org/tehgraph/id/nothing-here" not in st.types
    assert st.label("not an IRI", "fr") == "not an IRI"


def _captioned(st, ask, limit: int = 60) -> list[str]:
    """Resources named by a caption (no label of their own): evidence, demands, assessments..."""
    found = [r["s"] for r in ask("SELECT DISTINCT ?s WHERE { ?s teh:evidence|teh:statedIn ?o } ORDER BY ?s")]
    st.learn(found)
    return [iri for iri in found if iri in st.captions][:limit]


def test_names_are_composed_in_the_language_asked_whatever_the_page_and_kept(small, ask):
    """A caption names the language's words whatever page asked for it first (a French name
    sorts an English page's rows): the name kept for ("fr") is the one a French page composes."""
    st = small.extensions["tehgraph"]
    captioned = _captioned(st, ask)
    assert len(captioned) >= 20
    named: dict[str, dict[str, str]] = {}
    for page in ("fr", "en"):
        st._label.cache_clear()
        with small.test_request_context(f"/?lang={page}"):
            small.preprocess_request()  # the page's language, as a request sets it
            named[page] = {f"{iri} {lang}": st.label(iri, lang) for iri in captioned for lang in ("fr", "en")}
    assert named["fr"] == named["en"]
    assert any(named["fr"][f"{iri} fr"] != named["fr"][f"{iri} en"] for iri in captioned)  # two languages
    with small.test_request_context("/?lang=en"):
        small.preprocess_request()
        kept = {f"{iri} {lang}": st.label(iri, lang) for iri in captioned for lang in ("fr", "en")}
    assert kept == named["fr"] and st._label.cache_info().hits >= len(kept)
