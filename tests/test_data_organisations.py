"""Every body and person the five documents name, one IRI per body, the ministries' succession (issue 15).

Expectations come from the source texts in data/sources/: each body below is looked for in the five texts
with the pattern given (the words the text prints, line breaks allowed), and must be mentioned
(`teh:mentionedIn`) by exactly the documents whose text holds it. Uses the session fixtures `asserted`
(ontology + data, no inference) and `store` (the built graph) from tests/conftest.py.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from tehgraph.catalog import load_catalog, run_saved
from tehgraph.load import load_project
from tehgraph.namespaces import GRAPH, ID, TEH

from .conftest import PROJECT_DIR

CATALOG = load_catalog(PROJECT_DIR)
EDITORS = ID["org/tehgraph-editors"]
EDITORIAL = GRAPH["editorial-ministries"]
DOCS = {
    "feb": ID["doc/cr-2014-02-03"],
    "sep": ID["doc/cr-2014-09-29"],
    "jun": ID["doc/cr-2015-06-26"],
    "ana": ID["doc/collectif-2017-03-09"],
    "ccem": ID["doc/ccem-observations-pan-2019-2021"],
}
W1 = ID["org/ministere-droits-femmes"]  # 3 February 2014
W2 = ID["org/ministere-droits-femmes-ville-jeunesse-sports"]  # boxes of the plan of May 2014
S1 = ID["org/ministere-affaires-sociales-sante"]  # plan of May 2014
S2 = ID["org/ministere-affaires-sociales"]  # 29 September 2014
MIPROF = ID["org/miprof"]
NETWORK, SCHEME = ID["org/ac-se"], ID["org/dispositif-ac-se"]


def org(slug: str) -> URIRef:
    return ID[slug if "/" in slug else f"org/{slug}"]


@cache
def source_text(doc: URIRef) -> str:
    graph = load_project(PROJECT_DIR).dataset.graph(GRAPH["sources"])
    return (PROJECT_DIR / str(graph.value(doc, TEH.sourceFile))).read_text(encoding="utf-8")


def source_lines(doc: URIRef, start: int, end: int) -> str:
    lines = source_text(doc).splitlines()[start - 1 : end]
    return " ".join(" ".join(lines).split())


def documents_printing(pattern: str) -> set[URIRef]:
    return {doc for doc in DOCS.values() if re.search(pattern, source_text(doc))}


def french(graph: Graph, node: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "fr"]


def english(graph: Graph, node: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "en"]


def quote_of(graph: Graph, evidence: URIRef) -> str:
    return " ".join(str(graph.value(evidence, TEH.quote)).split())


def assert_quoted(graph: Graph, evidence: URIRef, doc: URIRef, *words: str) -> None:
    assert graph.value(evidence, TEH.statedIn) == doc
    start, end = int(graph.value(evidence, TEH.lineStart)), int(graph.value(evidence, TEH.lineEnd))
    quote = quote_of(graph, evidence)
    assert quote in source_lines(doc, start, end)
    for word in words:
        assert word in quote, (evidence, word)


# --- every body named gets a resource, mentioned by the documents that print it -----------------------------

# (IRI, class, pattern of the words the texts print). The documents that must mention each body are those whose
# text matches the pattern (computed from the files, not listed here).
BODIES = [
    ("gouvernement", TEH.PublicBody, r"\b[Gg]ouvernement\b"),
    ("conseil-des-ministres", TEH.PublicBody, r"Conseil des ministres"),
    ("etat", TEH.PublicBody, r"\bl['’](?:Etat|État)\b(?! membre)"),
    ("cabinet-ministre-droits-femmes", TEH.PublicBody, r"[Cc]abinet de (?:Mme Vallaud-Belkacem|la ministre)"),
    ("cabinet-ministre-interieur", TEH.PublicBody, r"Cabinet du\s+Minist(?:re|ère) de (?:I|l)['’]Intérieur"),
    ("cabinet-ministre-justice", TEH.PublicBody, r"Cabinet de Christiane Taubira"),
    (
        "cabinet-secretariat-etat-droits-femmes",
        TEH.PublicBody,
        r"Cabinet de la Secrétaire d.Etat au droit des femmes",
    ),
    ("cabinet-president-republique", TEH.PublicBody, r"cabinet du\s+Président de la République"),
    ("police-nationale", TEH.PublicBody, r"\bla police\b|police et de la\s+gendarmerie nationale"),
    ("ofpra", TEH.PublicBody, r"Office\s+français de protection des réfugiés"),
    ("ocriest", TEH.PublicBody, r"OCRIEST"),
    ("codaf", TEH.PublicBody, r"CODAF"),
    ("pjj", TEH.PublicBody, r"\bD?PJJ\b|Protection\s+judiciaire de la jeunesse"),
    (
        "administration-penitentiaire",
        TEH.PublicBody,
        r"[Aa]dministration pénitentiaire|services\s+pénitentiaires",
    ),
    ("conseil-superieur-programmes", TEH.PublicBody, r"Conseil supérieur des\s+programmes"),
    ("mairie-de-paris", TEH.PublicBody, r"Mairie de Paris"),
    ("hadopi", TEH.PublicBody, r"HADOPI"),
    ("ueat-paris", TEH.PublicBody, r"UEAT"),
    ("miprof-comite-orientation", TEH.PublicBody, r"comité d.orientation"),
    ("miprof-comite-coordination", TEH.PublicBody, r"comité de coordination de la MIPROF"),
    ("cncdh-assemblee-pleniere", TEH.PublicBody, r"assemblée plénière"),
    ("gt-mineurs-experimentation", TEH.PublicBody, r"groupes de travail interministériels sur les mineurs"),
    ("gt-mineurs-identification", TEH.PublicBody, r"groupes de travail interministériels sur les mineurs"),
    (
        "gt-exploitation-sexuelle",
        TEH.PublicBody,
        r"groupe de travail interministériel sur la traite à des fins d.exploitation sexuelle",
    ),
    (
        "gt-exploitation-travail",
        TEH.PublicBody,
        r"groupe de travail interministériel sur la traite à des fins d.exploitation par le travail",
    ),
    ("dispositif-ac-se", TEH.PublicBody, r"(?i)dispositif\s+ac[.-]\s*s[ée]"),
    (
        "dispositif-national-accueil-demandeurs-asile",
        TEH.PublicBody,
        r"dispositif national d.accueil des demandeurs d.asile",
    ),
    ("jc-decaux", TEH.Organisation, r"J\.-C\. Decaux"),
    ("cfdt-service-economie-societe", TEH.Organisation, r"Service Economie et Société"),
    (
        "mouvement-du-nid-groupe-juridique",
        TEH.Organisation,
        r"groupe de travail juridique du Mouvement du Nid",
    ),
    (
        "rem-point-contact-france",
        TEH.Organisation,
        r"point de contact fran.ais du Réseau européen des migrations",
    ),
    ("union-europeenne", TEH.InternationalBody, r"['’]UE\b|l['’]Union\s+européenne"),
    ("parlement-europeen", TEH.InternationalBody, r"Parlement européen"),
    ("conseil-ue", TEH.InternationalBody, r"Parlement européen et du Conseil|JAI du\s+Conseil"),
    ("eurojust", TEH.InternationalBody, r"Eurojust"),
    ("otan", TEH.InternationalBody, r"OTAN"),
    ("asem", TEH.InternationalBody, r"ASEM"),
    ("conseil-securite-onu", TEH.InternationalBody, r"Conseil de Sécurité"),
    (
        "plateforme-europeenne-traite",
        TEH.InternationalBody,
        r"Plateforme\s+européenne pour lutter\s+contre la traite",
    ),
    ("group/chrs", TEH.ActorGroup, r"\bCHRS\b|[Cc]entres? d.hébergement et de\s+réinsertion\s+sociale"),
    ("group/offices-centraux", TEH.ActorGroup, r"offices centraux"),
    ("group/tribunaux-administratifs", TEH.ActorGroup, r"tribunal administratif"),
    ("group/tribunaux", TEH.ActorGroup, r"les tribunaux"),
    ("group/tribunaux-grande-instance", TEH.ActorGroup, r"Tribunaux de grande instance"),
    ("group/maisons-justice-droit", TEH.ActorGroup, r"Maisons de la justice et du\s+droit"),
    (
        "group/commissions-specialisees-cdpd",
        TEH.ActorGroup,
        r"(?i)commissions?\s+spécialisées?\s+des\s+conseils\s+départementaux",
    ),
    (
        "group/commissions-exploitation-prostitution-zsp",
        TEH.ActorGroup,
        r"commissions sur l.exploitation de la\s+prostitution",
    ),
    ("group/coordinations-departementales", TEH.ActorGroup, r"coordinations départementales"),
    ("group/rapporteurs-speciaux", TEH.ActorGroup, r"rapporteurs spéciaux"),
    ("group/deputes", TEH.ActorGroup, r"\bdéputés\b"),
    ("group/services-police-judiciaire", TEH.ActorGroup, r"services de police judiciaire"),
    ("group/commissariats-police", TEH.ActorGroup, r"commissariats de police"),
    ("group/brigades-gendarmerie", TEH.ActorGroup, r"brigades de gendarmerie"),
    ("group/cra", TEH.ActorGroup, r"centres de rétention administrative"),
    ("group/consulats", TEH.ActorGroup, r"\bconsulats?\b|services\s+consulaires|personnels consulaires"),
    ("group/ambassades", TEH.ActorGroup, r"ambassade"),
    ("group/mairies", TEH.ActorGroup, r"\bmairies\b"),
    ("group/ccas", TEH.ActorGroup, r"CCAS"),
    ("group/cpam", TEH.ActorGroup, r"CPAM"),
    ("group/crip", TEH.ActorGroup, r"CRIP"),
    ("group/demie", TEH.ActorGroup, r"DEMIE"),
    ("group/services-protection-enfance", TEH.ActorGroup, r"services de la protection de\s+l.enfance"),
    ("group/hopitaux", TEH.ActorGroup, r"hôpitaux"),
    ("group/cdag", TEH.ActorGroup, r"Centre de Dépistage\s+Anonyme et Gratuit"),
    ("group/inspections-academie", TEH.ActorGroup, r"inspections\s+d.académie"),
    ("group/organisations-patronales", TEH.ActorGroup, r"organisations patronales|fédérations d.employeurs"),
    ("group/chambres-consulaires", TEH.ActorGroup, r"chambres consulaires"),
    ("person/rossignol", FOAF.Person, r"Madame Rossignol"),
]


@pytest.mark.parametrize(("slug", "cls", "pattern"), BODIES, ids=[b[0] for b in BODIES])
def test_every_body_named_has_a_resource_mentioned_where_the_text_prints_it(asserted, slug, cls, pattern):
    body = org(slug)
    assert (body, RDF.type, cls) in asserted
    assert len(french(asserted, body)) == 1 and english(asserted, body), slug
    printed_in = documents_printing(pattern)
    assert printed_in, f"{pattern!r} is printed by no source"
    assert set(asserted.objects(body, TEH.mentionedIn)) == printed_in


@pytest.mark.parametrize(
    ("slug", "acronym"),
    [
        ("ofpra", "OFPRA"),
        ("ocriest", "OCRIEST"),
        ("codaf", "CODAF"),
        ("pjj", "PJJ"),
        ("pjj", "DPJJ"),
        ("otan", "OTAN"),
        ("asem", "ASEM"),
        ("hadopi", "HADOPI"),
        ("group/ccas", "CCAS"),
        ("group/cra", "CRA"),
        ("group/crip", "CRIP"),
        ("group/cpam", "CPAM"),
        ("group/demie", "DEMIE"),
        ("group/chrs", "CHRS"),
    ],
)
def test_acronyms_are_alternative_labels(asserted, slug, acronym):
    assert Literal(acronym, lang="fr") in set(asserted.objects(org(slug), SKOS.altLabel))


def test_groups_of_public_bodies_say_so(asserted):
    # « les consulats », « les CCAS », « tribunal administratif », « centres de rétention administrative »
    for slug in ("consulats", "ccas", "tribunaux-administratifs", "cra", "offices-centraux", "mairies"):
        assert asserted.value(ID[f"group/{slug}"], TEH.groupKind) == TEH.PublicBody, slug


# --- the Ac-Sé network and the Ac-Sé scheme --------------------------------------------------------------


def test_ac_se_network_and_scheme_are_two_resources(asserted):
    assert (NETWORK, RDF.type, TEH.Coalition) in asserted
    assert (SCHEME, RDF.type, TEH.PublicBody) in asserted
    assert not set(asserted.objects(NETWORK, RDF.type)) & set(asserted.objects(SCHEME, RDF.type))
    # « Étaient aussi présents : ... le réseau Ac-Sé » (3 February 2014, l. 75), who speaks at l. 186-188.
    assert (ID["meeting/2014-02-03-ministre-droits-femmes"], TEH.participant, NETWORK) in asserted
    assert asserted.value(ID["evidence/cr-2014-02-03/cdpd-ac-se"], TEH.statedBy) == NETWORK
    assert "réseau **Ac-Sé**" in source_lines(DOCS["feb"], 75, 75)
    # The 2015 minutes print only « Le dispositif Ac-sé n'a pas les forces pour tout porter » (l. 200).
    assert "dispositif Ac-sé" in source_lines(DOCS["jun"], 200, 200)
    assert (SCHEME, TEH.mentionedIn, DOCS["jun"]) in asserted
    assert (NETWORK, TEH.mentionedIn, DOCS["jun"]) not in asserted


def test_the_90_places_belong_to_the_scheme(asserted):
    figure = ID["figure/collectif-2017-03-09/places-ac-se"]
    assert int(asserted.value(figure, RDF.value)) == 90
    about = set(asserted.objects(figure, TEH.about))
    assert SCHEME in about and NETWORK not in about
    evidence = asserted.value(figure, TEH.evidence)
    assert "90 places" in quote_of(asserted, evidence)
    assert "dispositif Ac-Sé" in source_lines(
        DOCS["ana"], 1493, 1495
    )  # « le dispositif Ac-Sé ... ne compte que 90 places »
    # nothing is about the network any more
    assert not set(asserted.subjects(TEH.about, NETWORK))


def test_strengthening_ac_se_is_about_the_scheme(asserted):
    # « Le dispositif Ac-Sé doit être renforcé » (2017, l. 1486); « Renforcer le dispositif Ac.Sé » (CCEM, l. 190)
    assert (ID["demand/renforcer-ac-se"], TEH.about, SCHEME) in asserted
    assert "Le dispositif Ac-Sé doit être renforcé" in source_lines(DOCS["ana"], 1486, 1486)


# --- ministries: one IRI per ministry of a government, successions between governments -------------------------

PORTFOLIOS = {
    "women's rights": r"(?i)droits? des femmes|égalité entre les femmes",
    "social affairs": r"(?i)affaires sociales",
    "labour": r"(?i)\btravail\b|\bemploi\b",
    "education": r"(?i)éducation nationale",
    "foreign affairs": r"(?i)affaires étrangères",
    "interior": r"(?i)intérieur",
    "justice": r"(?i)\bjustice\b",
}


def ministry_names(graph: Graph, ministry: URIRef) -> str:
    names = [*french(graph, ministry), *(str(a) for a in graph.objects(ministry, SKOS.altLabel))]
    return " | ".join(names)


def portfolio_of(graph: Graph, ministry: URIRef, portfolio: str) -> bool:
    return re.search(PORTFOLIOS[portfolio], " | ".join(french(graph, ministry))) is not None


def predecessors(graph: Graph, ministry: URIRef) -> set[URIRef]:
    found, todo = set(), [ministry]
    while todo:
        for event in graph.objects(todo.pop(), ORG.resultedFrom):
            for earlier in graph.objects(event, ORG.originalOrganization):
                if earlier not in found:
                    found.add(earlier)
                    todo.append(earlier)
    return found


def successive(graph: Graph, a: URIRef, b: URIRef) -> bool:
    return a in predecessors(graph, b) or b in predecessors(graph, a)


def test_the_plan_of_may_2014_names_one_ministry_per_portfolio(asserted):
    # One government: every ministry of the 23 boxes (implementers and partners) has its own portfolio.
    plan = ID["plan/pan-2014-2016"]
    boxes = {
        actor
        for measure in asserted.subjects(TEH.inPlan, plan)
        for prop in (TEH.implementedBy, TEH.partner)
        for actor in asserted.objects(measure, prop)
        if (actor, RDF.type, TEH.Ministry) in asserted
    }
    assert len(boxes) >= 9
    for portfolio in PORTFOLIOS:
        holders = {m for m in boxes if portfolio_of(asserted, m, portfolio)}
        assert len(holders) <= 1, (portfolio, holders)
    # « ministère du travail » and its full name in the box of measure 22 (l. 3491, 3493): one IRI.
    assert "ministère du travail" in ministry_names(
        asserted, ID["org/ministere-travail-emploi-dialogue-social"]
    )


@pytest.mark.parametrize("doc", sorted(DOCS), ids=sorted(DOCS))
def test_no_two_ministries_of_one_portfolio_unless_one_succeeds_the_other(asserted, doc):
    named = {
        m for m in asserted.subjects(TEH.mentionedIn, DOCS[doc]) if (m, RDF.type, TEH.Ministry) in asserted
    }
    for portfolio in PORTFOLIOS:
        holders = sorted(m for m in named if portfolio_of(asserted, m, portfolio))
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                assert successive(asserted, a, b), (
                    f"{doc}: {a} and {b} are two IRIs for the {portfolio} portfolio"
                )


def test_the_2017_education_nationale_is_the_ministry_of_the_boxes(asserted):
    # « L'Education nationale » (2017, l. 653) and « ministère de l'Éducation nationale, de l'Enseignement supérieur
    # et de la Recherche » (boxes, e.g. l. 513-514): one IRI; the CCEM's 2019 « Education nationale » (l. 270) another.
    long, short = (
        ID["org/ministere-education-nationale-enseignement-superieur-recherche"],
        ID["org/ministere-education-nationale"],
    )
    assert "L’Education nationale" in source_lines(DOCS["ana"], 653, 653)
    assert (long, TEH.mentionedIn, DOCS["ana"]) in asserted
    assert Literal("Education nationale", lang="fr") in set(asserted.objects(long, SKOS.altLabel))
    assert "Education nationale" in source_lines(DOCS["ccem"], 270, 270)
    assert set(asserted.objects(short, TEH.mentionedIn)) == {DOCS["ccem"]}
    assert long in predecessors(asserted, short)


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (W1, W2),  # the women's-rights ministry of 3 February 2014 and of the boxes of May 2014
        (S1, S2),  # Social Affairs: two IRIs
        (
            ID["org/ministere-travail-emploi-dialogue-social"],
            ID["org/ministere-emploi"],
        ),  # Labour: three IRIs
        (ID["org/ministere-emploi"], ID["org/ministere-travail"]),
        (ID["org/ministere-affaires-etrangeres"], ID["org/ministere-europe-affaires-etrangeres"]),
        (W2, ID["org/ministere-familles-enfance-droits-femmes"]),
        (
            ID["org/ministere-familles-enfance-droits-femmes"],
            ID["org/secretariat-etat-egalite-femmes-hommes"],
        ),
    ],
)
def test_successive_ministries_are_joined(asserted, earlier, later):
    assert earlier in predecessors(asserted, later)
    assert later not in predecessors(asserted, earlier)


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_DIR)


def test_succession_links_are_editorial_with_a_rationale_unless_a_source_states_them(project):
    dataset = project.dataset
    events = {
        (event, name)
        for name in project.files
        for event in dataset.graph(name).subjects(RDF.type, ORG.ChangeEvent)
    }
    assert len(events) >= 10
    for event, name in events:
        graph = dataset.graph(name)
        originals = set(graph.objects(event, ORG.originalOrganization))
        resulting = set(graph.objects(event, ORG.resultingOrganization))
        assert len(originals) == 1 and len(resulting) == 1, event
        (later,) = resulting
        assert (later, ORG.resultedFrom, event) in graph, event
        assert french(graph, event) and english(graph, event), event
        evidence = set(graph.objects(event, TEH.evidence))
        if name == EDITORIAL:
            assert graph.value(event, PROV.wasAttributedTo) == EDITORS, event
            languages = {o.language for o in graph.objects(event, TEH.rationale)}
            assert languages == {"fr", "en"}, event
            assert not evidence
        else:
            # a succession a source states: in that document's file, with its evidence
            assert evidence and graph.value(event, PROV.wasAttributedTo) is None, event
            for node in evidence:
                doc = graph.value(node, TEH.statedIn)
                assert project.files[name].stem == str(doc).rsplit("/", 1)[-1], (event, name)


def test_the_29_september_2014_minutes_state_a_succession(project, asserted):
    # « La Ministre des Affaires sociales est aujourd'hui la Ministre de tutelle de la MIPROF ... la traite qui était
    # par le passé reliée au Ministére des Droits des femmes » (l. 95-97).
    event = ID["change/ministere-droits-femmes/ministere-affaires-sociales"]
    graph = project.graph(GRAPH["cr-2014-09-29"])
    assert (event, ORG.originalOrganization, W1) in graph and (event, ORG.resultingOrganization, S2) in graph
    (evidence,) = graph.objects(event, TEH.evidence)
    assert_quoted(asserted, evidence, DOCS["sep"], "Ministre de tutelle de la MIPROF", "par le passé reliée")
    assert (event, RDF.type, ORG.ChangeEvent) not in project.graph(EDITORIAL)


@pytest.fixture(scope="module")
def run(store):
    def _run(slug: str, **params):
        return run_saved(store, CATALOG[slug], params)

    return _run


@pytest.fixture(scope="module")
def addressees(asserted, store) -> Graph:
    """What the sources state and what the build rules derive (addressees taken from a measure's box)."""
    graph = Graph()
    graph += asserted
    graph += store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/tehgraph/graph/derived> { ?s ?p ?o } }"
    ).graph
    return graph


