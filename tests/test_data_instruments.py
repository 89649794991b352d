"""Legal instruments the five documents name, the planned instruments of the measure boxes, IRI hygiene
(every IRI under id/ typed and labelled) and the English labels of plans, sections, measures and instruments.

Expectations are written from the source texts in data/sources/ (each with the line where the text names
it, checked against the file), not from the graph. Uses the session fixture `asserted` (ontology + data, no
inference) from tests/conftest.py.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from tehgraph.checks import load_checks, run_checks
from tehgraph.namespaces import ID, TEH
from tehgraph.stores import OxigraphStore

from .conftest import FIXTURES, PROJECT_DIR

ELI = Namespace("http://data.europa.eu/eli/ontology#")
SOURCES = PROJECT_DIR / "data" / "sources"

COLLECTIF = ID["doc/collectif-2017-03-09"]
CR_FEB = ID["doc/cr-2014-02-03"]
CR_SEP = ID["doc/cr-2014-09-29"]
CR_JUN = ID["doc/cr-2015-06-26"]
CCEM = ID["doc/ccem-observations-pan-2019-2021"]
FILES = {
    COLLECTIF: "2017-03-09-collectif-analyse-pan-2014-2016.txt",
    CR_FEB: "2014-02-03-cr-reunion-ministre-droits-des-femmes.txt",
    CR_SEP: "2014-09-29-cr-reunion-collectif.txt",
    CR_JUN: "2015-06-26-cr-reunion-collectif.txt",
    CCEM: "ccem-observations-pan-2019-2021.txt",
}
PLAN_1 = ID["plan/pan-2014-2016"]
PLAN_2 = ID["plan/pan-2019-2021"]
CODE_PENAL = ID["instrument/code-penal"]
CHECK = "untyped-or-unlabelled-resource-violation"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def lines_of(doc: URIRef, start: int, end: int) -> str:
    lines = (SOURCES / FILES[doc]).read_text(encoding="utf-8").splitlines()
    return norm(" ".join(lines[start - 1 : end]))


def instrument(slug: str) -> URIRef:
    return ID[f"instrument/{slug}"]


def measure(plan: str, n: int) -> URIRef:
    return ID[f"measure/{plan}/{n}"]


def fr_labels(graph: Graph, node: URIRef) -> list[str]:
    return [str(x) for x in graph.objects(node, RDFS.label) if getattr(x, "language", None) == "fr"]


# ------------------------------------------------------------------ instruments named by the documents

# slug -> (class, {document: (first line, last line, words printed there)})
NAMED = {
    "declaration-otan-istanbul-2004": (
        TEH.LegalInstrument,
        {
            COLLECTIF: (
                1078,
                1079,
                "déclaration des chefs d’Etat et de gouvernements des pays de l’OTAN, de juin 2004 à Istanbul",
            )
        },
    ),
    "constitution": (TEH.LegalInstrument, {CR_JUN: (410, 412, "contraire à notre constitution")}),
    "loi-decentralisation": (TEH.Law, {CR_JUN: (225, 225, "la loi sur la décentralisation")}),
    "protocole-mineurs-isoles-etrangers": (
        TEH.LegalInstrument,
        {COLLECTIF: (2190, 2191, "protocole relatif à la protection des mineurs isolés étrangers")},
    ),
    "decret-application-loi-2013-01-28": (
        TEH.Decree,
        {COLLECTIF: (2698, 2701, "la loi du 28 janvier 2013 portant diverses dispositions")},
    ),
    "decret-global": (TEH.Decree, {COLLECTIF: (1902, 1902, "le décret global")}),
    "decret-referentiel-prevention-sante": (
        TEH.Decree,
        {COLLECTIF: (1907, 1908, "le décret publiant le référentiel prévention santé")},
    ),
    "loi-finances": (TEH.Law, {COLLECTIF: (61, 61, "les lignes de la loi de finance")}),
    "circulaire-justice-2015-01-22": (
        TEH.Circular,
        {CR_JUN: (18, 18, "circulaire du Ministère de la Justice du 22 janvier 2015")},
    ),
    "convention-onu-1949": (
        TEH.Convention,
        {
            CR_JUN: (391, 391, "la Convention de l’ONU de 1949"),
            COLLECTIF: (3069, 3069, "Convention de New York du 2 décembre 1949"),
        },
    ),
}

# Code articles as printed (one resource per article, or per range printed as one citation):
# slug -> (code, number, {document: (first line, last line, words printed there)})
ARTICLES = {
    "code-penal-225-4-1": (CODE_PENAL, "225-4-1", {COLLECTIF: (2592, 2592, "l’article 225-4-1")}),
    "code-penal-131-21": (CODE_PENAL, "131-21", {COLLECTIF: (2566, 2566, "articles 131-21 alinéa 6")}),
    "code-penal-225-25": (CODE_PENAL, "225-25", {COLLECTIF: (2566, 2567, "et 225-25 du code pénal")}),
    "code-penal-225-4-1-a-225-4-6": (
        CODE_PENAL,
        "225-4-1 à 225-4-6",
        {COLLECTIF: (1275, 1275, "articles 225-4-1 à 225-4-6")},
    ),
    "code-penal-225-5-a-225-10": (
        CODE_PENAL,
        "225-5 à 225-10",
        {COLLECTIF: (1275, 1275, "225-5 à 225-10du code")},
    ),
    "code-penal-225-4-1-a-225-4-9": (
        CODE_PENAL,
        "225-4-1 à 225-4-9",
        {COLLECTIF: (3393, 3393, "(art. 225-4-1 à 225-4-9)")},
    ),
    "code-penal-225-5-a-225-12": (
        CODE_PENAL,
        "225-5 à 225-12",
        {COLLECTIF: (3394, 3395, "(art. 255-5 à 225- 12)")},
    ),
    "code-penal-225-12-1-a-225-12-4": (
        CODE_PENAL,
        "225-12-1 à 225-12-4",
        {COLLECTIF: (3396, 3396, "(art. 225-12-1 à 225-12-4)")},
    ),
    "code-penal-225-12-5-a-225-12-7": (
        CODE_PENAL,
        "225-12-5 à 225-12-7",
        {COLLECTIF: (3397, 3397, "(art. 225-12-5 à 225-12-7)")},
    ),
    "code-penal-225-13-a-225-16": (
        CODE_PENAL,
        "225-13 à 225-16",
        {COLLECTIF: (3400, 3400, "(Articles 225-13 à 225-16)")},
    ),
    "ceseda-l316-1": (
        instrument("ceseda"),
        "L316-1",
        {COLLECTIF: (1314, 1315, "les articles L.316-1 et L 316-1-1 du CESEDA")},
    ),
    "ceseda-l316-1-1": (instrument("ceseda"), "L316-1-1", {COLLECTIF: (1314, 1315, "L 316-1-1 du CESEDA")}),
    "code-travail-l8112-2": (
        instrument("code-travail"),
        "L8112-2",
        {COLLECTIF: (2628, 2629, "article L. 8112-2 du code du travail")},
    ),
    "code-monetaire-financier-l561-27": (
        instrument("code-monetaire-financier"),
        "L561-27",
        {COLLECTIF: (2743, 2743, "l’articleL561-27 du code monétaire")},
    ),
}


@pytest.mark.parametrize("slug", sorted(NAMED))
def test_named_instrument_exists_typed_labelled_and_mentioned(asserted, slug):
    kind, docs = NAMED[slug]
    node = instrument(slug)
    assert (node, RDF.type, kind) in asserted
    assert len(fr_labels(asserted, node)) == 1
    for doc, (start, end, words) in docs.items():
        assert words in lines_of(doc, start, end), (doc, start, words)
        assert (node, TEH.mentionedIn, doc) in asserted, doc


@pytest.mark.parametrize("slug", sorted(ARTICLES))
def test_code_article_is_part_of_its_code_and_mentioned(asserted, slug):
    code, number, docs = ARTICLES[slug]
    node = instrument(slug)
    assert (node, RDF.type, TEH.CodeArticle) in asserted
    assert (node, ELI.is_part_of, code) in asserted
    assert asserted.value(node, TEH.instrumentNumber) == Literal(number)
    assert len(fr_labels(asserted, node)) == 1
    for doc, (start, end, words) in docs.items():
        assert words in lines_of(doc, start, end), (doc, start, words)
        assert (node, TEH.mentionedIn, doc) in asserted, doc


def test_every_article_number_printed_in_the_sources_is_modelled(asserted):
    """Scan the texts for article numbers (« 225-4-1 », « L.316-1 », « L. 8112-2 »…): each is an article's
    number or a bound of a range. « 255-5 » (l. 3394) is read as 225-5, see the range's skos:note."""
    printed = set()
    for name in FILES.values():
        text = norm((SOURCES / name).read_text(encoding="utf-8"))
        text = re.sub(r"(\d)- (\d)", r"\1-\2", text)  # « 225- 12 » broken across lines
        for match in re.findall(r"(?<![\d/])(?:L ?\.? ?)?(\d{3,4}(?:-\d+)+)(?![\d/])", text):
            if not re.match(r"(19|20)\d\d-", match):  # years and year ranges (2014-2016, décret n°2013-7)
                printed.add(match)
    printed = {"225-5" if n == "255-5" else n for n in printed}
    modelled = set()
    for node in asserted.subjects(RDF.type, TEH.CodeArticle):
        for bound in str(asserted.value(node, TEH.instrumentNumber)).split(" à "):
            modelled.add(bound.removeprefix("L"))
    assert printed, "the scan found no article numbers"
    assert printed <= modelled, printed - modelled


