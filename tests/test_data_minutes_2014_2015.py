"""The minutes of 2014-02-03, 2014-09-29 and 2015-06-26 as the graph holds them.

Expected values come from reading the three source texts (data/sources/2014-02-03-*, 2014-09-29-*,
2015-06-26-*), not from the Turtle files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from tehgraph.quotes import check_quotes

ID = Namespace("https://w3id.org/tehgraph/id/")
TEH = Namespace("https://w3id.org/tehgraph/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
DCT = Namespace("http://purl.org/dc/terms/")

DOC_FEB = ID["doc/cr-2014-02-03"]
DOC_SEP = ID["doc/cr-2014-09-29"]
DOC_JUN = ID["doc/cr-2015-06-26"]
MY_FILES = ("data/cr-2014-02-03.ttl", "data/cr-2014-09-29.ttl", "data/cr-2015-06-26.ttl")


def documents_stating(graph: Graph, claim: URIRef) -> set[URIRef]:
    return {graph.value(ev, TEH.statedIn) for ev in graph.objects(claim, TEH.evidence)}


def attendance_of(graph: Graph, meeting: URIRef, person: URIRef) -> URIRef | None:
    for node in graph.objects(meeting, TEH.attendance):
        if graph.value(node, TEH.attendee) == person:
            return node
    return None


# --- quotes ---------------------------------------------------------------------------------------


def test_every_quote_of_the_minutes_is_verbatim(project_dir: Path):
    graph = Graph()
    graph.parse(project_dir / "data" / "sources.ttl")
    for name in MY_FILES:
        graph.parse(project_dir / name)
    assert len(set(graph.subjects(TEH.quote))) > 150
    assert check_quotes(graph, project_dir) == []


# --- meetings -------------------------------------------------------------------------------------


def test_meeting_with_the_minister_on_3_february_2014(asserted: Graph):
    meeting = ID["meeting/2014-02-03-ministre-droits-femmes"]
    assert (meeting, RDF.type, TEH.Meeting) in asserted
    assert asserted.value(meeting, DCT.date) == Literal("2014-02-03", datatype=XSD.date)
    assert asserted.value(meeting, TEH.startTime).toPython().hour == 9
    assert asserted.value(meeting, TEH.held).toPython() is True
    participants = set(asserted.objects(meeting, TEH.participant))
    expected = {
        "person/najat-vallaud-belkacem",
        "person/elizabeth-moiron-braud",
        "person/eric-panloup",
        "person/gilles-bon-maury",
        "person/sylvie-ody",
        "person/francois-soulage",
        "person/genevieve-colas",
        "person/olivier-peyroux",
        "person/nahgam-hriech-wahabi",
        "person/pierre-albert",
        "org/ministere-droits-femmes",
        "org/miprof",
        "org/ccem",
        "org/secours-catholique",
        "org/oicem",
        "org/hors-la-rue",
        "org/ecpat-france",
        "org/amicale-du-nid",
        "org/bus-des-femmes",
        "org/ac-se",
        "org/fnars",
    }
    assert {ID[x] for x in expected} <= participants
    # the measures the minutes name by number
    discussed = set(asserted.objects(meeting, TEH.discussed))
    assert {ID[f"measure/pan-2014-2016/{n}"] for n in (1, 5, 7, 10, 11, 21, 22)} <= discussed


def test_attendance_records_organisation_and_role(asserted: Graph):
    meeting = ID["meeting/2014-02-03-ministre-droits-femmes"]
    ody = attendance_of(asserted, meeting, ID["person/sylvie-ody"])
    assert ody is not None and asserted.value(ody, TEH.onBehalfOf) == ID["org/ccem"]
    peyroux = attendance_of(asserted, meeting, ID["person/olivier-peyroux"])
    assert str(asserted.value(peyroux, TEH.roleLabel)) == "expert traite des mineurs"
    minister = attendance_of(asserted, meeting, ID["person/najat-vallaud-belkacem"])
    assert "porte-parole du Gouvernement" in str(asserted.value(minister, TEH.roleLabel))


@pytest.mark.parametrize(
    ("slug", "date", "held"),
    [
        ("2014-01-27-reunion-informelle-droits-femmes", "2014-01-27", True),
        ("2014-01-31-collectif", "2014-01-31", True),
        ("2014-02-17-collectif", "2014-02-17", True),
        ("2014-09-11-cabinet-justice", "2014-09-11", True),
        ("2014-09-29-collectif", "2014-09-29", True),
        ("2014-09-29-ministre-interieur", "2014-09-29", True),
        ("2014-10-23-cabinet-interieur", "2014-10-23", False),
        ("2014-11-07-collectif", "2014-11-07", False),
        ("2015-01-20-cfdt", "2015-01-20", False),
        ("2015-06-26-collectif", "2015-06-26", True),
        ("2015-07-22-ministere-interieur", "2015-07-22", False),
        ("2015-07-30-journee-mondiale", "2015-07-30", False),
        ("2015-09-10-collectif", "2015-09-10", False),
        ("2015-10-01-collectif", "2015-10-01", False),
        ("2015-10-18-journee-europeenne", "2015-10-18", False),
    ],
)
def test_meetings_have_their_date_and_status(asserted: Graph, slug: str, date: str, held: bool):
    meeting = ID[f"meeting/{slug}"]
    assert (meeting, RDF.type, TEH.Meeting) in asserted
    assert str(asserted.value(meeting, DCT.date)) == date
    assert asserted.value(meeting, TEH.held).toPython() is held


def test_council_of_ministers_in_april_2014_has_no_invented_day(asserted: Graph):
    meeting = ID["meeting/2014-04-conseil-des-ministres"]
    assert asserted.value(meeting, DCT.date) == Literal("2014-04", datatype=XSD.gYearMonth)
    assert asserted.value(meeting, TEH.held).toPython() is False


def test_interior_meetings_of_2014(asserted: Graph):
    with_minister = ID["meeting/2014-09-29-ministre-interieur"]
    people = set(asserted.objects(with_minister, TEH.participant))
    for slug in (
        "bernard-cazeneuve",
        "pierre-antoine-molina",
        "raphael-sodini",
        "jean-julien-xavier-rolai",
        "francois-minsard",
        "luc-derepas",
    ):
        assert ID[f"person/{slug}"] in people
    october = ID["meeting/2014-10-23-cabinet-interieur"]
    assert asserted.value(october, TEH.startTime).toPython().hour == 16
    assert "Place Beauvau" in str(asserted.value(october, TEH.place))
    delegation = set(asserted.objects(october, TEH.participant))
    assert {
        ID[f"org/{o}"]
        for o in ("secours-catholique", "ccem", "hors-la-rue", "oicem", "afj", "amicale-du-nid")
    } <= delegation
    # « Frangois MINSAR ou un collaborateur du Conseiller Police »: not asserted
    assert ID["person/francois-minsard"] not in delegation


def test_meeting_of_26_june_2015_and_its_participants(asserted: Graph):
    meeting = ID["meeting/2015-06-26-collectif"]
    participants = set(asserted.objects(meeting, TEH.participant))
    for slug in (
        "genevieve-colas",
        "marie-elisabeth-lafaille",
        "helene-de-rugy",
        "mona-chamass",
        "sylvie-ody",
        "yolanda-gutierrez-poirier",
        "stephanie-selle",
        "denise-brigou",
        "catherine-le-moel",
        "benedicte-cabrol",
        "eleonore-chiossone",
    ):
        assert ID[f"person/{slug}"] in participants
    assert ID["person/pierre-albert"] not in participants  # « Le Mouvement du Nid absent à la réunion »
    assert ID["instrument/instruction-interieur-2015-05-19"] in set(asserted.objects(meeting, TEH.discussed))
    july = ID["meeting/2015-07-22-ministere-interieur"]
    assert {ID["person/francois-minsard"], ID["person/raphael-sodini"]} <= set(
        asserted.objects(july, TEH.participant)
    )


# --- persons and organisations --------------------------------------------------------------------


def test_persons_and_their_organisations(asserted: Graph):
    expected = {
        "najat-vallaud-belkacem": "ministere-droits-femmes",
        "elizabeth-moiron-braud": "miprof",
        "eric-panloup": "miprof",
        "gilles-bon-maury": "ministere-droits-femmes",
        "francois-soulage": "secours-catholique",
        "nahgam-hriech-wahabi": "oicem",
        "guillaume-lardanchet": "hors-la-rue",
        "bernard-cazeneuve": "ministere-interieur",
        "raphael-sodini": "ministere-interieur",
        "luc-derepas": "dgef",
        "claire-durso": "ministere-justice",
        "jean-louis-malys": "cfdt",
        "yvan-kagan": "cfdt",
        "annick-fougeroux": "sos-esclaves",
        "mona-chamass": "ccem",
        "genevieve-avenard": "defenseur-des-droits",
    }
    for person, organisation in expected.items():
        assert (ID[f"person/{person}"], ORG.memberOf, ID[f"org/{organisation}"]) in asserted, person


def test_person_named_with_two_organisations_keeps_both(asserted: Graph):
    halligon = set(asserted.objects(ID["person/marie-helene-halligon"], ORG.memberOf))
    assert {ID["org/bon-pasteur"], ID["org/champs-de-booz"]} <= halligon
    tatangelo = set(asserted.objects(ID["person/raffaella-tatangelo"], ORG.memberOf))
    assert {ID["org/acpe"], ID["org/cofrade"]} <= tatangelo
    colas = set(asserted.objects(ID["person/genevieve-colas"], ORG.memberOf))
    assert {ID["org/secours-catholique"], ID["org/collectif-traite"]} <= colas


def test_roles_as_the_minutes_give_them(asserted: Graph):
    roles = {
        str(r)
        for m in asserted.subjects(ORG.member, ID["person/elizabeth-moiron-braud"])
        for r in asserted.objects(m, TEH.roleLabel)
    }
    assert "secrétaire générale de la MIPROF" in roles
    roles = {
        str(r)
        for m in asserted.subjects(ORG.member, ID["person/raphael-sodini"])
        for r in asserted.objects(m, TEH.roleLabel)
    }
    assert "Conseiller immigration et asile (correspondant traite)" in roles


def test_name_variants_and_ocr_errors_are_alt_labels(asserted: Graph):
    minsard = {str(x) for x in asserted.objects(ID["person/francois-minsard"], SKOS.altLabel)}
    assert {"Frangois MINSARD", "Frangois MINSAR", "Mainsard"} <= minsard
    rugy = {str(x) for x in asserted.objects(ID["person/helene-de-rugy"], SKOS.altLabel)}
    assert "Hélène de Ruyg" in rugy
    assert "Anick Fougeroux" in {
        str(x) for x in asserted.objects(ID["person/annick-fougeroux"], SKOS.altLabel)
    }


def test_organisations_are_typed(asserted: Graph):
    assert (ID["org/cfdt"], RDF.type, TEH.TradeUnion) in asserted
    for body in ("greta", "onudc", "osce", "europol", "interpol", "oim", "comite-droits-enfant"):
        assert (ID[f"org/{body}"], RDF.type, TEH.InternationalBody) in asserted, body
    assert (ID["org/ministere-interieur"], RDF.type, TEH.Ministry) in asserted


def test_mentions_by_each_document(asserted: Graph):
    assert (ID["person/najat-vallaud-belkacem"], TEH.mentionedIn, DOC_FEB) in asserted
    assert (ID["org/greta"], TEH.mentionedIn, DOC_SEP) in asserted
    assert (ID["instrument/decret-2013-7"], TEH.mentionedIn, DOC_FEB) in asserted
    assert (ID["instrument/circulaire-justice-2015-01-22"], TEH.mentionedIn, DOC_JUN) in asserted
    assert (ID["measure/pan-2014-2016/21"], TEH.mentionedIn, DOC_FEB) in asserted
    for doc in (DOC_FEB, DOC_SEP, DOC_JUN):
        assert (ID["org/collectif-traite"], TEH.mentionedIn, doc) in asserted


# --- demands and positions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("demand", "documents"),
    [
        ("financement-toutes-formes-traite", {DOC_FEB, DOC_JUN}),
        ("transparence-des-moyens", {DOC_FEB, DOC_SEP}),
        ("toutes-formes-de-traite", {DOC_FEB, DOC_JUN}),
        ("sensibilisation-grand-public", {DOC_FEB, DOC_JUN}),
        ("cooperation-internationale", {DOC_FEB, DOC_SEP}),
    ],
)
def test_demands_recurring_across_the_minutes(asserted: Graph, demand: str, documents: set[URIRef]):
    node = ID[f"demand/{demand}"]
    assert (node, RDF.type, TEH.Demand) in asserted
    assert documents <= documents_stating(asserted, node)
    assert (node, TEH.demandedBy, ID["org/collectif-traite"]) in asserted


def test_reflection_period_of_three_months(asserted: Graph):
    demand = ID["demand/delai-reflexion-3-mois"]
    assert (demand, TEH.demandedBy, ID["org/collectif-traite"]) in asserted
    assert (demand, TEH.addressedTo, ID["person/najat-vallaud-belkacem"]) in asserted
    quotes = " ".join(str(asserted.value(ev, TEH.quote)) for ev in asserted.objects(demand, TEH.evidence))
    assert "30 jours" in quotes and "3 mois" in quotes


def test_residence_permit_demand_is_about_measure_5(asserted: Graph):
    demand = ID["demand/titre-sejour-systematique"]
    assert (demand, TEH.about, ID["measure/pan-2014-2016/5"]) in asserted
    assert {ID["org/collectif-traite"], ID["org/mouvement-du-nid"]} <= set(
        asserted.objects(demand, TEH.demandedBy)
    )


def test_the_ministers_answers_are_positions(asserted: Graph):
    minister = ID["person/najat-vallaud-belkacem"]
    held = {p for p in asserted.subjects(TEH.heldBy, minister) if (p, RDF.type, TEH.Position) in asserted}
    assert len(held) >= 3
    on = {o for p in held for o in asserted.objects(p, TEH.on)}
    assert ID["measure/pan-2014-2016/22"] in on


# --- memberships of the Collectif -------------------------------------------------------------------


def test_sos_esclaves_is_observer_member_in_2014(asserted: Graph):
    found = [
        m
        for m in asserted.subjects(ORG.member, ID["org/sos-esclaves"])
        if asserted.value(m, ORG.organization) == ID["org/collectif-traite"]
        and asserted.value(m, TEH.membershipStatus) == ID["concept/membership/observer"]
    ]
    assert len(found) == 1
    membership = found[0]
    assert asserted.value(membership, TEH.asOf) == Literal("2014-09-29", datatype=XSD.date)
    assert DOC_SEP in documents_stating(asserted, membership)


def test_associations_applying_in_2015(asserted: Graph):
    applicants = {
        asserted.value(m, ORG.member)
        for m in asserted.subjects(TEH.membershipStatus, ID["concept/membership/applicant"])
        if asserted.value(m, ORG.organization) == ID["org/collectif-traite"]
        and DOC_JUN in documents_stating(asserted, m)
    }
    assert {
        ID["org/bus-des-femmes"],
        ID["org/aux-captifs-la-liberation"],
        ID["org/equipes-action-contre-proxenetisme"],
        ID["org/cimade"],
    } <= applicants


# --- figures ---------------------------------------------------------------------------------------


def test_figures_stated_by_the_minutes(asserted: Graph):
    values = {
        (
            asserted.value(f, TEH.unit).toPython() if asserted.value(f, TEH.unit) else None,
            asserted.value(f, RDF.value).toPython(),
        )
        for f in asserted.subjects(RDF.type, TEH.Figure)
        if documents_stating(asserted, f) & {DOC_FEB, DOC_SEP, DOC_JUN}
    }
    assert ("jours", 30) in values
    assert ("mois", 3) in values
    assert ("personnes", 180) in values
    assert ("personnes", 37000) in values
    assert ("recommandations", 29) in values
