"""cite, find and new-source on the real corpus (and on a copy of the project for new-source)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.curate import (
    LocatorError,
    PhraseNotFoundError,
    SourceExistsError,
    UnknownActorError,
    UnknownSourceError,
    cite,
    find_phrase,
    load_sources,
    new_source,
    resolve_source,
)
from tehgraph.curate.text import Passage, fold
from tehgraph.load import load_project
from tehgraph.namespaces import ID, TEH
from tehgraph.quotes import check_quotes, normalise

from .curate_helpers import ESSAI, copy_project, evidence_graph

COLLECTIF = "collectif-2017-03-09"
COLLECTIF_FILE = "data/sources/2017-03-09-collectif-analyse-pan-2014-2016.txt"


def source_lines(project_dir: Path, relative: str) -> list[str]:
    return (project_dir / relative).read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- text


def test_a_passage_is_the_text_the_quote_check_compares(project_dir):
    """Passage.of joins lines as quotes.check_quotes does, for windows over every source."""
    for source in load_sources(project_dir):
        lines = source.lines
        for first in range(1, len(lines) + 1, 37):
            last = min(first + 6, len(lines))
            assert Passage.of(lines, first, last).text == normalise(" ".join(lines[first - 1 : last]))


def test_fold_drops_accents_case_and_typographic_apostrophes():
    folded, origin = fold("L’Œuvre d’Été")
    assert folded == "l'oeuvre d'ete"
    assert len(origin) == len(folded) and origin[-1] == len("L’Œuvre d’Été") - 1


# ---------------------------------------------------------------- find


def test_find_a_line_of_a_source_typed_without_accents_or_capitals(project_dir):
    line = source_lines(project_dir, COLLECTIF_FILE)[1423]  # line 1424
    assert "Ac-Sé" in line
    typed = fold(line.strip())[0].upper().replace("É", "E")
    hits = find_phrase(project_dir, typed)
    assert [hit.locator for hit in hits] == [f"{COLLECTIF}:1424"]
    assert hits[0].text == normalise(line)


def test_find_a_phrase_across_a_line_break(project_dir):
    lines = source_lines(project_dir, COLLECTIF_FILE)
    assert lines[1493].rstrip().endswith("D’abord il") and lines[1494].startswith("ne compte que 90")
    hits = find_phrase(project_dir, "d'abord il ne compte que 90 places", source=COLLECTIF)
    assert [hit.locator for hit in hits] == [f"{COLLECTIF}:1494-1495"]
    hit = hits[0]
    assert hit.text[hit.match[0] : hit.match[1]] == "D’abord il ne compte que 90 places"


def test_find_across_the_corpus_and_in_one_source(project_dir):
    everywhere = find_phrase(project_dir, "délai de réflexion")
    assert {hit.source.slug for hit in everywhere} >= {COLLECTIF, "cr-2014-02-03"}
    only = find_phrase(project_dir, "délai de réflexion", source="cr-2014-02-03")
    assert only and {hit.source.slug for hit in only} == {"cr-2014-02-03"}
    assert find_phrase(project_dir, "zxqw introuvable") == []


def test_find_command_prints_locators_and_exits_1_when_nothing_is_found(project_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["find", "il ne compte que 90", "--project", str(project_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{COLLECTIF}:1494-1495: ")
    missing = runner.invoke(main, ["find", "zxqw introuvable", "--project", str(project_dir)])
    assert missing.exit_code == 1 and "occurs nowhere" in missing.output


# ---------------------------------------------------------------- sources


@pytest.mark.parametrize(
    "ref",
    [
        COLLECTIF,
        f"doc/{COLLECTIF}",
        str(ID[f"doc/{COLLECTIF}"]),
        Path(COLLECTIF_FILE).name,
        COLLECTIF_FILE,
        "absolute",
    ],
)
def test_a_source_is_named_by_slug_file_name_or_path(project_dir, ref):
    ref = str(project_dir / COLLECTIF_FILE) if ref == "absolute" else ref
    assert resolve_source(project_dir, ref).slug == COLLECTIF


def test_an_unknown_source_is_refused_with_the_known_ones(project_dir):
    with pytest.raises(UnknownSourceError, match="unknown source 'rapport-greta'.*cr-2014-02-03"):
        resolve_source(project_dir, "rapport-greta")


# ---------------------------------------------------------------- cite


def test_cite_gives_back_every_quote_of_the_data_from_its_lines(project_dir, asserted):
    """Each evidence of data/*.ttl, cited from its own lines with its quote as the phrase, yields that
    quote (whitespace-normalised) on lines within its locator."""
    checked = 0
    for evidence, quote in asserted.subject_objects(TEH.quote):
        document = asserted.value(evidence, TEH.statedIn)
        if asserted.value(document, TEH.sourceFile) is None:
            continue
        first = int(asserted.value(evidence, TEH.lineStart))
        last = int(asserted.value(evidence, TEH.lineEnd) or first)
        citation = cite(project_dir, str(document), first, last, phrase=str(quote))
        assert citation.quote == normalise(str(quote)), evidence
        assert first <= citation.start <= citation.end <= last, evidence
        checked += 1
    assert checked > 500


def test_cite_whole_lines_passes_the_build_quote_check(project_dir):
    citation = cite(project_dir, COLLECTIF_FILE, 1645, 1649)
    graph = evidence_graph(project_dir, citation.as_turtle())
    assert check_quotes(graph, project_dir) == []
    evidence = URIRef(ID[citation.evidence])
    assert graph.value(evidence, TEH.statedIn) == ID[f"doc/{COLLECTIF}"]
    assert (graph.value(evidence, TEH.lineStart), graph.value(evidence, TEH.lineEnd)) == (
        Literal(1645),
        Literal(1649),
    )
    assert graph.value(evidence, DCTERMS.date).toPython().isoformat() == "2017-03-09"
    assert citation.evidence.startswith(f"evidence/{COLLECTIF}/existe-actuellement-france")


def test_cite_a_phrase_typed_loosely_prints_the_source_spelling_and_narrows_the_lines(project_dir):
    citation = cite(project_dir, COLLECTIF, 1490, 1500, phrase="D'abord  il ne compte que 90 PLACES")
    assert citation.quote == "D’abord il ne compte que 90 places"
    assert (citation.start, citation.end) == (1494, 1495) and citation.folded
    turtle = citation.as_turtle()
    assert "lines 1494-1495 of the 1490-1500 asked" in turtle
    assert check_quotes(evidence_graph(project_dir, turtle), project_dir) == []


def test_cite_says_when_the_passage_is_already_cited(project_dir):
    citation = cite(project_dir, COLLECTIF, 1424)
    assert citation.already == ("evidence/collectif-2017-03-09/m8-constat-sature",)
    assert "already cited as <evidence/collectif-2017-03-09/m8-constat-sature>" in citation.as_turtle()
    assert citation.evidence != citation.already[0]


def test_a_document_without_date_gets_no_dcterms_date(project_dir):
    citation = cite(project_dir, "ccem-observations-pan-2019-2021", 1, 40, phrase="CCEM")
    turtle = citation.as_turtle()
    assert "    dcterms:date" not in turtle and "gives the document none" in turtle
    assert check_quotes(evidence_graph(project_dir, turtle), project_dir) == []


def test_cite_refuses_a_phrase_not_in_the_lines_and_says_where_it_is(project_dir):
    with pytest.raises(PhraseNotFoundError) as caught:
        cite(project_dir, COLLECTIF, 1400, 1410, phrase="il est saturé")
    message = str(caught.value)
    assert COLLECTIF_FILE in message and "lines 1400-1410" in message
    assert f"it occurs at {COLLECTIF}:1424" in message
    assert [hit.locator for hit in caught.value.elsewhere] == [f"{COLLECTIF}:1424"]
    with pytest.raises(PhraseNotFoundError, match="occurs nowhere in the corpus"):
        cite(project_dir, COLLECTIF, 1400, 1410, phrase="zxqw introuvable")


@pytest.mark.parametrize(
    ("first", "last", "message"), [(0, 3, "outside"), (3688, 9999, "outside"), (9, 5, "reversed")]
)
def test_cite_refuses_lines_out_of_range(project_dir, first, last, message):
    with pytest.raises(LocatorError, match=f"{re.escape(COLLECTIF_FILE)} lines {first}-{last}: {message}"):
        cite(project_dir, COLLECTIF, first, last)


def test_cite_command_prints_the_block_or_fails_with_exit_1(project_dir):
    runner = CliRunner()
    ok = runner.invoke(main, ["cite", COLLECTIF, "1424", "--project", str(project_dir)])
    assert ok.exit_code == 0, ok.output
    assert 'teh:quote "Le dispositif Ac-Sé marche bien, mais il est saturé."@fr ;' in ok.output
    for args, expected in [
        ([COLLECTIF, "1400-1410", "--phrase", "il est saturé"], "it occurs at collectif-2017-03-09:1424"),
        ([COLLECTIF, "99999"], "outside the file, which has lines 1-"),
        (["rapport-greta", "1"], "unknown source 'rapport-greta'"),
        ([COLLECTIF, "12-x"], "is not a line or a line range"),
    ]:
        result = runner.invoke(main, ["cite", *args, "--project", str(project_dir)])
        assert result.exit_code == 1 and expected in result.output, (args, result.output)
    unloadable = runner.invoke(main, ["cite", COLLECTIF, "1", "--project", str(project_dir / "data")])
    assert unloadable.exit_code == 2 and "not a tehgraph project folder" in unloadable.output


# ---------------------------------------------------------------- new-source


def test_the_skeleton_template_ships_in_the_package():
    templates = resources.files("tehgraph.curate").joinpath("templates")
    assert templates.joinpath("source-data.ttl.j2").is_file()
    assert templates.joinpath("source-document.ttl.j2").is_file()


def test_new_source_adds_text_document_and_skeleton_and_the_project_still_builds(tmp_path, built):
    project = copy_project(tmp_path / "project")
    added = new_source(
        project,
        ESSAI,
        "Document d'essai du Collectif",
        ["org/collectif-traite"],
        "2016-05-12",
        "essai-2016-05-12",
    )
    assert (project / added.text).read_bytes() == ESSAI.read_bytes()
    assert added.data == Path("data/essai-2016-05-12.ttl")
    sources = Graph().parse(project / "data" / "sources.ttl")
    doc = ID["doc/essai-2016-05-12"]
    assert (doc, RDF.type, TEH.SourceDocument) in sources
    assert sources.value(doc, DCTERMS.title) == Literal("Document d'essai du Collectif", lang="fr")
    assert sources.value(doc, DCTERMS.date).toPython().isoformat() == "2016-05-12"
    assert sources.value(doc, DCTERMS.creator) == ID["org/collectif-traite"]
    assert str(sources.value(doc, TEH.sourceFile)) == added.text.as_posix()
    skeleton = (project / added.data).read_text(encoding="utf-8")
    assert "@base <https://w3id.org/tehgraph/id/> ." in skeleton
    for section in ("mentions", "demand statements", "positions", "assessments", "responses", "evidence"):
        assert f"- {section}\n" in skeleton
    assert "<concept/stance/criticizes>" in skeleton and "<concept/status/not-implemented>" in skeleton
    assert len(Graph().parse(project / added.data)) == 0  # comments only: it builds as it is
    after = build(project, tmp_path / "after")
    assert after.total > built.total  # the copy is the real project, plus the document
    assert resolve_source(project, "essai-2016-05-12").lines[0].startswith("Document d’essai")


def test_new_source_refuses_to_overwrite_and_leaves_the_project_as_it_was(tmp_path):
    project = copy_project(tmp_path / "project")
    new_source(project, ESSAI, "Essai", ["org/collectif-traite"], "2016-05-12", "essai-2016-05-12")
    sources_text = (project / "data" / "sources.ttl").read_text(encoding="utf-8")
    with pytest.raises(SourceExistsError, match="doc/essai-2016-05-12> is already in data/sources.ttl"):
        new_source(project, ESSAI, "Essai", ["org/collectif-traite"], "2016-05-12", "essai-2016-05-12")
    with pytest.raises(
        SourceExistsError, match=r"data/sources/2016-05-12-essai-collectif.txt already exists"
    ):
        new_source(project, ESSAI, "Essai", ["org/collectif-traite"], "2016-05-12", "autre-slug")
    assert (project / "data" / "sources.ttl").read_text(encoding="utf-8") == sources_text
    assert not (project / "data" / "autre-slug.ttl").exists()


def test_new_source_refuses_an_unknown_creator_or_a_bad_date(tmp_path):
    project = copy_project(tmp_path / "project")
    with pytest.raises(
        UnknownActorError, match="org/greta-inconnu.*not in data/actors.ttl.*did you mean org/greta"
    ):
        new_source(project, ESSAI, "Essai", ["org/greta-inconnu"], None, "essai")
    with pytest.raises(Exception, match="write YYYY-MM-DD"):
        new_source(project, ESSAI, "Essai", ["org/collectif-traite"], "12/05/2016", "essai")
    assert not (project / "data" / "essai.ttl").exists()


def test_new_source_command(tmp_path):
    project = copy_project(tmp_path / "project")
    runner = CliRunner()
    args = [
        "new-source",
        str(ESSAI),
        "--title",
        "Essai",
        "--date",
        "2016-05",
        "--creator",
        "org/collectif-traite",
    ]
    result = runner.invoke(main, [*args, "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "Added <doc/2016-05-12-essai-collectif>" in result.output
    assert '"2016-05"^^xsd:gYearMonth' in (project / "data" / "sources.ttl").read_text(encoding="utf-8")
    again = runner.invoke(main, [*args, "--project", str(project)])
    assert again.exit_code == 1 and "already" in again.output
    assert load_project(project)  # still loads