def test_bill_article_6_cites_the_two_ranges(asserted):
    # « L'article 6 de la proposition de loi [...] vise l'étranger victime des infractions prévues aux articles
    # 225-4-1 à 225-4-6 et 225-5 à 225-10du code pénal » (2017-03-09, l. 1273-1275).
    assert "L’article 6 de la proposition de loi renforçant la lutte contre le" in lines_of(
        COLLECTIF, 1273, 1273
    )
    cited = set(asserted.objects(instrument("ppl-systeme-prostitutionnel"), ELI.cites))
    assert {instrument("code-penal-225-4-1-a-225-4-6"), instrument("code-penal-225-5-a-225-10")} <= cited


def test_measure_21_links_the_ranges_its_text_prints(asserted):
    # The plan's text of measure 21 (l. 3392-3400) prints five ranges of articles of the code pénal.
    in_measure_21 = {
        slug for slug, (_, number, docs) in ARTICLES.items() if " à " in number and docs[COLLECTIF][0] >= 3392
    }
    assert len(in_measure_21) == 5
    assert {instrument(s) for s in in_measure_21} <= set(
        asserted.objects(measure("pan-2014-2016", 21), TEH.instrument)
    )


def test_measures_4_and_14_link_the_texts_their_text_names(asserted):
    assert instrument("declaration-otan-istanbul-2004") in set(
        asserted.objects(measure("pan-2014-2016", 4), TEH.instrument)
    )
    assert asserted.value(instrument("declaration-otan-istanbul-2004"), DCTERMS.date) == Literal(
        "2004-06", datatype=XSD.gYearMonth
    )
    m14 = set(asserted.objects(measure("pan-2014-2016", 14), TEH.instrument))
    assert {instrument("loi-2013-01-28"), instrument("decret-application-loi-2013-01-28")} <= m14
    assert (
        instrument("decret-application-loi-2013-01-28"),
        ELI.based_on,
        instrument("loi-2013-01-28"),
    ) in asserted


