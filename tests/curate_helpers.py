"""Shared by the curating tests: copies of the project, evidence graphs, a server started like `make run`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from .conftest import FIXTURES, PROJECT_DIR

CURATE_FIXTURES = FIXTURES / "curate"
ESSAI = CURATE_FIXTURES / "2016-05-12-essai-collectif.txt"
PROJECT_PARTS = ("ontology", "data", "queries", "rules")
SRC = Path(__file__).resolve().parent.parent / "src"

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


@contextmanager
def serve_project(project: Path, dist: Path, timeout: float = 120) -> Iterator[str]:
    """`tehgraph serve .` started from the project folder, as `make run` does (the build in `dist`);
    yields its base URL and stops it (its own pid) at the end."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(SRC), "TEHGRAPH_DIST_DIR": str(dist)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/static/tehgraph.css", timeout=2)
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.stdout.read().decode(errors="replace")
                    raise RuntimeError("tehgraph serve did not start: " + output) from error
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
