"""The build pipeline on a small project that tests can break, and on the real project."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, RDF, VOID

from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.errors import BuildError, LoadError, UnknownTermError
from tehgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
from tehgraph.load import load_project
from tehgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, TEH
from tehgraph.stores import OxigraphStore


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the pipeline on the small project ---------------------------------------------------------------


def test_build_writes_every_dump_and_void(mini_project):
    result = build(mini_project)
    names = {p.name for p in result.dist.iterdir()}
    for fmt in [*DATASET_FORMATS.values(), *GRAPH_FORMATS.values()]:
        assert f"tehgraph.{fmt.suffix}" in names
    assert "void.ttl" in names
    void = Graph().parse(result.dist / "void.ttl")
    counted = {
        str(void.value(s, URIRef("http://purl.org/dc/terms/source"))): int(void.value(s, VOID.triples))
        for s in void.objects(ID["dataset"], VOID.subset)
    }
    assert counted[str(GRAPH["demands"])] == result.triples[str(GRAPH["demands"])]
    assert int(void.value(ID["dataset"], VOID.triples)) == result.total


def test_each_file_is_its_own_named_graph(mini_project):
    result = build(mini_project)
    dataset = Dataset()
    dataset.parse(result.dist / "tehgraph.trig", format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    for stem in ("sources", "actors", "plan", "demands", "ontology", "concepts", "shapes", "inferred"):
        assert str(GRAPH[stem]) in names
    demand = ID["demand/delai-reflexion"]
    assert (demand, RDF.type, TEH.Demand) in dataset.graph(GRAPH["demands"])
    assert (demand, RDF.type, TEH.Demand) not in dataset.graph(GRAPH["actors"])


def test_merged_dumps_round_trip(mini_project):
    result = build(mini_project)
    reference = Graph().parse(result.dist / "tehgraph.nt", format="nt")
    for fmt in GRAPH_FORMATS.values():
        other = Graph().parse(result.dist / f"tehgraph.{fmt.suffix}", format=fmt.rdflib.replace("nt11", "nt"))
        assert isomorphic(reference, other), fmt.name
    quads = Dataset()
    quads.parse(result.dist / "tehgraph.nq", format="nquads")
    assert sum(len(g) for g in quads.graphs()) == result.total


def test_inference_lands_only_in_the_inferred_graph(mini_project):
    result = build(mini_project)
    store = OxigraphStore.from_dist(result.dist)
    ministry, measure = ID["org/ministere-mini"], ID["measure/mini/1"]
    inferred = [
        (ministry, RDF.type, ORG.Organization),
        (ministry, RDF.type, TEH.Actor),
        (ministry, TEH.implements, measure),
    ]
    for s, p, o in inferred:
        graphs = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": s, "p": p, "o": o}).column(
            "g"
        )
        assert graphs == [INFERRED_GRAPH], (p, o, graphs)
    asserted = store.query("SELECT ?g WHERE { GRAPH ?g { ?s a teh:Ministry } }", {"s": ministry}).column("g")
    assert asserted == [GRAPH["actors"]]


# --- bad input ---------------------------------------------------------------------------------------


def test_turtle_syntax_error_names_file_and_line(mini_project):
    path = mini_project / "data" / "actors.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('<org/broken> a teh:Association ; rdfs:label "pas fermé@fr .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_project(mini_project)
    assert caught.value.line == len(lines)
    outcome = run_cli("build", str(mini_project))
    assert outcome.exit_code == 2
    assert f"actors.ttl:{len(lines)}" in outcome.output


def test_unknown_prefix_is_reported_with_the_file(mini_project):
    path = mini_project / "data" / "actors.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n<org/x> a nope:Thing .\n", encoding="utf-8")
    outcome = run_cli("validate", str(mini_project))
    assert outcome.exit_code == 2
    assert "actors.ttl" in outcome.output and "nope" in outcome.output


def test_unknown_teh_term_is_refused(mini_project):
    path = mini_project / "data" / "plan.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace("teh:implementedBy", "teh:implementedby"), encoding="utf-8"
    )
    with pytest.raises(UnknownTermError, match="teh:implementedby"):
        load_project(mini_project)
    assert run_cli("build", str(mini_project)).exit_code == 2


def test_literal_where_an_iri_is_expected_is_a_violation(mini_project):
    path = mini_project / "data" / "plan.ttl"
    text = path.read_text(encoding="utf-8").replace(
        "teh:implementedBy <org/ministere-mini>", 'teh:implementedBy "le ministère"'
    )
    path.write_text(text, encoding="utf-8")
    outcome = run_cli("validate", str(mini_project))
    assert outcome.exit_code == 1
    assert "tehsh:MeasureShape" in outcome.output and "measure/mini/1" in outcome.output
    assert "teh:implementedBy" in outcome.output and "data/plan.ttl" in outcome.output


def test_validate_formats_and_exit_codes(mini_project):
    assert run_cli("validate", str(mini_project)).exit_code == 0
    outcome = run_cli("validate", str(mini_project), "--format", "json")
    assert outcome.exit_code == 0 and '"conforms": true' in outcome.stdout
    path = mini_project / "data" / "demands.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace("teh:evidence <evidence/mini/1> .", "."), encoding="utf-8"
    )
    outcome = run_cli("validate", str(mini_project), "--format", "turtle")
    assert outcome.exit_code == 1
    report = Graph().parse(data=outcome.stdout, format="turtle")  # machine-readable: stdout only
    assert len(report) > 0 and "HasEvidence" in outcome.stdout


def test_altered_quote_fails_the_build(mini_project):
    path = mini_project / "data" / "demands.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("30 jours", "trente jours"), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(mini_project)
    assert "evidence/mini/1" in str(caught.value) and "trente jours" in str(caught.value)


def test_validate_refuses_an_altered_quote_naming_file_line_and_source_lines(mini_project):
    path = mini_project / "data" / "demands.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("30 jours", "trente jours"), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "teh:quote" in text and "trente jours" in text)
    outcome = run_cli("validate", str(mini_project))
    assert outcome.exit_code == 1
    assert f"data/demands.ttl:{line}: " in outcome.output and "evidence/mini/1" in outcome.output
    assert "data/sources/mini.txt lines 3-4" in outcome.output


def test_a_failed_build_keeps_the_previous_dist(mini_project):
    first = build(mini_project)
    before = tree_digest(first.dist)
    path = mini_project / "data" / "demands.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("30 jours", "trente jours"), encoding="utf-8")
    outcome = run_cli("build", str(mini_project))
    assert outcome.exit_code == 1 and "Nothing was published" in outcome.output
    assert tree_digest(first.dist) == before
    assert not [p for p in mini_project.iterdir() if p.name.startswith(".dist-")]


# --- the real project --------------------------------------------------------------------------------


def test_real_project_builds_and_conforms(built):
    assert built.validation.conforms
    assert built.total > 1000
    assert str(INFERRED_GRAPH) in built.triples


def test_real_inference_gives_implements_for_every_implementedBy(store):
    missing = store.query(
        "SELECT ?m ?a WHERE { ?m teh:implementedBy ?a FILTER NOT EXISTS { ?a teh:implements ?m } }"
    )
    assert missing.rows == []
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?m teh:implementedBy ?a }").rows[0][0]
    assert int(count) > 0


def test_cli_build_stats_and_export(tmp_path, project_dir):
    dist = tmp_path / "dist"
    outcome = run_cli("build", str(project_dir), "--dist", str(dist))
    assert outcome.exit_code == 0, outcome.output
    env = {"TEHGRAPH_DIST_DIR": str(dist)}
    stats = CliRunner(env=env).invoke(main, ["stats", str(project_dir)])
    assert stats.exit_code == 0 and "teh:Measure" in stats.output
    exported = CliRunner(env=env).invoke(
        main, ["export", str(project_dir), "--entity", str(ID["org/miprof"]), "--format", "ntriples"]
    )
    assert exported.exit_code == 0
    graph = Graph().parse(data=exported.output, format="nt")
    assert (ID["org/miprof"], RDF.type, TEH.PublicBody) in graph
