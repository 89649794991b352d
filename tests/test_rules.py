"""Build rules (rules/*.rq) and the derived graphs: what they hold, that nobody writes them by hand,
and that the graph kinds registry names every graph of a build (issue 14)."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from tehgraph.build import build
from tehgraph.errors import LoadError
from tehgraph.graphs import BUILT_GRAPHS, KINDS, fact_kind, kind_of
from tehgraph.load import graph_name, load_project
from tehgraph.namespaces import DERIVED_EDITORIAL_GRAPH, DERIVED_GRAPH, GRAPH, ID, INFERRED_GRAPH, TEH
from tehgraph.rules import RULES_DIR, load_rules, read_rule

from .conftest import PROJECT_DIR

VERDICTS = {ID["concept/verdict/met"], ID["concept/verdict/partly-met"]}
DOC = str(ID["doc/"])


def in_graph(store, graph: URIRef, pattern: str = "?s ?p ?o") -> set[tuple]:
    return set(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}").rows)


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_DIR)


@pytest.fixture(scope="module")
def data(project) -> Graph:
    """Every data file's triples in one rdflib graph: the reference the rules are checked against."""
    merged = Graph()
    for name in project.data_graphs:
        merged += project.graph(name)
    return merged


# --- the rule files -------------------------------------------------------------------------------


def test_every_rule_says_what_it_derives_in_both_languages():
    rules = load_rules(PROJECT_DIR)
    assert {r.slug for r in rules} >= {"answered-by", "answered-by-editorial", "addressee-from-box"}
    for rule in rules:
        assert rule.title["fr"] and rule.title["en"] and len(rule.description["fr"]) > 40, rule.slug
        assert rule.graph in (DERIVED_GRAPH, DERIVED_EDITORIAL_GRAPH)
    assert {r.slug: r.graph for r in rules}["answered-by-editorial"] == DERIVED_EDITORIAL_GRAPH


@pytest.mark.parametrize(
    "text, message",
    [
        ("#+ title: {fr: a, en: b}\n#+ description: {fr: a, en: b}\nSELECT * { ?s ?p ?o }", "CONSTRUCT"),
        (
            "#+ title: {fr: a, en: b}\n#+ description: {fr: a, en: b}\n#+ graph: inferred\n"
            "CONSTRUCT WHERE { ?s ?p ?o }",
            "not a rule's graph",
        ),
        ("#+ title: {fr: a}\n#+ description: {fr: a, en: b}\nCONSTRUCT WHERE { ?s ?p ?o }", "French"),
        ("#+ title: {fr: a, en: b}\n#+ description: {fr: a, en: b}\nCONSTRUCT { ?s ?p }", "syntax error"),
    ],
)
def test_a_wrong_rule_is_refused_naming_its_file(tmp_path, text, message):
    path = tmp_path / "wrong.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message) as caught:
        read_rule(path, text)
    assert "wrong.rq" in str(caught.value)


# --- what the derived graphs hold ---------------------------------------------------------------


def responses(data: Graph, editorial: bool) -> set[tuple]:
    """(demand, answeredBy, answer) from the responses met or partly met, by editors or by sources."""
    editors = set(data.subjects(RDF.type, TEH.ProjectEditors))
    found = set()
    for response in data.subjects(RDF.type, TEH.Response):
        if data.value(response, TEH.verdict) not in VERDICTS:
            continue
        if bool(set(data.objects(response, TEH.judgedBy)) & editors) != editorial:
            continue
        for demand in data.objects(response, TEH.respondsTo):
            for answer in data.objects(response, TEH.answeredIn):
                found.add((demand, TEH.answeredBy, answer))
    return found


def test_answered_by_comes_from_the_sources_verdicts_only(store, data):
    derived = in_graph(store, DERIVED_GRAPH, "?s teh:answeredBy ?o . BIND(teh:answeredBy AS ?p)")
    assert derived == responses(data, editorial=False) - set(data)
    assert len(derived) >= 10
    # the CCEM finds the 2019 plan gives the associations' work « le peu de place »: partly met
    associations = ID["demand/prise-en-compte-travail-associations"]
    assert (associations, TEH.answeredBy, ID["plan/pan-2019-2021"]) in derived


def test_editorial_readings_answer_only_in_their_own_graph(store, data):
    editorial = in_graph(store, DERIVED_EDITORIAL_GRAPH)
    expected = responses(data, editorial=True) - set(data) - responses(data, editorial=False)
    assert editorial == expected and editorial
    reading = (ID["demand/sensibilisation-grand-public"], TEH.answeredBy, ID["measure/pan-2019-2021/1"])
    assert reading in editorial
    assert reading not in in_graph(store, DERIVED_GRAPH)


def statements(data: Graph, project) -> dict[tuple, set]:
    """(demand, evidence) -> the addressees its document's own file asserts for the demand."""
    found: dict[tuple, set] = {}
    for demand in data.subjects(RDF.type, TEH.Demand):
        for evidence in data.objects(demand, TEH.evidence):
            document = data.value(evidence, TEH.statedIn)
            if document is None or not str(document).startswith(DOC):
                continue
            name = GRAPH[str(document)[len(DOC) :]]
            file = project.graph(name) if name in project.files else Graph()
            found[(demand, evidence)] = set(file.objects(demand, TEH.addressedTo))
    return found


def test_stated_addressees_come_from_the_documents_file(store, data, project):
    derived = in_graph(store, DERIVED_GRAPH, "?s teh:addressee ?o . BIND(teh:addressee AS ?p)")
    for (_, evidence), stated in statements(data, project).items():
        for addressee in stated:
            assert (evidence, TEH.addressee, addressee) in derived


