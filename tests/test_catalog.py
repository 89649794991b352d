"""The saved-query catalog on the real built graph.

Expected answers come from reading data/sources/ (line numbers given), not from running the queries.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SH, XSD

from tehgraph.catalog import (
    README_END,
    README_START,
    bind_parameters,
    catalog_markdown,
    load_catalog,
    run_saved,
    sync_readme,
)
from tehgraph.errors import LoadError, ParameterError
from tehgraph.namespaces import CATALOG_GRAPH, ID

from .conftest import PROJECT_DIR

CATALOG = load_catalog(PROJECT_DIR)
P1, P2 = "plan/pan-2014-2016", "plan/pan-2019-2021"


def iri(path: str) -> URIRef:
    return ID[path]


def numbers(result) -> set[int]:
    return {int(n) for n in result.column("number")}


@pytest.fixture(scope="module")
def run(store):
    def _run(slug: str, **params):
        return run_saved(store, CATALOG[slug], params)

    return _run


# --- every query of the catalog ------------------------------------------------------------


def test_catalog_has_at_least_25_queries():
    assert len(CATALOG) >= 25


@pytest.mark.parametrize("slug", sorted(CATALOG))
def test_header_is_complete(slug):
    saved = CATALOG[slug]
    assert set(saved.title) >= {"fr", "en"} and set(saved.description) >= {"fr", "en"}
    assert saved.tags and saved.columns
    for param in saved.params:
        assert param.describe("fr") and param.describe("en")
        assert param.default is not None or param.optional
        assert param.type != "iri" or param.cls is not None


@pytest.mark.parametrize("slug", sorted(CATALOG))
def test_query_declares_its_own_prefixes(slug):
    """An engine with no predeclared prefixes (a bare Oxigraph store) must parse the text."""
    ox.Store().query(CATALOG[slug].text)


@pytest.mark.parametrize("slug", sorted(CATALOG))
def test_query_runs_with_defaults_and_has_the_declared_columns(slug, store, rdflib_store):
    saved = CATALOG[slug]
    result = run_saved(store, saved)
    assert result.kind == saved.kind == "SELECT"
    assert tuple(result.vars) == saved.columns
    same = run_saved(rdflib_store, saved)
    assert len(same.rows) == len(result.rows), "rdflib and Oxigraph disagree"


# --- parameters ------------------------------------------------------------------------------


def test_defaults_are_bound_as_terms(store):
    bindings = bind_parameters(store, CATALOG["measures-not-implemented"], {})
    assert bindings == {
        "assessor": iri("org/collectif-traite"),
        "status": iri("concept/status/not-implemented"),
    }


def test_iri_forms_are_accepted(store):
    saved = CATALOG["measures-without-association"]
    for form in (f"id:{P2}", str(iri(P2)), f"<{iri(P2)}>"):
        assert bind_parameters(store, saved, {"plan": form}) == {"plan": iri(P2)}


@pytest.mark.parametrize(
    "value",
    [
        f"id:{P1}> }} DROP ALL ; SELECT * {{ ?s ?p ?o",  # break out of the IRI
        f'{iri(P1)}" . ?x ?y "',  # quotes
        f"{iri(P1)}\n}} INSERT DATA {{ <a> <b> <c> }}",  # newline trick
        "id:org/ccem",  # an IRI of the wrong class (an association is not a plan)
        "id:plan/does-not-exist",
        "",
    ],
)
def test_bad_or_hostile_iris_are_refused(store, value):
    with pytest.raises(ParameterError) as error:
        run_saved(store, CATALOG["measures-without-association"], {"plan": value})
    assert "plan (IRI of a https://w3id.org/tehgraph/ontology#ActionPlan" in str(error.value)


def test_unknown_and_missing_parameters_say_what_is_expected(store):
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) plann.*expects: plan"):
        run_saved(store, CATALOG["measures-without-association"], {"plann": f"id:{P1}"})
    with pytest.raises(ParameterError, match="takes no parameters"):
        run_saved(store, CATALOG["meetings"], {"x": "1"})


def test_typed_parameters_are_checked(store, tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "typed.rq").write_text(
        "#+ title: Typed\n#+ params:\n"
        "#+   n: {type: integer}\n#+   d: {type: date, default: '2014-02-03'}\n"
        "#+   t: {type: literal, lang: fr, default: x}\n"
        "SELECT ?n ?d ?t WHERE { }\n",
        encoding="utf-8",
    )
    saved = load_catalog(tmp_path)["typed"]
    with pytest.raises(ParameterError, match="missing parameter n"):
        run_saved(store, saved, {})
    with pytest.raises(ParameterError, match="'12; DROP' is not an integer"):
        run_saved(store, saved, {"n": "12; DROP"})
    with pytest.raises(ParameterError, match="is not a date"):
        run_saved(store, saved, {"n": "1", "d": "2014-02-30"})
    hostile = 'a" } ; DROP ALL ; SELECT * { ?s ?p "\n> } DROP'
    result = run_saved(store, saved, {"n": "-7", "t": hostile})
    assert result.rows == [
        (
            Literal(-7, datatype=XSD.integer),
            Literal("2014-02-03", datatype=XSD.date),
            Literal(hostile, lang="fr"),
        )
    ]


def test_malformed_query_file_is_a_load_error(tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "bad.rq").write_text("#+ title: Bad\nSELECT ?x WHERE { ?x ", encoding="utf-8")
    with pytest.raises(LoadError, match="bad.rq.*SPARQL syntax error"):
        load_catalog(tmp_path)


# --- the catalog is published in the graph, and listed in the README -----------------------


def test_catalog_graph_is_in_the_build(store):
    result = store.query(
        "SELECT ?q ?label ?text WHERE { GRAPH ?g { ?q a ?kind ; rdfs:label ?label ; ?select ?text } "
        "FILTER(LANG(?label) = 'en') }",
        {"g": CATALOG_GRAPH, "kind": SH.SPARQLSelectExecutable, "select": SH.select},
    )
    published = {str(q).rsplit("/", 1)[-1]: (str(label), str(text)) for q, label, text in result.rows}
    assert set(published) == set(CATALOG)
    for slug, saved in CATALOG.items():
        assert published[slug] == (saved.title["en"], saved.text)
    keywords = store.query(
        "ASK { GRAPH ?g { ?q <https://schema.org/keywords> 'associations' ; a ?base ; ?comment ?c } }",
        {"g": CATALOG_GRAPH, "base": SH.SPARQLExecutable, "comment": RDFS.comment},
    )
    assert keywords.boolean
    graphs = store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?q a ?base } }", {"base": SH.SPARQLExecutable}
    )
    assert graphs.column("g") == [CATALOG_GRAPH]


def test_readme_lists_the_catalog():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme
    assert sync_readme(readme, CATALOG) == readme, "run: tehgraph queries --markdown, paste into README"
    assert catalog_markdown(CATALOG).count("\n") == len(CATALOG) - 1


# --- analyst questions, answers read from the sources ----------------------------------------


def test_measures_without_association(run):
    # Boxes of the first plan (2017 analysis): associations are named only in measure 2
    # (« associations spécialisées », l. 516), 3 (« associations de lutte contre la traite », l. 753-757)
    # and 22 (« associations spécialisées, associations d'aide aux victimes », l. 3493-3494).
    assert numbers(run("measures-without-association", plan=f"id:{P1}")) == set(range(1, 24)) - {2, 3, 22}


def test_measures_only_sexual_exploitation(run):
    # Plan's column of the 2017 analysis. Measure 18 names only prostitution and sexual exploitation
    # (« Prévenir la traite à des fins d'exploitation de la prostitution », l. 3065; « exploitation de la
    # prostitution et des autres formes d'exploitation sexuelle », l. 3101-3103; the OIT/servitude lines
    # 3043-3051 are the Collectif's column). Measure 21 is a fund for « l'exploitation de la prostitution »
    # (l. 3377-3382). Measure 9 is about leaving prostitution but its item 2 opens it to « les victimes
    # de servitude domestique » (l. 1752-1756), so it is not sexual-exploitation-only.
    assert numbers(run("measures-only-sexual-exploitation", plan=f"id:{P1}")) == {18, 21}


def test_ministries_ranked_by_measures(run):
    # Counted in the 23 boxes: Droits des femmes implements 16 measures (all but 4, 12, 13, 14, 16, 17, 21);
    # Interior implements 14 (1-3, 5-11, 17-19, 22) and is a partner of 20 (l. 3270-3272);
    # Justice implements 10 (2, 3, 5, 11, 12, 17, 18, 19, 22, 23) and is a partner of 20.
    result = run("ministries-by-measures", plan=f"id:{P1}")
    rows = {r["ministry"]: r for r in result.records()}
    first = result.records()[0]
    assert first["ministry"] == iri("org/ministere-droits-femmes-ville-jeunesse-sports")
    assert int(first["implementer"]) == 16
    interior = rows[iri("org/ministere-interieur")]
    assert (int(interior["implementer"]), int(interior["partner"]), int(interior["total"])) == (14, 1, 15)
    justice = rows[iri("org/ministere-justice")]
    assert (int(justice["implementer"]), int(justice["partner"])) == (10, 1)


ATTENDEES_2014_02_03 = {  # lines 35-71 of the minutes of 3 February 2014
    "najat-vallaud-belkacem",
    "elizabeth-moiron-braud",
    "eric-panloup",
    "gilles-bon-maury",
    "helene-de-rugy",
    "jane-paone",
    "raffaella-tatangelo",
    "magali-poirier",
    "celine-huard",
    "christine-ramos",
    "sylvie-ody",
    "michel-ricard",
    "marie-helene-halligon",
    "philippe-galland",
    "anko-ordonez",
    "nicolas-derobert",
    "guillaume-lardanchet",
    "martina-andreeva",
    "denis-vienot",
    "pierre-albert",
    "nahgam-hriech-wahabi",
    "francois-soulage",
    "genevieve-colas",
    "nicolas-guillot",
    "lionel-charrier",
    "olivier-peyroux",
}


def test_who_attended_the_3_february_2014_meeting(run):
    result = run("meeting-attendance", meeting="id:meeting/2014-02-03-ministre-droits-femmes")
    persons = {str(p).rsplit("/", 1)[-1] for p in result.column("person") if p is not None}
    assert persons == ATTENDEES_2014_02_03
    pairs = {(r.get("person"), r.get("organisation")) for r in result.records()}
    for person, org in [
        ("sylvie-ody", "ccem"),
        ("michel-ricard", "ccem"),
        ("eric-panloup", "miprof"),
        ("elizabeth-moiron-braud", "miprof"),
        ("philippe-galland", "ecpat-france"),
        ("helene-de-rugy", "amicale-du-nid"),
        ("denis-vienot", "justice-et-paix-france"),
        ("nahgam-hriech-wahabi", "oicem"),
        ("raffaella-tatangelo", "acpe"),
    ]:
        assert (iri(f"person/{person}"), iri(f"org/{org}")) in pairs
    # « Étaient aussi présents : Les Amis du Bus des femmes, le réseau Ac-Sé, la FNARS » (l. 73-75).
    without_person = {r["organisation"] for r in result.records() if "person" not in r}
    assert {iri("org/bus-des-femmes"), iri("org/ac-se"), iri("org/fnars")} <= without_person


def test_meetings_an_actor_attended(run):
    meetings = run("actor-meetings", actor="id:person/sylvie-ody").column("meeting")
    assert iri("meeting/2014-02-03-ministre-droits-femmes") in meetings


def test_recurring_demand_grande_cause_nationale(run):
    # Asked on 3 February 2014 (minutes l. 116 and 260) and again on 9 March 2017 (analysis l. 49).
    rows = [
        r for r in run("recurring-demands").records() if "grande cause" in str(r.get("label", "")).lower()
    ]
    assert rows, "the Grande Cause Nationale demand should recur"
    row = rows[0]
    assert int(row["documents"]) >= 2
    assert str(row["first"]).startswith("2014-02") and str(row["last"]).startswith("2017-03")


def test_reflection_period_demand_evidence(run):
    # « actuellement de 30 jours, soit porté à 3 mois » (minutes of 3 February 2014, l. 105; again l. 151).
    rows = run("claim-evidence", claim="id:demand/delai-reflexion-3-mois").records()
    in_minutes = [r for r in rows if r["document"] == iri("doc/cr-2014-02-03")]
    assert any(int(r["lineStart"]) <= line <= int(r["lineEnd"]) for r in in_minutes for line in (105, 151))
    assert all("3 mois" in str(r["quote"]) or "30 jours" in str(r["quote"]) for r in in_minutes)


def test_collectif_finds_measure_4_not_implemented(run):
    # Measure 4: « A notre connaissance, rien n'a été fait au niveau institutionnel » (l. 1022-1023) and
    # « rien n'a été fait en matière d'information des employeurs » (l. 1149).
    result = run("measures-not-implemented")
    assert 4 in numbers(result)
    assert numbers(result) <= set(range(1, 24))


def test_second_plan_measure_17_follows_up_first_plan_measure_1(run):
    # CCEM l. 148: « le premier plan prévoyait déjà la création de postes de médiateurs » (first plan,
    # measure 1).
    pairs = {(int(r["number"]), int(r["earlierNumber"])) for r in run("measures-carried-over").records()}
    assert (17, 1) in pairs
    dropped = numbers(run("measures-dropped", plan=f"id:{P1}"))
    assert 1 not in dropped and len(dropped) == 23 - len({e for _, e in pairs})


def test_stances_on_the_national_day(run):
    # CCEM on measure 4 of the second plan: « l'instauration d'une journée nationale n'est absolument
    # pas essentielle » (l. 54).
    rows = run("measure-stances", measure="id:measure/pan-2019-2021/4").records()
    stances = {r["stance"] for r in rows if r["actor"] == iri("org/ccem")}
    assert stances & {iri("concept/stance/criticizes"), iri("concept/stance/opposes")}


def test_measures_relying_on_directive_2011_36(run):
    # The plan's text cites the directive in measure 13 (l. 2616) and measure 23 (l. 3629).
    assert numbers(run("instrument-measures", instrument="id:instrument/directive-2011-36-ue")) >= {13, 23}


def test_everything_the_ccem_said_is_dated_or_sourced(run):
    rows = run("actor-statements", actor="id:org/ccem").records()
    kinds = {str(r["kind"]) for r in rows}
    assert {"position", "demand"} <= kinds
    assert all(r["document"] for r in rows)
    dates = [str(r["date"]) for r in rows if "date" in r]
    assert dates == sorted(dates)


def test_actor_statements_are_the_actors_own_words(run):
    # 3 February 2014 minutes, l. 184: « l'OICEM déplore la disparition du référent traite au sein
    # des préfectures dans le Plan d'action national » — said by the OICEM, not by the Collectif.
    oicem = run("actor-statements", actor="id:org/oicem").records()
    assert any("OICEM déplore la disparition du référent traite" in str(r.get("quote", "")) for r in oicem)
    collectif = run("actor-statements", actor="id:org/collectif-traite").records()
    assert not any("OICEM déplore" in str(r.get("quote", "")) for r in collectif)
    # l. 31 « Les associations présentes ont regretté … » names no speaker: the statement goes to
    # the position's holder, the Collectif.
    assert any("Les associations présentes ont regretté" in str(r.get("quote", "")) for r in collectif)


def test_what_the_3_february_minutes_name(run):
    rows = run("document-mentions", document="id:doc/cr-2014-02-03").records()
    named = {(str(r["kind"]), r["entity"]) for r in rows}
    assert ("organisation", iri("org/ccem")) in named  # l. 53
    assert ("person", iri("person/najat-vallaud-belkacem")) in named  # l. 35
    assert ("plan", iri(P1)) in named  # l. 18


def test_quality_queries_only_list_what_they_say(run, store):
    for row in run("quality-demands-without-addressee").records():
        assert not store.query(
            "ASK { ?d <https://w3id.org/tehgraph/ontology#addressedTo> ?a }", {"d": row["demand"]}
        ).boolean
    for row in run("quality-missing-english-label").records():
        english = store.query("ASK { ?e rdfs:label ?l FILTER(LANG(?l) = 'en') }", {"e": row["entity"]})
        assert not english.boolean
