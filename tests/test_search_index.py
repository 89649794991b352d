"""The search index on the real graph, built by the real build: ranking, tolerance, facets, paging,
highlights, suggestions, the picker, and hostile input.

Expectations come from the data (the asserted graph, or the resources named in data/*.ttl), never
from what the index happens to return.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS

from tehgraph.errors import DistMissingError
from tehgraph.namespaces import ID, TEH
from tehgraph.search import SearchIndex, Segment, build_index, parse_query, read_documents, to_html
from tehgraph.search.text import fold

ACRONYM = re.compile(r"^[A-Z][A-Za-zÀ-ÿ0-9.\-]*[A-Z]$")


def iri(path: str) -> str:
    return str(ID[path])


@pytest.fixture(scope="session")
def index_file(store, tmp_path_factory):
    return build_index(store, tmp_path_factory.mktemp("search") / "search.sqlite")


@pytest.fixture(scope="session")
def index(index_file) -> SearchIndex:
    return SearchIndex(index_file.path)


def named(asserted, text: str) -> set[str]:
    """Resources whose label or altLabel is `text` (case aside), read from the asserted graph."""
    return {
        str(s)
        for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel)
        for s, o in asserted.subject_objects(p)
        if str(o).casefold() == text.casefold()
    }


def acronyms(asserted) -> list[str]:
    return sorted({str(o) for o in asserted.objects(None, SKOS.altLabel) if ACRONYM.match(str(o))})


def top(index: SearchIndex, text: str, n: int = 20) -> list[str]:
    return [h.iri for h in index.search(text, limit=n).hits]


# --- the build -------------------------------------------------------------------------------


def test_build_writes_one_file_with_every_resource_worth_finding(index_file, asserted):
    assert index_file.path.is_file()
    assert not list(index_file.path.parent.glob("*.partial"))
    assert index_file.bytes == index_file.path.stat().st_size > 0
    wanted = [TEH.Demand, TEH.Measure, TEH.Meeting, TEH.SourceDocument, TEH.Association, TEH.Assessment]
    expected = {str(s) for cls in wanted for s in asserted.subjects(RDF.type, cls)}
    index = SearchIndex(index_file.path)
    found = {row[0] for row in index.db.execute("SELECT iri FROM docs")}
    assert expected <= found
    assert index_file.documents == len(found)
    # Evidence is found through the claim it supports, never on its own.
    assert not {str(s) for s in asserted.subjects(RDF.type, TEH.Evidence)} & found


def test_measure_labels_name_their_plan(store, asserted):
    docs = {d.iri: d for d in read_documents(store)}
    for measure in asserted.subjects(RDF.type, TEH.Measure):
        number = asserted.value(measure, TEH.number)
        plan = asserted.value(measure, TEH.inPlan)
        start, end = asserted.value(plan, TEH.startYear), asserted.value(plan, TEH.endYear)
        assert docs[str(measure)].labels["fr"].startswith(f"Mesure {number} (PAN {start}-{end}) : ")


def test_the_same_query_reads_a_remote_endpoint(store, remote_store):
    """The builder only calls `query`: the embedded store and an Oxigraph server give the same documents."""
    embedded = [(d.iri, d.cls, d.boost, d.labels, d.texts) for d in read_documents(store)]
    remote = [(d.iri, d.cls, d.boost, d.labels, d.texts) for d in read_documents(remote_store)]
    assert embedded == remote


def test_a_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(DistMissingError, match="tehgraph build"):
        SearchIndex(tmp_path / "search.sqlite")


# --- ranking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("CCEM", "org/ccem"), ("MIPROF", "org/miprof")])
def test_an_acronym_gives_its_organisation_first(index, text, expected):
    result = index.search(text)
    assert result.hits[0].iri == iri(expected)
    assert result.hits[0].exact
    assert result.total > 30  # the positions naming it are still found, after it


def test_every_acronym_of_the_data_gives_its_resource_first(index, asserted):
    """OFPRA, CNCDH, GRETA…: whatever acronym the data declares, its bearer comes first."""
    for acronym in acronyms(asserted):
        assert index.search(acronym).hits[0].iri in named(asserted, acronym), acronym


def test_a_full_label_gives_its_resource_first(index):
    # data/actors.ttl: <org/ccem> rdfs:label "Comité contre l'esclavage moderne"@fr (a straight apostrophe)
    for text in (
        "Comité contre l'esclavage moderne",
        "Comité contre l’esclavage moderne",
        "comite contre l esclavage moderne",
    ):
        assert top(index, text)[0] == iri("org/ccem"), text
        assert index.search(text).hits[0].exact


@pytest.mark.parametrize("text", ["acse", "AcSé", "Ac.Sé", "Ac-Sé", "AC-SÉ", "ac.se"])
def test_ac_se_however_written(index, asserted, text):
    # data/actors.ttl: <org/ac-se> « Réseau Ac.Sé », altLabels « Ac-Sé », « AC-Sé », « Ac.Sé »…
    assert top(index, text)[0] == iri("org/ac-se")
    # Every resource labelled with Ac.Sé / Ac-Sé / AC.SE is found (measures 8 and 22, demands, figures).
    labelled = {
        str(s) for s, o in asserted.subject_objects(RDFS.label) if re.search(r"\bac[.-]s[ée]\b", str(o), re.I)
    }
    assert len(labelled) >= 4
    assert labelled <= set(top(index, text, 200))


def test_plurals_and_stems(index):
    # data/demands.ttl: <demand/referent-traite-en-prefecture> « Un référent traite au sein des préfectures »
    assert top(index, "référents préfecture")[0] == iri("demand/referent-traite-en-prefecture")
    assert top(index, "referent prefectures")[0] == iri("demand/referent-traite-en-prefecture")
    # data/demands.ttl: <demand/propositions-amelioration-plan> « … de réflexions ou propositions … »
    assert iri("demand/propositions-amelioration-plan") in top(index, "réflexion propositions", 3)


def test_accents_and_case(index, asserted):
    # data/demands.ttl: three demands about the « délai de réflexion » (reflection period).
    reflection = {
        str(s)
        for s in asserted.subjects(RDF.type, TEH.Demand)
        for label in asserted.objects(s, RDFS.label)
        if "délai de réflexion" in str(label)
    }
    assert len(reflection) >= 3
    for text in ("reflexion", "RÉFLEXION", "Réflexion"):
        assert reflection & set(top(index, text, 5)), text
    assert top(index, "reflexion") == top(index, "RÉFLEXION")


def test_last_word_is_a_prefix(index):
    assert iri("org/miprof") in top(index, "MIPR", 50)
    assert index.pick("MIPR")[0].iri == iri("org/miprof")
    assert iri("demand/referent-traite-en-prefecture") in top(index, "référents préf", 3)


# --- facets, paging, class filter ------------------------------------------------------------


@pytest.mark.parametrize("text", ["CCEM", "mesure", "reflexion", "Ac.Sé"])
def test_facets_count_every_match_by_class(index, text):
    result = index.search(text, limit=200)  # 200: the most a page holds
    assert sum(result.facets.values()) == result.total >= len(result.hits)
    assert {h.cls for h in result.hits} <= set(result.facets)
    if result.total <= 200:
        assert len(result.hits) == result.total and {h.cls for h in result.hits} == set(result.facets)


def test_pages_follow_each_other(index):
    whole = index.search("mesure", limit=200)
    assert whole.total > 20
    pages = []
    for offset in range(0, len(whole.hits), 7):
        page = index.search("mesure", limit=7, offset=offset)
        assert page.total == whole.total and page.offset == offset
        pages += [h.iri for h in page.hits]
    assert pages[: len(whole.hits)] == [h.iri for h in whole.hits]
    assert index.search("mesure", offset=whole.total).hits == []


def test_class_filter(index):
    position = str(TEH.Position)
    result = index.search("CCEM", classes=[position], limit=200)
    assert result.total == result.facets[position] == len(result.hits)
    assert {h.cls for h in result.hits} == {position}
    assert sum(result.facets.values()) > result.total  # facets stay those of the whole query


# --- highlights ------------------------------------------------------------------------------


def test_matched_words_are_marked_in_the_original_text(index):
    hit = index.search("référents préfecture").hits[0]
    assert hit.label_text == "Un référent traite au sein des préfectures"
    assert [s.text for s in hit.label if s.mark] == ["référent", "préfectures"]


def test_marks_in_quotes_and_descriptions(index):
    result = index.search("REFLEXION", limit=50)
    passages = [h for h in result.hits if h.passage_field in ("quote", "description")]
    assert passages
    for hit in passages:
        # « réflexion » and its plural « réflexions » are marked, nothing else
        assert {fold(s.text) for s in hit.snippet if s.mark} <= {"reflexion", "reflexions"}
        assert any(s.mark for s in hit.snippet)


def test_a_compound_marks_itself_not_its_parts(index):
    for hit in index.search("Ac.Sé", limit=50).hits:
        for segment in hit.label + hit.snippet:
            if segment.mark:
                assert fold(segment.text).replace(".", "").replace("-", "") == "acse"


def test_html_is_escaped_by_markupsafe():
    html = to_html([Segment("<script>"), Segment("l'Ac.Sé", True), Segment(" & co")])
    assert str(html) == "&lt;script&gt;<mark>l&#39;Ac.Sé</mark> &amp; co"


def test_long_passages_are_cut_around_the_match(index):
    for hit in index.search("OFPRA").hits:
        text = "".join(s.text for s in hit.snippet)
        assert len(text) < 300
        assert any(s.mark and s.text == "OFPRA" for s in hit.snippet)


# --- suggestions -----------------------------------------------------------------------------


def test_a_misspelling_gets_suggestions_that_find(index):
    result = index.search("prefectre")
    assert result.total == 0 and result.hits == []
    assert result.suggestions
    assert fold(result.suggestions[0]).startswith("prefecture")
    assert all(index.search(s).total for s in result.suggestions)


def test_known_words_get_no_suggestion(index):
    assert index.search("préfecture").suggestions == []


# --- the picker ------------------------------------------------------------------------------


def test_picker_filtered_by_class(index):
    public = str(TEH.PublicBody)
    picks = index.pick("MIP", classes=[public])
    assert picks[0].iri == iri("org/miprof")
    assert {p.cls for p in picks} == {public}


def test_picker_with_subclasses_given_by_the_caller(index, asserted):
    organisations = {str(c) for c in asserted.transitive_subjects(RDFS.subClassOf, TEH.Organisation)}
    picks = index.pick("Comité", classes=organisations, limit=50)
    assert iri("org/ccem") in [p.iri for p in picks]
    assert {p.cls for p in picks} <= organisations
    assert index.pick("Ac", classes=[str(TEH.Coalition)])[0].iri == iri("org/ac-se")


def test_picker_puts_the_shortest_name_that_begins_with_the_text_first(index):
    first = index.pick("CC")
    assert iri("org/ccem") in [p.iri for p in first[:3]]  # CCAS and CCEM: names of four letters
    assert index.pick("CCE")[0].iri == iri("org/ccem")
    plans = [p.iri for p in index.pick("Mesure 8", classes=[str(TEH.Measure)])]
    assert set(plans) == {iri("measure/pan-2014-2016/8"), iri("measure/pan-2019-2021/8")}


def test_picker_limit(index):
    assert len(index.pick("a", limit=3)) <= 3
    assert index.pick("") == [] and index.pick("  ") == []


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    '"',
    '""',
    "*",
    "**",
    "NEAR",
    "NEAR(a b)",
    "a NEAR b",
    "(",
    ")",
    "((CCEM",
    "CCEM)",
    "AND",
    "OR NOT",
    "ccem OR miprof",
    "{label}: ccem",
    "label:ccem",
    "^ccem",
    '"ccem"*',
    "-ccem",
    "+",
    "\x00",
    "CCEM\x00",
    "\ud800",
    "x" * 100_000,
    "CCEM " * 20_000,
    "é" * 50_000,
    "\u0301\u0301",
    "ﬁ œ ß",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_gives_results_or_none(index, text):
    result = index.search(text)
    assert result.total >= 0 and len(result.hits) <= result.total
    index.pick(text)
    index.count(text)


def test_fts_syntax_is_only_words(index):
    assert top(index, '"CCEM"')[0] == iri("org/ccem")
    assert top(index, "CCEM\x00")[0] == iri("org/ccem")
    assert top(index, "((CCEM")[0] == iri("org/ccem")
    assert index.search("ccem OR miprof").total < index.search("ccem").total  # OR is a word, not an operator


def test_only_quoted_words_reach_fts5():
    expression = parse_query('NEAR("x" w)* OR {label}: ^z -"Ac.Sé').expression()
    assert expression == '"near" AND "x" AND "w" AND "or" AND "label" AND "z" AND ("acse"* OR "ac se"*)'


TERM = r'"[^\W_]+(?: [^\W_]+)*"\*?'
GROUP = rf"(?:{TERM}|\({TERM}(?: OR {TERM})+\))"
EXPRESSION = re.compile(rf"{GROUP}(?: AND {GROUP})*")
fragments = st.sampled_from(
    ['"', "*", "(", ")", "NEAR", "AND", "OR", "NOT", ":", "{", "}", "^", "-", "\x00", " "]
)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300) | st.lists(fragments | st.text(max_size=5), max_size=30).map("".join))
def test_any_text_never_raises(index, text):
    expression = parse_query(text).expression()
    assert not expression or EXPRESSION.fullmatch(expression), expression
    result = index.search(text, limit=5)
    assert result.total >= 0
    index.pick(text, limit=5)
