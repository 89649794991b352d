"""Addressees the text names vs addressees taken from a measure's « Mise en œuvre » box (issue 14).

A document's file asserts teh:addressedTo only where the text names the addressee; the implementers
of the box of a measure the demand is about are derived by rules/addressee-from-box.rq into
graph/derived (groups of actors excepted), and queries tell the two apart. Written from the lines
of data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.load import load_project
from tehgraph.namespaces import DERIVED_GRAPH, GRAPH, ID, TEH

from .conftest import PROJECT_DIR

DOC = str(ID["doc/"])
COLLECTIF = GRAPH["collectif-2017-03-09"]
SOURCE = Path(PROJECT_DIR) / "data" / "sources" / "2017-03-09-collectif-analyse-pan-2014-2016.txt"
CATALOG = load_catalog(PROJECT_DIR)
DOCUMENT_FILES = [
    "collectif-2017-03-09",
    "cr-2014-02-03",
    "cr-2014-09-29",
    "cr-2015-06-26",
    "ccem-observations-pan-2019-2021",
]


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_DIR)


@pytest.fixture(scope="module")
def data(project) -> Graph:
    merged = Graph()
    for name in project.data_graphs:
        merged += project.graph(name)
    return merged


@pytest.fixture(scope="module")
def derived(store) -> Graph:
    return store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}").graph


def lines(start: int, end: int) -> str:
    text = SOURCE.read_text(encoding="utf-8").split("\n")
    return " ".join(" ".join(text[start - 1 : end]).split())


def demand(slug: str) -> URIRef:
    return ID[f"demand/{slug}"]


def box(data: Graph, d: URIRef) -> set[URIRef]:
    """The implementers of the boxes of the measures a demand is about, groups of actors excepted."""
    return {
        i
        for m in data.objects(d, TEH.about)
        if (m, RDF.type, TEH.Measure) in data
        for i in data.objects(m, TEH.implementedBy)
        if (i, RDF.type, TEH.ActorGroup) not in data
    }


# --- the 2017 file: box copies are gone, named addressees stay ------------------------------------


def test_informed_consent_to_care_is_addressed_by_the_box_only(project, data, derived):
    # l. 1850-1853 « L'accès à des soins et traitements médicaux et psychologiques doit toujours être fourni sur
    # la base du consentement éclairé » names no one: the finance ministry comes from measure 9's box only
    assert "consentement éclairé" in lines(1850, 1853)
    d = demand("soins-consentement-eclaire")
    assert not set(project.graph(COLLECTIF).objects(d, TEH.addressedTo))
    finance = ID["org/ministere-finances-comptes-publics"]
    assert finance in box(data, d)
    assert set(derived.objects(d, TEH.addressedTo)) == box(data, d)
    for evidence in data.objects(d, TEH.evidence):
        assert (evidence, TEH.addressee, finance) in derived


@pytest.mark.parametrize(
    "slug, start, end, named, addressees",
    [
        ("miprof-coordination-formations", 729, 732, "La Miprof devrait jouer un rôle", ["org/miprof"]),
        ("bilan-miprof-travail-associations", 28, 28, "que la MIPROF établisse un bilan", ["org/miprof"]),
        ("pilotage-miprof-assistance-directe", 3313, 3315, "doit être assuré par la MIPROF", ["org/miprof"]),
        ("etat-des-lieux-hebergement", 1627, 1629, "par la coordination nationale (MIPROF)", ["org/miprof"]),
        (
            "extension-approche-loi-2016-toutes-formes",
            1741,
            1741,
            "Le législateur doit prévoir",
            ["group/legislateur"],
        ),
        ("referent-traite-en-prefecture", 1286, 1289, "dans les préfectures", ["group/prefectures"]),
        ("groupes-pilotage-departementaux", 3542, 3543, "par le préfet", ["group/prefectures"]),
        (
            "rencontre-referents-mae",
            3174,
            3177,
            "ministère des Affaires étrangères",
            ["org/ministere-affaires-etrangeres"],
        ),
        ("mediateurs-culturels-finances-etat", 214, 215, "financés par l’Etat", ["org/etat"]),
        ("associations-campagnes-sensibilisation", 821, 821, "que l’Etat y mette les moyens", ["org/etat"]),
    ],
)
def test_a_named_addressee_is_asserted_alone(project, derived, slug, start, end, named, addressees):
    assert named in lines(start, end)
    d = demand(slug)
    assert set(project.graph(COLLECTIF).objects(d, TEH.addressedTo)) == {ID[a] for a in addressees}
    # the file names an addressee: its 2017 statements take nothing from the box (a statement of another
    # document that names no one may still get the box, on the demand, in graph/derived)
    statements = [
        e for e in project.graph(COLLECTIF).objects(d, TEH.evidence) if "/collectif-2017-03-09/" in str(e)
    ]
    assert statements
    for statement in statements:
        assert set(derived.objects(statement, TEH.addressee)) == {ID[a] for a in addressees}


def test_the_interior_ministry_of_the_prefecture_referent_is_derived_not_stated(project, derived):
    # l. 1286-1289 names « les préfectures », not the ministry of the Interior (measure 5's box)
    assert "Intérieur" not in lines(1286, 1289)
    d = demand("referent-traite-en-prefecture")
    interior = ID["org/ministere-interieur"]
    assert (d, TEH.addressedTo, interior) not in project.graph(COLLECTIF)
    statements = [
        e for e in project.graph(COLLECTIF).objects(d, TEH.evidence) if "collectif-2017-03-09/" in str(e)
    ]
    assert statements
    for statement in statements:
        assert (statement, TEH.addressee, interior) not in derived


# every addressee the 2017 file asserts, with the lines that name it (a named body may also be in a box:
# the MIPROF of measure 20, the Interior of measure 5)
NAMED_2017 = [
    ("bilan-miprof-travail-associations", "org/miprof", 28, 28, "que la MIPROF établisse"),
    ("etat-des-lieux-hebergement", "org/miprof", 1627, 1629, "coordination nationale (MIPROF)"),
    ("implication-miprof-mesures", "org/miprof", 1620, 1621, "La MIPROF doit être impliquée"),
    ("miprof-coordination-formations", "org/miprof", 729, 729, "La Miprof devrait"),
    ("pilotage-miprof-assistance-directe", "org/miprof", 3313, 3315, "par la MIPROF"),
    ("transparence-des-moyens", "org/miprof", 51, 51, "présentés par la MIPROF"),
    ("visibilite-structures-documents-formation", "org/miprof", 529, 530, "MIPROF a publié"),
    ("extension-approche-loi-2016-toutes-formes", "group/legislateur", 1741, 1741, "Le législateur doit"),
    (
        "regroupement-familial-victimes",
        "org/ministere-familles-enfance-droits-femmes",
        1328,
        1333,
        "ministère des familles",
    ),
    ("regroupement-familial-victimes", "org/miprof", 1328, 1333, "(MIPROF)"),
    ("regroupement-familial-victimes", "org/ministere-interieur", 1328, 1333, "le ministère de l’Intérieur"),
    (
        "regroupement-familial-victimes",
        "org/ministere-affaires-etrangeres",
        1328,
        1333,
        "Affaires étrangères",
    ),
    ("rencontre-referents-mae", "org/ministere-affaires-etrangeres", 3174, 3177, "Affaires étrangères"),
    (
        "points-contact-traite-consulats",
        "org/ministere-affaires-etrangeres",
        2820,
        2826,
        "Affaires étrangères",
    ),
    ("homogeneisation-pratiques-prefectures", "group/prefectures", 1224, 1224, "pratiques préfectorales"),
    ("referent-traite-en-prefecture", "group/prefectures", 1286, 1289, "dans les préfectures"),
    ("groupes-pilotage-departementaux", "group/prefectures", 3542, 3543, "par le préfet"),
    ("associations-sieger-cdpd", "group/prefectures", 3530, 3531, "arrêté préfectoral"),
    ("mediateurs-culturels-finances-etat", "org/etat", 214, 215, "financés par l’Etat"),
    ("associations-campagnes-sensibilisation", "org/etat", 821, 821, "que l’Etat y mette"),
]


def test_every_2017_addressee_is_named_by_the_text(project):
    for slug, _, start, end, words in NAMED_2017:
        assert words in lines(start, end), (slug, words)
    file = set(project.graph(COLLECTIF).subject_objects(TEH.addressedTo))
    assert file == {(demand(slug), ID[a]) for slug, a, *_ in NAMED_2017}


def test_ambiguous_addressees_carry_an_exported_note(asserted):
    for slug in [
        "visibilite-structures-documents-formation",
        "associations-sieger-cdpd",
        "homogeneisation-pratiques-prefectures",
        "titre-sejour-systematique",
        "inspecteurs-travail-identification",
        "maintien-procedure-judiciaire-cooperation",
        "associations-campagnes-sensibilisation",
    ]:
        notes = {n.language for n in asserted.objects(demand(slug), SKOS.note)}
        assert {"fr", "en"} <= notes, slug


# --- the rule -------------------------------------------------------------------------------------


def test_groups_of_a_box_are_never_derived_addressees(project, data, derived):
    # measure 2's box prints « associations spécialisées », measure 3's « collectivités territoriales »
    assert (ID["measure/pan-2014-2016/2"], TEH.implementedBy, ID["group/associations-specialisees"]) in data
    for _, a in derived.subject_objects(TEH.addressedTo):
        assert (a, RDF.type, TEH.ActorGroup) not in data, a
    # a statement has a group as addressee only where its document's file names the group (the préfectures)
    stated = set().union(*stated_by_file(project).values())
    for e, a in derived.subject_objects(TEH.addressee):
        if (a, RDF.type, TEH.ActorGroup) in data:
            assert any((d, a) in stated for d in data.subjects(TEH.evidence, e)), (e, a)


def test_a_demand_about_two_measures_gets_both_boxes(data, derived):
    # hebergement-sans-condition is about measures 7 and 8 (l. 1451-1453, l. 1669-1673)
    d = demand("hebergement-sans-condition")
    measures = {m for m in data.objects(d, TEH.about) if (m, RDF.type, TEH.Measure) in data}
    assert len(measures) == 2
    assert set(derived.objects(d, TEH.addressedTo)) == box(data, d)


def stated_by_file(project) -> dict[str, set[tuple]]:
    return {name: set(project.graph(GRAPH[name]).subject_objects(TEH.addressedTo)) for name in DOCUMENT_FILES}


def test_counts_of_stated_and_derived_addressees_add_up(project, data, derived, store):
    stated = stated_by_file(project)
    in_store = {
        str(g).rsplit("/", 1)[-1]: int(n)
        for g, n in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d teh:addressedTo ?a } } GROUP BY ?g"
        ).rows
    }
    for name, pairs in stated.items():
        assert in_store.get(name, 0) == len(pairs), name
    every_stated = set().union(*stated.values())
    # expected derived addressees: a statement whose document's file names no addressee gets the box
    expected: set[tuple] = set()
    expected_statements: set[tuple] = set()
    for d in data.subjects(RDF.type, TEH.Demand):
        for evidence in data.objects(d, TEH.evidence):
            document = data.value(evidence, TEH.statedIn)
            if document is None or not str(document).startswith(DOC):
                continue
            name = str(document)[len(DOC) :]
            if name in stated and any(s == d for s, _ in stated[name]):
                continue
            for a in box(data, d):
                expected.add((d, a))
                expected_statements.add((evidence, a))
    derived_pairs = set(derived.subject_objects(TEH.addressedTo))
    assert derived_pairs == expected - every_stated
    assert in_store.get("derived", 0) == len(derived_pairs)
    # statements: each has its file's addressees (stated) or its box (derived), never both
    box_statements = {(e, a) for e, a in derived.subject_objects(TEH.addressee)} & expected_statements
    assert box_statements == expected_statements
    # the 2017 file: a minority of demands keep a stated addressee now
    collectif = {d for d, _ in stated["collectif-2017-03-09"]}
    boxed = {d for d, _ in derived_pairs if (d, None, None) in project.graph(COLLECTIF)}
    assert len(collectif) < len(boxed - collectif)


def test_the_saved_query_tells_stated_from_derived(store, project, derived):
    rows = run_saved(store, CATALOG["demand-addressees"]).records()
    stated = {(r["demand"], r["addressee"]) for r in rows if str(r["origin"]) == "stated"}
    from_box = {(r["demand"], r["addressee"]) for r in rows if str(r["origin"]) == "derived"}
    assert stated == set().union(*stated_by_file(project).values())
    assert from_box == set(derived.subject_objects(TEH.addressedTo))
    consent = demand("soins-consentement-eclaire")
    assert {str(r["origin"]) for r in rows if r["demand"] == consent} == {"derived"}
    miprof = demand("miprof-coordination-formations")
    assert {(str(r["origin"]), str(r["source"])) for r in rows if r["demand"] == miprof} == {
        ("stated", str(COLLECTIF))
    }


def test_demands_to_actor_returns_stated_and_derived_addressees(store, project, derived):
    # the finance ministry is named by no text of the 2017 file: its demands there all come from measure 9's box
    finance = ID["org/ministere-finances-comptes-publics"]
    rows = run_saved(
        store, CATALOG["demands-to-actor"], {"addressee": "id:org/ministere-finances-comptes-publics"}
    )
    found = {r["demand"] for r in rows.records()}
    # (a ministry also gets the demands addressed to its predecessors: at least its own)
    assert found >= {d for d, a in derived.subject_objects(TEH.addressedTo) if a == finance} | {
        d for pairs in stated_by_file(project).values() for d, a in pairs if a == finance
    }
    assert demand("soins-consentement-eclaire") in found