def addressed_to(graph: Graph, *ministries: URIRef) -> set[URIRef]:
    return {
        d
        for m in ministries
        for d in graph.subjects(TEH.addressedTo, m)
        if (d, RDF.type, TEH.Demand) in graph
    }


def test_demands_to_the_womens_rights_ministry_include_those_to_its_predecessor(run, addressees):
    # The minister of 3 February 2014 and the ministry of the boxes of May 2014: asking for the later ministry returns
    # the demands addressed to either IRI.
    rows = {r["demand"]: r for r in run("demands-to-actor", addressee=f"id:{W2[len(ID) :]}").records()}
    assert set(rows) == addressed_to(addressees, W1, W2)
    only_earlier = addressed_to(addressees, W1) - addressed_to(addressees, W2)
    assert len(only_earlier) >= 20  # the demands the query used to miss
    for demand in only_earlier:
        assert str(rows[demand]["addressedTo"]) == str(W1)
        assert rows[demand]["editorial"].toPython() is True  # through an editorial succession
    for demand in addressed_to(addressees, W2):
        assert str(W2) in str(rows[demand]["addressedTo"]).split()
        assert rows[demand]["editorial"].toPython() is False


def test_demands_to_the_earlier_ministry_do_not_include_its_successors(run, addressees):
    rows = run("demands-to-actor", addressee=f"id:{W1[len(ID) :]}").records()
    assert {r["demand"] for r in rows} == addressed_to(addressees, W1)
    assert all(r["editorial"].toPython() is False for r in rows)


