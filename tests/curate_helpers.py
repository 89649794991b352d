"""Shared by test_curate, test_diff and test_curating_guide: copies of the project, evidence graphs."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from .conftest import FIXTURES, PROJECT_DIR

CURATE_FIXTURES = FIXTURES / "curate"
ESSAI = CURATE_FIXTURES / "2016-05-12-essai-collectif.txt"
PROJECT_PARTS = ("ontology", "data", "queries", "rules")

PREFIXES = """@prefix teh: <https://w3id.org/tehgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/tehgraph/id/> .
"""


def copy_project(target: Path) -> Path:
    """The parts of the real project a build reads, copied to break or extend at will."""
    for part in PROJECT_PARTS:
        shutil.copytree(PROJECT_DIR / part, target / part)
    return target


def evidence_graph(project_dir: Path, block: str) -> Graph:
    """A printed evidence block, parsed as a data file would be, with the documents it cites."""
    graph = Graph()
    graph.parse(project_dir / "data" / "sources.ttl")
    graph.parse(data=PREFIXES + block, format="turtle")
    return graph
