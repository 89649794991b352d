"""What the second plan (PAN 2019-2021) did with the demands made before it, as the CCEM's observations show it (issue 14).

Two kinds of teh:Response, kept apart:
- verdicts the CCEM states (welcoming, criticising or qualifying a measure that takes up an earlier demand, and its
  findings on the first plan, l. 148 and l. 174), in data/ccem-observations-pan-2019-2021.ttl, judged by the CCEM,
  with the sentence that states the verdict;
- editorial readings (a measure's printed words plainly answering a demand), only in
  data/editorial-responses-pan-2019-2021.ttl, judged by the project's editors, with a rationale.
Every expectation below is read from the source texts in data/sources/ (the lines are given), not from the Turtle files.
Uses the session fixtures `asserted` (ontology + data, no inference) and `store` (the built graph) from tests/conftest.py.
"""

from __future__ import annotations

import datetime
import re
from functools import cache

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.load import load_project
from tehgraph.namespaces import GRAPH, ID, TEH

from .conftest import PROJECT_DIR

CATALOG = load_catalog(PROJECT_DIR)
CCEM = ID["org/ccem"]
COLLECTIF = ID["org/collectif-traite"]
EDITORS = ID["org/tehgraph-editors"]
DOCS = {
    "feb14": ID["doc/cr-2014-02-03"],
    "sep14": ID["doc/cr-2014-09-29"],
    "jun15": ID["doc/cr-2015-06-26"],
    "ana17": ID["doc/collectif-2017-03-09"],
    "ccem": ID["doc/ccem-observations-pan-2019-2021"],
}
CCEM_FILE = "ccem-observations-pan-2019-2021"
EDITORIAL_FILE = "editorial-responses-pan-2019-2021"
SECOND_PLAN = ID["plan/pan-2019-2021"]
FIRST_PLAN = ID["plan/pan-2014-2016"]
SECOND_PLAN_ANNOUNCED = datetime.date(2019, 10, 18)  # CCEM l. 7: « annoncé [...] le 18 octobre 2019 »


def verdict(slug: str) -> URIRef:
    return ID[f"concept/verdict/{slug}"]


def target(answer: str) -> URIRef:
    """« 19-20 » is measure 20 of the second plan, « 14 » the first plan as a whole."""
    plan, _, number = answer.partition("-")
    slug = "pan-2019-2021" if plan == "19" else "pan-2014-2016"
    return ID[f"measure/{slug}/{number}"] if number else ID[f"plan/{slug}"]


def responses(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(RDF.type, TEH.Response))


def responses_to(graph: Graph, demand: str, answer: str) -> list[URIRef]:
    return [
        r
        for r in graph.subjects(TEH.respondsTo, ID[f"demand/{demand}"])
        if graph.value(r, TEH.answeredIn) == target(answer)
    ]


def in_second_plan(graph: Graph, node: URIRef) -> bool:
    return node == SECOND_PLAN or graph.value(node, TEH.inPlan) == SECOND_PLAN


@cache
def project():
    return load_project(PROJECT_DIR)


@cache
def source_lines(doc: URIRef) -> list[str]:
    sources = project().dataset.graph(GRAPH["sources"])
    return (PROJECT_DIR / str(sources.value(doc, TEH.sourceFile))).read_text(encoding="utf-8").splitlines()


def evidence_at(graph: Graph, nodes, doc: str, line: int, fragment: str) -> URIRef:
    """The evidence among `nodes` stated in `doc` whose lines include `line` and whose quote holds `fragment`;
    the fragment must also be printed in the source from that line on (the 2017 columns wrap: up to 4 more lines)."""
    printed = " ".join(" ".join(source_lines(DOCS[doc])[line - 1 : line + 4]).split())
    assert " ".join(fragment.split()) in printed, (doc, line, fragment)
    found = [
        e
        for e in nodes
        if graph.value(e, TEH.statedIn) == DOCS[doc]
        and int(graph.value(e, TEH.lineStart)) <= line <= int(graph.value(e, TEH.lineEnd))
        and fragment in str(graph.value(e, TEH.quote))
    ]
    assert found, (doc, line, fragment, sorted(nodes))
    return found[0]


