"""The first national action plan (PAN 2014-2016) as its own text is printed in the Collectif's
analysis of 9 March 2017 (data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt).

Expectations are written from reading the source text (boxes « Mise en œuvre », « Responsable »,
« Partenaires », « Instrument(s) : » and the measures' own text), not from the graph.
Uses the session fixture `asserted` (ontology + data, no inference) from tests/conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

TEH = Namespace("https://w3id.org/tehgraph/ontology#")
ID = Namespace("https://w3id.org/tehgraph/id/")
ID_ELI = Namespace("http://data.europa.eu/eli/ontology#")

PLAN = ID["plan/pan-2014-2016"]
DOC = ID["doc/collectif-2017-03-09"]
SOURCE = (
    Path(__file__).resolve().parent.parent / "data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt"
)

SE = ID["concept/form/sexual-exploitation"]


def measure(n: int) -> URIRef:
    return ID[f"measure/pan-2014-2016/{n}"]


def priority(n: int) -> URIRef:
    return ID[f"plan/pan-2014-2016/priority/{n}"]


def org(slug: str) -> URIRef:
    return ID[f"org/{slug}"]


def group(slug: str) -> URIRef:
    return ID[f"group/{slug}"]


def instrument(slug: str) -> URIRef:
    return ID[f"instrument/{slug}"]


def form(slug: str) -> URIRef:
    return ID[f"concept/form/{slug}"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def source_text() -> str:
    return norm(SOURCE.read_text(encoding="utf-8"))


def objects(g, s, p) -> set:
    return set(g.objects(s, p))


def plan_measures(g) -> list[URIRef]:
    return [m for m in g.subjects(TEH.inPlan, PLAN) if (m, RDF.type, TEH.Measure) in g]


# Actors, one IRI each.
INT = org("ministere-interieur")
JUS = org("ministere-justice")
MAE = org("ministere-affaires-etrangeres")
DF = org("ministere-droits-femmes-ville-jeunesse-sports")
ASS = org("ministere-affaires-sociales-sante")
TRA = org("ministere-travail-emploi-dialogue-social")
EDU = org("ministere-education-nationale-enseignement-superieur-recherche")
FIN = org("ministere-finances-comptes-publics")
LOG = org("ministere-logement-egalite-territoires")

# Priority of every measure: I = 1-11, II = 12-19, III = 20-23.
PRIORITY_OF = {n: 1 for n in range(1, 12)} | {n: 2 for n in range(12, 20)} | {n: 3 for n in range(20, 24)}

PRIORITY_TITLES = {
    1: "IDENTIFIER ET ACCOMPAGNER LES VICTIMES DE LA TRAITE",
    2: "DEMANTELER LES RESEAUX",
    3: "FAIRE DE LA LUTTE CONTRE LA TRAITE UNE POLITIQUE PUBLIQUE A PART ENTIERE",
}

# Titles as printed (line breaks joined), for a sample of measures.
TITLES = {
    1: "ALLER AU DEVANT DES VICTIMES POUR FAVORISER L’ACCES AUX DROITS",
    5: "ASSURER L’ACCES AU SEJOUR ET A LA RESIDENCE POUR LES VICTIMES MEME LORSQU’ELLES NE PEUVENT PAS COOPERER AVEC LES FORCES DE SECURITE",
    9: "CONSTRUIRE UN PARCOURS DE SORTIE DE LA PROSTITUTION",
    13: "ÉLARGIR LE DOMAINE DE COMPETENCE DES INSPECTEURS DU TRAVAIL A LA CONSTATATION DES INFRACTIONS DE TRAITE DES ETRES HUMAINS",
    14: "MOBILISER TRACFIN CONTRE LA TRAITE",
    16: "ENCOURAGER NOS PARTENAIRES E LA RATIFICATION DES INSTRUMENTS EXISTANTS",
    20: "UN PLAN SUIVI ET COORDONNE PAR UNE ADMINISTRATION DE PROJET",
    21: "UN FONDS DEDIE AUX VICTIMES DE LA TRAITE ET DE L’INSERTION DES PERSONNES PROSTITUEES",
    22: "UN PILOTAGE DEPARTEMENTAL DES INTERVENTIONS CONTRE LA TRAITE",
    23: "UNE POLITIQUE SUIVIE ET EVALUEE PAR UNE INSTITUTION INDEPENDANTE : LA CNCDH",
}

# Implementers exactly as printed in the box of each measure (« Mise en œuvre », « Responsable » for 6).
IMPLEMENTERS = {
    1: {INT, DF},
    2: {JUS, INT, ASS, TRA, MAE, EDU, DF, group("associations-specialisees")},
    3: {
        DF,
        org("cget"),
        MAE,
        JUS,
        INT,
        group("societes-etablissements-publics"),
        group("collectivites-territoriales"),
        group("associations-lutte-traite"),
    },
    4: set(),  # no box printed
    5: {DF, INT, JUS},
    6: {INT, DF},
    7: {INT, DF, LOG},
    8: {INT, DF},
    9: {DF, FIN, ASS, INT},
    10: {INT, DF, ASS, EDU},
    11: {DF, ASS, org("dihal"), INT, JUS, EDU, MAE},
    12: {JUS},
    13: {TRA},
    14: {org("tracfin")},
    15: {MAE, DF},
    16: {MAE},
    17: {MAE, JUS, INT},
    18: {MAE, DF, org("miprof"), JUS, INT},
    19: {MAE, JUS, INT, DF},
    20: {DF, org("miprof")},
    21: set(),  # no box printed
    22: {
        DF,
        org("inhesj"),
        JUS,
        INT,
        ASS,
        TRA,
        EDU,
        org("siao"),
        group("associations-specialisees"),
        group("associations-aide-victimes"),
        org("cipd"),
    },
    23: {JUS, DF},
}

# The only « Partenaires » box of the plan is measure 20's.
PARTNERS_20 = {org("ondrp"), org("inhesj"), org("insee"), INT, JUS, ASS, TRA, MAE, org("cipd"), org("dihal")}

# « Instrument(s) : » lines as printed.
INSTRUMENT_TEXTS = {
    1: "Circulaire gouvernementale",
    5: "Proposition de loi renforçant la lutte contre le système prostitutionnel.",
    6: "Instrument législatif sur l’asile.",
    7: "Circulaire interministérielle",
    8: "Circulaire interministérielle",
    9: "proposition de loi renforçant la lutte contre le système prostitutionnel, circulaires d’application",
    10: "Circulaire interministérielle",
    11: "lois et règlements (notamment l’ordonnance de 1945)",
    12: "Circulaire de politique pénale",
    13: "Modification de l’article L. 8112-2 du code du travail",
    22: "Modification des décrets du 7 juin 2006 et du 18 avril 2008, circulaire interministérielle, arrêté préfectoral",
    23: "Modification législative",
}
NO_INSTRUMENT_LINE = {2, 3, 4, 14, 18, 19, 20, 21}

# Specific instruments each of these measures must link.
INSTRUMENT_LINKS = {
    5: {instrument("ppl-systeme-prostitutionnel"), instrument("loi-2016-04-13"), instrument("ceseda-l316-1")},
    9: {instrument("ppl-systeme-prostitutionnel"), instrument("loi-2016-04-13")},
    11: {instrument("ordonnance-1945")},
    12: {instrument("code-penal-225-4-1")},
    13: {instrument("code-travail-l8112-2"), instrument("directive-2011-36-ue")},
    14: {instrument("code-monetaire-financier-l561-27")},
    16: {instrument("protocole-palerme")},
    21: {instrument("ppl-systeme-prostitutionnel"), instrument("loi-2016-04-13")},
    22: {instrument("decret-2006-06-07"), instrument("decret-2008-04-18")},
    23: {instrument("directive-2011-36-ue")},
}

# Measures whose text names sexual exploitation as the only form of exploitation.
ONLY_SEXUAL_EXPLOITATION = {18, 21}


# ---------------------------------------------------------------- structure


def test_23_measures_numbered_1_to_23(asserted):
    ms = plan_measures(asserted)
    assert len(ms) == 23
    numbers = []
    for m in ms:
        values = list(asserted.objects(m, TEH.number))
        assert len(values) == 1, m
        assert values[0].datatype == XSD.integer, m
        numbers.append(int(values[0]))
        assert m == measure(int(values[0]))
    assert sorted(numbers) == list(range(1, 24))


def test_three_priorities(asserted):
    ps = [p for p in asserted.subjects(RDF.type, TEH.Priority) if (p, TEH.inPlan, PLAN) in asserted]
    assert sorted(ps) == sorted(priority(n) for n in (1, 2, 3))
    for n, label in zip((1, 2, 3), ("I", "II", "III"), strict=False):
        p = priority(n)
        assert (p, TEH.sectionOf, PLAN) in asserted
        assert (p, TEH.number, Literal(n)) in asserted
        assert str(asserted.value(p, TEH.numberLabel)) == label
        assert (p, DCTERMS.title, Literal(PRIORITY_TITLES[n], lang="fr")) in asserted
        assert (p, TEH.mentionedIn, DOC) in asserted


@pytest.mark.parametrize("n", range(1, 24))
def test_every_measure_has_plan_section_title_labels_summary_and_mention(asserted, source_text, n):
    m = measure(n)
    assert (m, TEH.inPlan, PLAN) in asserted
    assert objects(asserted, m, TEH.inSection) == {priority(PRIORITY_OF[n])}
    titles = list(asserted.objects(m, DCTERMS.title))
    assert len(titles) == 1 and titles[0].language == "fr"
    assert norm(str(titles[0])) in source_text, "the title must be as printed"
    fr_labels = [x for x in asserted.objects(m, RDFS.label) if x.language == "fr"]
    assert fr_labels == [Literal(f"Mesure {n} : {titles[0]}", lang="fr")]
    assert any(x.language == "en" for x in asserted.objects(m, RDFS.label))
    summary = asserted.value(m, TEH.summary)
    assert summary is not None and summary.language == "fr"
    assert (m, TEH.mentionedIn, DOC) in asserted


@pytest.mark.parametrize("n", sorted(TITLES))
def test_titles_as_printed(asserted, n):
    assert (measure(n), DCTERMS.title, Literal(TITLES[n], lang="fr")) in asserted


# ---------------------------------------------------------------- boxes


@pytest.mark.parametrize("n", range(1, 24))
def test_implementers_exactly_as_printed(asserted, n):
    assert objects(asserted, measure(n), TEH.implementedBy) == IMPLEMENTERS[n]


def test_partners_only_in_measure_20(asserted):
    assert objects(asserted, measure(20), TEH.partner) == PARTNERS_20
    for n in range(1, 24):
        if n != 20:
            assert objects(asserted, measure(n), TEH.partner) == set(), n
    partners_text = str(asserted.value(measure(20), TEH.partnersText))
    assert partners_text.startswith("ONDRP, INHESJ, INSEE") and partners_text.endswith("CIPD, DIHAL")


def test_box_texts_are_verbatim(asserted, source_text):
    for p in (TEH.implementationText, TEH.partnersText, TEH.instrumentText):
        for m, text in asserted.subject_objects(p):
            if str(m).startswith(str(ID["measure/pan-2014-2016/"])):
                assert text.language == "fr"
                assert norm(str(text)) in source_text, (m, p, text)


def test_measure_17_implementation_text_says_more_than_a_list(asserted):
    text = str(asserted.value(measure(17), TEH.implementationText))
    assert "en lien avec tous les ministères, en particulier ministère de la Justice" in text


def test_measure_6_box_is_labelled_responsable(asserted):
    assert str(asserted.value(measure(6), TEH.implementationText)).startswith("Responsable :")


def test_measures_4_and_21_print_no_box(asserted):
    for n in (4, 21):
        assert asserted.value(measure(n), TEH.implementedBy) is None
        assert asserted.value(measure(n), TEH.implementationText) is None
        assert asserted.value(measure(n), TEH.instrumentText) is None


# ---------------------------------------------------------------- instruments


@pytest.mark.parametrize("n", sorted(INSTRUMENT_TEXTS))
def test_instrument_lines(asserted, n):
    assert objects(asserted, measure(n), TEH.instrumentText) == {Literal(INSTRUMENT_TEXTS[n], lang="fr")}


def test_measures_without_instrument_line(asserted):
    for n in NO_INSTRUMENT_LINE:
        assert asserted.value(measure(n), TEH.instrumentText) is None, n


@pytest.mark.parametrize("n", sorted(INSTRUMENT_LINKS))
def test_instrument_links(asserted, n):
    assert INSTRUMENT_LINKS[n] <= objects(asserted, measure(n), TEH.instrument)


def test_generic_instruments_link_only_planned_instruments(asserted):
    # « Circulaire gouvernementale », « Circulaire interministérielle », « Instrument législatif sur l'asile »
    # name no specific text: these measures link only the planned instruments of their box (issue 15).
    for n in (1, 6, 7, 8, 10):
        linked = objects(asserted, measure(n), TEH.instrument)
        assert linked, n
        assert all((i, RDF.type, TEH.PlannedInstrument) in asserted for i in linked), n


def test_referenced_instruments_are_registered_and_mentioned(asserted):
    linked = {i for m in plan_measures(asserted) for i in asserted.objects(m, TEH.instrument)}
    assert linked
    for i in linked:
        assert any(asserted.objects(i, RDF.type)), i
        assert len([x for x in asserted.objects(i, RDFS.label) if x.language == "fr"]) == 1, i
        assert (i, TEH.mentionedIn, DOC) in asserted, i


def test_instrument_identities(asserted):
    assert (instrument("code-travail-l8112-2"), RDF.type, TEH.CodeArticle) in asserted
    assert (instrument("code-travail-l8112-2"), ID_ELI.is_part_of, instrument("code-travail")) in asserted
    assert (
        instrument("directive-2011-36-ue"),
        TEH.replaces,
        instrument("decision-cadre-2002-629-jai"),
    ) in asserted
    assert (instrument("loi-2016-04-13"), DCTERMS.date, Literal("2016-04-13", datatype=XSD.date)) in asserted
    assert (instrument("ordonnance-1945"), RDF.type, TEH.Order) in asserted


# ---------------------------------------------------------------- items


def test_items(asserted):
    expected = {1: {"1", "2"}, 9: {"1", "2"}, 14: {"1", "2", "3"}, 18: {"1", "2", "3"}, 20: {"1", "2", "3"}}
    for n in range(1, 24):
        items = list(asserted.objects(measure(n), TEH.item))
        labels = {str(asserted.value(i, TEH.numberLabel)) for i in items}
        assert labels == expected.get(n, set()), n
        for i in items:
            assert (i, RDF.type, TEH.MeasureItem) in asserted
            assert asserted.value(i, RDFS.label).language == "fr"
            assert asserted.value(i, DCTERMS.description).language == "fr"
    item2 = ID["measure/pan-2014-2016/1/item/2"]
    assert (
        str(asserted.value(item2, RDFS.label))
        == "ORGANISER LE TRAVAIL D’ADMINISTRATION POUR UNE IDENTIFICATION PLUS PRECISE"
    )
    assert (
        str(asserted.value(ID["measure/pan-2014-2016/18/item/2"], RDFS.label))
        == "Prévenir la traite à des fins d’exploitation de la prostitution"
    )


# ---------------------------------------------------------------- forms, targets, themes


def test_measures_naming_only_sexual_exploitation(asserted):
    only_se = {n for n in range(1, 24) if objects(asserted, measure(n), TEH.concernsForm) == {SE}}
    assert only_se == ONLY_SEXUAL_EXPLOITATION


def test_measure_9_is_not_only_about_sexual_exploitation(asserted):
    # Item 2 extends the pathway to « les autres victimes … en particulier les victimes de servitude domestique ».
    assert objects(asserted, measure(9), TEH.concernsForm) == {SE, form("domestic-servitude")}
    assert objects(asserted, ID["measure/pan-2014-2016/9/item/1"], TEH.concernsForm) == {SE}


def test_forms_named_by_the_text(asserted):
    assert objects(asserted, measure(3), TEH.concernsForm) == {
        SE,
        form("forced-labour"),
        form("slavery"),
        form("domestic-servitude"),
        form("forced-criminality"),
        form("forced-begging"),
    }
    assert objects(asserted, measure(11), TEH.concernsForm) == {form("forced-criminality")}
    assert objects(asserted, measure(13), TEH.concernsForm) == {form("forced-labour"), form("slavery")}
    assert objects(asserted, measure(4), TEH.concernsForm) == {SE, form("forced-labour")}
    # No measure says « toutes les formes ».
    assert not list(asserted.subjects(TEH.concernsForm, form("all-forms")))
    # Measures on trafficking in general name no form.
    for n in (2, 5, 6, 8, 12, 14, 16, 17, 19, 20, 23):
        assert objects(asserted, measure(n), TEH.concernsForm) == set(), n


def test_concepts_come_from_the_right_schemes(asserted):
    schemes = {TEH.concernsForm: TEH.ExploitationForms, TEH.targets: TEH.TargetGroups, TEH.theme: TEH.Themes}
    for m in plan_measures(asserted):
        for p, scheme in schemes.items():
            for c in asserted.objects(m, p):
                assert (c, SKOS.inScheme, scheme) in asserted, (m, p, c)
        assert any(asserted.objects(m, TEH.theme)), m


def test_minors_measures_target_minors(asserted):
    for n in (10, 11):
        assert ID["concept/target/minors"] in objects(asserted, measure(n), TEH.targets)


# ---------------------------------------------------------------- actors


def test_one_iri_per_actor(asserted):
    actors = set()
    for m in plan_measures(asserted):
        actors |= objects(asserted, m, TEH.implementedBy) | objects(asserted, m, TEH.partner)
    fr_labels = {}
    for a in actors:
        labels = [x for x in asserted.objects(a, RDFS.label) if x.language == "fr"]
        assert len(labels) == 1, a
        key = str(labels[0]).lower()
        assert key not in fr_labels, f"{a} and {fr_labels[key]} share a label"
        fr_labels[key] = a
        assert (a, TEH.mentionedIn, DOC) in asserted, a
    # The ministry of women's rights of May 2014 is one IRI across all its measures.
    carried_by_df = {n for n in range(1, 24) if (measure(n), TEH.implementedBy, DF) in asserted}
    assert carried_by_df == {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 15, 18, 19, 20, 22, 23}
    # No second IRI carries the same full name.
    same_name = set(
        asserted.subjects(
            RDFS.label,
            Literal("Ministère des Droits des femmes, de la Ville, de la Jeunesse et des Sports", lang="fr"),
        )
    )
    assert same_name == {DF}


def test_actor_classes(asserted):
    for a in (INT, JUS, MAE, DF, ASS, TRA, EDU, FIN, LOG):
        assert (a, RDF.type, TEH.Ministry) in asserted, a
    for slug in ("miprof", "cget", "dihal", "siao", "tracfin", "inhesj", "ondrp", "insee", "cipd"):
        assert (org(slug), RDF.type, TEH.PublicBody) in asserted, slug
    for slug in (
        "associations-specialisees",
        "associations-lutte-traite",
        "associations-aide-victimes",
        "collectivites-territoriales",
        "societes-etablissements-publics",
    ):
        assert (group(slug), RDF.type, TEH.ActorGroup) in asserted, slug
    assert (org("tracfin"), SKOS.altLabel, Literal("SCN Tracfin", lang="fr")) in asserted


def test_associations_named_in_boxes(asserted):
    groups = {
        n
        for n in range(1, 24)
        if any(
            str(a).startswith(str(ID["group/associations"]))
            for a in asserted.objects(measure(n), TEH.implementedBy)
        )
    }
    assert groups == {2, 3, 22}
