"""Recall of the three sets of minutes (issue 15): what the second line-by-line read added.

Every expected value comes from the source texts (data/sources/2014-02-03-*, 2014-09-29-*, 2015-06-26-*):
the line, a fragment of its wording, who says it (the section heading or the name in the sentence) and for
which organisation. The audit's items for the 3 February 2014 minutes (l. 87-261) come first.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ID = Namespace("https://w3id.org/tehgraph/id/")
TEH = Namespace("https://w3id.org/tehgraph/ontology#")
DCT = Namespace("http://purl.org/dc/terms/")

DOCS = {
    "feb": ID["doc/cr-2014-02-03"],
    "sep": ID["doc/cr-2014-09-29"],
    "jun": ID["doc/cr-2015-06-26"],
}
COLLECTIF = ID["org/collectif-traite"]
MINISTER = ID["person/najat-vallaud-belkacem"]
MINISTRY = ID["org/ministere-droits-femmes"]
SOULAGE = ID["person/francois-soulage"]
ODY = ID["person/sylvie-ody"]
OICEM = ID["org/oicem"]
CCEM = ID["org/ccem"]
SECOURS = ID["org/secours-catholique"]
BUS = ID["org/bus-des-femmes"]


def statement(graph: Graph, claim: URIRef, doc: str, line: int, fragment: str) -> URIRef:
    """The evidence of `claim` in `doc` whose lines cover `line` and whose quote holds `fragment`."""
    found = [
        ev
        for ev in graph.objects(claim, TEH.evidence)
        if graph.value(ev, TEH.statedIn) == DOCS[doc]
        and int(graph.value(ev, TEH.lineStart)) <= line <= int(graph.value(ev, TEH.lineEnd))
        and fragment in " ".join(str(graph.value(ev, TEH.quote)).split())
    ]
    assert len(found) == 1, (claim, line, fragment, found)
    return found[0]


def speaker(graph: Graph, evidence: URIRef) -> URIRef:
    speakers = set(graph.objects(evidence, TEH.statedBy))
    assert len(speakers) == 1, (evidence, speakers)
    return speakers.pop()


# --- the audit's demands, 3 February 2014 -----------------------------------------------------------


def test_l91_rights_and_protection_based_approach(asserted: Graph):
    # « Le Collectif souligne qu'il est nécessaire d'adopter une approche fondée sur les droits et la protection
    # des victimes, conformément à la Convention du Conseil de l'Europe » (l. 91)
    demand = ID["demand/approche-fondee-sur-les-droits"]
    assert (demand, RDF.type, TEH.Demand) in asserted
    ev = statement(
        asserted, demand, "feb", 91, "approche fondée sur les droits et la protection des victimes"
    )
    assert speaker(asserted, ev) == COLLECTIF
    assert (demand, TEH.demandedBy, COLLECTIF) in asserted
    assert (demand, TEH.addressedTo, MINISTER) in asserted
    # the Council of Europe Convention on Action against Trafficking (Warsaw, 2005)
    assert (demand, TEH.about, ID["instrument/convention-varsovie-2005"]) in asserted


def test_l153_adapted_schemes_with_trained_staff_for_minors(asserted: Graph):
    # In M. Soulage's list of « principaux problèmes identifiés par le Collectif » (l. 147-154): « Il importe que
    # les mineurs aient à leur disposition des dispositifs adaptés gérés par des personnels formés » (l. 153)
    demand = ID["demand/dispositifs-adaptes-mineurs-personnels-formes"]
    ev = statement(asserted, demand, "feb", 153, "dispositifs adaptés gérés par des personnels formés")
    assert speaker(asserted, ev) == SOULAGE
    assert {COLLECTIF, SECOURS, SOULAGE} <= set(asserted.objects(demand, TEH.demandedBy))
    assert (demand, TEH.addressedTo, MINISTER) in asserted


def test_l180_identifying_smugglers(asserted: Graph):
    # CCEM section: « Mme O'Dy attire également l'attention de la ministre sur la question des passeurs ; en matière
    # d'identification des passeurs, la police a encore beaucoup de travail à faire. » (l. 180)
    demand = ID["demand/identification-des-passeurs"]
    ev = statement(asserted, demand, "feb", 180, "en matière d'identification des passeurs")
    assert speaker(asserted, ev) == ODY
    assert {CCEM, ODY} <= set(asserted.objects(demand, TEH.demandedBy))
    assert (demand, TEH.addressedTo, MINISTER) in asserted
    assert any(n.language == "fr" for n in asserted.objects(demand, SKOS.note))  # the reading is explained


def test_l244_les_amis_du_bus_des_femmes_on_identity_papers(asserted: Graph):
    # Section « Les Amis du Bus des Femmes », no person named: « Les victimes n'ont généralement pas de pièces
    # d'identité et il est très difficile de leur en procurer pour qu'elles puissent avoir accès aux droits
    # sociaux. » (l. 244)
    demand = ID["demand/pieces-identite-acces-droits-sociaux"]
    ev = statement(asserted, demand, "feb", 244, "pas de pièces d'identité")
    assert speaker(asserted, ev) == BUS
    assert set(asserted.objects(demand, TEH.demandedBy)) == {BUS}
    assert any(n.language == "fr" for n in asserted.objects(demand, SKOS.note))  # a finding read as a demand


def test_les_amis_du_bus_des_femmes_now_have_a_claim(asserted: Graph):
    claims = set(asserted.subjects(TEH.demandedBy, BUS)) | set(asserted.subjects(TEH.heldBy, BUS))
    assert claims


def test_l256_ask_the_ministry_which_measures_pose_problems(asserted: Graph):
    # « M. Soulage invite le ministère à nous faire part des mesures qui posent problème » (l. 256)
    demand = ID["demand/ministere-indique-mesures-problematiques"]
    ev = statement(
        asserted, demand, "feb", 256, "invite le ministère à nous faire part des mesures qui posent problème"
    )
    assert speaker(asserted, ev) == SOULAGE
    assert {SECOURS, SOULAGE} <= set(asserted.objects(demand, TEH.demandedBy))
    assert (demand, TEH.addressedTo, MINISTRY) in asserted


# --- the audit's positions, 3 February 2014 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "slug", "fragment", "said_by", "held_by", "on", "stance"),
    [
        # « Si le Collectif a déploré la rapidité des dernières étapes » (l. 89)
        (
            89,
            "collectif-deplore-rapidite",
            "a déploré la rapidité des dernières étapes",
            "org/collectif-traite",
            "org/collectif-traite",
            "plan/pan-2014-2016",
            "criticizes",
        ),
        # « les solutions proposées à l'heure actuelle sont bien souvent insuffisantes : [...] pas assez de CHRS » (l. 109)
        (
            109,
            "collectif-hebergement-insuffisant",
            "il n'existe pas assez de CHRS",
            "org/collectif-traite",
            "org/collectif-traite",
            "concept/theme/accommodation",
            "concerned",
        ),
        # « les mineurs – qui ne peuvent bénéficier du dispositif Ac-Sé – ne sont pratiquement jamais pris en charge
        # par l'ASE » (l. 111)
        (
            111,
            "collectif-mineurs-ase",
            "ne sont pratiquement jamais pris en charge par l'ASE",
            "org/collectif-traite",
            "org/collectif-traite",
            "group/services-ase",
            "criticizes",
        ),
        # MIPROF (Mme Moiron-Braud's volets): « Cette disparité dans la collecte des données, soulignée dans le rapport
        # du GRETA de janvier 2013, changera avec la mise en œuvre du Plan » (l. 137)
        (
            137,
            "miprof-statistiques",
            "soulignée dans le rapport du GRETA de janvier 2013",
            "person/elizabeth-moiron-braud",
            "org/miprof",
            "plan/pan-2014-2016",
            "supports",
        ),
        # « Il comporte un parcours de sortie de la prostitution (mesure 9). » (l. 137)
        (
            137,
            "miprof-mesure-9",
            "parcours de sortie de la prostitution (mesure 9)",
            "person/elizabeth-moiron-braud",
            "org/miprof",
            "measure/pan-2014-2016/9",
            "supports",
        ),
        # Hors la rue: « M. Lardanchet rappelle que la protection des mineurs victimes de traite fait partie du droit
        # commun de la protection de l'enfance » (l. 164)
        (
            164,
            "hors-la-rue-mineurs-droit-commun",
            "relève à ce titre de la compétence des conseils généraux",
            "person/guillaume-lardanchet",
            "org/hors-la-rue",
            "group/conseils-generaux",
            "criticizes",
        ),
        # « conflits de compétence entre les parquets et les conseils généraux concernés » (l. 164)
        (
            164,
            "hors-la-rue-conflits-competence",
            "conflits de compétence entre les parquets et les conseils généraux",
            "person/guillaume-lardanchet",
            "org/hors-la-rue",
            "group/parquets",
            "concerned",
        ),
        # CCEM: « les pratiques des préfectures en la matière sont tout sauf homogènes, et que toutes ne respectent
        # pas la loi » (l. 180)
        (
            180,
            "ccem-pratiques-prefectures",
            "tout sauf homogènes",
            "person/sylvie-ody",
            "org/ccem",
            "group/prefectures",
            "criticizes",
        ),
        # « D'après Mme O'Dy, il est souvent nécessaire d'aller au-devant du tribunal administratif » (l. 226)
        (
            226,
            "ccem-tribunal-administratif",
            "aller au-devant du tribunal administratif",
            "person/sylvie-ody",
            "org/ccem",
            "group/prefectures",
            "criticizes",
        ),
        # « L'OICEM remarque également que l'infraction de traite est rarement retenue ; la mesure 12 » (l. 240)
        (
            240,
            "oicem-mesure-12",
            "l'infraction de traite est rarement retenue",
            "org/oicem",
            "org/oicem",
            "measure/pan-2014-2016/12",
            "concerned",
        ),
        # « s'agissant de la mesure 7, il est écrit que « les préfets veilleront [...] » » (l. 240)
        (
            240,
            "oicem-mesure-7",
            "s'agissant de la mesure 7",
            "org/oicem",
            "org/oicem",
            "measure/pan-2014-2016/7",
            "asks-change",
        ),
    ],
)
def test_positions_the_audit_found_missing(
    asserted: Graph, line, slug, fragment, said_by, held_by, on, stance
):
    position = ID[f"position/cr-2014-02-03/{slug}"]
    assert (position, RDF.type, TEH.Position) in asserted
    ev = statement(asserted, position, "feb", line, fragment)
    assert speaker(asserted, ev) == ID[said_by]
    assert ID[held_by] in set(asserted.objects(position, TEH.heldBy))
    if said_by.startswith("person/"):
        assert ID[said_by] in set(asserted.objects(position, TEH.heldBy))
    assert ID[on] in set(asserted.objects(position, TEH.on))
    assert asserted.value(position, TEH.stance) == ID[f"concept/stance/{stance}"]


# --- the rest of the 3 February minutes: statements the first pass left out -------------------------


@pytest.mark.parametrize(
    ("claim", "line", "fragment", "said_by"),
    [
        ("demand/presentation-plan-sans-delai", 89, "sans délais intempestifs", "org/collectif-traite"),
        (
            "demand/financement-toutes-formes-traite",
            93,
            "**financements suffisants**",
            "org/collectif-traite",
        ),
        ("demand/transparence-des-moyens", 93, "totale **transparence**", "org/collectif-traite"),
        (
            "demand/informer-victimes-potentielles",
            97,
            "**les victimes ou victimes potentielles**",
            "org/collectif-traite",
        ),
        (
            "demand/accompagnement-par-personnels-formes",
            109,
            "dispensée par des personnels formés",
            "org/collectif-traite",
        ),
        (
            "demand/ata-versement-et-revalorisation",
            109,
            "presque toujours refusé ou différé",
            "org/collectif-traite",
        ),
        (
            "demand/acces-aux-droits-des-victimes",
            109,
            "droit à la santé (CMU et AME)",
            "org/collectif-traite",
        ),
        (
            "demand/attention-particuliere-mineurs",
            111,
            "mérite une attention particulière",
            "org/collectif-traite",
        ),
        (
            "demand/scolarite-et-formation-des-mineurs",
            111,
            "Les 16-18 ans et les jeunes majeurs",
            "org/collectif-traite",
        ),
        (
            "demand/protection-identite-des-victimes",
            117,
            "la protection policière des victimes",
            "org/collectif-traite",
        ),
        (
            "position/cr-2014-02-03/collectif-plan-silence-protection",
            117,
            "la protection policière des victimes",
            "org/collectif-traite",
        ),
        (
            "position/cr-2014-02-03/miprof-mesure-2",
            135,
            "sessions communes de formation seront organisées (mesure 2)",
            "person/elizabeth-moiron-braud",
        ),
        ("position/cr-2014-02-03/miprof-mesure-5", 136, "(mesure 5)", "person/elizabeth-moiron-braud"),
        (
            "position/cr-2014-02-03/miprof-mesure-9",
            138,
            "parcours d'insertion pour les victimes de servitude",
            "person/elizabeth-moiron-braud",
        ),
        (
            "position/cr-2014-02-03/miprof-presente-plan",
            139,
            "coordination nationale mais également sur sa déclinaison",
            "person/elizabeth-moiron-braud",
        ),
        (
            "position/cr-2014-02-03/collectif-regrette-retraits",
            151,
            "a été supprimée depuis",
            "person/francois-soulage",
        ),
        (
            "figure/cr-2014-02-03/delai-reflexion-demande-3-mois",
            151,
            "porté à 3 mois",
            "person/francois-soulage",
        ),
        (
            "position/cr-2014-02-03/collectif-mesure-6-domiciliation",
            152,
            "La mesure sur la domiciliation administrative",
            "person/francois-soulage",
        ),
        (
            "position/cr-2014-02-03/armee-du-salut-dimension-internationale",
            160,
            "auprès des Nations Unies à New York",
            "person/jane-paone",
        ),
        (
            "position/cr-2014-02-03/peyroux-travail-legislatif",
            168,
            "nécessitent sans doute un travail législatif",
            "person/olivier-peyroux",
        ),
        (
            "demand/structures-pilotes-accueil-temporaire-mineurs",
            168,
            "mettre en place des structures pilotes",
            "person/olivier-peyroux",
        ),
        (
            "position/cr-2014-02-03/oicem-referent-disparition",
            184,
            "l'OICEM déplore la disparition du référent traite",
            "org/oicem",
        ),
        (
            "demand/financement-toutes-formes-traite",
            204,
            "que ces moyens soient suffisants",
            "person/philippe-galland",
        ),
        (
            "position/cr-2014-02-03/ac-se-regroupement-familial",
            218,
            "la question du regroupement familial",
            "org/ac-se",
        ),
        (
            "demand/droits-sans-plainte-prealable",
            240,
            "passer directement par les préfectures",
            "person/nahgam-hriech-wahabi",
        ),
        (
            "demand/propositions-amelioration-plan",
            252,
            "leurs réflexions ou propositions",
            "person/najat-vallaud-belkacem",
        ),
    ],
)
def test_statements_added_by_the_second_read(
    asserted: Graph, claim: str, line: int, fragment: str, said_by: str
):
    node = ID[claim]
    ev = statement(asserted, node, "feb", line, fragment)
    if claim.startswith("figure/"):
        return  # figures take their statement's evidence; the speaker is on the demand's statement
    assert speaker(asserted, ev) == ID[said_by]
    makers = set(asserted.objects(node, TEH.demandedBy)) | set(asserted.objects(node, TEH.heldBy))
    assert ID[said_by] in makers


def test_measure_6_is_the_measure_on_domiciliation(asserted: Graph):
    # « La mesure sur la domiciliation administrative ne parle pas de l'ouverture des droits » (l. 152): measure 6
    # is the plan's only measure titled on domiciliation; the reading is a note on the position.
    position = ID["position/cr-2014-02-03/collectif-mesure-6-domiciliation"]
    assert (position, TEH.on, ID["measure/pan-2014-2016/6"]) in asserted
    assert "DOMICILIATION" in str(asserted.value(ID["measure/pan-2014-2016/6"], DCT.title))
    assert (ID["measure/pan-2014-2016/6"], TEH.mentionedIn, DOCS["feb"]) in asserted
    assert any(n.language == "fr" for n in asserted.objects(position, SKOS.note))


def test_pilot_structures_figures_count_the_pilot_structures(asserted: Graph):
    # « de 6 mois à un an » (l. 168) is the length of care in M. Peyroux's pilot structures.
    for slug in ("structures-pilotes-6-mois", "structures-pilotes-un-an"):
        figure = ID[f"figure/cr-2014-02-03/{slug}"]
        assert asserted.value(figure, TEH.about) == ID["demand/structures-pilotes-accueil-temporaire-mineurs"]


def test_miprof_presents_measures_2_5_and_9_one_position_each(asserted: Graph):
    # Mme Moiron-Braud's volets (l. 133-139) name measures 2, 5 and 9.
    held = {
        p
        for p in asserted.subjects(TEH.heldBy, ID["person/elizabeth-moiron-braud"])
        if (p, RDF.type, TEH.Position) in asserted
    }
    measures = {o for p in held for o in asserted.objects(p, TEH.on) if "/measure/" in str(o)}
    assert {ID[f"measure/pan-2014-2016/{n}"] for n in (2, 5, 9)} <= measures


# --- 29 September 2014 and 26 June 2015 --------------------------------------------------------------


def test_sep_2014_steps_towards_social_affairs_and_employment(asserted: Graph):
    # « Une demande de rendez-vous avec Marisol Touraine est a prévoir afin de lui demander quelle prise en charge
    # de son ministére sur la traite » (l. 95-97, OCR kept)
    social = ID["demand/prise-en-charge-traite-affaires-sociales"]
    ev = statement(asserted, social, "sep", 96, "quelle prise en charge de son ministére sur la traite")
    assert speaker(asserted, ev) == COLLECTIF
    assert {ID["person/marisol-touraine"], ID["org/ministere-affaires-sociales"]} <= set(
        asserted.objects(social, TEH.addressedTo)
    )
    # « Une autre démarche est a prévoir auprés du Ministére de 'Emploi, pour toutes les formes d’exploitation
    # autour du travail » (l. 102-104)
    employment = ID["demand/ministere-emploi-exploitation-travail"]
    statement(asserted, employment, "sep", 102, "pour toutes les formes d’exploitation autour du travail")
    assert (employment, TEH.addressedTo, ID["org/ministere-emploi"]) in asserted


def test_sep_2014_the_acpe_conference_must_show_its_link_with_trafficking(asserted: Graph):
    # « le lien avec la traite des étres humains devra étre clairement présenté » (l. 180-182)
    position = ID["position/cr-2014-09-29/collectif-colloque-acpe-lien-traite"]
    ev = statement(asserted, position, "sep", 181, "devra étre clairement présenté")
    assert speaker(asserted, ev) == COLLECTIF
    assert (position, TEH.on, ID["meeting/2014-10-16-colloque-acpe"]) in asserted


def test_sep_2014_geneva_presentation_postponed_to_march_2015(asserted: Graph):
    # « La date de présentation du rapport a Genéve a été repoussée a mars 2015 » (l. 130-131)
    meeting = ID["meeting/2015-03-geneve-rapport-alternatif-cide"]
    assert (meeting, RDF.type, TEH.Meeting) in asserted
    assert str(asserted.value(meeting, DCT.date)) == "2015-03"
    assert asserted.value(meeting, TEH.held).toPython() is False


@pytest.mark.parametrize(
    ("claim", "line", "fragment", "said_by"),
    [
        # « Il n’y a pas grand-chose sur les mineurs. » (l. 206), in the Collectif's analysis of the instruction
        (
            "position/cr-2015-06-26/collectif-instruction-critiques",
            206,
            "pas grand-chose sur les mineurs",
            "org/collectif-traite",
        ),
        # « (fait remarquer l’OICEM) [...] Le prétexte de l’instrumentalisation des victimes » (l. 212-216)
        (
            "position/cr-2015-06-26/oicem-instruction-plus-complique",
            214,
            "Le prétexte de l’instrumentalisation",
            "org/oicem",
        ),
        # « une banalisation des poursuites contre les exploiteurs, et en même temps des victimes » (l. 220-222)
        (
            "position/cr-2015-06-26/collectif-poursuites-contre-victimes",
            220,
            "que le Collectif ne peut admettre",
            "org/collectif-traite",
        ),
        # « l’Amicale du Nid [...] a attiré l’attention sur la réforme territoriale » (l. 223-227)
        (
            "position/cr-2015-06-26/amicale-pilotage-national-mineurs",
            223,
            "manque à venir de pilotage national",
            "org/amicale-du-nid",
        ),
        # Hélène de Rugy's intervention: « Pour l’Amicale du Nid, ces mesures législatives se justifient » (l. 397)
        (
            "position/cr-2015-06-26/amicale-ppl-mesures-justifiees",
            397,
            "ces mesures législatives se justifient",
            "person/helene-de-rugy",
        ),
        (
            "position/cr-2015-06-26/amicale-ppl-mesures-justifiees",
            420,
            "On note en Suède des effets positifs",
            "person/helene-de-rugy",
        ),
        # « Remarque de membres du Collectif : De nouvelles méthodes en lien avec les associations » (l. 462-464)
        (
            "demand/nouvelles-methodes-protection-avec-associations",
            462,
            "De nouvelles méthodes en lien avec les associations",
            "org/collectif-traite",
        ),
        # « L’Amicale du Nid s’oppose dans sa pratique à l’utilisation de ce terme. » (l. 490)
        (
            "position/cr-2015-06-26/amicale-terme-travailleur-du-sexe",
            490,
            "s’oppose dans sa pratique",
            "org/amicale-du-nid",
        ),
        # « La Journée européenne [...] pourrait être un moment privilégié pour une diffusion très large des outils »
        # (l. 309-313)
        (
            "demand/journee-europeenne-diffusion-outils-ministeres",
            309,
            "diffusion très large des outils",
            "org/collectif-traite",
        ),
        # « Le livre doit être diffusé largement pour faire connaître la traite. » (l. 530)
        (
            "demand/diffusion-livre-nouveaux-visages-esclavage",
            530,
            "Le livre doit être diffusé largement",
            "org/collectif-traite",
        ),
    ],
)
def test_jun_2015_statements_added_by_the_second_read(asserted: Graph, claim, line, fragment, said_by):
    node = ID[claim]
    ev = statement(asserted, node, "jun", line, fragment)
    assert speaker(asserted, ev) == ID[said_by]
    makers = set(asserted.objects(node, TEH.demandedBy)) | set(asserted.objects(node, TEH.heldBy))
    assert ID[said_by] in makers


def test_jun_2015_inavem_day_planned_for_june_2016(asserted: Graph):
    # « soit si possible présent à la prochaine journée en juin 2016 » (l. 357-359); « L’INAVEM [...] organise en
    # juin cette journée » (l. 345)
    meeting = ID["meeting/2016-06-journee-inavem"]
    assert (meeting, TEH.organizer, ID["org/inavem"]) in asserted
    assert asserted.value(meeting, TEH.held).toPython() is False
    assert COLLECTIF not in set(asserted.objects(meeting, TEH.participant))  # « si possible »: a plan only


# --- labels of every position of the three files ------------------------------------------------------


def positions_of_the_minutes(graph: Graph) -> set[URIRef]:
    return {
        p
        for p in graph.subjects(RDF.type, TEH.Position)
        if any(graph.value(ev, TEH.statedIn) in DOCS.values() for ev in graph.objects(p, TEH.evidence))
    }


def test_every_position_of_the_minutes_has_a_french_and_an_english_label(asserted: Graph):
    positions = positions_of_the_minutes(asserted)
    assert len(positions) >= 49  # 37 (3 February 2014) + 1 (29 September 2014) + 11 (26 June 2015)
    for position in positions:
        labels = list(asserted.objects(position, RDFS.label))
        french = [label for label in labels if label.language == "fr"]
        english = [label for label in labels if label.language == "en"]
        assert len(french) == 1 and len(english) == 1, position
        slug = str(position).rsplit("/", 1)[-1]
        for label in (french[0], english[0]):
            text = str(label)
            assert " " in text and text != slug and "-" not in text.split()[0], (position, text)


def test_judgement_calls_carry_an_exported_note(asserted: Graph):
    for node in (
        "position/cr-2014-02-03/collectif-mesure-6-domiciliation",  # unnumbered measure read as measure 6
        "position/cr-2014-02-03/ac-se-regroupement-familial",  # « a évoqué la question »: a concern, not a demand
        "position/cr-2014-02-03/oicem-mesure-12",  # stance read from a remark
        "position/cr-2014-02-03/collectif-hebergement-insuffisant",  # on the theme, not measure 7
        "demand/homogeneite-prise-en-charge-selon-villes",  # split from the prefectures demand
        "demand/ministere-emploi-exploitation-travail",  # a step whose content is not given
        "position/cr-2015-06-26/oicem-instruction-plus-complique",  # unnamed sentence read as the OICEM's
    ):
        notes = list(asserted.objects(ID[node], SKOS.note))
        assert any(n.language == "fr" for n in notes) and any(n.language == "en" for n in notes), node
