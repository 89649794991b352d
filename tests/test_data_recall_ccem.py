"""Recall and splits in the CCEM's observations on the second plan (issue 15, second pass).

Every expectation is read from data/sources/ccem-observations-pan-2019-2021.txt (line numbers given)
and, for the splits, from data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt and
data/sources/2015-06-26-cr-reunion-collectif.txt. Uses the session fixtures `asserted` (ontology + data,
no inference) and `store` (the built graph) from tests/conftest.py.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.namespaces import ID, TEH

from .conftest import PROJECT_DIR

DOC = ID["doc/ccem-observations-pan-2019-2021"]
DOC_2017 = ID["doc/collectif-2017-03-09"]
DOC_2015 = ID["doc/cr-2015-06-26"]
CCEM = ID["org/ccem"]
COLLECTIF = ID["org/collectif-traite"]
FIRST_PLAN_MEASURE_1 = ID["measure/pan-2014-2016/1"]
ASSESSMENT = ID["assessment/ccem-2019/pan-2014-2016-1"]
CATALOG = load_catalog(PROJECT_DIR)


def measure(n: int) -> URIRef:
    return ID[f"measure/pan-2019-2021/{n}"]


def evidence_in(graph: Graph, claim: URIRef, doc: URIRef) -> list[URIRef]:
    return [e for e in graph.objects(claim, TEH.evidence) if (e, TEH.statedIn, doc) in graph]


def quotes_at(graph: Graph, claim: URIRef, doc: URIRef, line: int) -> list[str]:
    """Quotes of the claim's evidence in `doc` whose lines include `line`."""
    return [
        str(graph.value(e, TEH.quote))
        for e in evidence_in(graph, claim, doc)
        if int(graph.value(e, TEH.lineStart)) <= line <= int(graph.value(e, TEH.lineEnd))
    ]


def said_by_the_ccem_at(graph: Graph, claim: URIRef, line: int, fragment: str) -> None:
    quotes = quotes_at(graph, claim, DOC, line)
    assert any(fragment in q for q in quotes), (claim, line, quotes)
    for e in evidence_in(graph, claim, DOC):
        assert set(graph.objects(e, TEH.statedBy)) == {CCEM}, e


def french_label(graph: Graph, node: URIRef) -> str | None:
    labels = [str(label) for label in graph.objects(node, RDFS.label) if label.language == "fr"]
    return labels[0] if len(labels) == 1 else None


# --- the passage the audit read: axis 2, l. 120-166 ------------------------------------------------
# Every claim an analyst expects there: (line, kind, IRI, stance or None, words of the quote).
# fmt: off
AXIS_2 = [
    (128, "position", "position/ccem-2019/m15-formations", "welcomes", "se réjouit des différentes mesures consacrées aux formations"),
    (128, "position", "position/ccem-2019/m15-vigilance", "concerned", "restera particulièrement vigilant quant à leur mise en pratique"),
    (128, "demand", "demand/formations-sans-attendre", None, "pas lieu d'attendre les résultats des mesures 13 et 14"),
    (134, "position", "position/ccem-2019/m16-mnr", "supports", "appelle de ses vœux à la création d'un mécanisme national de référence"),
    (134, "demand", "demand/associer-associations", None, "réflexion commune de l'ensemble des acteurs"),
    (138, "demand", "demand/criteres-identification-communs", None, "critères d'identification communs"),
    (140, "position", "position/ccem-2019/m16-vigilance", "concerned", "ne limite pas les associations"),
    (142, "demand", "demand/mnr-pratiques-pays-voisins", None, "mécanismes similaires dans les pays voisins"),
    (144, "demand", "demand/role-associations-identification", None, "soient reconnues pleinement dans le cadre de ce mécanisme"),
    (148, "demand", "demand/financement-mediateurs-mesure-17", None, "accompagnée d'un financement adéquat"),
    (148, "position", "position/ccem-2019/m17-premier-plan", "concerned", "ce qui n'a pas été mis en œuvre ni pérennisé"),
    (148, "assessment", "assessment/ccem-2019/pan-2014-2016-1", None, "ce qui n'a pas été mis en œuvre ni pérennisé"),
    (150, "position", "position/ccem-2019/m17-interet", "welcomes", "intéressant de prévoir des médiateurs sur la thématique des bidonvilles"),
    (150, "position", "position/ccem-2019/m17-elargissement", "asks-change", "élargissement d'une telle mesure à l'ensemble du territoire"),
    (154, "position", "position/ccem-2019/m18-referents", "supports", "permettra une meilleure coordination et vision"),
    (154, "position", "position/ccem-2019/m18-lien", "concerned", "le lien prévu entre ces référents et les associations spécialisées"),
    (154, "demand", "demand/referents-societe-civile", None, "rencontres soient organisées avec la société civile"),
    (156, "position", "position/ccem-2019/referents-information", "criticizes", "l'accès à cette information est difficile voire inexistante"),
    (156, "demand", "demand/repertoire-referents", None, "un répertoire listant l'ensemble des référents institutionnels"),
    (156, "demand", "demand/referents-services", None, "services spécialisés plutôt que de personnes physiques"),
    (160, "position", "position/ccem-2019/m19-partenaires", "criticizes", "celles-ci sont porteuses des projets"),
    (162, "position", "position/ccem-2019/m19-criteres", "concerned", "critères qui seront retenus pour accéder aux moyens financiers"),
    (162, "position", "position/ccem-2019/m19-criteres", "concerned", "financement pour le fonctionnement habituel des associations"),
    (164, "position", "position/ccem-2019/m19-associations-specialisees", "concerned", "favoriser les actions des associations spécialisées"),
    (164, "demand", "demand/favoriser-associations-specialisees", None, "marchés ouverts à toutes structures"),
]
# fmt: on
KINDS = {"position": TEH.Position, "demand": TEH.Demand, "assessment": TEH.Assessment}