def test_undated_texts_carry_no_invented_date(asserted):
    for slug in (
        "constitution",
        "loi-decentralisation",
        "protocole-mineurs-isoles-etrangers",
        "decret-global",
        "decret-referentiel-prevention-sante",
        "loi-finances",
        "decret-application-loi-2013-01-28",
    ):
        assert asserted.value(instrument(slug), DCTERMS.date) is None, slug
        assert any(True for _ in asserted.objects(instrument(slug), SKOS.note)), slug


# ------------------------------------------------------------------ planned instruments of the boxes

PLANNED_ENTRY = re.compile(r"^(circulaires?|modification|instrument législatif|arrêté)\b", re.IGNORECASE)


def box_entries(text: str) -> list[str]:
    return [e.strip().rstrip(".") for e in norm(text).split(", ")]


def kind_of(entry: str) -> URIRef:
    low = entry.lower()
    if low.startswith("circulaire"):
        return TEH.Circular
    if low.startswith("arrêté"):
        return TEH.Order
    if "décret" in low:
        return TEH.Decree
    return (
        TEH.Law
    )  # « Instrument législatif », « Modification législative », « Modification de l'article L. … »


def planned_of(graph: Graph, m: URIRef) -> set[URIRef]:
    return {i for i in graph.objects(m, TEH.instrument) if (i, RDF.type, TEH.PlannedInstrument) in graph}


