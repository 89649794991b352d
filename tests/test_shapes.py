"""Each SHACL shape with a valid and an invalid example (tests/fixtures/shapes/<Name>-valid|invalid.ttl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from tehgraph.load import load_project
from tehgraph.namespaces import TEHSH
from tehgraph.validation.engine import validate_graph

from .conftest import FIXTURES, PROJECT_DIR

SHAPE_FIXTURES = FIXTURES / "shapes"
PROJECT = load_project(PROJECT_DIR)
TARGET_PREDICATES = (SH.targetClass, SH.targetObjectsOf, SH.targetSubjectsOf, SH.targetNode)


def targeted_shapes() -> list[str]:
    """Every shape that selects nodes on its own: each must have an example pair."""
    shapes = PROJECT.shapes
    names = {
        str(s)[len(str(TEHSH)) :]
        for p in TARGET_PREDICATES
        for s in shapes.subjects(p, None)
        if isinstance(s, URIRef)
    }
    return sorted(names)


def example_names() -> list[str]:
    return sorted({p.name.rsplit("-", 1)[0] for p in SHAPE_FIXTURES.glob("*-valid.ttl")})


def data_with(example: Path) -> Graph:
    graph = Graph()
    graph.parse(SHAPE_FIXTURES / "_base.ttl")
    graph.parse(example)
    graph += PROJECT.graph(URIRef("https://w3id.org/tehgraph/graph/concepts"))
    return graph


def expected_shape(example: Path) -> str:
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{example.name} must start with '# expect: tehsh:Name'"
    return first.removeprefix("# expect: ").strip()


def test_every_targeted_shape_has_an_example_pair():
    missing = [name for name in targeted_shapes() if name not in example_names()]
    assert not missing, f"shapes without valid/invalid examples: {missing}"


def test_every_shape_has_a_readable_iri_and_a_message():
    shapes = PROJECT.shapes
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        assert isinstance(shape, URIRef) and str(shape).startswith(str(TEHSH)), shape
        has_message = (
            (shape, SH.message, None) in shapes
            or any((inner, SH.message, None) in shapes for inner in shapes.objects(shape, SH.property))
            or any((inner, SH.message, None) in shapes for inner in shapes.objects(shape, SH.sparql))
        )
        assert has_message, f"{shape} has no sh:message"


def test_base_conforms():
    graph = Graph()
    graph.parse(SHAPE_FIXTURES / "_base.ttl")
    graph += PROJECT.graph(URIRef("https://w3id.org/tehgraph/graph/concepts"))
    result = validate_graph(graph, PROJECT.shapes, PROJECT.ontology)
    assert result.conforms, result.as_text()


@pytest.mark.parametrize("name", example_names())
def test_valid_example_conforms(name):
    example = SHAPE_FIXTURES / f"{name}-valid.ttl"
    result = validate_graph(data_with(example), PROJECT.shapes, PROJECT.ontology)
    assert result.conforms, result.as_text()


@pytest.mark.parametrize("name", example_names())
def test_invalid_example_is_reported_by_its_shape(name):
    example = SHAPE_FIXTURES / f"{name}-invalid.ttl"
    result = validate_graph(data_with(example), PROJECT.shapes, PROJECT.ontology)
    assert not result.conforms
    reported = {v.shape for v in result.violations} | {v.property_shape for v in result.violations}
    assert expected_shape(example) in reported, result.as_text()
    for violation in result.violations:
        assert violation.focus and violation.message