def test_a_succession_a_source_states_is_not_marked_editorial(run, addressees):
    # Social Affairs (29 September 2014) inherits from the Ministry of Women's Rights by the minutes' own words
    # (sourced), and from the Ministry of Social Affairs and Health of May 2014 by an editorial reading.
    rows = {r["demand"]: r for r in run("demands-to-actor", addressee=f"id:{S2[len(ID) :]}").records()}
    assert set(rows) == addressed_to(addressees, S2, W1, W2, S1)
    for demand in addressed_to(addressees, W1):
        assert rows[demand]["editorial"].toPython() is False
    for demand in addressed_to(addressees, S1) - addressed_to(addressees, W1, S2):
        assert rows[demand]["editorial"].toPython() is True


def test_an_actor_without_predecessor_gets_its_own_demands(run, addressees):
    interior = ID["org/ministere-interieur"]
    rows = run("demands-to-actor").records()  # default: the Ministry of the Interior
    assert {r["demand"] for r in rows} == addressed_to(addressees, interior)
    assert all(r["editorial"].toPython() is False for r in rows)


# --- relations the texts state between bodies, with evidence --------------------------------------------------


def statements_about(graph: Graph, subject: URIRef, obj: URIRef) -> set[URIRef]:
    return {
        s
        for s in graph.subjects(RDF.subject, subject)
        if (s, RDF.type, RDF.Statement) in graph
        and (s, RDF.object, obj) in graph
        and (s, RDF.predicate, ORG.subOrganizationOf) in graph
    }


