"""The fast engines give exactly what the reference engines give: owlrl for OWL RL, pySHACL for SHACL.

The build uses the fast ones (infer engine "rules", validate engine "sparql"); these tests are
what allows it. Each comparison runs both engines on the same graph: the real one, a broken copy
of it, every shape fixture, and a synthetic 10k-triple project.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH

from devtools.synthetic import generate
from tehgraph.inference import schema as owl_rules
from tehgraph.inference.engine import infer
from tehgraph.load import load_project
from tehgraph.validation import sparql_engine as shacl_sparql
from tehgraph.validation.engine import validate_graph, validate_project

from .conftest import FIXTURES, PROJECT_DIR

SHAPE_FIXTURES = sorted(p for p in (FIXTURES / "shapes").glob("*.ttl") if not p.name.startswith("_"))


def results(validation) -> Counter:
    """What a report says, engine-independently: (focus, path, shape, property shape, value) counts."""
    return Counter(
        (v.focus, v.path, v.shape, v.property_shape, v.value, v.severity) for v in validation.violations
    )


def assert_same_validation(data: Graph, shapes: Graph) -> Counter:
    reference = validate_graph(data, shapes, engine="pyshacl")
    fast = validate_graph(data, shapes, engine="sparql")
    assert fast.conforms == reference.conforms
    assert results(fast) == results(reference)
    return results(reference)


@pytest.fixture(scope="module")
def project():
    return load_project(PROJECT_DIR)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic") / "s10k"
    generate(PROJECT_DIR, folder, 10_000, seed=11)
    return folder


def broken(graph: Graph, keep: Graph) -> Graph:
    """`graph` with every 23rd triple dropped (never one of `keep`): violations of many shapes."""
    copy = Graph()
    for index, triple in enumerate(sorted(graph, key=lambda t: tuple(str(x) for x in t))):
        if index % 23 != 4 or triple in keep:
            copy.add(triple)
    return copy


# --- OWL RL ------------------------------------------------------------------------------------


def test_rules_infer_what_owlrl_infers_on_the_real_graph(asserted):
    assert set(infer(asserted, engine="rules")) == set(infer(asserted, engine="owlrl"))


def test_rules_infer_what_owlrl_infers_on_a_synthetic_project(synthetic):
    merged = load_project(synthetic).merged()
    fast = set(infer(merged, engine="rules"))
    assert fast == set(infer(merged, engine="owlrl"))
    assert len(fast) > 1000  # inverses, superproperties, domains and ranges all fired


def test_a_closed_schema_kept_between_builds_infers_what_owlrl_infers(asserted, tmp_path, monkeypatch):
    """The second run reads the schema's closure from the cache; a changed schema is a new entry."""
    monkeypatch.setenv("TEHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    reference = set(infer(asserted, engine="owlrl"))
    assert set(infer(asserted, engine="rules")) == reference
    entries = sorted((tmp_path / "cache").glob("schema-closure-*.nt"))
    assert len(entries) == 1
    calls = []
    monkeypatch.setattr(owl_rules, "closure", lambda triples: calls.append(1))
    assert set(infer(asserted, engine="rules")) == reference  # read back: owlrl not called
    assert calls == []
    monkeypatch.undo()
    monkeypatch.setenv("TEHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    graph = Graph()
    graph += asserted
    sub = URIRef("https://w3id.org/tehgraph/ontology#TestOnlyMeasure")
    graph.add((sub, RDF.type, OWL.Class))
    graph.add(
        (
            sub,
            URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            URIRef("https://w3id.org/tehgraph/ontology#Measure"),
        )
    )
    assert set(infer(graph, engine="rules")) == set(infer(graph, engine="owlrl"))
    assert len(list((tmp_path / "cache").glob("schema-closure-*.nt"))) == 2


def test_a_damaged_cache_entry_is_closed_again(asserted, tmp_path, monkeypatch):
    monkeypatch.setenv("TEHGRAPH_CACHE_DIR", str(tmp_path))
    reference = set(infer(asserted, engine="rules"))
    (entry,) = tmp_path.glob("schema-closure-*.nt")
    entry.write_text("<urn:a> not n-triples\n", encoding="utf-8")
    assert set(infer(asserted, engine="rules")) == reference
    assert "not n-triples" not in entry.read_text(encoding="utf-8")


def test_unsupported_axioms_fall_back_to_owlrl(asserted):
    """A transitive property is outside the worklist: "rules" refuses, "auto" answers as owlrl."""
    graph = Graph()
    graph += asserted
    part_of = URIRef("https://w3id.org/tehgraph/ontology#sectionOf")
    graph.add((part_of, RDF.type, OWL.TransitiveProperty))
    with pytest.raises(owl_rules.Unsupported):
        infer(graph, engine="rules")
    assert set(infer(graph, engine="auto")) == set(infer(graph, engine="owlrl"))


def test_two_values_of_a_functional_property_fall_back_to_owlrl(asserted):
    graph = Graph()
    graph += asserted
    measure = next(graph.subjects(URIRef("https://w3id.org/tehgraph/ontology#inPlan"), None))
    graph.add(
        (measure, URIRef("https://w3id.org/tehgraph/ontology#inPlan"), URIRef("https://example.org/other"))
    )
    with pytest.raises(owl_rules.Unsupported):
        infer(graph, engine="rules")


# --- SHACL ---------------------------------------------------------------------------------------


def test_sparql_validation_reports_what_pyshacl_reports_on_the_real_graph(project):
    assert assert_same_validation(project.merged(), project.shapes) == Counter()


def test_sparql_validation_reports_what_pyshacl_reports_on_a_broken_real_graph(project):
    found = assert_same_validation(broken(project.merged(), project.ontology), project.shapes)
    assert len({shape for _, _, shape, _, _, _ in found}) >= 5


@pytest.mark.parametrize("example", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_sparql_validation_reports_what_pyshacl_reports_on_each_shape_fixture(project, example):
    data = Graph()
    data.parse(FIXTURES / "shapes" / "_base.ttl")
    data.parse(example)
    data += project.ontology
    found = assert_same_validation(data, project.shapes)
    assert (not found) == example.stem.endswith("-valid")


def test_sparql_validation_reports_what_pyshacl_reports_on_a_broken_synthetic_project(synthetic):
    project = load_project(synthetic)
    found = assert_same_validation(broken(project.merged(), project.ontology), project.shapes)
    assert found


def test_ill_typed_literals_are_refused_as_pyshacl_refuses_them(project):
    data = project.merged()
    measure = next(data.subjects(RDF.type, URIRef("https://w3id.org/tehgraph/ontology#Measure")))
    number = URIRef("https://w3id.org/tehgraph/ontology#number")
    data.remove((measure, number, None))
    data.add((measure, number, Literal("douze", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    assert assert_same_validation(data, project.shapes)


def test_shapes_outside_the_compiled_subset_fall_back_to_pyshacl(project):
    shapes = Graph()
    shapes += project.shapes
    shapes.add((URIRef("https://w3id.org/tehgraph/shapes#MeasureShape"), SH.closed, Literal(False)))
    assert not shacl_sparql.supported(shapes)
    with pytest.raises(shacl_sparql.Unsupported):
        shacl_sparql.validate_sparql(project.merged(), shapes)
    auto = validate_graph(project.merged(), shapes, engine="auto")
    assert results(auto) == results(validate_graph(project.merged(), shapes, engine="pyshacl"))


def test_project_validation_names_the_file_of_each_node_with_the_fast_engine(tmp_path):
    """validate_project maps nodes to files lazily; the fast engine must still fill them in."""
    import shutil

    shutil.copytree(PROJECT_DIR / "ontology", tmp_path / "ontology")
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    target = next((tmp_path / "data").glob("*.ttl"))
    target.write_text(target.read_text(encoding="utf-8").replace('"@fr', '"@de', 1), encoding="utf-8")
    fast = validate_project(load_project(tmp_path), engine="sparql")
    reference = validate_project(load_project(tmp_path), engine="pyshacl")
    assert fast.violations and all(v.file for v in fast.violations)
    assert {(v.focus, v.shape, v.file) for v in fast.violations} == {
        (v.focus, v.shape, v.file) for v in reference.violations
    }


# A focus node must be stated by something (an inverse path), and a SPARQL constraint whose WHERE
# only filters $this: both need the engine to bind the focus nodes as SHACL says.
EXTRA_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
ex:Stated a sh:NodeShape ; sh:targetClass ex:Measure ;
    sh:property [ sh:path [ sh:inversePath ex:states ] ; sh:minCount 1 ; sh:maxCount 1 ] .
ex:Named a sh:NodeShape ; sh:targetClass ex:Measure ;
    sh:sparql [ sh:message "IRI outside urn:ex:" ;
        sh:select "SELECT $this WHERE { FILTER(!STRSTARTS(STR($this), 'urn:ex:')) }" ] .
"""
EXTRA_DATA = """
@prefix ex: <urn:ex:> .
ex:m1 a ex:Measure . ex:doc ex:states ex:m1 .
ex:m2 a ex:Measure .
ex:doc ex:states ex:m3 . ex:other ex:states ex:m3 . ex:m3 a ex:Measure .
<urn:elsewhere:m4> a ex:Measure . ex:doc ex:states <urn:elsewhere:m4> .
"""


def test_inverse_paths_and_filter_only_sparql_constraints_report_what_pyshacl_reports():
    shapes = Graph().parse(data=EXTRA_SHAPES, format="turtle")
    assert shacl_sparql.supported(shapes)
    found = assert_same_validation(Graph().parse(data=EXTRA_DATA, format="turtle"), shapes)
    foci = Counter(focus for focus, *_ in found.elements())
    # m2 stated by nothing, m3 by two, m4 outside urn:ex: (the FILTER on $this alone)
    assert foci == Counter({"urn:ex:m2": 1, "urn:ex:m3": 1, "urn:elsewhere:m4": 1}), found