# --- a dozen demands, read from the sources --------------------------------------------------------
# (demand, what answers, verdict, judge, where the demand was stated before the plan, the answer's printed words,
#  the verdict's words): each place is (document, line, words printed there).
# fmt: off
CASES = [
    # The OICEM deplored on 3 February 2014 that the draft plan dropped the prefecture referent (l. 184); the CCEM says
    # the referents « était déjà prévue dans le 1er plan et n'a donc pas été mise en œuvre » (l. 174): no first-plan
    # measure provides them, so the response is the first plan's as a whole, not met, judged by the CCEM.
    ("referent-traite-en-prefecture", "14", "not-met", CCEM,
     ("feb14", 184, "l'OICEM déplore la disparition du référent traite au sein des préfectures"),
     None,
     ("ccem", 174, "était déjà prévue dans le 1er plan et n'a donc pas été mise en œuvre")),
    # Restated in 2017 (l. 1286-1289); measure 20 is, in the CCEM's words, « cette mesure prévoyant des référents dans
    # les préfetures » (l. 174): taken up in the text. The CCEM only hopes they will be appointed: editorial reading.
    ("referent-traite-en-prefecture", "19-20", "met", EDITORS,
     ("ana17", 1286, "Il y a besoin de référent traite des êtres humains"),
     ("ccem", 174, "cette mesure prévoyant des référents dans les préfetures"),
     None),
    # The first plan's 50 cultural mediator posts (2017 text column, l. 166) were « ni mis en œuvre ni pérennisé » (CCEM l. 148).
    ("mediateurs-culturels-finances-etat", "14-1", "not-met", CCEM,
     ("ana17", 214, "Des postes de médiateurs culturels devraient être financés par l"),
     ("ana17", 166, "50 postes de médiateurs culturels seront créés"),
     ("ccem", 148, "ce qui n'a pas été mis en œuvre ni pérennisé")),
    # Measure 17 creates mediator posts again; the CCEM finds it interesting but asks for adequate funding (l. 148, 150).
    ("mediateurs-culturels-finances-etat", "19-17", "partly-met", CCEM,
     ("ana17", 214, "Des postes de médiateurs culturels devraient être financés par l"),
     ("ccem", 146, "Créer des postes de médiateurs « prévention/jeunesse »"),
     ("ccem", 148, "Cette mesure doit être accompagnée d'un financement adéquat")),
    # Funding for all forms (2017 l. 3438-3443): measure 37 « est limitée à la prévention de la prostitution » (l. 328).
    ("financement-toutes-formes-traite", "19-37", "not-met", CCEM,
     ("ana17", 3438, "Le Collectif souhaite que les fonds consacrés à la lutte contre la traite"),
     ("ccem", 326, "Financer les mesures du plan"),
     ("ccem", 328, "est limitée à la prévention de la prostitution")),
    # Accommodation for all victims, men included (2017 l. 1571-1574): no solution for men in measure 23 (l. 202).
    ("hebergement-toutes-victimes", "19-23", "not-met", CCEM,
     ("ana17", 1571, "Des propositions spécifiques doivent être faites pour les hommes"),
     ("ccem", 196, "Mobiliser les places d'hébergement existantes"),
     ("ccem", 202, "n'annonce aucune solution pour les hommes victimes d'exploitation par le travail")),
    # « Le dispositif Ac-Sé doit être renforcé » (2017 l. 1486); measure 22 « Renforcer le dispositif Ac.Sé » (l. 190).
    ("renforcer-ac-se", "19-22", "met", CCEM,
     ("ana17", 1486, "Le dispositif Ac-Sé doit être renforcé."),
     ("ccem", 190, "Renforcer le dispositif Ac.Sé"),
     ("ccem", 192, "Le renforcement du dispositif Ac.Sé. est fondamental")),
    # Attach the fight to the Prime Minister (2017 l. 45-47): it « devrait être rattachée » (CCEM l. 13).
    ("lutte-traite-rattachee-premier-ministre", "19", "not-met", CCEM,
     ("ana17", 45, "Il demande avec insistance que la lutte contre la traite"),
     ("ccem", 7, "Secrétaire d'État auprès du Premier ministre"),
     ("ccem", 13, "cette problématique devrait être rattachée à l'action du Premier ministre")),
    # Transparency of means (2017 l. 51): no costed budget envelopes (CCEM l. 17).
    ("transparence-des-moyens", "19", "not-met", CCEM,
     ("ana17", 51, "Il se prononce contre le manque de transparence des financements"),
     None,
     ("ccem", 17, "l'absence d'enveloppes budgétaires chiffrées")),
    # Systematic residence permits (2014 l. 101, 2017 l. 1220-1223): measure 21 « Rappeler les conditions de délivrance ».
    ("titre-sejour-systematique", "19-21", "not-met", EDITORS,
     ("feb14", 101, "La **délivrance du titre de séjour** doit être **systématique**"),
     ("ccem", 180, "Rappeler les conditions de délivrance des titres de séjour"),
     None),
    # ILO C189, recalled as unratified by the Collectif (2017 l. 2905): measure 40 promotes ratifications (l. 338).
    ("ratifier-convention-oit-189", "19-40", "not-known", EDITORS,
     ("ana17", 2905, "Le Collectif rappelle que la Convention sur le travail domestique"),
     ("ccem", 338, "Promouvoir la ratification des instruments internationaux"),
     None),
    # Rights without prior complaint (2014 l. 240): the CCEM will be vigilant that the national referral mechanism does
    # not leave out victims « qui ne dépose pas plainte » (l. 140).
    ("droits-sans-plainte-prealable", "19-16", "not-known", CCEM,
     ("feb14", 240, "l'ouverture des droits ne soit pas conditionnée par un dépôt préalable de plainte"),
     ("ccem", 132, "Mettre en place un mécanisme national de référence"),
     ("ccem", 140, "qui ne dépose pas plainte")),
    # A greater role for associations in identification (2017 l. 449-451): the MIPROF sides with police-only
    # identification (CCEM l. 176).
    ("role-associations-identification", "19-20", "not-met", CCEM,
     ("ana17", 449, "Donner plus de rôle aux associations spécialisées"),
     ("ccem", 172, "Renforcer le rôle des préfetures"),
     ("ccem", 176, "le CCEM regrette que la MIPROF s'associe à l'idée retenue par l'instruction ministérielle")),
    # Public awareness (2014 l. 97): measure 1 « Informer et sensibiliser » under « MOBILISER LA SOCIÉTÉ » (l. 36-38).
    ("sensibilisation-grand-public", "19-1", "met", EDITORS,
     ("feb14", 97, "tant **le grand public**"),
     ("ccem", 38, "Informer et sensibiliser sur les risques d'exploitation"),
     None),
    # No condition on access to accommodation (2017 l. 1451-1453): the OFII requires an association's attestation (l. 208).
    ("hebergement-sans-condition", "19-24", "not-met", CCEM,
     ("ana17", 1451, "Aucune condition (sans papier, par exemple)"),
     ("ccem", 206, "Spécialiser les structures de places d'hébergement"),
     ("ccem", 208, "sur la foi d'une attestation d'une association spécialisée")),
    # Referents in public prosecutors' offices for all forms (2017 l. 2550-2553): appointed by measure 34, but labour
    # exploitation cases are split off to another referent (CCEM l. 302-304).
    ("referents-traite-parquets", "19-34", "partly-met", CCEM,
     ("ana17", 2550, "Prévoir des référents traite des êtres humains"),
     ("ccem", 298, "Incrire la traite des êtres humains au cœur de la politique pénale des parquets"),
     ("ccem", 304, "un même dossier peut être traité par le référent traite des êtres humains")),
]
# fmt: on