@pytest.mark.parametrize(
    ("ministry", "doc", "words"),
    [
        (W2, "ana", "(MIPROF)"),  # boxes of measures 18 and 20 (l. 2996, 3270)
        (S2, "sep", "Ministre de tutelle de la MIPROF"),  # l. 95
        (
            ID["org/secretariat-etat-droits-femmes"],
            "jun",
            "le ministère auquel il est rattaché",
        ),  # l. 542-544
        (ID["org/ministere-familles-enfance-droits-femmes"], "ana", "(MIPROF)"),  # l. 1329-1331
    ],
)
def test_the_miprof_attachments_the_texts_state_are_dated_by_their_evidence(asserted, ministry, doc, words):
    assert (MIPROF, ORG.subOrganizationOf, ministry) in asserted
    (statement,) = statements_about(asserted, MIPROF, ministry)
    evidence = set(asserted.objects(statement, TEH.evidence))
    assert evidence
    for node in evidence:
        assert_quoted(asserted, node, DOCS[doc])
    assert any(words in quote_of(asserted, node) for node in evidence)


def test_the_dpjj_is_within_the_ministry_of_justice(asserted):
    # « le ministère de la Justice (DPJJ) » (plan, measure 10, l. 2037)
    pjj, justice = ID["org/pjj"], ID["org/ministere-justice"]
    assert (pjj, ORG.subOrganizationOf, justice) in asserted
    (statement,) = statements_about(asserted, pjj, justice)
    for node in asserted.objects(statement, TEH.evidence):
        assert_quoted(asserted, node, DOCS["ana"], "le ministère de la Justice (DPJJ)")


