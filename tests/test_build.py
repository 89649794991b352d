"""The build pipeline on a small project that tests can break, and on the real project."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import ORG, RDF, VOID

from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.errors import BuildError, LoadError, UnknownTermError
from tehgraph.formats import DATASET_FORMATS, GRAPH_FORMATS
from tehgraph.load import load_project, parse_file
from tehgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, TEH
from tehgraph.stores import OxigraphStore
from tehgraph.stores.answers import Job


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


def dump_bytes(dist: Path) -> dict[str, bytes]:
    """Every dump of a build folder (VoID and the release file name the build's date: left out)."""
    return {p.name: p.read_bytes() for p in sorted(dist.glob("tehgraph.*")) if p.suffix != ".sqlite"}


def test_two_builds_of_the_same_files_write_the_same_dump_bytes(mini_project, tmp_path):
    first = dump_bytes(build(mini_project, tmp_path / "one").dist)
    second = dump_bytes(build(mini_project, tmp_path / "two").dist)
    assert set(first) == {
        f"tehgraph.{f.suffix}" for f in [*DATASET_FORMATS.values(), *GRAPH_FORMATS.values()]
    }
    assert b"_:shapes-1" in first["tehgraph.nq"]  # the shapes' blank nodes, labelled in order
    for name in first:
        assert first[name] == second[name], name


def test_builds_in_processes_with_other_string_hashes_write_the_same_files(mini_project, tmp_path):
    """Python orders sets of strings by a per-process hash: an index or a VoID written from a set
    differed between two builds of the same files (one process cannot show it)."""
    files = []
    for seed in ("1", "2"):
        dist = tmp_path / f"dist-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "tehgraph", "build", str(mini_project), "--dist", str(dist)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        void = re.sub(rb'dcterms:modified "[^"]+"', b"", (dist / "void.ttl").read_bytes())
        files.append(
            {
                p.name: p.read_bytes()
                for p in sorted(dist.iterdir())
                if p.name not in ("release.json", "void.ttl")
            }
            | {"void.ttl": void}
        )
    assert "search.sqlite" in files[0]
    for name in files[0]:
        assert files[0][name] == files[1][name], name


def test_blank_nodes_are_labelled_in_order_of_appearance(tmp_path):
    path = tmp_path / "data" / "notes.ttl"
    path.parent.mkdir()
    path.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:a> rdfs:seeAlso [ rdfs:label "un" ], [ rdfs:label "deux" ] .\n'
        '_:x rdfs:label "trois" .\n',
        encoding="utf-8",
    )
    loads = []
    for _ in range(2):
        store = ox.Store()
        parse_file(path, ox.NamedNode(str(GRAPH["notes"])), store)
        loads.append(sorted(str(q) for q in store))
    assert loads[0] == loads[1]
    labels = {q.split()[0] for q in loads[0] if q.startswith("_:")}
    assert labels == {"_:notes-1", "_:notes-2", "_:notes-3"}


def test_the_serving_store_answers_the_default_graph_as_the_union_of_the_named_graphs(mini_project):
    result = build(mini_project)
    assert json.loads((result.dist / "release.json").read_text())["triples_in_two_graphs"] == 0
    store = OxigraphStore.from_dist(result.dist)
    assert next(iter(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(count) == result.total  # each triple once
    named = store.query(f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH['demands']}> WHERE {{ ?s ?p ?o }}").rows[0][0]
    assert int(named) == result.triples[str(GRAPH["demands"])]  # a FROM clause names its own dataset
    job = Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=(str(GRAPH["demands"]),))
    answered = store.answer(job).rows[0][0]  # the protocol's default-graph-uri, as the endpoint runs it
    assert int(answered) == result.triples[str(GRAPH["demands"])]


def test_a_triple_stated_in_two_files_is_still_answered_once(mini_project):
    demands = mini_project / "data" / "demands.ttl"
    actors = mini_project / "data" / "actors.ttl"
    line = next(x for x in demands.read_text(encoding="utf-8").splitlines() if " a teh:Demand" in x)
    subject = line.split()[0]
    prefixes = [x for x in demands.read_text(encoding="utf-8").splitlines() if x.startswith("@")]
    actors.write_text(
        actors.read_text(encoding="utf-8") + "\n" + "\n".join(prefixes) + f"\n{subject} a teh:Demand .\n",
        encoding="utf-8",
    )
    result = build(mini_project)
    assert json.loads((result.dist / "release.json").read_text())["triples_in_two_graphs"] == 1
    store = OxigraphStore.from_dist(result.dist)
    rows = store.query("SELECT ?t WHERE { ?s a ?t }", {"s": ID[subject.strip("<>")]}).column("t")
    assert TEH.Demand in rows and len(rows) == len(set(rows))  # the merged graph, loaded as the default


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
