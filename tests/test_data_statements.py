"""Who says each statement (teh:statedBy) and what groups of actors are made of (teh:groupKind).

Expected values come from reading the source texts in data/sources/ (who the minutes, the Collectif's
2017 analysis and the CCEM's observations attribute each passage to), not from the Turtle files.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import FOAF, RDF, RDFS

ID = Namespace("https://w3id.org/tehgraph/id/")
TEH = Namespace("https://w3id.org/tehgraph/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")

COLLECTIF = ID["org/collectif-traite"]
CCEM = ID["org/ccem"]
MINISTER = ID["person/najat-vallaud-belkacem"]
SOULAGE = ID["person/francois-soulage"]
COLAS = ID["person/genevieve-colas"]
HRIECH_WAHABI = ID["person/nahgam-hriech-wahabi"]
DE_RUGY = ID["person/helene-de-rugy"]
GALLAND = ID["person/philippe-galland"]

CLAIM_CLASSES = (TEH.Demand, TEH.Position, TEH.Assessment)
# The two statements whose speaker the text does not name as one actor (see the comments in the data).
UNATTRIBUTED = {
    ID["evidence/cr-2014-02-03/regret-retraits"],  # « Les associations présentes ont regretté » (l. 31)
    ID["evidence/collectif-2017-03-09/m1-constat-aucun-rajoute"],  # « Une association signale » (l. 196)
}


def ev(doc: str, local: str) -> URIRef:
    return ID[f"evidence/{doc}/{local}"]


def speakers(graph: Graph, evidence: URIRef) -> set[URIRef]:
    return set(graph.objects(evidence, TEH.statedBy))


def statement_evidence(graph: Graph, doc: URIRef) -> set[URIRef]:
    found = set()
    for cls in CLAIM_CLASSES:
        for claim in graph.subjects(RDF.type, cls):
            for evidence in graph.objects(claim, TEH.evidence):
                if graph.value(evidence, TEH.statedIn) == doc:
                    found.add(evidence)
    return found


# --- every statement names its speaker ------------------------------------------------------------


def test_every_statement_has_one_speaker_but_the_two_unattributed(asserted: Graph):
    counts = {}
    for doc in (
        "cr-2014-02-03",
        "cr-2014-09-29",
        "cr-2015-06-26",
        "collectif-2017-03-09",
        "ccem-observations-pan-2019-2021",
    ):
        evidence = statement_evidence(asserted, ID[f"doc/{doc}"])
        counts[doc] = len(evidence)
        for node in evidence - UNATTRIBUTED:
            assert len(speakers(asserted, node)) == 1, node
        for node in evidence & UNATTRIBUTED:
            assert speakers(asserted, node) == set(), node
    # Minutes: 87, 2 and 20 statements before the second read of issue 15, which added 38, 3 and 13
    # (see tests/test_data_recall_minutes.py). Issue 14 (responses-2014) added the minister's full answer on the
    # CDPD (3 February 2014, l. 192) and two 2017 restatements of 2014 demands (l. 884-888, l. 1237-1239).
    assert counts == {
        "cr-2014-02-03": 126,
        "cr-2014-09-29": 5,
        "cr-2015-06-26": 33,
        "collectif-2017-03-09": 349,
        "ccem-observations-pan-2019-2021": 145,
    }


def test_every_speaker_of_a_demand_makes_the_demand(asserted: Graph):
    for demand in asserted.subjects(RDF.type, TEH.Demand):
        demanders = set(asserted.objects(demand, TEH.demandedBy))
        for evidence in asserted.objects(demand, TEH.evidence):
            assert speakers(asserted, evidence) <= demanders, (demand, evidence)


def test_a_person_stating_a_demand_speaks_for_an_organisation_that_makes_it(asserted: Graph):
    """In the minutes, each association's representative states demands their association makes too;
    Olivier Peyroux, listed with the Collectif as its expert on minors, has no organisation."""
    checked = 0
    for demand in asserted.subjects(RDF.type, TEH.Demand):
        demanders = set(asserted.objects(demand, TEH.demandedBy))
        for evidence in asserted.objects(demand, TEH.evidence):
            for speaker in speakers(asserted, evidence):
                if (speaker, RDF.type, FOAF.Person) not in asserted:
                    continue
                if speaker == ID["person/olivier-peyroux"]:
                    continue
                assert set(asserted.objects(speaker, ORG.memberOf)) & demanders, (demand, speaker)
                checked += 1
    assert checked >= 30


# --- the minutes ----------------------------------------------------------------------------------


def test_reflection_period_of_3_months_by_the_collectif_then_by_francois_soulage(asserted: Graph):
    demand = ID["demand/delai-reflexion-3-mois"]
    # Synthesis: « Le Collectif a demandé que l'extension du délai de réflexion [...] soit porté à 3 mois » (l. 105)
    assert speakers(asserted, ev("cr-2014-02-03", "delai-3-mois-synthese")) == {COLLECTIF}
    # Secours Catholique section: « M. Soulage note [...] Le Collectif souhaite qu'il soit porté à 3 mois » (l. 147-151)
    assert speakers(asserted, ev("cr-2014-02-03", "delai-3-mois-soulage")) == {SOULAGE}
    assert {COLLECTIF, SOULAGE, ID["org/secours-catholique"]} <= set(asserted.objects(demand, TEH.demandedBy))


def test_homogeneous_prefecture_practices_said_by_two_associations_and_the_collectif(asserted: Graph):
    demand = ID["demand/homogeneisation-pratiques-prefectures"]
    by_evidence = {e: speakers(asserted, e) for e in asserted.objects(demand, TEH.evidence)}
    assert by_evidence == {
        ev("cr-2014-02-03", "homogeneiser-oicem"): {
            HRIECH_WAHABI
        },  # « Mme Hriech Wahabi tient à signaler » (l. 184)
        ev("cr-2014-02-03", "prefectures-colas"): {COLAS},  # « Selon Mme Colas » (l. 210)
        ev("collectif-2017-03-09", "m5-harmonisees"): {COLLECTIF},
    }
    # AC-Sé, l. 188: « La prise en charge des victimes diffère selon la ville » is about cities, not prefectures
    # (issue 15): its own demand, same speaker.
    cities = ID["demand/homogeneite-prise-en-charge-selon-villes"]
    assert {e: speakers(asserted, e) for e in asserted.objects(cities, TEH.evidence)} == {
        ev("cr-2014-02-03", "homogeneite-ac-se"): {
            ID["org/ac-se"]
        },  # AC-Sé, representative not named (l. 188)
    }


def test_trafficking_referent_in_prefectures_the_oicem_then_its_representative(asserted: Graph):
    # « Enfin, l'OICEM déplore la disparition du référent traite » (l. 184)
    assert speakers(asserted, ev("cr-2014-02-03", "referent-disparition-oicem")) == {ID["org/oicem"]}
    # « Selon Mme Hriech Wahabi, il est important qu'il y ait un référent traite » (l. 238)
    assert speakers(asserted, ev("cr-2014-02-03", "referent-marseille-oicem")) == {HRIECH_WAHABI}


def test_transparency_of_means_stated_over_the_years(asserted: Graph):
    demand = ID["demand/transparence-des-moyens"]
    by_evidence = {e: speakers(asserted, e) for e in asserted.objects(demand, TEH.evidence)}
    assert by_evidence[ev("cr-2014-02-03", "transparence-synthese")] == {COLLECTIF}
    assert by_evidence[ev("cr-2014-02-03", "transparence-ecpat")] == {
        GALLAND
    }  # « M. Galland souligne » (l. 204)
    assert by_evidence[ev("cr-2014-09-29", "moyens-plan")] == {
        COLLECTIF
    }  # « Le Collectif souhaite savoir » (l. 109)
    assert by_evidence[ev("ccem-2019", "m3-demande")] == {CCEM}
    assert {COLLECTIF, ID["org/ecpat-france"], GALLAND, CCEM} <= set(asserted.objects(demand, TEH.demandedBy))


def test_the_minister_speaks_for_herself(asserted: Graph):
    for local in (
        "plan-revu-avril",
        "ministre-ppl-2013",
        "ministre-cdpd",
        "ministre-acquiesce",
        "remontee-cas-ministre",
        "ministre-arbitrages",
    ):
        assert speakers(asserted, ev("cr-2014-02-03", local)) == {MINISTER}, local
    assert speakers(asserted, ev("cr-2014-02-03", "miprof-politique-publique")) == {
        ID["person/elizabeth-moiron-braud"]
    }
    assert speakers(asserted, ev("cr-2014-02-03", "panloup-cooperation")) == {ID["person/eric-panloup"]}


def test_june_2015_remarks_of_the_afj_the_oicem_and_helene_de_rugy(asserted: Graph):
    # « On ne voit pas le délai de rétablissement (AFJ). » (l. 210)
    assert speakers(asserted, ev("cr-2015-06-26", "afj-delai-retablissement")) == {ID["org/afj"]}
    # « (fait remarquer l'OICEM) » (l. 212)
    assert speakers(asserted, ev("cr-2015-06-26", "oicem-plus-complique")) == {ID["org/oicem"]}
    # The rest of the analysis of the instruction is the Collectif's (« de l'avis du Collectif », l. 188)
    assert speakers(asserted, ev("cr-2015-06-26", "motifs-raisonnables")) == {COLLECTIF}
    # « Intervention d'Hélène de Rugy » (l. 369): « l'Amicale du Nid souhaite que cela soit un délit » (l. 383)
    assert speakers(asserted, ev("cr-2015-06-26", "amicale-delit")) == {DE_RUGY}
    assert {DE_RUGY, ID["org/amicale-du-nid"]} <= set(
        asserted.objects(ID["demand/penalisation-client-delit"], TEH.demandedBy)
    )


# --- the Collectif's analysis and the CCEM's observations -----------------------------------------


def test_every_statement_of_the_ccem_observations_is_the_ccem(asserted: Graph):
    evidence = statement_evidence(asserted, ID["doc/ccem-observations-pan-2019-2021"])
    assert len(evidence) == 145  # 120 before issue 15; 25 statements added by reading the document again
    assert {speaker for node in evidence for speaker in speakers(asserted, node)} == {CCEM}
    for demand in asserted.subjects(RDF.type, TEH.Demand):
        for node in set(asserted.objects(demand, TEH.evidence)) & evidence:
            assert speakers(asserted, node) == {CCEM}
            assert CCEM in set(asserted.objects(demand, TEH.demandedBy))


def test_the_collectif_speaks_in_its_2017_analysis(asserted: Graph):
    evidence = statement_evidence(asserted, ID["doc/collectif-2017-03-09"])
    attributed = evidence - UNATTRIBUTED
    assert len(attributed) == 348  # 346 before issue 14, whose restatements added l. 884-888 and l. 1237-1239
    # Two passages name the member association that speaks: « AFJ signale la présence de majeures mineures »
    # (l. 1989) and « Le CCEM fait un travail d'écoute [...] et constate le besoin » (l. 1816-1817).
    by_member = {
        ev("collectif-2017-03-09", "m10-afj-majeures-mineures"): {ID["org/afj"]},
        ev("collectif-2017-03-09", "m9-ccem-aller-retour"): {CCEM},
    }
    for node, speaker in by_member.items():
        assert speakers(asserted, node) == speaker
    assert {speaker for node in attributed - set(by_member) for speaker in speakers(asserted, node)} == {
        COLLECTIF
    }


def test_evidence_of_figures_and_memberships_names_no_speaker_unless_it_is_also_a_statement(asserted: Graph):
    statements = set()
    for cls in CLAIM_CLASSES:
        for claim in asserted.subjects(RDF.type, cls):
            statements |= set(asserted.objects(claim, TEH.evidence))
    # a response's verdict, and a source's own description of the measure that answers, are statements too (issue 14)
    for response in asserted.subjects(RDF.type, TEH.Response):
        for prop in (TEH.verdictEvidence, TEH.answerEvidence):
            statements |= set(asserted.objects(response, prop))
    assert set(asserted.subjects(TEH.statedBy)) <= statements


# --- groups of actors -----------------------------------------------------------------------------


def test_groups_named_associations_are_made_of_associations(asserted: Graph):
    named_associations = [
        group
        for group in asserted.subjects(RDF.type, TEH.ActorGroup)
        if any(
            str(label).lower().startswith("associations") and label.language == "fr"
            for label in asserted.objects(group, RDFS.label)
        )
    ]
    assert set(named_associations) == {
        ID["group/associations-specialisees"],
        ID["group/associations-lutte-traite"],
        ID["group/associations-aide-victimes"],
    }
    for group in named_associations:
        assert set(asserted.objects(group, TEH.groupKind)) == {TEH.Association}, group


def test_group_kinds_only_where_the_name_says_it(asserted: Graph):
    assert set(asserted.objects(ID["group/organisations-syndicales"], TEH.groupKind)) == {TEH.TradeUnion}
    assert set(asserted.objects(ID["group/prefectures"], TEH.groupKind)) == {TEH.PublicBody}
    for local in (
        "collectivites-territoriales",
        "services-police-gendarmerie",
        "conseils-generaux",
        "inspecteurs-du-travail",
        "societes-etablissements-publics",
        "legislateur",
        "cdpd",
    ):
        assert asserted.value(ID[f"group/{local}"], TEH.groupKind) is None, local
