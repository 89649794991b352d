"""The embedded backends agree: every saved query, check and entity description, Oxigraph vs rdflib.

Oxigraph is the default because it is faster (benchmarks/backends.py, docs/backends.md); it may
stay the default only while it gives the same answers as rdflib, which these tests check.
"""

from __future__ import annotations

import pytest

from devtools.backend_compare import all_queries, assert_same_answer, assert_same_descriptions

from .conftest import PROJECT_DIR

QUERIES = all_queries(PROJECT_DIR)


def test_the_comparison_covers_the_catalog():
    kinds = {slug.split("/")[0] for slug in QUERIES}
    assert {"catalog", "backends"} <= kinds, f"no saved queries found under {PROJECT_DIR}/queries"


@pytest.mark.parametrize("slug", sorted(QUERIES))
def test_oxigraph_and_rdflib_agree(slug, store, rdflib_store):
    assert_same_answer(QUERIES[slug], store, rdflib_store)


def test_entity_descriptions_agree(store, rdflib_store):
    assert_same_descriptions(store, rdflib_store)