@pytest.mark.parametrize(("demand", "answer", "expected", "judge", "stated", "words", "verdict_words"), CASES)
def test_hand_derived_response(asserted, demand, answer, expected, judge, stated, words, verdict_words):
    # other judges may answer the same pair (the 2014 minutes judge the first plan too): this judge's one
    found = [r for r in responses_to(asserted, demand, answer) if asserted.value(r, TEH.judgedBy) == judge]
    assert len(found) == 1, (demand, answer, found)
    (response,) = found
    assert asserted.value(response, TEH.verdict) == verdict(expected)
    assert asserted.value(response, TEH.judgedBy) == judge
    evidence_at(asserted, asserted.objects(response, TEH.demandEvidence), *stated)
    if words:
        evidence_at(asserted, asserted.objects(response, TEH.answerEvidence), *words)
    if verdict_words:
        node = evidence_at(asserted, asserted.objects(response, TEH.verdictEvidence), *verdict_words)
        assert asserted.value(node, TEH.statedBy) == judge
    else:
        assert asserted.value(response, TEH.verdictEvidence) is None


# --- what no printed measure of the second plan answers ---------------------------------------------
# Recurring demands for which the CCEM's document prints no measure that plainly addresses them: no response on the
# second plan (« no response recorded », not « never met »). Magistrates' training is asked again (l. 22, l. 306) but the
# training measures 13 and 14 are cited by number only; the national day of measure 4 is not a « Grande Cause Nationale »;
# the minors' demands (ad hoc guardians, presumption of minority, protection beyond 18, schooling, victim status)
# find only measure 25, which names none of them.
NO_SECOND_PLAN_RESPONSE = [
    "formation-magistrats-exploitation-travail",
    "grande-cause-nationale",
    "administrateurs-ad-hoc-mineurs",
    "presomption-de-minorite",
    "protection-au-dela-de-18-ans",
    "scolarite-et-formation-des-mineurs",
    "statut-victime-pour-mineurs",
    "cdpd-plus-qu-une-reunion-annuelle",
    "protection-identite-des-victimes",
    "associer-collectif-redaction-plan",
]


