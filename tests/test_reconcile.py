"""The W3C Reconciliation Service API (0.2) at /reconcile, through a real HTTP client on a real
`tehgraph serve .` started from the project folder (as `make run` does).

Expected IRIs come from the asserted graph (who bears the label or acronym queried), never from
what the service happens to return. The manifest is checked field by field against the 0.2
specification (its JSON schemas are not on PyPI or npm).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from rdflib import RDF, RDFS, SKOS, URIRef
from rdflib.namespace import DCTERMS

from devtools.browser import serve_project
from tehgraph.namespaces import ID, TEH
from tehgraph.ontology import read_ontology
from tehgraph.search.text import exact_key, words

from .conftest import PROJECT_DIR

FAMILIES = (TEH.Actor, TEH.LegalInstrument, TEH.Measure)


@pytest.fixture(scope="module")
def server(built):
    with serve_project(PROJECT_DIR, built.dist) as base:
        yield base


@pytest.fixture(scope="module")
def ontology(store):
    return read_ontology(store)


@pytest.fixture(scope="module")
def family_classes(ontology) -> dict[str, set[str]]:
    return {str(root): {str(root), *ontology.subclasses(str(root))} for root in FAMILIES}


def get(base: str, path: str, **params) -> tuple[int, dict, dict]:
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    return _open(urllib.request.Request(url, headers={"Origin": "https://openrefine.example"}))


def post(base: str, path: str, **fields) -> tuple[int, dict, dict]:
    body = urllib.parse.urlencode(fields).encode()
    return _open(urllib.request.Request(base + path, data=body, method="POST"))


def _open(request: urllib.request.Request) -> tuple[int, dict, dict]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def batch(base: str, queries: dict) -> dict:
    status, _, answer = post(base, "/reconcile", queries=json.dumps(queries))
    assert status == 200, answer
    assert set(answer) == set(queries)
    return {key: value["result"] for key, value in answer.items()}


def bearers(asserted, text: str) -> set[str]:
    """Resources one of whose names (label, acronym, title) is `text`, case aside."""
    return {
        str(s)
        for p in (RDFS.label, SKOS.altLabel, DCTERMS.title)
        for s, o in asserted.subject_objects(p)
        if str(o).casefold() == text.casefold()
    }


def misspelt(text: str) -> str:
    """The text with two letters of its longest word swapped: what a hurried spreadsheet holds."""
    longest = max(re.findall(r"\w{6,}", text), key=len)
    middle = len(longest) // 2
    wrong = longest[: middle - 1] + longest[middle] + longest[middle - 1] + longest[middle + 1 :]
    return text.replace(longest, wrong, 1)


# --- the manifest ------------------------------------------------------------------------------


def test_the_manifest_has_the_fields_of_the_0_2_specification(server, family_classes):
    status, headers, manifest = get(server, "/reconcile")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert headers.get("Access-Control-Allow-Origin") == "*"  # OpenRefine's page fetches it itself
    # required: versions (containing 0.2), name, identifierSpace, schemaSpace — all strings
    assert "0.2" in manifest["versions"] and all(isinstance(v, str) for v in manifest["versions"])
    for key in ("name", "identifierSpace", "schemaSpace", "documentation", "serviceVersion"):
        assert isinstance(manifest[key], str) and manifest[key], key
    assert manifest["identifierSpace"] == str(ID) and manifest["schemaSpace"] == str(TEH)
    # view and preview: URL templates with {{id}}; preview with integer width and height
    for key in ("view", "preview"):
        assert "{{id}}" in manifest[key]["url"]
    assert isinstance(manifest["preview"]["width"], int) and isinstance(manifest["preview"]["height"], int)
    # defaultTypes: unique {id, name}, the three families
    types = manifest["defaultTypes"]
    assert [t["id"] for t in types] == list(family_classes) and all(t["name"] for t in types)
    # suggest: service definitions that answer
    for kind in ("entity", "type"):
        service = manifest["suggest"][kind]
        assert isinstance(service["service_url"], str) and isinstance(service["service_path"], str)
        status, _, answer = get(service["service_url"], service["service_path"], prefix="mi")
        assert status == 200 and isinstance(answer["result"], list), kind


def test_the_documentation_page_says_how_to_use_it(server):
    with urllib.request.urlopen(server + "/reconcile/help", timeout=30) as response:
        page = response.read().decode()
    assert "OpenRefine" in page and server + "/reconcile" in page and "cell.recon.match.id" in page


# --- queries -----------------------------------------------------------------------------------


def test_a_single_query_by_get_finds_the_acronym_first(server, asserted):
    (ccem,) = bearers(asserted, "CCEM")
    status, _, answer = get(server, "/reconcile", queries=json.dumps({"q0": {"query": "CCEM"}}))
    assert status == 200
    first = answer["q0"]["result"][0]
    assert (first["id"], first["match"], first["score"]) == (ccem, True, 100)
    french = {str(o) for o in asserted.objects(ID["org/ccem"], RDFS.label) if o.language == "fr"}
    assert first["name"] in french  # the French name (the CCEM has an English label too)
    assert not [c for c in answer["q0"]["result"][1:] if c["match"]]
    # API 0.1: one query in `query=`, as text or as JSON
    for query in ("CCEM", json.dumps({"query": "CCEM", "limit": 1})):
        status, _, single = get(server, "/reconcile", query=query)
        assert status == 200 and single["result"][0]["id"] == ccem


def test_a_batch_returns_the_right_iris_with_scores(server, asserted):
    (ccem,) = bearers(asserted, "CCEM")
    (miprof,) = bearers(asserted, "MIPROF")
    label = str(asserted.value(URIRef(ccem), RDFS.label))  # « Comité contre l'esclavage moderne »
    answer = batch(
        server,
        {
            "acronym": {"query": "CCEM"},
            "label": {"query": label},
            "folded": {"query": label.upper().replace("É", "E")},
            "miprof": {"query": "MIPROF", "limit": 2},
            "misspelt": {"query": misspelt(label)},
        },
    )
    for key in ("acronym", "label", "folded"):
        assert answer[key][0]["id"] == ccem and answer[key][0]["match"], key
    assert answer["miprof"][0]["id"] == miprof and answer["miprof"][0]["match"]
    assert len(answer["miprof"]) == 2
    wrong = answer["misspelt"][0]
    assert wrong["id"] == ccem and not wrong["match"] and 80 <= wrong["score"] < 100
    for candidates in answer.values():  # best first, scores between 0 and 100
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)


def unique_names(asserted, cls, prop) -> dict[str, str]:
    """Instances of `cls` whose `prop` is the name of nothing else (exact keys compared)."""
    keys = Counter(
        exact_key(words(str(o)))
        for p in (RDFS.label, SKOS.altLabel, DCTERMS.title)
        for o in asserted.objects(None, p)
    )
    found = {}
    for s in asserted.subjects(RDF.type, cls):
        for name in asserted.objects(s, prop):
            if keys[exact_key(words(str(name)))] == 1 and len(list(words(str(name)))) > 1:
                found[str(s)] = str(name)
    return found


@pytest.mark.parametrize(("cls", "prop"), [(TEH.Measure, DCTERMS.title), (TEH.Association, RDFS.label)])
def test_every_measure_by_its_title_and_every_association_by_its_name(server, asserted, cls, prop):
    named = unique_names(asserted, cls, prop)
    assert len(named) >= 10
    items = sorted(named.items())
    for start in range(0, len(items), 50):
        chunk = dict(items[start : start + 50])
        queries = {f"q{i}": {"query": name, "limit": 1} for i, name in enumerate(chunk.values())}
        answer = batch(server, queries)
        for i, iri in enumerate(chunk):
            first = answer[f"q{i}"][0]
            assert (first["id"], first["match"], first["score"]) == (iri, True, 100), chunk[iri]


# --- types -------------------------------------------------------------------------------------


def test_types_restrict_the_candidates_to_a_family_and_its_subclasses(server, asserted, family_classes):
    (ccem,) = bearers(asserted, "CCEM")
    actors, measures = family_classes[str(TEH.Actor)], family_classes[str(TEH.Measure)]
    answer = batch(
        server,
        {
            "untyped": {"query": "CCEM", "limit": 25},
            "actor": {"query": "CCEM", "type": str(TEH.Actor), "limit": 25},
            "association": {"query": "CCEM", "type": "teh:Association"},
            "measure": {"query": "CCEM", "type": [str(TEH.Measure)], "limit": 25},
            "demand": {"query": "CCEM", "type": str(TEH.Demand)},
            "unknown": {"query": "CCEM", "type": "no such type"},
        },
    )
    everything = set().union(*family_classes.values())
    assert {t["id"] for c in answer["untyped"] for t in c["type"]} <= everything
    assert (
        answer["actor"][0]["id"] == ccem and {t["id"] for c in answer["actor"] for t in c["type"]} <= actors
    )
    assert answer["association"][0]["id"] == ccem
    assert answer["measure"] and ccem not in {c["id"] for c in answer["measure"]}
    assert {t["id"] for c in answer["measure"] for t in c["type"]} <= measures
    # every candidate found as a measure really is one, in the graph
    assert all((URIRef(c["id"]), RDF.type, TEH.Measure) in asserted for c in answer["measure"])
    assert answer["demand"] == [] and answer["unknown"] == []  # outside the service's families


def test_suggest_entities_and_types(server, asserted):
    (miprof,) = bearers(asserted, "MIPROF")
    status, _, answer = get(server, "/reconcile/suggest/entity", prefix="MIPR", type="teh:Actor")
    assert status == 200 and answer["result"][0]["id"] == miprof
    assert answer["result"][0]["notable"][0]["id"] == str(TEH.PublicBody)
    status, _, types = get(server, "/reconcile/suggest/type", prefix="instru")
    assert str(TEH.LegalInstrument) in {t["id"] for t in types["result"]}


def test_view_and_preview_lead_to_the_entity(server):
    iri = str(ID["org/ccem"])
    request = urllib.request.Request(server + "/reconcile/view?" + urllib.parse.urlencode({"id": iri}))
    with urllib.request.urlopen(request, timeout=30) as response:  # follows the 303
        assert response.url == server + "/page/org/ccem"
    with urllib.request.urlopen(server + "/reconcile/preview?" + urllib.parse.urlencode({"id": iri})) as r:
        page = r.read().decode()
        assert "frame-ancestors *" in r.headers["Content-Security-Policy"]  # OpenRefine frames it
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "Comité contre l&#39;esclavage moderne" in page and 'href="/page/org/ccem"' in page
    for path in ("/reconcile/view?id=nothing", "/reconcile/preview?id=" + str(ID["org/nobody"])):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(server + path, timeout=30)
        assert error.value.code == 404


# --- bad input: a 400 with a message, never a 500 ----------------------------------------------


@pytest.mark.parametrize(
    "queries",
    [
        "not json",
        "[1, 2]",
        '{"q0": "CCEM"}',
        '{"q0": {"query": 42}}',
        '{"q0": {"query": "CCEM", "limit": -1}}',
        '{"q0": {"query": "CCEM", "limit": "ten"}}',
        '{"q0": {"query": "CCEM", "type": {"id": 1}}}',
        json.dumps({f"q{i}": {"query": "x"} for i in range(101)}),
    ],
)
def test_a_bad_batch_is_a_400_with_a_message(server, queries):
    for status, _, answer in (
        get(server, "/reconcile", queries=queries),
        post(server, "/reconcile", queries=queries),
    ):
        assert status == 400 and answer["error"], queries


@pytest.mark.parametrize("text", ["", "   ", '"*(NEAR', "«»", "é" * 3000, "\x00CCEM"])
def test_strange_names_find_nothing_or_something_but_never_fail(server, text):
    answer = batch(server, {"q0": {"query": text}})
    assert isinstance(answer["q0"], list)
