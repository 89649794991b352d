"""`push`: every graph of the build arrives on a real Oxigraph server, by either protocol, verified."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, VOID

from devtools.backend_compare import all_queries, bindings_for, ordered, same_answer, separators
from devtools.oxigraph_server import free_port, running
from tehgraph.cli import main
from tehgraph.errors import EndpointError
from tehgraph.namespaces import GRAPH
from tehgraph.push import GraphUpload, PushVerificationError, open_session, push, put_graph
from tehgraph.stores import RemoteStore

from .conftest import PROJECT_DIR


def void_counts(dist) -> dict[URIRef, int]:
    """Triples per non-empty named graph as the build's VoID description states them.

    (An empty graph has no line in N-Quads, so there is nothing of it to push.)
    """
    void = Graph().parse(dist / "void.ttl")
    counts = {
        void.value(subset, DCTERMS.source): int(void.value(subset, VOID.triples))
        for subset in void.subjects(VOID.triples, None)
        if void.value(subset, DCTERMS.source) is not None
    }
    return {graph: count for graph, count in counts.items() if count}


def test_push_sends_every_graph_of_the_build(tmp_path, settings, built):
    with running(tmp_path / "db") as server:
        result = push(server.settings(settings))
    merged = Graph().parse(built.dist / "tehgraph.nt", format="nt")
    sent = {u.graph: u.expected for u in result.uploads}
    assert {g: n for g, n in sent.items() if g is not None} == void_counts(built.dist)
    assert sent[None] == len(merged)
    assert all(u.found == u.expected for u in result.uploads)
    assert result.method == "graph-store" and result.stale == []


def test_pushing_twice_replaces_instead_of_adding(oxigraph, settings, store):
    """The session server was filled once already; a second push leaves the same counts."""
    result = push(oxigraph.settings(settings))
    assert not result.mismatches
    assert RemoteStore.from_settings(oxigraph.settings(settings)).count() == store.count()


def test_push_with_sparql_update(tmp_path, settings, store):
    with running(tmp_path / "db") as server:
        configured = server.settings(settings, graph_store=None, update_endpoint=server.update_url)
        result = push(configured)
        push(configured)  # DROP + INSERT DATA replaces: the counts stay right
        remote = RemoteStore.from_settings(configured)
        assert result.method == "update" and not result.mismatches
        assert remote.count() == store.count()
        for slug, saved in list(all_queries(PROJECT_DIR).items())[:8]:
            bindings = bindings_for(store, saved)
            answers = store.query(saved.text, bindings), remote.query(saved.text, bindings)
            assert same_answer(*answers, ordered(saved), separators(saved)) is None, slug


def test_graphs_the_build_lacks_are_reported_then_pruned(tmp_path, settings):
    obsolete = GRAPH["obsolete-file"]
    ask = "ASK { GRAPH ?g { ?s ?p ?o } }"
    with running(tmp_path / "db") as server:
        configured = server.settings(settings)
        push(configured)
        some = push(configured).uploads[0].triples[:3]
        put_graph(open_session(configured, configured.graph_store), configured, GraphUpload(obsolete, some))
        remote = RemoteStore.from_settings(configured)
        assert push(configured).stale == [obsolete]
        assert remote.query(ask, {"g": obsolete}).boolean is True
        assert push(configured, prune=True).stale == [obsolete]
        assert remote.query(ask, {"g": obsolete}).boolean is False
        assert push(configured).stale == []


def test_a_union_default_graph_server_fails_verification_unless_told(tmp_path, settings):
    """Oxigraph --union-default-graph: the default graph is the union of all graphs, so the merged
    graph written there is counted again with every named graph; push says so instead of passing."""
    with running(tmp_path / "db", union_default_graph=True) as server:
        configured = server.settings(settings)
        with pytest.raises(PushVerificationError, match="default graph") as caught:
            push(configured)
        assert server.query_url in str(caught.value)
        result = push(configured, default_graph=False, prune=True)
    assert not result.mismatches and all(u.graph is not None for u in result.uploads)


def test_nowhere_to_upload(settings, oxigraph):
    with pytest.raises(EndpointError, match="--graph-store"):
        push(replace(oxigraph.settings(settings), graph_store=None, update_endpoint=None))


def test_unreachable_graph_store(settings, oxigraph):
    store_url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(EndpointError, match="refused") as caught:
        push(oxigraph.settings(settings, graph_store=store_url))
    assert store_url in str(caught.value)


# --- the command ---------------------------------------------------------------------------------


def run(args: list[str], dist, **env):
    environ = {"TEHGRAPH_DIST_DIR": str(dist), **env}
    return CliRunner().invoke(main, ["push", str(PROJECT_DIR), *args], env=environ)


def test_cli_push(tmp_path, built):
    with running(tmp_path / "db") as server:
        result = run(["--endpoint", server.query_url, "--graph-store", server.store_url], built.dist)
        assert result.exit_code == 0, result.output
        assert "every count matches" in result.output
        for graph in void_counts(built.dist):
            assert f"<{graph}>" in result.output
        env_only = run(
            [], built.dist, TEHGRAPH_ENDPOINT=server.query_url, TEHGRAPH_UPDATE_ENDPOINT=server.update_url
        )
        assert env_only.exit_code == 0, env_only.output


def test_cli_push_failures(tmp_path, built):
    dead = f"http://127.0.0.1:{free_port()}"
    unreachable = run(["--endpoint", dead + "/query", "--graph-store", dead + "/store"], built.dist)
    assert unreachable.exit_code == 3
    assert dead in unreachable.output and "Traceback" not in unreachable.output
    with running(tmp_path / "db", union_default_graph=True) as server:
        differs = run(["--endpoint", server.query_url, "--graph-store", server.store_url], built.dist)
    assert differs.exit_code == 1 and "default graph" in differs.output
    no_build = run(["--endpoint", dead + "/query", "--graph-store", dead + "/store"], tmp_path / "nothing")
    assert no_build.exit_code == 2 and "tehgraph build" in no_build.output
    no_endpoint = run([], built.dist)
    assert no_endpoint.exit_code == 2 and "--endpoint" in no_endpoint.output


def test_dataset_dump_and_push_agree_on_graph_names(built, oxigraph, settings):
    names = {g.identifier for g in Dataset().parse(built.dist / "tehgraph.nq", format="nquads").graphs()}
    remote = RemoteStore.from_settings(oxigraph.settings(settings))
    on_server = set(remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g"))
    assert on_server == {n for n in names if isinstance(n, URIRef) and n.startswith(str(GRAPH))}