def first_plan_boxes(graph: Graph) -> dict[int, str]:
    boxes = {}
    for m in graph.subjects(TEH.inPlan, PLAN_1):
        text = graph.value(m, TEH.instrumentText)
        if text is not None:
            boxes[int(graph.value(m, TEH.number))] = str(text)
    return boxes


def test_planned_instrument_class(asserted):
    assert (TEH.PlannedInstrument, RDFS.subClassOf, TEH.LegalInstrument) in asserted
    for lang in ("fr", "en"):
        assert any(x.language == lang for x in asserted.objects(TEH.PlannedInstrument, RDFS.label))
        assert any(x.language == lang for x in asserted.objects(TEH.PlannedInstrument, RDFS.comment))
    assert "not yet adopted when the plan was printed" in str(
        next(x for x in asserted.objects(TEH.PlannedInstrument, RDFS.comment) if x.language == "en")
    )


def test_one_planned_instrument_per_announcing_box_entry(asserted):
    boxes = first_plan_boxes(asserted)
    assert len(boxes) == 15  # measures printing an « Instrument(s) : » line
    total = 0
    for n, text in sorted(boxes.items()):
        entries = [e for e in box_entries(text) if PLANNED_ENTRY.match(e)]
        planned = planned_of(asserted, measure("pan-2014-2016", n))
        assert len(planned) == len(entries), (n, entries, planned)
        labels = {fr_labels(asserted, p)[0] for p in planned}
        assert labels == set(entries), n
        for p in planned:
            label = fr_labels(asserted, p)[0]
            assert (p, RDF.type, kind_of(label)) in asserted, p
            assert str(p).startswith(str(ID[f"instrument/planned/pan-2014-2016/{n}/"])), p
            assert (p, TEH.mentionedIn, COLLECTIF) in asserted, p
            assert asserted.value(p, DCTERMS.date) is None, p
        total += len(entries)
    assert total == 12


def test_planned_instruments_are_not_shared_between_measures(asserted):
    seen: dict[URIRef, URIRef] = {}
    for m, i in asserted.subject_objects(TEH.instrument):
        if (i, RDF.type, TEH.PlannedInstrument) in asserted:
            assert seen.setdefault(i, m) == m, i


def test_planned_amendments_name_what_they_amend(asserted):
    m13 = planned_of(asserted, measure("pan-2014-2016", 13))
    assert {o for p in m13 for o in asserted.objects(p, ELI.amends)} == {instrument("code-travail-l8112-2")}
    assert "Il convient de modifier la loi" in lines_of(COLLECTIF, 2622, 2622)
    decrees = instrument("planned/pan-2014-2016/22/modification-decrets-2006-2008")
    assert set(asserted.objects(decrees, ELI.amends)) == {
        instrument("decret-2006-06-07"),
        instrument("decret-2008-04-18"),
    }


def test_measures_relying_on_a_circular_is_a_plain_query(asserted):
    boxes = first_plan_boxes(asserted)
    expected = {n for n, text in boxes.items() if "circulaire" in text.lower()}
    assert expected == {1, 7, 8, 9, 10, 12, 22}
    rows = asserted.query(
        """SELECT DISTINCT ?n WHERE { ?m teh:inPlan ?plan ; teh:number ?n ; teh:instrument ?i . ?i a teh:Circular }""",
        initNs={"teh": TEH},
        initBindings={"plan": PLAN_1},
    )
    assert {int(r.n) for r in rows} == expected


