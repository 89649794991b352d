"""The embedded backends agree: every saved query, check and entity description, Oxigraph vs rdflib.

Oxigraph is the default because it is faster (benchmarks/backends.py, docs/backends.md); it may
stay the default only while it gives the same answers as rdflib, which these tests check.
"""

from __future__ import annotations

import pytest
from rdflib.compare import isomorphic

from .backend_compare import all_queries, bindings_for, described_entities, ordered, same_answer, separators
from .conftest import PROJECT_DIR

QUERIES = all_queries(PROJECT_DIR)


def test_the_comparison_covers_the_catalog():
    kinds = {slug.split("/")[0] for slug in QUERIES}
    assert {"catalog", "backends"} <= kinds, f"no saved queries found under {PROJECT_DIR}/queries"


@pytest.mark.parametrize("slug", sorted(QUERIES))
def test_oxigraph_and_rdflib_agree(slug, store, rdflib_store):
    saved = QUERIES[slug]
    bindings = bindings_for(store, saved)
    difference = same_answer(
        store.query(saved.text, bindings),
        rdflib_store.query(saved.text, bindings),
        ordered(saved),
        separators(saved),
    )
    assert difference is None, f"{slug}: {difference}"


def test_entity_descriptions_agree(store, rdflib_store):
    entities = described_entities(store)
    assert len(entities) >= 5
    for iri in entities:
        oxigraph, rdflib = store.describe(iri), rdflib_store.describe(iri)
        assert len(oxigraph) > 0, iri
        assert isomorphic(oxigraph, rdflib), f"{iri}: descriptions differ"
