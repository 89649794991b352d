"""A build is a release: its version, counts and checksums in dist/release.json and VoID/DCAT, and
its search index, all published with the dumps or not at all (issue 20 « Releasing », issue 19)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL

from tehgraph import __version__
from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.dist import RELEASE_FILE, SEARCH_INDEX_FILE, read_release
from tehgraph.namespaces import ID
from tehgraph.search import SearchIndex
from tehgraph.void import LICENSE

DCAT_VERSION, PREVIOUS = URIRef(f"{DCAT}version"), URIRef(f"{DCAT}previousVersion")


def git(folder, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture()
def repository(mini_project):
    """The small project as the only content of a git repository, committed."""
    git(mini_project, "init", "-q")
    (mini_project / ".gitignore").write_text("dist/\n", encoding="utf-8")
    git(mini_project, "add", ".")
    git(mini_project, "commit", "-q", "-m", "data")
    return mini_project


def test_release_file_counts_every_graph_and_checksums_every_file(mini_project):
    result = build(mini_project)
    release = read_release(result.dist)
    assert release["graphs"] == result.triples and release["triples"] == result.total
    written = {p.name for p in result.dist.iterdir() if p.name != RELEASE_FILE}
    assert set(release["files"]) == written and "tehgraph.nq" in written
    for name, facts in release["files"].items():
        data = (result.dist / name).read_bytes()
        assert facts == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}, name


def test_a_project_outside_git_has_an_unknown_commit(mini_project):
    release = read_release(build(mini_project).dist)
    assert release["commit"] == "unknown" and release["version"] == f"{__version__}+unknown"


def test_the_version_names_the_data_commit_and_says_when_the_files_changed(repository):
    head = git(repository, "rev-parse", "--short", "HEAD")
    assert read_release(build(repository).dist)["version"] == f"{__version__}+{head}"
    path = repository / "data" / "actors.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert read_release(build(repository).dist)["commit"] == f"{head}-dirty"


def test_void_gives_version_previous_version_licence_and_rights(repository):
    first = read_release(build(repository).dist)
    assert first["previous_version"] is None
    (repository / "data" / "extra.ttl").write_text("", encoding="utf-8")
    git(repository, "add", ".")
    git(repository, "commit", "-q", "-m", "more")
    result = build(repository)
    second = read_release(result.dist)
    assert second["previous_version"] == first["version"] != second["version"]
    void = Graph().parse(result.dist / "void.ttl")
    dataset = ID["dataset"]
    assert void.value(dataset, DCAT_VERSION) == Literal(second["version"])
    assert void.value(dataset, OWL.versionInfo) == Literal(second["version"])
    previous = void.value(dataset, PREVIOUS)
    assert void.value(previous, DCAT_VERSION) == Literal(first["version"])
    assert void.value(dataset, DCTERMS.license) == LICENSE
    rights = {r.language: str(r) for r in void.objects(dataset, DCTERMS.rights)}
    assert "CCEM" in rights["fr"] and "Collectif" in rights["en"]
    assert void.value(dataset, DCTERMS.modified).toPython().isoformat().startswith(second["built_at"][:16])


def test_the_build_writes_the_search_index_from_its_store(mini_project):
    result = build(mini_project)
    index = SearchIndex(result.dist / SEARCH_INDEX_FILE)
    try:
        found = index.search("ministère")
        assert found.total >= 1
        assert str(ID["org/ministere-mini"]) in {hit.iri for hit in found.hits}
    finally:
        index.close()


def test_a_failed_build_keeps_the_previous_index_and_release(mini_project):
    from click.testing import CliRunner

    first = build(mini_project)
    before = {name: (first.dist / name).read_bytes() for name in (SEARCH_INDEX_FILE, RELEASE_FILE)}
    path = mini_project / "data" / "demands.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("30 jours", "trente jours"), encoding="utf-8")
    outcome = CliRunner().invoke(main, ["build", str(mini_project)], catch_exceptions=False)
    assert outcome.exit_code == 1
    assert {name: (first.dist / name).read_bytes() for name in before} == before


def test_git_is_not_needed_to_build(mini_project, monkeypatch, tmp_path):
    """Without a git executable the commit is unknown and the build still publishes."""
    shutil.copytree(mini_project, tmp_path / "copy")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert read_release(build(tmp_path / "copy").dist)["commit"] == "unknown"