@pytest.mark.parametrize("line, kind, path, stance, fragment", AXIS_2)
def test_axis_2_claim_is_in_the_graph(asserted, line, kind, path, stance, fragment):
    claim = ID[path]
    assert (claim, RDF.type, KINDS[kind]) in asserted
    said_by_the_ccem_at(asserted, claim, line, fragment)
    if kind == "position":
        assert (claim, TEH.heldBy, CCEM) in asserted
        assert asserted.value(claim, TEH.stance) == ID[f"concept/stance/{stance}"]
    if kind == "demand":
        assert (claim, TEH.demandedBy, CCEM) in asserted


def test_axis_2_every_measure_has_a_ccem_claim(asserted):
    # Measures 15 to 19 are the measures of axis 2 the document discusses (l. 126, 132, 146, 152, 158).
    for n in (15, 16, 17, 18, 19):
        about = set(asserted.subjects(TEH.on, measure(n))) | set(asserted.subjects(TEH.about, measure(n)))
        assert any(evidence_in(asserted, c, DOC) for c in about), n


# --- l. 142, 156, 164: the three claims the audit found missing ------------------------------------


def test_l142_neighbouring_countries(asserted):
    demand = ID["demand/mnr-pratiques-pays-voisins"]
    assert (demand, TEH.about, measure(16)) in asserted
    assert "pays voisins" in str(asserted.value(demand, DCTERMS.description))
    said_by_the_ccem_at(
        asserted, demand, 142, "(européens et pays tiers) afin de s'inspirer des meilleures pratiques"
    )


def test_l156_referents_hard_to_reach(asserted):
    position = ID["position/ccem-2019/referents-information"]
    # « Comme pour l'ensemble des référents annoncés dans le plan » (l. 156), said again of measure 21 (l. 182)
    assert {measure(18), measure(21)} <= set(asserted.objects(position, TEH.on))
    said_by_the_ccem_at(asserted, position, 182, "extrêmement difficile de trouver le contact du référent")


def test_l164_no_provision_favouring_specialised_associations(asserted):
    demand = ID["demand/favoriser-associations-specialisees"]
    assert (demand, TEH.about, measure(19)) in asserted
    said_by_the_ccem_at(
        asserted, demand, 164, "aucune précision n'est apportée concernant les mesures mises en places"
    )
    # read from a regret: a judgement call, said on the page
    assert asserted.value(demand, SKOS.note) is not None


# --- l. 148: the CCEM's assessment of the first plan's measure 1 ----------------------------------


