"""Second pass on the Collectif's analysis of 9 March 2017 (issue 15): precision fixes, splits and recall.

Every expectation comes from reading data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt (and, for
the AC-Sé split, data/sources/2014-02-03-*.txt), the line numbers quoted in each test.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.load import load_project
from tehgraph.namespaces import GRAPH, TEH

from .conftest import PROJECT_DIR

ID = Namespace("https://w3id.org/tehgraph/id/")
DCT = Namespace("http://purl.org/dc/terms/")
DOC = ID["doc/collectif-2017-03-09"]
DOC_FEB = ID["doc/cr-2014-02-03"]
COLLECTIF = ID["org/collectif-traite"]
PLANS = {ID["plan/pan-2014-2016"], ID["plan/pan-2019-2021"]}


def measure(n: int) -> URIRef:
    return ID[f"measure/pan-2014-2016/{n}"]


def ev(local: str, doc: str = "collectif-2017-03-09") -> URIRef:
    return ID[f"evidence/{doc}/{local}"]


def evidence_in(g: Graph, claim: URIRef, doc: URIRef = DOC) -> set[URIRef]:
    return {e for e in g.objects(claim, TEH.evidence) if (e, TEH.statedIn, doc) in g}


def quotes(g: Graph, claim: URIRef, doc: URIRef = DOC) -> list[str]:
    return [str(g.value(e, TEH.quote)) for e in evidence_in(g, claim, doc)]


def notes(g: Graph, node: URIRef, lang: str) -> list[str]:
    return [str(n) for n in g.objects(node, SKOS.note) if n.language == lang]


def fr_label(g: Graph, node: URIRef) -> str:
    (label,) = [str(lab) for lab in g.objects(node, RDFS.label) if lab.language == "fr"]
    return label


def lines(g: Graph, evidence: URIRef) -> tuple[int, int]:
    return int(g.value(evidence, TEH.lineStart)), int(g.value(evidence, TEH.lineEnd))


@pytest.fixture(scope="module")
def collectif_graph() -> Graph:
    """Only what data/collectif-2017-03-09.ttl states (its named graph), to check the 2017 statements."""
    return load_project(PROJECT_DIR).dataset.graph(GRAPH["collectif-2017-03-09"])


# ------------------------------------------------------------------ the next plan is not the 2014-2016 plan


def test_involving_the_collectif_in_drafting_is_about_the_next_plan(asserted, collectif_graph):
    # l. 28-32: « Il demande également à être associé à la rédaction du prochain Plan »
    d = ID["demand/associer-collectif-redaction-plan"]
    (e,) = evidence_in(asserted, d)
    assert lines(asserted, e) == (28, 32)
    assert "rédaction du prochain Plan" in str(asserted.value(e, TEH.quote))
    assert (e, TEH.statedBy, COLLECTIF) in asserted
    # the document names no plan: neither the plan under analysis nor (an inference) the 2019-2021 plan
    assert not set(asserted.objects(d, TEH.about)) & PLANS
    (fr,) = notes(asserted, d, "fr")
    assert "« le prochain Plan »" in fr and "inférence" in fr
    assert notes(asserted, d, "en")


@pytest.mark.parametrize(
    "slug, words",
    [
        ("toutes-formes-de-traite", "le texte à venir"),  # l. 41
        (
            "dimension-financiere-traite-plan",
            "au prochain plan",
        ),  # l. 88, and « le nouveau plan national » l. 2718
        ("migrants-mineurs-prochain-plan", "Le nouveau plan d'action national"),  # l. 361
        ("recommandations-greta-prochain-plan", "au prochain plan"),  # l. 100
    ],
)
def test_other_statements_about_the_next_plan_name_no_plan(collectif_graph, slug, words):
    d = ID[f"demand/{slug}"]
    assert (d, TEH.demandedBy, COLLECTIF) in collectif_graph
    assert not set(collectif_graph.objects(d, TEH.about)) & PLANS
    assert any(words in n for n in notes(collectif_graph, d, "fr"))


# ------------------------------------------------------------------ assessments: status and its reasoning


def assessment(n: int) -> URIRef:
    return ID[f"assessment/collectif-2017/{n}"]


def test_measure_7_is_not_implemented_on_the_findings(asserted):
    a = assessment(7)
    assert asserted.value(a, TEH.status) == ID["concept/status/not-implemented"]
    # the findings the note quotes are evidence of the assessment
    for local, start in [
        ("m7-constat-difficultes", 1422),
        ("m7-constat-chrs", 1491),
        ("m7-constat-moyens", 1542),
    ]:
        assert ev(local) in set(asserted.objects(a, TEH.evidence))
        assert lines(asserted, ev(local))[0] == start
    quoted = " ".join(quotes(asserted, a))
    assert "Les difficultés pour l’hébergement sont toujours là." in quoted  # l. 1422
    assert "Mais cela ne signifie pas qu’il y ait eu plus de places créées." in quoted  # l. 1492-1493
    (fr,) = notes(asserted, a, "fr")
    assert "l. 1417-1546" in fr and "révisé" in fr
    assert notes(asserted, a, "en")
    # every piece of evidence is a finding of the measure 7 pages (l. 1384-1606)
    for e in asserted.objects(a, TEH.evidence):
        start, end = lines(asserted, e)
        assert 1384 <= start <= end <= 1606, e


JUDGED = {1, 2, 3, 5, 6, 7, 9, 11, 12, 20}  # status read from mixed or indirect findings
UNKNOWN = {8, 14, 15, 16, 17, 18, 19, 21}  # the findings do not say what was done
LITERAL = {4, 10, 13, 22, 23}  # the findings say it (almost) in so many words


def test_the_groups_cover_the_23_measures():
    assert JUDGED | UNKNOWN | LITERAL == set(range(1, 24))
    assert not (JUDGED & UNKNOWN or JUDGED & LITERAL or UNKNOWN & LITERAL)


@pytest.mark.parametrize("n", range(1, 24))
def test_every_assessment_explains_its_status_in_an_exported_note(asserted, n):
    a = assessment(n)
    (fr,) = notes(asserted, a, "fr")
    (en,) = notes(asserted, a, "en")
    assert "l. " in fr and "«" in fr, "the note quotes the lines it relies on"
    assert "l. " in en
    status = str(asserted.value(a, TEH.status)).rsplit("/", 1)[-1]
    if n in JUDGED:
        assert fr.startswith("Statut jugé") and status in {"partially-implemented", "not-implemented"}
    elif n in UNKNOWN:
        assert fr.startswith("Statut inconnu") and status == "unknown"
    else:
        assert "littéral" in fr and status in {"implemented", "not-implemented"}


@pytest.mark.parametrize(
    "n, status",
    [
        (
            3,
            "partially-implemented",
        ),  # campaign « n'a jamais eu lieu » (l. 808-809), but the educators' document (l. 940)
        (6, "not-implemented"),  # « toujours aussi « galère » » (l. 1370)
        (
            12,
            "partially-implemented",
        ),  # « à Paris, des choses s'améliorent » (l. 2512), labour trafficking neglected
        (
            20,
            "partially-implemented",
        ),  # ONDRP work « en cours » (l. 3297), « qu'en est-il ressorti » (l. 3300-3301)
    ],
)
def test_reviewed_statuses(asserted, n, status):
    assert asserted.value(assessment(n), TEH.status) == ID[f"concept/status/{status}"]


@pytest.fixture(scope="module")
def run(store):
    catalog = load_catalog(PROJECT_DIR)

    def _run(slug: str, **params):
        return run_saved(store, catalog[slug], params)

    return _run


def test_measures_the_collectif_finds_not_implemented(run):
    # 4 (l. 1022-1023), 6 (l. 1370-1372), 7 (l. 1417-1546), 10 (l. 1982-1984), 22 (l. 3513-3514)
    assert {int(n) for n in run("measures-not-implemented").column("number")} == {4, 6, 7, 10, 22}


# ------------------------------------------------------------------ over-merged demands, split


def test_the_ada_of_2017_is_not_the_ata_of_2014(asserted):
    ada, ata = ID["demand/ada-versement-et-revalorisation"], ID["demand/ata-versement-et-revalorisation"]
    # l. 1914-1936: « allocation de demandeur d'asile, ou ADA » — the 2017 statement is about the ADA
    assert (ada, RDF.type, TEH.Demand) in asserted
    assert "allocation de demandeur d'asile (ADA)" in fr_label(asserted, ada)
    assert evidence_in(asserted, ada) == {
        ev("m9-ada-non-mentionnee"),
        ev("m9-ada"),
        ev("m9-ada-toutes"),
        ev("m9-ada-timbres"),
    }
    for e in evidence_in(asserted, ada):
        assert 1914 <= lines(asserted, e)[0] <= 1936
        assert (e, TEH.statedBy, COLLECTIF) in asserted
    assert (ada, TEH.demandedBy, COLLECTIF) in asserted and (ada, TEH.about, measure(9)) in asserted
    assert notes(asserted, ada, "fr") and notes(asserted, ada, "en")
    # the ATA demand keeps only the 3 February 2014 statement (l. 109: « allocation temporaire d'attente »)
    assert not evidence_in(asserted, ata)
    assert ev("ata-synthese", "cr-2014-02-03") in set(asserted.objects(ata, TEH.evidence))
    assert not any("ADA" in q or "10 euros" in q for q in quotes(asserted, ata, DOC_FEB))
    # « un peu plus de 10 euros par jour » (l. 1923-1924) counts the ADA
    fig = ID["figure/collectif-2017-03-09/ada-montant-journalier"]
    assert set(asserted.objects(fig, TEH.about)) == {ada}
    assert asserted.value(fig, RDF.value).toPython() == 10


def test_attention_to_16_18_year_olds_is_not_protection_beyond_18(asserted):
    attention, beyond = ID["demand/attention-mineurs-16-18-ans"], ID["demand/protection-au-dela-de-18-ans"]
    # l. 2278-2280: « une attention particulière soit portée aux mineurs âgés entre 16 et 18 ans »
    assert evidence_in(asserted, attention) == {ev("m10-16-18")}
    assert lines(asserted, ev("m10-16-18")) == (2278, 2280)
    assert "entre 16 et 18 ans" in quotes(asserted, attention)[0]
    assert (attention, TEH.about, measure(10)) in asserted
    assert "16 à 18 ans" in fr_label(asserted, attention)
    # l. 2280-2284: « ne doit pas expirer soudainement le jour de leurs 18 ans » stays on the older demand
    assert evidence_in(asserted, beyond) == {ev("m10-18-ans")}
    assert not any("16 et 18" in q for q in quotes(asserted, beyond))


def test_care_differing_by_city_is_not_prefecture_practice(asserted):
    cities, prefectures = (
        ID["demand/homogeneite-prise-en-charge-selon-villes"],
        ID["demand/homogeneisation-pratiques-prefectures"],
    )
    # 2014-02-03 l. 188, AC-Sé: « La prise en charge des victimes diffère selon la ville »
    assert evidence_in(asserted, cities, DOC_FEB) == {ev("homogeneite-ac-se", "cr-2014-02-03")}
    assert "selon la ville" in quotes(asserted, cities, DOC_FEB)[0]
    assert set(asserted.objects(cities, TEH.demandedBy)) == {ID["org/ac-se"]}
    assert ev("homogeneite-ac-se", "cr-2014-02-03") not in set(asserted.objects(prefectures, TEH.evidence))
    assert ID["org/ac-se"] not in set(asserted.objects(prefectures, TEH.demandedBy))
    assert not any("ville" in q for q in quotes(asserted, prefectures, DOC_FEB))
    assert "ville" not in str(asserted.value(prefectures, DCT.description))
    # the 2017 statement (l. 1224-1228, « Les pratiques préfectorales ») stays on the prefectures' demand
    assert ev("m5-harmonisees") in evidence_in(asserted, prefectures)


# ------------------------------------------------------------------ positions: labels in French and English


def test_every_position_of_the_analysis_has_a_french_and_an_english_label(asserted, collectif_graph):
    positions = set(collectif_graph.subjects(RDF.type, TEH.Position))
    assert len(positions) == 47
    for p in positions:
        labels = list(asserted.objects(p, RDFS.label))
        assert len([lab for lab in labels if lab.language == "fr"]) == 1, p
        assert len([lab for lab in labels if lab.language == "en"]) == 1, p
        assert all(" " in str(lab) and "-" != str(lab)[0] for lab in labels), p  # a phrase, not a slug


@pytest.mark.parametrize(
    "slug, speaker, line, words",
    [
        ("afj-majeures-mineures", "org/afj", 1989, "AFJ signale la présence de majeures mineures"),
        ("ccem-aller-retour-structures", "org/ccem", 1816, "Le CCEM fait un travail d’écoute"),
    ],
)
def test_a_member_association_named_by_the_text_holds_its_position(asserted, slug, speaker, line, words):
    p = ID[f"position/collectif-2017/{slug}"]
    assert (p, TEH.heldBy, ID[speaker]) in asserted
    (e,) = evidence_in(asserted, p)
    assert lines(asserted, e)[0] == line
    assert str(asserted.value(e, TEH.quote)).startswith(words)
    assert set(asserted.objects(e, TEH.statedBy)) == {ID[speaker]}


# ------------------------------------------------------------------ recall

# Measure 7, l. 1417-1546: every claim an analyst expects there, as (line, words of the quote, kind of claim).
MEASURE_7 = [
    (1417, "Les 1600 places attribuées", TEH.Assessment),
    (1417, "Les 1600 places attribuées", TEH.Figure),
    (1422, "Les difficultés pour l’hébergement sont toujours là", TEH.Assessment),
    (1424, "Le dispositif Ac-Sé marche bien, mais il est saturé", TEH.Assessment),
    (1428, "on est aussi sur une idée d’éloignement géographique", TEH.Position),
    (1430, "Il faut d’autres alternatives", TEH.Demand),
    (1433, "(CHRS) est bloqué", TEH.Assessment),
    (1435, "Il faut plus de flexibilité dans ce dispositif", TEH.Demand),
    (1439, "leur taille est jugée trop petite par la DRIHL", TEH.Assessment),
    (1439, "leur taille est jugée trop petite par la DRIHL", TEH.Position),
    (1447, "fournir des conditions d’hébergement dignes", TEH.Demand),
    (1451, "Aucune condition (sans papier, par exemple)", TEH.Demand),
    (1458, "Une palette de solutions", TEH.Demand),
    (1463, "Un dispositif spécifique", TEH.Demand),
    (1469, "Prévoir des lignes de financement", TEH.Demand),
    (1474, "une palette de solutions d’hébergement", TEH.Demand),
    (1479, "Un appartement pour des femmes en procédure", TEH.Assessment),
    (1481, "financé exclusivement sur des fonds privés", TEH.Assessment),
    (1483, "pour accueillir des femmes avec des enfants", TEH.Assessment),
    (1486, "Le dispositif Ac-Sé doit être renforcé", TEH.Demand),
    (1491, "les CHRS attribuent une ou deux places", TEH.Assessment),
    (1491, "les CHRS attribuent une ou deux places", TEH.Figure),
    (1493, "n’est pas la seule réponse", TEH.Assessment),
    (1494, "il ne compte que 90 places", TEH.Assessment),
    (1494, "il ne compte que 90 places", TEH.Figure),
    (1495, "Il est très difficile d’obtenir des places dédiées", TEH.Assessment),
    (1497, "de nombreuses victimes n’acceptent pas l’éloignement", TEH.Position),
    (1501, "la taille des hébergements nécessaires", TEH.Demand),
    (1505, "renforcer la formation et le soutien technique des équipes", TEH.Demand),
    (1528, "ne sont pas identifiés par la Miprof", TEH.Assessment),
    (1530, "Il manque un recensement clair des acteurs", TEH.Assessment),
    (1536, "ne leur permettent pas d’accueillir ce public en situation irrégulière", TEH.Assessment),
    (1542, "nous manquons de moyens financiers", TEH.Assessment),
    (1543, "équilibrer les budgets de l’association avec des fonds privés", TEH.Assessment),
    (1545, "l’absence de conventions pluriannuelles", TEH.Position),
]


def claims_at(g: Graph, line: int, words: str, kind: URIRef) -> set[URIRef]:
    found = set()
    for e in g.subjects(TEH.statedIn, DOC):
        start, end = lines(g, e)
        if start <= line <= end and words in str(g.value(e, TEH.quote)):
            found |= {c for c in g.subjects(TEH.evidence, e) if (c, RDF.type, kind) in g}
    return found


@pytest.mark.parametrize("line, words, kind", MEASURE_7)
def test_recall_of_measure_7(asserted, line, words, kind):
    assert claims_at(asserted, line, words, kind), (line, words)


@pytest.mark.parametrize(
    "line, words, claim",
    [
        (
            24,
            "appelle à une véritable prise en compte du travail des associations",
            "demand/prise-en-compte-travail-associations",
        ),
        (37, "sous ses différentes formes étant insuffisants", "position/collectif-2017/moyens-insuffisants"),
        (200, "si peu de visibilité sur leur réalité", "position/collectif-2017/mediateurs-visibilite"),
        (353, "L’une d’entre elles demandait un médiateur arabophone", "assessment/collectif-2017/1"),
        (
            424,
            "le récépissé n’est pas remis à la sortie de la gendarmerie",
            "position/collectif-2017/pratiques-police-gendarmerie",
        ),
        (537, "la confusion des domaines", "position/collectif-2017/confusion-violences-femmes-traite"),
        (
            565,
            "Donner les moyens aux professionnels « non spécialisés »",
            "demand/intervention-adaptee-professionnels-non-specialises",
        ),
        (655, "le film #Invisibles", "demand/film-invisibles-education-nationale"),
        (949, "La formation des diplomates", "position/collectif-2017/formation-diplomates-inexistante"),
        (1102, "aucune information n’est faite", "assessment/collectif-2017/4"),
        (1762, "structures de santé de droit commun", "demand/structures-sante-droit-commun"),
        (1828, "sur le moyen et le long terme", "demand/prise-en-charge-psychologique-long-terme"),
        (
            1914,
            "le présent Plan ne fait pas mention de l’allocation",
            "position/collectif-2017/ada-absente-du-plan",
        ),
        (
            2203,
            "Regrettant le manque de mesures suffisantes",
            "position/collectif-2017/protection-mineurs-insuffisante",
        ),
        (
            2238,
            "Le consentement du jeune ou de son représentant légal",
            "demand/consentement-avant-expertise-medicale",
        ),
        (2369, "ne pas miser sur de petites actions", "position/collectif-2017/petites-actions"),
        (2521, "Travail important à poursuivre de la justice", "demand/justice-traite-mineurs"),
        (2582, "récépissés de dépôt de plainte ne soient pas transmis", "assessment/collectif-2017/12"),
        (
            2639,
            "ouvrir des droits pour la protection des mineurs",
            "position/collectif-2017/mesure-13-questions",
        ),
        (3231, "ne doit pas être systématiquement privilégiée", "demand/retour-mineurs-interet-superieur"),
        (3302, "sur les lieux d’exploitation", "assessment/collectif-2017/20"),
        (3523, "Comité départemental antifraude (CODAF)", "assessment/collectif-2017/22"),
    ],
)
def test_recall_elsewhere_in_the_analysis(asserted, line, words, claim):
    node = ID[claim]
    hits = [
        e
        for e in evidence_in(asserted, node)
        if lines(asserted, e)[0] <= line <= lines(asserted, e)[1]
        and words in str(asserted.value(e, TEH.quote))
    ]
    assert hits, (claim, line)
    for e in hits:
        assert asserted.value(e, DCT.date) == Literal("2017-03-09", datatype=XSD.date)
        assert set(asserted.objects(e, TEH.statedBy)) == {COLLECTIF}


def test_new_demands_are_registered_and_stated_by_the_collectif(asserted, collectif_graph):
    new = [
        "prise-en-compte-travail-associations",
        "intervention-adaptee-professionnels-non-specialises",
        "film-invisibles-education-nationale",
        "flexibilite-dispositif-chrs",
        "hebergement-digne",
        "parcours-graduel-hebergement",
        "structures-sante-droit-commun",
        "prise-en-charge-psychologique-long-terme",
        "formation-psychologues-experience-afj",
        "outil-formation-commun-soin",
        "ada-versement-et-revalorisation",
        "attention-mineurs-16-18-ans",
        "consentement-avant-expertise-medicale",
        "justice-traite-mineurs",
    ]
    for slug in new:
        d = ID[f"demand/{slug}"]
        assert (d, RDF.type, TEH.Demand) in asserted, slug
        assert {lab.language for lab in asserted.objects(d, RDFS.label)} == {"fr", "en"}, slug
        assert asserted.value(d, DCT.description).language == "fr"
        assert asserted.value(d, TEH.theme) is not None
        assert (d, TEH.demandedBy, COLLECTIF) in collectif_graph
        assert evidence_in(asserted, d)


def test_the_one_or_two_chrs_places_are_a_lower_bound(asserted):
    # l. 1491: « les CHRS attribuent une ou deux places aux victimes de traite »
    f = ID["figure/collectif-2017-03-09/places-chrs-ac-se"]
    assert asserted.value(f, RDF.value).toPython() == 1
    assert "une ou deux places" in fr_label(asserted, f)
    assert notes(asserted, f, "fr")
    assert ev("m7-constat-chrs") in set(asserted.objects(f, TEH.evidence))