@pytest.mark.parametrize("demand", NO_SECOND_PLAN_RESPONSE)
def test_no_response_where_no_printed_measure_answers(asserted, demand):
    answers = [
        asserted.value(r, TEH.answeredIn) for r in asserted.subjects(TEH.respondsTo, ID[f"demand/{demand}"])
    ]
    assert not [a for a in answers if in_second_plan(asserted, a)], (demand, answers)


# --- restatements -------------------------------------------------------------------------------------


def test_convention_189_is_one_demand_stated_in_2017_and_by_the_ccem(asserted):
    # 2017 l. 2905-2906 « la Convention sur le travail domestique n'a pas été ratifiée par la France »;
    # CCEM l. 340 « le CCEM invite vivement la France à ratifier la Convention n°189 de l'OIT »
    demand = ID["demand/ratifier-convention-oit-189"]
    nodes = list(asserted.objects(demand, TEH.evidence))
    early = evidence_at(asserted, nodes, "ana17", 2906, "n’a pas été ratifiée par la France")
    late = evidence_at(asserted, nodes, "ccem", 340, "ratifier la Convention n°189 de l'OIT")
    assert asserted.value(early, TEH.statedBy) == COLLECTIF and asserted.value(late, TEH.statedBy) == CCEM
    assert {COLLECTIF, CCEM} <= set(asserted.objects(demand, TEH.demandedBy))
    assert (demand, TEH.about, ID["instrument/convention-oit-189"]) in asserted


def test_convention_189_recurs(store):
    rows = {r["demand"]: r for r in run_saved(store, CATALOG["recurring-demands"], {}).records()}
    assert int(rows[ID["demand/ratifier-convention-oit-189"]]["documents"]) == 2


# --- the two kinds, kept apart --------------------------------------------------------------------------


def file_of_responses() -> dict[URIRef, str]:
    data = project()
    return {
        response: str(name).rsplit("/", 1)[-1]
        for name in data.files
        for response in data.graph(name).subjects(RDF.type, TEH.Response)
    }


def test_editorial_responses_are_only_in_editorial_files():
    data = project()
    files = file_of_responses()
    assert EDITORIAL_FILE in set(files.values())
    for response, stem in files.items():
        graph = data.dataset.graph(GRAPH[stem])
        judge = graph.value(response, TEH.judgedBy)
        if stem.startswith("editorial-"):
            assert judge == EDITORS, response
        else:
            assert judge != EDITORS, (response, stem)