def test_addressees_taken_from_the_box_are_derived_and_marked_so(store, data, project):
    derived = in_graph(store, DERIVED_GRAPH)
    boxed = 0
    for (demand, evidence), stated in statements(data, project).items():
        if stated:
            continue
        implementers = {
            i
            for m in data.objects(demand, TEH.about)
            for i in data.objects(m, TEH.implementedBy)
            if (i, RDF.type, TEH.ActorGroup) not in data  # groups of a box are not addressees
        }
        for implementer in implementers:
            boxed += 1
            assert (evidence, TEH.addressee, implementer) in derived
            assert (demand, TEH.addressedTo, implementer) in derived or (
                demand,
                TEH.addressedTo,
                implementer,
            ) in data
    assert boxed > 0
    # no group of actors (« associations spécialisées »…) is taken from a box as addressee
    groups = set(data.subjects(RDF.type, TEH.ActorGroup))
    assert not {t for t in derived if t[1] == TEH.addressedTo and t[2] in groups}
    # nothing in graph/derived is stated by a file: a query tells stated from derived
    assert not {t for t in derived if t in data}


def test_the_ontology_defines_the_statements_addressee(project):
    ontology = project.ontology
    assert (TEH.addressee, RDFS.domain, TEH.Evidence) in ontology
    assert (TEH.addressee, RDFS.range, TEH.Actor) in ontology
    labels = set(ontology.objects(TEH.addressee, RDFS.label))
    assert Literal("destinataire de la formulation", lang="fr") in labels


# --- rebuilt by every build, never by hand -----------------------------------------------------


def test_the_derived_graphs_are_rebuilt_alike_by_every_build(tmp_path):
    from tehgraph.stores import OxigraphStore

    found = []
    for n in (1, 2):
        result = build(PROJECT_DIR, tmp_path / f"dist{n}")
        store = OxigraphStore.from_dist(result.dist)
        found.append({g: in_graph(store, g) for g in (DERIVED_GRAPH, DERIVED_EDITORIAL_GRAPH)})
    assert found[0] == found[1] and found[0][DERIVED_GRAPH]


def test_no_data_file_writes_into_a_graph_the_build_computes(project):
    for path in (PROJECT_DIR / "data").glob("*.ttl"):
        assert graph_name(path) not in BUILT_GRAPHS, path


@pytest.mark.parametrize("stem", ["derived", "derived-editorial", "inferred", "queries", "shapes"])
def test_a_data_file_named_after_a_built_graph_is_refused(mini_project, stem):
    (mini_project / "data" / f"{stem}.ttl").write_text(
        "@prefix teh: <https://w3id.org/tehgraph/ontology#> .\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=f"graph/{stem}"):
        load_project(mini_project)


def test_a_project_without_rules_builds_an_empty_derived_graph(mini_project):
    shutil.rmtree(mini_project / RULES_DIR, ignore_errors=True)
    result = build(mini_project)
    assert result.triples.get(str(DERIVED_GRAPH), 0) == 0


# --- the graph kinds registry --------------------------------------------------------------------


def test_every_graph_of_the_build_has_a_kind_and_void_names_it(built):
    kinds = {name: kind_of(name).name for name in built.triples}
    assert kinds[str(DERIVED_GRAPH)] == "derived" and kinds[str(INFERRED_GRAPH)] == "inferred"
    assert kinds[str(GRAPH["editorial-ministries"])] == "editorial"
    assert kinds[str(GRAPH["actors"])] == "asserted" and kinds[str(GRAPH["shapes"])] == "shapes"
    void = Graph().parse(built.dist / "void.ttl")
    for subset in void.objects(ID["dataset"], VOID.subset):
        name = void.value(subset, DCTERMS.source)
        assert str(void.value(subset, DCTERMS.type)) == kind_of(name).name
        assert {d.language for d in void.objects(subset, DCTERMS.description)} == {"fr", "en"}


def test_a_sources_word_wins_over_any_reading():
    actors, derived = GRAPH["actors"], DERIVED_GRAPH
    assert fact_kind([actors, INFERRED_GRAPH]).name == "asserted"
    assert fact_kind([derived, INFERRED_GRAPH]).name == "derived"
    assert fact_kind([GRAPH["editorial-ministries"]]).name == "editorial"
    assert fact_kind([]) is None
    assert all(KINDS[k].marked for k in ("editorial", "derived", "derived-editorial", "inferred"))


def test_a_group_of_associations_counts_as_an_association_in_plain_sparql(store, data):
    """« associations spécialisées » in a box: the analyst's natural query finds the measure (issue 14)."""
    groups = {g for g, kind in data.subject_objects(TEH.groupKind) if kind == TEH.Association}
    expected = {
        m
        for p in (TEH.partner, TEH.implementedBy)
        for m, actor in data.subject_objects(p)
        if actor in groups and (m, RDF.type, TEH.Measure) in data
    }
    assert expected  # the first plan's boxes name groups of associations
    found = set(
        store.query(
            "SELECT DISTINCT ?m WHERE { ?m a teh:Measure ; teh:partner|teh:implementedBy ?a . "
            "?a a teh:Association . FILTER NOT EXISTS { GRAPH ?g { ?a a teh:Association } "
            "FILTER(?g != <https://w3id.org/tehgraph/graph/derived>) } }"
        ).column("m")
    )
    assert found == expected
    derived = in_graph(
        store, DERIVED_GRAPH, "?s a teh:Association . BIND(rdf:type AS ?p) BIND(teh:Association AS ?o)"
    )
    assert {s for s, _, _ in derived} == groups
