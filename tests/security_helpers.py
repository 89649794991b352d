"""Shared by the security, guard and property tests: hostile inputs and a store digest (the recording
server is devtools/recorder.py, shared with the benchmarks)."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from devtools.recorder import recording_server  # noqa: F401 - re-exported for the tests
from tehgraph.stores import OxigraphStore, RdflibStore, Store

# A cross product of all triples, three times over: never finishes on any engine.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

G = "https://w3id.org/tehgraph/graph/pan-2014-2016"
# Every SPARQL 1.1 Update operation, each aimed at data the store really holds.
UPDATES = [
    "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    f"INSERT DATA {{ GRAPH <{G}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}",
    "DELETE DATA { <https://w3id.org/tehgraph/id/org/ccem> a <http://www.w3.org/ns/org#Organization> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    f"WITH <{G}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "INSERT { ?s a <urn:x:T> } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:x:g>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    f"CLEAR GRAPH <{G}>",
    "DROP ALL",
    f"DROP SILENT GRAPH <{G}>",
    "CREATE GRAPH <urn:x:new>",
    f"ADD <{G}> TO DEFAULT",
    f"MOVE <{G}> TO <urn:x:g>",
    f"COPY DEFAULT TO <{G}>",
    "PREFIX teh: <https://w3id.org/tehgraph/ontology#> INSERT DATA { <urn:x:a> a teh:Measure } ; CLEAR ALL",
]


def store_digest(store: Store) -> str:
    """SHA-256 of the store's quads (the default graph included), blank nodes canonicalised, so two
    loads of the same data agree whatever labels the parser gave their blank nodes."""
    store = store.in_process  # a guarded store's data is its inner store's
    if isinstance(store, OxigraphStore):
        text = store.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    elif isinstance(store, RdflibStore):
        text = store.dataset.serialize(format="nquads")
    else:
        raise TypeError(f"no digest for {store!r}")
    dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(str(quad) for quad in dataset)
    assert lines, "an empty store would make the digest meaningless"
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