def test_editorial_readings_have_a_rationale_and_the_measures_words_but_no_verdict_quote(asserted):
    editorial = [r for r in responses(asserted) if asserted.value(r, TEH.judgedBy) == EDITORS]
    assert editorial
    for response in editorial:
        assert {o.language for o in asserted.objects(response, TEH.rationale)} == {"fr", "en"}, response
        assert list(asserted.objects(response, TEH.answerEvidence)), response
        assert asserted.value(response, TEH.verdictEvidence) is None, response


def test_every_source_verdict_has_the_quote_that_states_it_in_its_documents_file(asserted):
    files = file_of_responses()
    stated = [
        r for r in responses(asserted) if files[r] == CCEM_FILE
    ]  # the CCEM's (tests of 2014: their module)
    assert stated
    for response in stated:
        judge = asserted.value(response, TEH.judgedBy)
        quotes = list(asserted.objects(response, TEH.verdictEvidence))
        assert quotes, response
        assert asserted.value(response, TEH.rationale) is None, response
        for node in quotes:
            speaker = asserted.value(node, TEH.statedBy)  # the judge, or a person speaking for it
            assert speaker == judge or (speaker, ORG.memberOf, judge) in asserted, (response, node)
            doc = asserted.value(node, TEH.statedIn)
            assert str(doc).rsplit("/", 1)[-1] == files[response], (response, node)


def test_no_demand_and_measure_has_both_a_ccem_verdict_and_an_editorial_reading(asserted):
    # on the second plan; on the first, a source's verdict on what happened may stand beside an editorial
    # reading of the printed text (tests/test_data_responses_2014.py)
    pairs: dict[tuple, set] = {}
    for response in second_plan_responses(asserted):
        key = (asserted.value(response, TEH.respondsTo), asserted.value(response, TEH.answeredIn))
        pairs.setdefault(key, set()).add(asserted.value(response, TEH.judgedBy))
    assert all(len(judges) == 1 for judges in pairs.values()), {k: v for k, v in pairs.items() if len(v) > 1}


def test_the_ccem_responses_are_the_block_at_the_end_of_its_file():
    text = (PROJECT_DIR / "data" / f"{CCEM_FILE}.ttl").read_text(encoding="utf-8")
    header = text.index("# --- Responses (issue 14) ---")
    positions = [m.start() for m in re.finditer(r"^<response/", text, flags=re.M)]
    ccem = [r for r, stem in file_of_responses().items() if stem == CCEM_FILE]
    assert len(positions) == len(ccem) > 0
    assert min(positions) > header


# --- the second plan's responses read as the demands' lineage ----------------------------------------------


def second_plan_responses(graph: Graph) -> list[URIRef]:
    return [r for r in responses(graph) if in_second_plan(graph, graph.value(r, TEH.answeredIn))]


def statement_date(graph: Graph, evidence: URIRef) -> datetime.date | None:
    date = graph.value(evidence, DCTERMS.date) or graph.value(
        graph.value(evidence, TEH.statedIn), DCTERMS.date
    )
    return date.toPython() if date is not None else None


def test_second_plan_responses_answer_words_said_before_the_plan(asserted):
    for response in second_plan_responses(asserted):
        for node in asserted.objects(response, TEH.demandEvidence):
            date = statement_date(asserted, node)
            assert date is not None and date <= SECOND_PLAN_ANNOUNCED, (response, node)


def test_second_plan_answers_quote_the_ccem_document_and_titles_as_printed(asserted):
    for response in second_plan_responses(asserted):
        answered = asserted.value(response, TEH.answeredIn)
        for node in asserted.objects(response, TEH.answerEvidence):
            assert asserted.value(node, TEH.statedIn) == DOCS["ccem"], (response, node)
            quote = str(asserted.value(node, TEH.quote))
            if quote.startswith("Mesure "):  # a title: the answered measure's own, as the measure records it
                number = int(asserted.value(answered, TEH.number))
                title = str(asserted.value(answered, DCTERMS.title))
                assert quote == f"Mesure {number} : {title}", (response, quote)


def test_at_least_25_demands_have_a_response_on_the_second_plan(asserted):
    demands = {asserted.value(r, TEH.respondsTo) for r in second_plan_responses(asserted)}
    assert len(demands) >= 25