def test_measures_needing_a_change_of_law_is_a_plain_query(asserted):
    boxes = first_plan_boxes(asserted)
    expected = {
        n
        for n, text in boxes.items()
        for e in box_entries(text)
        if PLANNED_ENTRY.match(e) and kind_of(e) == TEH.Law
    }
    assert expected == {6, 13, 23}
    rows = asserted.query(
        """SELECT DISTINCT ?n WHERE { ?m teh:inPlan ?plan ; teh:number ?n ; teh:instrument ?i .
                                      ?i a teh:PlannedInstrument , teh:Law }""",
        initNs={"teh": TEH},
        initBindings={"plan": PLAN_1},
    )
    assert {int(r.n) for r in rows} == expected


def test_box_entries_naming_existing_texts_or_actions_get_no_planned_instrument(asserted):
    for n in (5, 11, 15, 16, 17):
        assert planned_of(asserted, measure("pan-2014-2016", n)) == set(), n
        assert any(x.language == "fr" for x in asserted.objects(measure("pan-2014-2016", n), SKOS.note)), n


def test_second_plan_planned_circulars_as_the_ccem_reports_them(asserted):
    assert (
        "s'il est prévu la rédaction d'une nouvelle circulaire venant en remplacement de l'instruction ministérielle du 19 mai 2015"
        in lines_of(CCEM, 186, 186)
    )
    assert "si une circulaire de politique pénale est envisagée" in lines_of(CCEM, 290, 290)
    m21 = planned_of(asserted, measure("pan-2019-2021", 21))
    m32 = planned_of(asserted, measure("pan-2019-2021", 32))
    assert len(m21) == 1 and len(m32) == 1
    (new,) = m21
    assert (new, RDF.type, TEH.Circular) in asserted
    assert (new, TEH.replaces, instrument("instruction-interieur-2015-05-19")) in asserted
    (penal,) = m32
    assert fr_labels(asserted, penal) == ["Circulaire de politique pénale"]
    for p in (new, penal):
        assert (p, TEH.mentionedIn, CCEM) in asserted
        assert any(True for _ in asserted.objects(p, SKOS.note)), p
    # The circular the CCEM itself asks for under measure 34 (l. 306) is a demand, not a planned instrument.
    assert planned_of(asserted, measure("pan-2019-2021", 34)) == set()


# ------------------------------------------------------------------ one IRI per instrument


def test_no_duplicate_convention_of_1949(asserted):
    old = instrument("convention-new-york-1949")
    assert not any(True for _ in asserted.triples((old, None, None)))
    assert not any(True for _ in asserted.triples((None, None, old)))
    onu = instrument("convention-onu-1949")
    assert Literal("convention de New York du 2 décembre 1949", lang="fr") in set(
        asserted.objects(onu, SKOS.altLabel)
    )
    figure = ID["figure/collectif-2017-03-09/etats-membres-new-york-1949"]
    assert onu in set(asserted.objects(figure, TEH.about))


def test_adopted_instruments_have_distinct_french_labels(asserted):
    seen: dict[str, URIRef] = {}
    for node in set(asserted.subjects(RDF.type, None)):
        if (
            not str(node).startswith(str(ID["instrument/"]))
            or (node, RDF.type, TEH.PlannedInstrument) in asserted
        ):
            continue
        for label in fr_labels(asserted, node):
            key = norm(label).casefold()
            assert seen.setdefault(key, node) == node, (label, node, seen[key])


# ------------------------------------------------------------------ the check: typed and labelled IRIs


def run_check(graph: Graph):
    return run_checks(OxigraphStore.from_graph(graph), {CHECK: load_checks(PROJECT_DIR)[CHECK]}).outcomes[0]


def test_check_passes_on_its_passing_fixture():
    outcome = run_check(Graph().parse(FIXTURES / "checks" / "untyped-or-unlabelled-resource-pass.ttl"))
    assert outcome.passed, outcome.result.records()


def test_check_flags_a_dangling_reference_and_an_unlabelled_resource():
    graph = Graph().parse(FIXTURES / "checks" / "untyped-or-unlabelled-resource-pass.ttl")
    graph.add((ID["measure/exemple/1"], TEH.instrument, instrument("faute-de-frappe")))
    graph.add((ID["measure/exemple/1"], RDF.type, TEH.Measure))
    outcome = run_check(graph)
    missing = {str(r["resource"]): str(r["missing"]) for r in outcome.result.records()}
    assert missing == {
        str(instrument("faute-de-frappe")): "rdf:type, rdfs:label",
        str(ID["measure/exemple/1"]): "rdfs:label",
    }


