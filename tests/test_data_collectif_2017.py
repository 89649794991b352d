"""The Collectif's findings and proposals of 9 March 2017 on the first plan (PAN 2014-2016).

Expected values come from reading data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS, XSD

from tehgraph.namespaces import ELI, TEH

ID = Namespace("https://w3id.org/tehgraph/id/")
DCT = Namespace("http://purl.org/dc/terms/")
DOC = ID["doc/collectif-2017-03-09"]
COLLECTIF = ID["org/collectif-traite"]


def measure(n: int) -> URIRef:
    return ID[f"measure/pan-2014-2016/{n}"]


def assessment_of(g, n: int) -> URIRef:
    found = [
        a
        for a in g.subjects(TEH.assesses, measure(n))
        if (a, TEH.assessedBy, COLLECTIF) in g
        and (a, DCT.date, Literal("2017-03-09", datatype=XSD.date)) in g
    ]
    assert len(found) == 1, f"measure {n}: {found}"
    return found[0]


def statement_docs(g, claim: URIRef) -> set[URIRef]:
    return {g.value(ev, TEH.statedIn) for ev in g.objects(claim, TEH.evidence)}


# ------------------------------------------------------------------ assessments


def test_one_assessment_per_measure(asserted):
    assessments = {
        a
        for a in asserted.subjects(TEH.assessedBy, COLLECTIF)
        if (a, RDF.type, TEH.Assessment) in asserted and DOC in statement_docs(asserted, a)
    }
    assert len(assessments) == 23
    measures = {asserted.value(a, TEH.assesses) for a in assessments}
    assert measures == {measure(n) for n in range(1, 24)}
    for n in range(1, 24):
        assert assessment_of(asserted, n) == ID[f"assessment/collectif-2017/{n}"]


@pytest.mark.parametrize(
    "n, status",
    [
        (4, "not-implemented"),  # « A notre connaissance, rien n'a été fait au niveau institutionnel. »
        (10, "not-implemented"),  # « Il n'y a pas eu le développement d'un accompagnement spécialisé … »
        (22, "not-implemented"),  # « rien n'existe ou si quelque chose existe, aucune communication … »
        (7, "not-implemented"),  # every Constat of l. 1417-1546 is negative (see the assessment's skos:note)
        (13, "implemented"),  # « Cette disposition a été actée dans la loi. »
        (23, "implemented"),  # « Le Collectif se félicite que la … CNCDH … assure l'évaluation »
        (
            9,
            "partially-implemented",
        ),  # law, decree and circular, but « aucune commission n'est mise en place »
        (1, "partially-implemented"),  # fiche de liaison exists, the 50 mediators are not found
        (14, "unknown"),  # « Une recherche est à faire sur la connaissance de ces flux financiers. »
    ],
)
def test_assessment_status(asserted, n, status):
    a = assessment_of(asserted, n)
    assert asserted.value(a, TEH.status) == ID[f"concept/status/{status}"]


def test_assessment_status_counts(asserted):
    counts: dict[str, int] = {}
    for n in range(1, 24):
        status = str(asserted.value(assessment_of(asserted, n), TEH.status)).rsplit("/", 1)[-1]
        counts[status] = counts.get(status, 0) + 1
    assert counts == {"implemented": 2, "partially-implemented": 8, "not-implemented": 5, "unknown": 8}


def test_assessment_evidence_is_verbatim_constat(asserted):
    a = assessment_of(asserted, 22)
    quotes = {str(asserted.value(ev, TEH.quote)) for ev in asserted.objects(a, TEH.evidence)}
    assert any("ne soit même pas réunie" in q for q in quotes)
    for ev in asserted.objects(a, TEH.evidence):
        assert asserted.value(ev, TEH.statedIn) == DOC
        assert asserted.value(ev, TEH.quote).language == "fr"


# ------------------------------------------------------------------ members


def test_twenty_five_members(asserted):
    memberships = [
        m
        for m in asserted.subjects(ORG.organization, COLLECTIF)
        if (m, TEH.asOf, Literal("2017-03-09", datatype=XSD.date)) in asserted
        and (m, TEH.membershipStatus, ID["concept/membership/member"]) in asserted
    ]
    members = {asserted.value(m, ORG.member) for m in memberships}
    assert len(members) == 25
    for org in members:
        assert (COLLECTIF, ORG.hasMember, org) in asserted
        assert (org, ORG.memberOf, COLLECTIF) in asserted
        assert (org, TEH.mentionedIn, DOC) in asserted


@pytest.mark.parametrize(
    "slug, acronym",
    [
        ("ccem", "CCEM"),
        ("acpe", "ACPE"),
        ("oicem", "OICEM"),
        ("fep", "FEP"),
        ("cofrade", "COFRADE"),
        ("afj", "AFJ"),
    ],
)
def test_named_members_with_acronyms(asserted, slug, acronym):
    org = ID[f"org/{slug}"]
    assert (COLLECTIF, ORG.hasMember, org) in asserted
    assert Literal(acronym, lang="fr") in set(asserted.objects(org, SKOS.altLabel))
    assert (ID[f"membership/collectif-traite/{slug}/2017-03-09"], ORG.member, org) in asserted


def test_new_members_registered(asserted):
    for slug, label in [
        ("fondation-scelles", "Fondation Jean et Jeanne Scelles"),
        ("jeunes-errants", "Jeunes errants espoir-c.f.d.j."),
        ("action-catholique-des-femmes", "Action Catholique des Femmes"),
    ]:
        org = ID[f"org/{slug}"]
        assert (org, RDF.type, TEH.Association) in asserted
        assert Literal(label, lang="fr") in set(asserted.objects(org, RDFS.label))


# ------------------------------------------------------------------ instruments


def test_directive_2011_36(asserted):
    d = ID["instrument/directive-2011-36-ue"]
    assert (d, RDF.type, TEH.Directive) in asserted
    assert asserted.value(d, DCT.date) == Literal("2011-04-05", datatype=XSD.date)
    assert (d, TEH.replaces, ID["instrument/decision-cadre-2002-629-jai"]) in asserted
    assert (ID["instrument/decision-cadre-2002-629-jai"], RDF.type, TEH.FrameworkDecision) in asserted
    assert (d, TEH.mentionedIn, DOC) in asserted


def test_instruments_cited_by_the_collectif(asserted):
    assert asserted.value(ID["instrument/loi-2016-03-07"], DCT.date) == Literal(
        "2016-03-07", datatype=XSD.date
    )
    assert (ID["instrument/ceseda-l316-1-1"], ELI.is_part_of, ID["instrument/ceseda"]) in asserted
    assert (ID["instrument/ceseda-l316-1"], ELI.is_part_of, ID["instrument/ceseda"]) in asserted
    assert (ID["instrument/code-penal-225-4-1"], ELI.is_part_of, ID["instrument/code-penal"]) in asserted
    assert (ID["instrument/loi-finances-2017"], ELI.amends, ID["instrument/loi-2016-04-13"]) in asserted
    assert asserted.value(ID["instrument/arrete-2016-10-17"], DCT.date) == Literal(
        "2016-10-17", datatype=XSD.date
    )
    assert asserted.value(ID["instrument/convention-varsovie-2005"], DCT.date) == Literal(
        "2005-05-16", datatype=XSD.date
    )
    for slug in [
        "loi-2016-04-13",
        "protocole-palerme",
        "convention-onu-1949",
        "circulaire-2013-05-31",
        "decret-2016-10",
    ]:
        assert (ID[f"instrument/{slug}"], TEH.mentionedIn, DOC) in asserted


# ------------------------------------------------------------------ positions


def test_opening_positions(asserted):
    def stance(slug):
        p = ID[f"position/collectif-2017/{slug}"]
        assert (p, TEH.heldBy, COLLECTIF) in asserted
        assert DOC in statement_docs(asserted, p)
        return asserted.value(p, TEH.stance)

    assert stance("plan-2014-2016-creation") == ID["concept/stance/welcomes"]
    assert stance("arrete-2016-10-17") == ID["concept/stance/welcomes"]
    assert stance("mesure-9-confusion") == ID["concept/stance/criticizes"]
    assert stance("mesure-21-confusion") == ID["concept/stance/criticizes"]
    assert (ID["position/collectif-2017/mesure-9-confusion"], TEH.on, measure(9)) in asserted
    assert (
        ID["position/collectif-2017/arrete-2016-10-17"],
        TEH.on,
        ID["instrument/arrete-2016-10-17"],
    ) in asserted


# ------------------------------------------------------------------ demands


def stated_here(g, demand: URIRef) -> bool:
    return (demand, TEH.demandedBy, COLLECTIF) in g and DOC in statement_docs(g, demand)


def test_every_demand_stated_here_is_registered(asserted):
    demands = {
        d
        for ev in asserted.subjects(TEH.statedIn, DOC)
        for d in asserted.subjects(TEH.evidence, ev)
        if str(d).startswith(str(ID["demand/"]))
    }
    assert len(demands) > 80
    for d in demands:
        assert (d, RDF.type, TEH.Demand) in asserted, d
        assert len([x for x in asserted.objects(d, RDFS.label) if x.language == "fr"]) == 1, d
        assert (d, TEH.demandedBy, COLLECTIF) in asserted


@pytest.mark.parametrize(
    "slug, addressees",
    [
        (
            "regroupement-familial-victimes",
            [
                "org/ministere-familles-enfance-droits-femmes",
                "org/miprof",
                "org/ministere-interieur",
                "org/ministere-affaires-etrangeres",
            ],
        ),
        ("pilotage-miprof-assistance-directe", ["org/miprof"]),
        ("rencontre-referents-mae", ["org/ministere-affaires-etrangeres"]),
        ("extension-approche-loi-2016-toutes-formes", ["group/legislateur"]),
        # l. 1286-1289 names « les préfectures » only: the Interior ministry comes from measure 5's box (derived)
        ("referent-traite-en-prefecture", ["group/prefectures"]),
    ],
)
def test_demand_addressees(asserted, slug, addressees):
    d = ID[f"demand/{slug}"]
    assert stated_here(asserted, d)
    for a in addressees:
        assert (d, TEH.addressedTo, ID[a]) in asserted


def test_recurring_demands_reuse_earlier_iris(asserted):
    # stated in the 2014-2015 minutes and again in 2017: one IRI, evidence from several documents
    for slug in [
        "grande-cause-nationale",
        "titre-sejour-systematique",
        "referent-traite-en-prefecture",
        "financement-toutes-formes-traite",
    ]:
        d = ID[f"demand/{slug}"]
        assert stated_here(asserted, d), slug
    assert (ID["demand/grande-cause-nationale"], TEH.about, measure(3)) in asserted
    # l. 45 and l. 3294 attach « la lutte contre la traite » to the Prime Minister, not the MIPROF (2015 minutes):
    # another demand since issue 15
    assert (ID["demand/lutte-traite-rattachee-premier-ministre"], TEH.about, measure(20)) in asserted
    assert not stated_here(asserted, ID["demand/miprof-rattachee-premier-ministre"])


# ------------------------------------------------------------------ figures


@pytest.mark.parametrize(
    "slug, value, unit",
    [
        ("postes-mediateurs-culturels", 50, "postes"),
        ("places-ac-se", 90, "places"),
        ("places-amicale-du-nid", 186, "places"),
        ("places-violences-femmes", 1600, "places"),
        ("places-ccem", 6, "places"),
        ("titre-sejour-5-ans", 5, "ans"),
        ("tests-osseux-marge-erreur", 18, "mois"),
        ("profit-travail-force-oit", 150, "milliards de dollars"),
    ],
)
def test_figures(asserted, slug, value, unit):
    f = ID[f"figure/collectif-2017-03-09/{slug}"]
    assert (f, RDF.type, TEH.Figure) in asserted
    assert asserted.value(f, RDF.value).toPython() == value
    assert asserted.value(f, TEH.unit) == Literal(unit, lang="fr")
    assert DOC in statement_docs(asserted, f)


def test_decimal_figure(asserted):
    f = ID["figure/collectif-2017-03-09/creneau-colloque"]
    assert asserted.value(f, RDF.value).toPython() == Decimal("1.5")
    assert (ID["figure/collectif-2017-03-09/places-ac-se"], TEH.about, measure(8)) in asserted