# Recurring demands (stated in two documents or years before the plan) that a measure of the second plan answers,
# from the cases above and the reading of the CCEM's document (measure: what the printed words or the CCEM say).
RECURRING_ANSWERED = {
    "financement-toutes-formes-traite": "19-37",  # l. 328
    "toutes-formes-de-traite": "19-6",  # l. 68-70
    "transparence-des-moyens": "19",  # l. 17
    "campagne-sensibilisation-interministerielle": "19-1",  # l. 42
    "hebergement-toutes-victimes": "19-23",  # l. 202
    "referent-traite-en-prefecture": "19-20",  # l. 174
    "cooperation-inspection-du-travail": "19-18",  # l. 154
    "cooperation-internationale": "19-45",  # l. 346
    "droits-sans-plainte-prealable": "19-16",  # l. 140
    "formation-des-acteurs": "19-15",  # l. 128
    "hebergement-structures-specialisees-et-generalistes": "19-23",  # l. 196
    "homogeneisation-pratiques-prefectures": "19-21",  # l. 180
    "mediateurs-culturels-dans-equipes-sociales": "19-17",  # l. 146
    "sensibilisation-grand-public": "19-1",  # l. 36-38
    "titre-sejour-systematique": "19-21",  # l. 180
    "extension-approche-loi-2016-toutes-formes": "19-37",  # l. 330
    "inspecteurs-travail-identification": "19-20",  # l. 176
    "lutte-traite-rattachee-premier-ministre": "19",  # l. 13
    "places-hebergement-dediees": "19-23",  # l. 198
    "renforcer-ac-se": "19-22",  # l. 190-192
    "role-associations-identification": "19-16",  # l. 144
    "ratifier-convention-oit-189": "19-40",  # l. 338-340
}


def test_recurring_demands_have_their_second_plan_response(store, asserted):
    recurring = {r["demand"] for r in run_saved(store, CATALOG["recurring-demands"], {}).records()}
    for demand, answer in RECURRING_ANSWERED.items():
        assert ID[f"demand/{demand}"] in recurring, demand
        assert len(responses_to(asserted, demand, answer)) == 1, (demand, answer)
    # and the recurring demands read as unanswered by the second plan are recurring too
    assert {ID[f"demand/{d}"] for d in NO_SECOND_PLAN_RESPONSE} - {
        ID["demand/associer-collectif-redaction-plan"]  # stated once (2017)
    } <= recurring


def test_the_prefecture_referent_reads_as_a_lineage(asserted):
    # stated 3 Feb 2014 -> first plan: not met (CCEM l. 174) -> restated 2017 -> measure 20 -> restated by the CCEM
    demand = ID["demand/referent-traite-en-prefecture"]
    dates = sorted(d for e in asserted.objects(demand, TEH.evidence) if (d := statement_date(asserted, e)))
    assert dates[0] == datetime.date(2014, 2, 3) and datetime.date(2017, 3, 9) in dates
    answered = {asserted.value(r, TEH.answeredIn) for r in asserted.subjects(TEH.respondsTo, demand)}
    assert {FIRST_PLAN, target("19-20")} <= answered
    ccem_statements = [
        e for e in asserted.objects(demand, TEH.evidence) if asserted.value(e, TEH.statedIn) == DOCS["ccem"]
    ]
    assert ccem_statements  # the CCEM asks again after the plan (l. 174)


def test_every_response_of_this_plan_has_french_and_english_labels_naming_the_demand(asserted):
    mine = [r for r, stem in file_of_responses().items() if stem in (CCEM_FILE, EDITORIAL_FILE)]
    assert mine
    for response in mine:
        labels = {label.language: str(label) for label in asserted.objects(response, RDFS.label)}
        assert set(labels) == {"fr", "en"}, response
        demand_fr = {
            str(x)
            for x in asserted.objects(asserted.value(response, TEH.respondsTo), RDFS.label)
            if x.language == "fr"
        }
        assert any(f"« {d} »" in labels["fr"] for d in demand_fr), response
        assert asserted.value(response, DCTERMS.description) is not None, response
