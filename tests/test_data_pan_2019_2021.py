"""The second plan (2019-2021) as the CCEM's observations name it, and what the CCEM says about it.

Expectations come from reading data/sources/ccem-observations-pan-2019-2021.txt.
Uses the session fixture `asserted` (ontology + data, no inference) from tests/conftest.py.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, XSD

from tehgraph.namespaces import ID, TEH

DOC = ID["doc/ccem-observations-pan-2019-2021"]
PLAN = ID["plan/pan-2019-2021"]
CCEM = ID["org/ccem"]


def measure(n: int) -> URIRef:
    return ID[f"measure/pan-2019-2021/{n}"]


def stance(slug: str) -> URIRef:
    return ID[f"concept/stance/{slug}"]


AXES = {
    1: "INFORMER ET COMMUNIQUER POUR MIEUX PREVENIR LE PHENOMENE",
    2: "DEFINIR UNE STRATEGIE D'IDENTIFICATION DES VICTIMES",
    3: "PROTEGER ET ACCOMPAGNER LES VICTIMES",
    4: "INTENSIFIER LA RÉPRESSION DES AUTEURS",
    5: "COORDONNER L'ACTION PUBLIQUE DE LA LUTTE CONTRE LA TRAITE DES ÊTRES HUMAINS",
    6: "RENFORCER LA COOPÉRATION AUX NIVEAUX EUROPÉEN ET INTERNATIONAL",
}

# action -> axis; action 15 is never printed in the document
ACTIONS = {
    1: 1,
    2: 1,
    3: 1,
    4: 2,
    5: 2,
    6: 3,
    7: 3,
    8: 3,
    9: 3,
    10: 3,
    11: 3,
    12: 4,
    13: 4,
    14: 5,
    16: 6,
    17: 6,
}

# measure -> (action, title as printed)
MEASURES = {
    1: (1, "Informer et sensibiliser sur les risques d'exploitation"),
    4: (1, "Instaurer une journée nationale"),
    5: (2, "Informer le monde de l'entreprise"),
    8: (3, "Pérenniser l'enquête sur les victimes de traite des êtres humains suivies par les associations"),
    12: (3, "Mener une étude sur les dispositifs de protection des victimes et de poursuite des auteurs"),
    16: (5, "Mettre en place un mécanisme national de référence"),
    17: (
        5,
        "Créer des postes de médiateurs « prévention/jeunesse » dans les équipes "
        "d'intervention sociale dans les bidonvilles",
    ),
    18: (5, "Designer des référents dans les DIRECCTE"),
    20: (6, "Renforcer le rôle des préfetures"),
    22: (7, "Renforcer le dispositif Ac.Sé"),
    25: (8, "Généraliser le dispositif expérimental de protection des mineurs victimes"),
    30: (11, "Sécuriser et renforcer le financement des associations"),
    34: (13, "Incrire la traite des êtres humains au cœur de la politique pénale des parquets"),
    36: (14, "Piloter le suivi de la mise en œuvre du second plan"),
    37: (14, "Financer les mesures du plan"),
    40: (
        16,
        "Promouvoir la ratification des instruments internationaux de lutte contre "
        "la traite des êtres humains",
    ),
    45: (17, "Poursuivre les projets de coopération bilatéraux"),
}
NAMED = [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    12,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    40,
    45,
]
# 13 and 14 are cited by number only, with no title: not modelled
NOT_NAMED = [11, 13, 14, 26, 38, 39, 41, 42, 43, 44]


def positions_on(graph, target: URIRef) -> set[URIRef]:
    return {p for p in graph.subjects(TEH.on, target) if (p, TEH.heldBy, CCEM) in graph}


def stances_on(graph, target: URIRef) -> set[URIRef]:
    return {graph.value(p, TEH.stance) for p in positions_on(graph, target)}


@pytest.mark.parametrize("n,title", AXES.items())
def test_axes_as_printed(asserted, n, title):
    axis = ID[f"plan/pan-2019-2021/axis/{n}"]
    assert (axis, RDF.type, TEH.Axis) in asserted
    assert (axis, TEH.sectionOf, PLAN) in asserted
    assert (axis, TEH.number, Literal(n, datatype=XSD.integer)) in asserted
    assert (axis, DCTERMS.title, Literal(title, lang="fr")) in asserted


def test_actions_sit_in_their_axis(asserted):
    for n, axis in ACTIONS.items():
        action = ID[f"plan/pan-2019-2021/action/{n}"]
        assert (action, RDF.type, TEH.Action) in asserted
        assert (action, TEH.sectionOf, ID[f"plan/pan-2019-2021/axis/{axis}"]) in asserted
    assert (ID["plan/pan-2019-2021/action/15"], None, None) not in asserted
    assert (
        ID["plan/pan-2019-2021/action/1"],
        DCTERMS.title,
        Literal("MOBILISER LA SOCIÉTÉ", lang="fr"),
    ) in asserted


@pytest.mark.parametrize("n,expected", MEASURES.items())
def test_measures_as_printed(asserted, n, expected):
    action, title = expected
    m = measure(n)
    assert (m, RDF.type, TEH.Measure) in asserted
    assert (m, TEH.inPlan, PLAN) in asserted
    assert (m, TEH.inSection, ID[f"plan/pan-2019-2021/action/{action}"]) in asserted
    assert (m, TEH.number, Literal(n, datatype=XSD.integer)) in asserted
    assert (m, DCTERMS.title, Literal(title, lang="fr")) in asserted
    assert (m, RDFS.label, Literal(f"Mesure {n} : {title}", lang="fr")) in asserted
    assert (m, TEH.mentionedIn, DOC) in asserted


def test_only_named_measures(asserted):
    in_plan = {
        int(asserted.value(m, TEH.number))
        for m in asserted.subjects(TEH.inPlan, PLAN)
        if (m, RDF.type, TEH.Measure) in asserted
    }
    assert in_plan == set(NAMED)
    for n in NOT_NAMED:
        assert (measure(n), None, None) not in asserted
    assert asserted.value(PLAN, TEH.measureCount) is None
    assert any("davantage de mesures" in str(c) for c in asserted.objects(PLAN, RDFS.comment))


def test_measure_forms_and_targets(asserted):
    assert (measure(5), TEH.concernsForm, ID["concept/form/forced-labour"]) in asserted
    assert (measure(37), TEH.concernsForm, ID["concept/form/sexual-exploitation"]) in asserted
    assert (measure(25), TEH.targets, ID["concept/target/minors"]) in asserted
    assert (measure(7), TEH.targets, ID["concept/target/migrants"]) in asserted


@pytest.mark.parametrize(
    "target,expected",
    [
        (measure(4), "criticizes"),  # journée nationale « n'est absolument pas essentielle »
        (measure(6), "welcomes"),  # « prend acte de cette mesure et s'en réjouit »
        (measure(16), "supports"),  # « appelle de ses vœux » the national referral mechanism
        (measure(20), "criticizes"),  # prefecture referents already in the 1st plan, not implemented
        (measure(23), "concerned"),  # « aucune solution pour les hommes »
        (measure(28), "welcomes"),  # « le CCEM salue la mesure annoncée »
        (measure(37), "criticizes"),  # limited to prostitution
        (measure(36), "asks-change"),  # a coordination commission
        (PLAN, "welcomes"),  # adoption of a second plan
        (PLAN, "concerned"),  # no budget envelopes
        (ID["instrument/instruction-interieur-2015-05-19"], "criticizes"),
    ],
)
def test_ccem_stances(asserted, target, expected):
    assert stance(expected) in stances_on(asserted, target)


def test_every_ccem_position_has_quoted_evidence(asserted):
    # The CCEM's positions in its observations (the minutes of 2014 hold other CCEM positions, stated in 2014).
    positions = {p for p in asserted.subjects(TEH.heldBy, CCEM) if (p, RDF.type, TEH.Position) in asserted
                 and str(p).startswith(str(ID["position/ccem-2019/"]))}
    assert len(positions) >= 50
    for p in positions:
        assert asserted.value(p, DCTERMS.description) is not None, p
        evidence = list(asserted.objects(p, TEH.evidence))
        assert evidence, p
        for e in evidence:
            assert (e, TEH.statedIn, DOC) in asserted
            assert asserted.value(e, TEH.quote) is not None
            assert asserted.value(e, TEH.lineStart) is not None
            assert asserted.value(e, DCTERMS.date) is None  # the document is undated


def test_mediators_follow_up_first_plan_measure_1(asserted):
    assert (measure(17), TEH.followsUp, ID["measure/pan-2014-2016/1"]) in asserted
    quotes = {
        str(asserted.value(e, TEH.quote))
        for p in positions_on(asserted, measure(17))
        for e in asserted.objects(p, TEH.evidence)
    }
    assert any("le premier plan prévoyait déjà la création de postes de médiateurs" in q for q in quotes)


def test_prefecture_referents_said_to_be_in_first_plan(asserted):
    # the source does not say which first-plan measure: no followsUp, but the claim is kept with its quote
    assert asserted.value(measure(20), TEH.followsUp) is None
    quotes = {
        str(asserted.value(e, TEH.quote))
        for p in positions_on(asserted, measure(20))
        for e in asserted.objects(p, TEH.evidence)
    }
    assert any("était déjà prévue dans le 1er plan" in q for q in quotes)


def ccem_evidence(graph, demand: URIRef) -> list[URIRef]:
    return [e for e in graph.objects(demand, TEH.evidence) if (e, TEH.statedIn, DOC) in graph]


@pytest.mark.parametrize(
    "slug",
    [
        "referent-traite-en-prefecture",
        "toutes-formes-de-traite",
        "ratifier-convention-oit-189",
        "repertoire-referents",
        "commission-coordination",
        "protection-administrative-hors-dublin",
    ],
)
def test_ccem_demands_registered_and_stated(asserted, slug):
    demand = ID[f"demand/{slug}"]
    assert (demand, RDF.type, TEH.Demand) in asserted
    assert asserted.value(demand, RDFS.label) is not None
    assert asserted.value(demand, TEH.theme) is not None
    assert (demand, TEH.demandedBy, CCEM) in asserted
    assert ccem_evidence(asserted, demand)


def test_prefecture_referent_demand_recurs_from_the_collectif(asserted):
    demand = ID["demand/referent-traite-en-prefecture"]
    assert (demand, TEH.addressedTo, ID["group/prefectures"]) in asserted
    assert (demand, TEH.about, measure(20)) in asserted
    documents = {asserted.value(e, TEH.statedIn) for e in asserted.objects(demand, TEH.evidence)}
    assert DOC in documents
    assert len(documents) >= 2, "the Collectif's earlier statement of this demand is missing"


def test_convention_189_demand_is_about_the_instrument(asserted):
    demand = ID["demand/ratifier-convention-oit-189"]
    c189 = ID["instrument/convention-oit-189"]
    assert (demand, TEH.about, c189) in asserted
    assert (c189, RDF.type, TEH.Convention) in asserted
    assert (c189, TEH.mentionedIn, DOC) in asserted


def test_figures(asserted):
    figures = {
        f
        for f in asserted.subjects(RDF.type, TEH.Figure)
        if any((e, TEH.statedIn, DOC) in asserted for e in asserted.objects(f, TEH.evidence))
    }
    values = {int(asserted.value(f, RDF.value)) for f in figures}
    assert {2, 4} <= values


@pytest.mark.parametrize(
    "resource",
    [
        "org/ccem",
        "org/cncdh",
        "org/miprof",
        "org/ondrp",
        "org/oclti",
        "org/direccte",
        "org/ofii",
        "org/diav",
        "org/drihl",
        "org/dihal",
        "org/agrasc",
        "org/ac-se",
        "person/marlene-schiappa",
        "instrument/reglement-dublin",
        "instrument/instruction-interieur-2015-05-19",
    ],
)
def test_mentions(asserted, resource):
    assert (ID[resource], TEH.mentionedIn, DOC) in asserted
    assert asserted.value(ID[resource], RDFS.label) is not None


def test_secretary_of_state_role(asserted):
    person = ID["person/marlene-schiappa"]
    memberships = list(asserted.subjects(ORG.member, person))
    roles = {str(asserted.value(m, TEH.roleLabel)) for m in memberships}
    assert any(r.startswith("Secrétaire d'État auprès du Premier ministre") for r in roles)


@pytest.mark.parametrize(
    "slug",
    [
        "mediateurs-culturels-finances-etat",
        "renforcer-ac-se",
        "formation-magistrats-exploitation-travail",
        "miprof-rattachee-premier-ministre",
        "places-hebergement-dediees",
        "campagne-sensibilisation-interministerielle",
    ],
)
def test_demands_shared_with_the_collectif_2017(asserted, slug):
    demand = ID[f"demand/{slug}"]
    documents = {asserted.value(e, TEH.statedIn) for e in asserted.objects(demand, TEH.evidence)}
    assert DOC in documents
    assert ID["doc/collectif-2017-03-09"] in documents, "the Collectif's 2017 statement is missing"
    assert {CCEM, ID["org/collectif-traite"]} <= set(asserted.objects(demand, TEH.demandedBy))


def test_mediator_demand_is_about_both_plans(asserted):
    demand = ID["demand/mediateurs-culturels-finances-etat"]
    assert (demand, TEH.about, measure(17)) in asserted
    assert (demand, TEH.about, ID["measure/pan-2014-2016/1"]) in asserted