def test_l148_assessment_of_first_plan_measure_1(asserted):
    assert (ASSESSMENT, RDF.type, TEH.Assessment) in asserted
    assert asserted.value(ASSESSMENT, TEH.assesses) == FIRST_PLAN_MEASURE_1
    assert asserted.value(ASSESSMENT, TEH.assessedBy) == CCEM
    assert asserted.value(ASSESSMENT, TEH.status) == ID["concept/status/not-implemented"]
    assert french_label(asserted, ASSESSMENT)
    quotes = quotes_at(asserted, ASSESSMENT, DOC, 148)
    assert any(
        "le premier plan prévoyait déjà la création de postes de médiateurs hors bidonvilles" in q
        for q in quotes
    )
    assert any("ni pérennisé" in q for q in quotes)
    notes = {n.language: str(n) for n in asserted.objects(ASSESSMENT, SKOS.note)}
    # the measure read and the date bound, explained
    assert "mesure 1" in notes["fr"] and "pas daté" in notes["fr"]


def test_the_ccem_view_beside_the_collectifs_on_measure_1(asserted):
    assessors = {
        asserted.value(a, TEH.assessedBy) for a in asserted.subjects(TEH.assesses, FIRST_PLAN_MEASURE_1)
    }
    assert {CCEM, COLLECTIF} <= assessors


def test_measures_not_implemented_by_the_ccem(store):
    result = run_saved(store, CATALOG["measures-not-implemented"], {"assessor": "id:org/ccem"})
    rows = result.records()
    assert {int(r["number"]) for r in rows} == {1}
    assert "ni pérennisé" in str(rows[0]["quote"])


def test_assessments_by_status_lists_the_ccem(store):
    rows = run_saved(store, CATALOG["assessments-by-status"], {}).records()
    ccem = [r for r in rows if r["assessor"] == CCEM]
    assert [(r["status"], str(r["numbers"])) for r in ccem] == [(ID["concept/status/not-implemented"], "1")]


def test_prefecture_referents_stay_a_position(asserted):
    # l. 174 names no first-plan measure: no assessment, and the page says why
    position = ID["position/ccem-2019/m20-premier-plan"]
    assert not set(asserted.subjects(TEH.assessedBy, CCEM)) - {ASSESSMENT}
    assert asserted.value(position, SKOS.note) is not None


# --- the other axes, read the same way --------------------------------------------------------------
# (line, demand, measure it is about, words of the quote)
# fmt: off
OTHER_DEMANDS = [
    (28, "toutes-formes-de-traite", None, "ne doit pas se faire au détriment des autres formes d'exploitations"),
    (40, "campagne-tous-canaux-diffusion", 1, "l'ensemble des canaux de diffusions disponibles"),
    (48, "etayer-site-miprof", 2, "continuer à étayer le site de la MIPROF"),
    (58, "journees-existantes", 4, "dont il conviendrait tout d'abord de se saisir"),
    (66, "associer-associations", 5, "au détriment du travail conjoint avec les associations spécialisées"),
    (78, "associer-associations", 7, "Une vraie réflexion collaborative doit être engagée"),
    (88, "valoriser-temps-associations-enquete", 8, "absolument pas valorisé dans le budget de cette étude"),
    (92, "fusion-enquetes-victimes", 8, "espère une fusion de l'enquête sur les victimes suivies par les associations"),
    (106, "etude-sans-doublon", 10, "ne doit pas faire doublon avec les autres études déjà en cours"),
    (110, "enquete-toutes-formes-exploitation-travail", 10, "ne pas circonscrire l'étude à une certaine forme d'exploitation"),
    (118, "moyens-etude-poursuite-auteurs", 12, "les données utilisées seront accessibles"),
    (212, "repertoire-referents", 24, "contacts des référents OFII"),
    (214, "ofii-concertation-structure-orientant", 24, "aucun contact n'est établi par l'OFII avec la structure spécialisée"),
    (248, "financement-accompagnement-psychologique-associations", 28, "financer ce genre d'action au sein des associations"),
    (268, "transparence-des-moyens", 30, "devrait être beaucoup plus explicite"),
    (312, "associer-associations", 35, "n'intègre pas l'ensemble des acteurs concernés"),
]
# fmt: on