def test_real_data_passes_the_check(asserted):
    outcome = run_check(asserted)
    assert outcome.passed, outcome.result.records()


# ------------------------------------------------------------------ teh:held


def test_held_false_means_planned_not_reported_as_held(asserted):
    labels = {x.language: str(x) for x in asserted.objects(TEH.held, RDFS.label)}
    assert labels == {"fr": "rapportée comme tenue", "en": "reported as held"}
    comments = {x.language: str(x) for x in asserted.objects(TEH.held, RDFS.comment)}
    assert "prévue, non rapportée comme tenue" in comments["fr"]
    assert "planned, not reported as held" in comments["en"]
    assert "does not mean the meeting did not take place" in comments["en"]


# ------------------------------------------------------------------ English labels: one translation per term

# French term (regex on the accent-folded, lower-cased French label) -> English word the English label must contain.
TRANSLATIONS = [
    (r"\bauteurs\b", "perpetrators"),
    (r"\brenforc(er|ant)\b", "strengthen"),
    (r"\bpoursuivre\b", "continue"),
    (r"\bperenniser\b", "sustain"),
    (r"\bmener\b", "conduct"),
    (r"\bincrimination\b", "offence"),
    (r"\blutte contre\b", "fight against"),
    (r"\bstructures\b", "facilities"),
    (r"\bsensibilis", "awareness"),
    (r"\bhebergement\b", "accommodation"),
    (r"\bdispositifs?\b", "scheme"),
    (r"\bformations?\b", "training"),
    (r"\bmineurs victimes\b", "child victims"),
    (r"\bmineurs\b(?! victimes)", "minors"),
    (r"\bmodification\b", "amendment"),
    (r"\bcirculaires?\b", "circular"),
    (r"\bdecrets?\b", "decree"),
    (r"\bcode penal\b", "criminal code"),
    (r"\btraite\b", "traffick"),
    (r"\bvictimes\b", "victim"),
    (r"\bparquets\b", "public prosecutors"),
    (r"\bsejour\b", "residence"),
]
# Official English titles of treaties and EU acts are kept as published, whatever their wording.
OFFICIAL_TITLES = {
    "convention-varsovie-2005",
    "directive-2011-36-ue",
    "convention-onu-1949",
    "protocole-palerme",
}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def test_one_english_translation_per_french_term(asserted):
    checked = 0
    for node in set(asserted.subjects(RDFS.label, None)):
        iri = str(node)
        if not re.match(re.escape(str(ID)) + r"(plan|measure|instrument)/", iri):
            continue
        if iri.rsplit("/", 1)[1] in OFFICIAL_TITLES or "/item/" in iri:
            continue
        fr = [fold(x) for x in asserted.objects(node, RDFS.label) if x.language == "fr"]
        en = [str(x).lower() for x in asserted.objects(node, RDFS.label) if x.language == "en"]
        if not fr or not en:
            continue
        for french, english in TRANSLATIONS:
            if re.search(french, fr[0]):
                checked += 1
                assert english in en[0], (iri, french, en[0])
    assert checked > 100


def test_no_offenders_for_auteurs(asserted):
    m11 = measure("pan-2014-2016", 11)
    en = next(str(x) for x in asserted.objects(m11, RDFS.label) if x.language == "en")
    assert "perpetrators" in en and "offenders" not in en
    assert "AUTEURS ET VICTIMES" in lines_of(COLLECTIF, 2329, 2329)


def test_every_planned_or_new_instrument_has_an_english_label(asserted):
    for node in (
        set(asserted.subjects(RDF.type, TEH.PlannedInstrument))
        | {instrument(s) for s in NAMED}
        | {instrument(s) for s in ARTICLES}
    ):
        assert any(x.language == "en" for x in asserted.objects(node, RDFS.label)), node


def test_source_files_exist():
    for name in FILES.values():
        assert Path(SOURCES / name).is_file(), name
