"""Quality checks as queries: silent on the real data, loud on a deliberately broken graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from tehgraph.build import build
from tehgraph.checks import load_checks, run_checks
from tehgraph.cli import main
from tehgraph.errors import BuildError
from tehgraph.load import load_project
from tehgraph.stores import OxigraphStore
from tehgraph.verify import verify

from .conftest import FIXTURES, PROJECT_DIR

CHECKS = load_checks(PROJECT_DIR)
BROKEN = FIXTURES / "checks" / "broken.ttl"
BROKEN_BASE = "https://example.org/broken/"


@pytest.fixture(scope="module")
def broken_store():
    return OxigraphStore.from_graph(Graph().parse(BROKEN, format="turtle"))


@pytest.fixture(scope="module")
def asserted_store(asserted):
    return OxigraphStore.from_graph(asserted)


def test_the_catalog_has_the_checks_the_issue_asks_for():
    asked = {
        "quote-without-document",
        "measure-order",
        "evidence-without-line",
        "demand-without-demandedby",
        "follows-up-later-plan",
        "actor-disjoint-kinds",
    }
    assert {slug.removesuffix("-violation") for slug in CHECKS} >= asked


def test_only_violation_files_are_checks(tmp_path):
    (tmp_path / "queries" / "checks").mkdir(parents=True)
    source = PROJECT_DIR / "queries" / "checks" / "quote-without-document-violation.rq"
    shutil.copy(source, tmp_path / "queries" / "checks" / "quote-without-document-violation.rq")
    shutil.copy(source, tmp_path / "queries" / "checks" / "draft.rq")
    assert list(load_checks(tmp_path)) == ["quote-without-document-violation"]


@pytest.mark.parametrize("slug", sorted(CHECKS))
def test_check_returns_no_rows_on_the_asserted_data(slug, asserted_store):
    outcome = run_checks(asserted_store, {slug: CHECKS[slug]}).outcomes[0]
    assert outcome.passed, outcome.result.records()


@pytest.mark.parametrize("slug", sorted(CHECKS))
def test_check_returns_no_rows_on_the_built_graph(slug, store):
    """Inferred types (e.g. from rdfs:range) must not create violations either."""
    outcome = run_checks(store, {slug: CHECKS[slug]}).outcomes[0]
    assert outcome.passed, outcome.result.records()


@pytest.mark.parametrize("slug", sorted(CHECKS))
def test_check_catches_its_case_in_the_broken_fixture(slug, broken_store):
    outcome = run_checks(broken_store, {slug: CHECKS[slug]}).outcomes[0]
    assert not outcome.passed
    flagged = {str(t) for row in outcome.result.rows for t in row if isinstance(t, URIRef)}
    assert any(iri.startswith(f"{BROKEN_BASE}{slug}/") for iri in flagged), flagged


def test_report_names_failed_checks_and_nodes(broken_store):
    report = run_checks(broken_store, CHECKS)
    assert not report.conforms
    assert len(report.failed) == len(CHECKS)
    text = report.as_text()
    assert f"{len(CHECKS)} of {len(CHECKS)} failed" in text
    assert "actor-disjoint-kinds-violation" in text and "actor-disjoint-kinds-violation/a1" in text


def test_real_project_passes_the_checks():
    report = verify(load_project(PROJECT_DIR)).checks
    assert report.conforms, report.as_text()
    assert len(report.outcomes) == len(CHECKS)


# --- validate and build run the checks ------------------------------------------------------

DISJOINT = """@prefix teh: <https://w3id.org/tehgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <https://w3id.org/tehgraph/id/> .
<org/ministere-mini> a teh:Association .
"""


@pytest.fixture
def mini_with_checks(mini_project) -> Path:
    shutil.copytree(PROJECT_DIR / "queries", mini_project / "queries")
    return mini_project


def test_mini_project_passes_then_a_violation_fails_the_build(mini_with_checks):
    assert build(mini_with_checks).dist.is_dir()
    (mini_with_checks / "data" / "zz-disjoint.ttl").write_text(DISJOINT, encoding="utf-8")
    with pytest.raises(BuildError) as error:
        build(mini_with_checks, mini_with_checks / "dist2")
    assert "actor-disjoint-kinds-violation" in str(error.value)
    assert "org/ministere-mini" in str(error.value)
    assert not (mini_with_checks / "dist2").exists()


def test_validate_command_reports_check_failures(mini_with_checks):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(mini_with_checks)])
    assert ok.exit_code == 0, ok.output
    assert "Quality checks: all" in ok.output
    (mini_with_checks / "data" / "zz-disjoint.ttl").write_text(DISJOINT, encoding="utf-8")
    bad = runner.invoke(main, ["validate", str(mini_with_checks)])
    assert bad.exit_code == 1
    assert "actor-disjoint-kinds-violation" in bad.output