@pytest.mark.parametrize("line, slug, n, fragment", OTHER_DEMANDS)
def test_demand_of_the_other_axes(asserted, line, slug, n, fragment):
    demand = ID[f"demand/{slug}"]
    assert (demand, RDF.type, TEH.Demand) in asserted
    assert french_label(asserted, demand) and asserted.value(demand, DCTERMS.description) is not None
    assert (demand, TEH.demandedBy, CCEM) in asserted
    assert (demand, TEH.about, measure(n) if n else ID["plan/pan-2019-2021"]) in asserted
    said_by_the_ccem_at(asserted, demand, line, fragment)


# (line, position, stance, words of the quote)
# fmt: off
OTHER_POSITIONS = [
    (9, "plan-adoption", "welcomes", "réelle volonté du gouvernement"),
    (46, "m2-interet", "welcomes", "Si cette annonce paraît intéressante"),
    (46, "m2-moyens", "concerned", "renvois que ce site permettra vers d'autres sites"),
    (102, "m10-idee", "supports", "pas utile d'attendre le résultat de celle-ci"),
    (108, "m10-financement", "concerned", "financement accordé à l'élaboration"),
    (210, "m24-acces", "concerned", "excluant l'ensemble des victimes non encore repérées"),
    (214, "m24-ruptures", "criticizes", "ruptures de prise en charge médicale ou psychologique"),
    (234, "m27-questions", "concerned", "Quelle diffusion de l'annuaire est prévue ?"),
    (258, "m29-failles", "criticizes", "aucun suivi sur place par l'OFII à son retour"),
    (294, "m33-cooperation", "supports", "meilleure coopération internationale est indispensable"),
]
# fmt: on


@pytest.mark.parametrize("line, slug, stance, fragment", OTHER_POSITIONS)
def test_position_of_the_other_axes(asserted, line, slug, stance, fragment):
    position = ID[f"position/ccem-2019/{slug}"]
    assert asserted.value(position, TEH.stance) == ID[f"concept/stance/{stance}"]
    said_by_the_ccem_at(asserted, position, line, fragment)


def test_coordination_commission_quote_keeps_the_working_groups(asserted):
    # l. 324: « se réunisse à minima deux fois par an et que des groupes de travail thématique soient mis en œuvre »
    demand = ID["demand/commission-coordination"]
    said_by_the_ccem_at(asserted, demand, 324, "groupes de travail thématique")


# --- splits of over-merged demands ------------------------------------------------------------------


def test_split_mediators(asserted):
    new = ID["demand/financement-mediateurs-mesure-17"]
    old = ID["demand/mediateurs-culturels-finances-etat"]
    # CCEM l. 148 asks funding of measure 17's « prévention/jeunesse » mediators ...
    said_by_the_ccem_at(asserted, new, 148, "Cette mesure doit être accompagnée d'un financement adéquat")
    assert (new, TEH.about, measure(17)) in asserted
    assert "mesure 17" in str(asserted.value(new, DCTERMS.description))
    assert asserted.value(new, SKOS.note) is not None
    # ... the Collectif's 2017 demand is State-funded cultural mediators in associations (l. 214-219)
    assert not evidence_in(asserted, old, DOC)
    assert CCEM not in set(asserted.objects(old, TEH.demandedBy))
    assert any("financés par l’Etat" in q for q in quotes_at(asserted, old, DOC_2017, 214))
    assert (old, TEH.about, FIRST_PLAN_MEASURE_1) in asserted
    assert asserted.value(new, DCTERMS.description) != asserted.value(old, DCTERMS.description)


