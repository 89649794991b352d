"""`tehgraph queries` and `tehgraph query` with click's CliRunner on the real build."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tehgraph.catalog import catalog_markdown, load_catalog
from tehgraph.cli import main

from .conftest import PROJECT_DIR

CATALOG = load_catalog(PROJECT_DIR)
INTERIOR = "https://w3id.org/tehgraph/id/org/ministere-interieur"


@pytest.fixture(scope="module")
def cli(settings):
    """Run `tehgraph ARGS --project P --dist D`, for `query`; returns the click Result."""

    def _run(*args: str, where: bool = True):
        extra = ["--project", str(PROJECT_DIR), "--dist", str(settings.dist)] if where else []
        return CliRunner().invoke(main, [*args, *extra])

    return _run


def test_queries_lists_every_slug_with_its_title():
    result = CliRunner().invoke(main, ["queries", "--project", str(PROJECT_DIR)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(CATALOG)
    for line, (slug, saved) in zip(lines, CATALOG.items(), strict=True):
        assert line.startswith(slug) and saved.title["en"] in line
    french = CliRunner().invoke(main, ["queries", "--project", str(PROJECT_DIR), "--lang", "fr"])
    assert CATALOG["meetings"].title["fr"] in french.output


def test_queries_markdown_is_the_readme_list():
    result = CliRunner().invoke(main, ["queries", "--project", str(PROJECT_DIR), "--markdown"])
    assert result.exit_code == 0
    assert result.output.strip() == catalog_markdown(CATALOG)


def test_query_csv_with_a_parameter(cli):
    result = cli(
        "query", "measures-without-association", "--param", "plan=id:plan/pan-2014-2016", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(CATALOG["measures-without-association"].columns)
    # Associations are named in the boxes of measures 2, 3 and 22 only (see test_catalog).
    assert {int(r["number"]) for r in rows} == set(range(1, 24)) - {2, 3, 22}


def test_query_json_and_tsv_are_standard_results(cli):
    result = cli("query", "ministries-by-measures", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["head"]["vars"] == list(CATALOG["ministries-by-measures"].columns)
    assert INTERIOR in {b["ministry"]["value"] for b in data["results"]["bindings"]}
    tsv = cli("query", "ministries-by-measures", "--format", "tsv")
    header = tsv.output.splitlines()[0].split("\t")
    assert header == ["?" + c for c in CATALOG["ministries-by-measures"].columns]


def test_table_shows_labels_next_to_iris(cli):
    result = cli("query", "ministries-by-measures")
    assert result.exit_code == 0
    assert "id:org/ministere-interieur (Ministère de l'Intérieur)" in result.output
    assert "row(s)" in result.output.splitlines()[-1]


def test_markdown_table(cli):
    result = cli(
        "query",
        "meeting-attendance",
        "-p",
        "meeting=id:meeting/2014-02-03-ministre-droits-femmes",
        "--format",
        "md",
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == ["person", "organisation", "role"]
    assert set(lines[1].replace("|", "").strip()) <= {"-", ":", " "}
    assert any("id:person/sylvie-ody" in line and "id:org/ccem" in line for line in lines)


def test_rdflib_store_gives_the_same_answer(cli):
    oxigraph = cli("query", "ministries-by-measures", "--format", "csv")
    rdflib = cli("query", "ministries-by-measures", "--format", "csv", "--store", "rdflib")
    assert rdflib.exit_code == 0
    assert sorted(rdflib.output.splitlines()) == sorted(oxigraph.output.splitlines())


def test_file_and_sparql_text(cli, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(
        "PREFIX teh: <https://w3id.org/tehgraph/ontology#>\n"
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a teh:Measure ; teh:inPlan ?plan }\n"
        "#+ is not a header here\n",
        encoding="utf-8",
    )
    from_file = cli("query", "--file", str(path), "--format", "csv")
    assert from_file.exit_code == 0, from_file.output
    # The first plan has 23 measures (« Mise en œuvre des 23 mesures du Plan », 2017 analysis l. 26).
    inline = cli(
        "query", "--sparql", "ASK { <https://w3id.org/tehgraph/id/measure/pan-2014-2016/23> a teh:Measure }"
    )
    assert inline.exit_code == 0 and inline.output.strip() == "yes"
    assert int(from_file.output.splitlines()[1]) >= 23


def test_file_with_a_header_takes_parameters(cli, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text(
        "#+ params:\n#+   plan: {type: iri, class: 'teh:ActionPlan'}\n"
        "PREFIX teh: <https://w3id.org/tehgraph/ontology#>\n"
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a teh:Measure ; teh:inPlan ?plan }\n",
        encoding="utf-8",
    )
    missing = cli("query", "--file", str(path))
    assert missing.exit_code == 1 and "missing parameter plan" in missing.output
    given = cli("query", "--file", str(path), "-p", "plan=id:plan/pan-2014-2016", "--format", "csv")
    assert given.exit_code == 0 and given.output.splitlines()[1] == "23"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no-such-query"], "no saved query 'no-such-query'"),
        (["query", "measures-without-association", "-p", "plan=id:org/ccem"], "expects: plan (IRI of a"),
        (["query", "measures-without-association", "-p", "plan=<x> } DROP ALL {"], "not a valid IRI"),
        (["query", "measures-without-association", "-p", "nonsense"], "is not name=value"),
        (["query", "--sparql", "SELECT ?x WHERE { ?x "], "SPARQL syntax error"),
        (["query"], "exactly one of SLUG, --file or --sparql"),
    ],
)
def test_bad_queries_and_parameters_exit_1_or_2_with_a_clear_message(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1 and message in result.output


def test_no_build_exits_2(tmp_path):
    result = CliRunner().invoke(
        main, ["query", "meetings", "--project", str(PROJECT_DIR), "--dist", str(tmp_path / "nothing")]
    )
    assert result.exit_code == 2 and "tehgraph build" in result.output


def test_query_a_remote_endpoint(cli, oxigraph):
    """The same saved query through a real Oxigraph server (SPARQL 1.1 protocol)."""
    local = cli("query", "measures-without-association", "--format", "csv")
    remote = cli("query", "measures-without-association", "--format", "csv", "--endpoint", oxigraph.query_url)
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())
