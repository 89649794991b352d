"""Session fixtures: the real project, built once by the real build function."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from devtools import virtuoso_server
from devtools.oxigraph_server import OxigraphServer, running
from tehgraph.build import BuildResult, build
from tehgraph.config import Settings
from tehgraph.load import load_project
from tehgraph.stores import OxigraphStore, RdflibStore

# TEHGRAPH_TEST_PROJECT lets a developer run the suite against a snapshot of the project.
PROJECT_DIR = Path(os.environ.get("TEHGRAPH_TEST_PROJECT", Path(__file__).resolve().parent.parent)).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Debian's chromium, driven by Playwright (no browser download); quiet on a closed network.
CHROMIUM = {
    "executable_path": "/usr/bin/chromium",
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT_DIR


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> BuildResult:
    """The real project built into a temporary dist/ (the working copy's dist/ is left alone)."""
    return build(PROJECT_DIR, tmp_path_factory.mktemp("build") / "dist")


@pytest.fixture(scope="session")
def settings(built: BuildResult) -> Settings:
    return Settings(project_dir=PROJECT_DIR, dist_dir=built.dist)


@pytest.fixture(scope="session")
def asserted() -> Graph:
    """Ontology, concepts and data merged, without inference: what the sources say."""
    return load_project(PROJECT_DIR).merged()


@pytest.fixture(scope="session")
def store(built: BuildResult) -> OxigraphStore:
    """The embedded default store over the real build."""
    return OxigraphStore.from_dist(built.dist)


@pytest.fixture(scope="session")
def ask(store):
    """Rows of a SPARQL query on the real store, as dicts of strings: tests' own expectations."""

    def run(sparql: str, **bindings) -> list[dict]:
        terms = {k: v if isinstance(v, Literal) else URIRef(v) for k, v in bindings.items()}
        return [{k: str(v) for k, v in r.items()} for r in store.query(sparql, terms).records()]

    return run


@pytest.fixture(scope="session")
def rdflib_store(built: BuildResult) -> RdflibStore:
    return RdflibStore.from_dist(built.dist)


@pytest.fixture()
def mini_project(tmp_path) -> Path:
    """A small, complete project (the real ontology and rules, tests/fixtures/mini data) to break at will."""
    shutil.copytree(PROJECT_DIR / "ontology", tmp_path / "ontology")
    shutil.copytree(FIXTURES / "mini" / "data", tmp_path / "data")
    shutil.copytree(PROJECT_DIR / "rules", tmp_path / "rules")
    return tmp_path


@pytest.fixture(scope="session")
def app(settings, store):
    """The web app over the embedded store of the real build (queries in-process)."""
    from tehgraph.web import create_app

    return create_app(settings, store)


@pytest.fixture(scope="session")
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory, settings: Settings) -> Iterator[OxigraphServer]:
    """A real Oxigraph server holding the built graph, uploaded by `push` over the Graph Store Protocol."""
    from tehgraph.push import push

    with running(tmp_path_factory.mktemp("oxigraph")) as server:
        push(server.settings(settings))
        yield server


@pytest.fixture(scope="session")
def remote_store(oxigraph: OxigraphServer, settings: Settings):
    from tehgraph.stores import RemoteStore

    return RemoteStore.from_settings(oxigraph.settings(settings))


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory, settings: Settings) -> Iterator[virtuoso_server.VirtuosoServer]:
    """A real Virtuoso (Debian's virtuoso-t, its own ini and database folder), filled once by `push`
    over the digest-authenticated Graph Store, the merged graph in its own named graph."""
    from tehgraph.push import push

    with virtuoso_server.running(tmp_path_factory.mktemp("virtuoso")) as server:
        push(server.settings(settings))
        yield server


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso: virtuoso_server.VirtuosoServer, settings: Settings):
    from tehgraph.stores import RemoteStore

    return RemoteStore.from_settings(virtuoso.settings(settings))