def test_split_accommodation_funding_without_size_condition(asserted):
    old = ID["demand/financement-hebergement-sans-condition-taille"]
    ccem = ID["demand/financement-hebergements-associations-specialisees"]
    teams = ID["demand/formation-soutien-equipes-hebergement"]
    # CCEM l. 194 and l. 200: means for the specialised associations' accommodation, nothing on size
    said_by_the_ccem_at(asserted, ccem, 194, "hébergements pour lesquels des moyens doivent être alloués")
    said_by_the_ccem_at(asserted, ccem, 200, "financer les structures spécialisées existantes")
    assert {ID["org/drihl"], ID["org/dihal"]} <= set(asserted.objects(ccem, TEH.addressedTo))  # l. 200
    assert not any("taille" in str(asserted.value(e, TEH.quote)) for e in evidence_in(asserted, ccem, DOC))
    assert "taille" not in str(asserted.value(ccem, DCTERMS.description))
    # 2017 l. 1505-1507: training and technical support of the teams, its own demand
    assert any("soutien technique des équipes" in q for q in quotes_at(asserted, teams, DOC_2017, 1505))
    assert (teams, TEH.demandedBy, COLLECTIF) in asserted
    # the old demand keeps the statements on size (2017 l. 1469-1473, l. 1501-1504) and only them
    assert not evidence_in(asserted, old, DOC)
    old_quotes = [str(asserted.value(e, TEH.quote)) for e in evidence_in(asserted, old, DOC_2017)]
    assert len(old_quotes) == 2 and all("taille" in q for q in old_quotes)
    assert "soutien technique" not in str(asserted.value(old, DCTERMS.description))


def test_split_prime_minister_attachment(asserted):
    new = ID["demand/lutte-traite-rattachee-premier-ministre"]
    old = ID["demand/miprof-rattachee-premier-ministre"]
    # CCEM l. 13 and Collectif 2017 l. 45: « la lutte contre la traite » attached to the Prime Minister
    said_by_the_ccem_at(asserted, new, 13, "rattachée à l'action du Premier ministre")
    assert any(
        "la lutte contre la traite des êtres humains soit rattachée au Premier Ministre" in q
        for q in quotes_at(asserted, new, DOC_2017, 45)
    )
    assert {CCEM, COLLECTIF} <= set(asserted.objects(new, TEH.demandedBy))
    assert not any("MIPROF" in str(asserted.value(e, TEH.quote)) for e in asserted.objects(new, TEH.evidence))
    # the old demand keeps the 2015 minutes, which name the MIPROF (l. 300-302)
    assert {asserted.value(e, TEH.statedIn) for e in asserted.objects(old, TEH.evidence)} == {DOC_2015}
    assert any("MIPROF" in q for q in quotes_at(asserted, old, DOC_2015, 300))
    assert (ID["position/collectif-2017/rattachement-premier-ministre"], TEH.on, new) in asserted


@pytest.mark.parametrize(
    "slug",
    [
        "lutte-traite-rattachee-premier-ministre",
        "financement-mediateurs-mesure-17",
        "financement-hebergements-associations-specialisees",
        "formation-soutien-equipes-hebergement",
    ],
)
def test_split_demands_are_described_and_explained(asserted, slug):
    demand = ID[f"demand/{slug}"]
    assert (demand, RDF.type, TEH.Demand) in asserted
    assert french_label(asserted, demand)
    assert any(label.language == "en" for label in asserted.objects(demand, RDFS.label))
    assert asserted.value(demand, DCTERMS.description).language == "fr"
    assert asserted.value(demand, TEH.theme) is not None
    assert any(n.language == "fr" for n in asserted.objects(demand, SKOS.note))


# --- positions: labels composed from the text -------------------------------------------------------


def ccem_positions(graph: Graph) -> set[URIRef]:
    """Positions the CCEM holds in its own observations (the 2017 document names one of its own too)."""
    return {
        p
        for p in graph.subjects(TEH.heldBy, CCEM)
        if (p, RDF.type, TEH.Position) in graph
        and any((e, TEH.statedIn, DOC) in graph for e in graph.objects(p, TEH.evidence))
    }


def test_every_ccem_position_has_french_and_english_labels(asserted):
    positions = ccem_positions(asserted)
    assert len(positions) >= 72
    for p in positions:
        labels = {label.language: str(label) for label in asserted.objects(p, RDFS.label)}
        assert set(labels) == {"fr", "en"}, p
        assert len(list(asserted.objects(p, RDFS.label))) == 2, p
        slug = str(p).rsplit("/", 1)[-1]
        for text in labels.values():
            assert " " in text and text != slug and not re.fullmatch(r"[a-z0-9-]+", text), (p, text)


def test_ccem_statements_keep_no_date(asserted):
    # the document prints no date: its statements stay undated (another step dates the document)
    for e in asserted.subjects(TEH.statedIn, DOC):
        assert asserted.value(e, DCTERMS.date) is None, e
    for p in ccem_positions(asserted):
        assert asserted.value(p, DCTERMS.date) is None, p