def test_the_working_groups_on_minors_were_created_by_the_miprof(asserted):
    # « Deux groupes de travail interministériels sur les mineurs ont été créés par la MIPROF auxquels participent le
    # Secours Catholique et Hors la rue » (26 June 2015, l. 268-270)
    for slug in ("gt-mineurs-experimentation", "gt-mineurs-identification"):
        group = org(slug)
        assert (group, ORG.subOrganizationOf, MIPROF) in asserted
        (statement,) = statements_about(asserted, group, MIPROF)
        assert any(
            "créés par la MIPROF" in quote_of(asserted, e) for e in asserted.objects(statement, TEH.evidence)
        )
        assert {org("secours-catholique"), org("hors-la-rue")} == set(asserted.objects(group, ORG.hasMember))
    # the two other groups: the text does not say who created them
    for slug, members in (
        ("gt-exploitation-sexuelle", {"amicale-du-nid", "afj", "bus-des-femmes"}),
        ("gt-exploitation-travail", {"oicem", "ccem"}),
    ):
        group = org(slug)
        assert (group, ORG.subOrganizationOf, None) not in asserted
        assert set(asserted.objects(group, ORG.hasMember)) == {org(m) for m in members}
        for membership in asserted.subjects(ORG.organization, group):
            for node in asserted.objects(membership, TEH.evidence):
                assert_quoted(asserted, node, DOCS["jun"], "groupe de travail interministériel")


def test_the_collectif_sits_on_the_miprof_orientation_committee(asserted):
    # « l'arrêté du 17 octobre 2016 portant nomination au comité d'orientation de la mission interministérielle ...
    # d'associations et du Collectif » (2017, l. 12-16)
    committee = ID["org/miprof-comite-orientation"]
    assert (committee, ORG.subOrganizationOf, MIPROF) in asserted
    (membership,) = asserted.subjects(ORG.organization, committee)
    assert asserted.value(membership, ORG.member) == ID["org/collectif-traite"]
    assert asserted.value(membership, TEH.asOf) == Literal("2016-10-17", datatype=XSD.date)
    for node in asserted.objects(membership, TEH.evidence):
        assert_quoted(asserted, node, DOCS["ana"], "comité d’orientation", "du Collectif")


@pytest.mark.parametrize(
    ("person", "office", "doc"),
    [
        (
            "gilles-bon-maury",
            "cabinet-ministre-droits-femmes",
            "feb",
        ),  # « conseiller au cabinet de Mme Vallaud-Belkacem » (l. 41)
        (
            "pierre-antoine-molina",
            "cabinet-ministre-interieur",
            "sep",
        ),  # « Directeur adjoint du Cabinet » (l. 80)
        (
            "raphael-sodini",
            "cabinet-ministre-interieur",
            "sep",
        ),  # « des membres du Cabinet du Ministre » (l. 21-23)
        ("claire-durso", "cabinet-ministre-justice", "sep"),  # « au Cabinet de Christiane Taubira » (l. 75)
        (
            "yvan-kagan",
            "cfdt-service-economie-societe",
            "sep",
        ),  # « Secrétaire confédéral, Service Economie et Société »
    ],
)
def test_persons_in_offices_and_services_with_their_role(asserted, person, office, doc):
    person, office = ID[f"person/{person}"], org(office)
    assert (person, ORG.memberOf, office) in asserted
    (membership,) = (
        m for m in asserted.subjects(ORG.member, person) if asserted.value(m, ORG.organization) == office
    )
    assert asserted.value(membership, TEH.roleLabel) is not None
    for node in asserted.objects(membership, TEH.evidence):
        assert_quoted(asserted, node, DOCS[doc])
    assert asserted.value(office, ORG.subOrganizationOf) is not None


def test_a_meeting_organised_by_a_body(asserted):
    # « L'INAVEM ... organise en juin cette journée » (l. 345) ; « la prochaine journée en juin 2016 » (l. 359)
    meeting = ID["meeting/2016-06-journee-inavem"]
    assert asserted.value(meeting, TEH.organizer) == ID["org/inavem"]
    assert asserted.value(meeting, DCTERMS.date) == Literal("2016-06", datatype=XSD.gYearMonth)
    assert asserted.value(meeting, TEH.held).toPython() is False
    quotes = " ".join(quote_of(asserted, e) for e in asserted.objects(meeting, TEH.evidence))
    assert "organise en juin cette journée" in quotes and "juin 2016" in quotes


# --- English labels: one translation per French term ---------------------------------------------------------

# Official English names that translate a French term otherwise: kept as the bodies' own names.
OFFICIAL_NAMES = {ID["org/greta"], ID["org/rapporteur-special-onu-traite"]}
TERMS = [  # French term in an actor's French label -> the English every such label uses
    (r"lutte contre la traite", "fight against trafficking"),
    (r"\bmineurs\b", "minor"),
    (r"^[Cc]abinet\b", "Office"),
    (r"^[Dd]ispositifs?\b", "scheme"),
    (r"\bréseau\b|^Réseau\b", "network"),
    (r"^[Gg]roupe de travail", "working group"),
]


@pytest.mark.parametrize(("term", "translation"), TERMS, ids=[t[1] for t in TERMS])
def test_one_english_translation_per_french_term_in_actor_labels(asserted, term, translation):
    actors = {
        a
        for a in asserted.subjects(RDF.type, None)
        if str(a).startswith(str(ID["org/"])) or str(a).startswith(str(ID["group/"]))
    }
    checked = 0
    for actor in actors - OFFICIAL_NAMES:
        for label in french(asserted, actor):
            if re.search(term, label):
                checked += 1
                assert any(translation.lower() in en.lower() for en in english(asserted, actor)), (
                    actor,
                    english(asserted, actor),
                )
    assert checked, term


def test_every_resource_of_the_registry_block_is_typed_and_labelled(asserted):
    text = Path(PROJECT_DIR / "data" / "actors.ttl").read_text(encoding="utf-8")
    block = text.split("# --- Block added by data-orgs (issue 15) ---")[1]
    for slug in sorted(set(re.findall(r"<((?:org|group|person)/[a-z0-9-]+)>", block))):
        node = ID[slug]
        assert set(asserted.objects(node, RDF.type)), slug
        assert len(french(asserted, node)) == 1 and english(asserted, node), slug
