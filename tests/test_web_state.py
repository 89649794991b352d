"""The web app's state: one bounded answer cache, and entity pages in a bounded number of queries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tehgraph.errors import ParameterError
from tehgraph.stores import OxigraphStore
from tehgraph.web import create_app
from tehgraph.web.cache import MAX_KEY_PART, AnswerCache


def test_the_cache_keeps_the_most_recent_answers_only():
    cache = AnswerCache(2)
    computed = []

    def answer(key):
        return cache.get((key,), lambda: computed.append(key) or key.upper())

    assert [answer("a"), answer("b"), answer("a"), answer("c")] == ["A", "B", "A", "C"]
    assert len(cache) == 2 and computed == ["a", "b", "c"]
    answer("a")  # still kept: it was used after b
    answer("b")  # computed again: the oldest went when c came
    assert computed == ["a", "b", "c", "b"]


@pytest.mark.parametrize(
    "key", ["not a tuple", (), ("x", 3), ("x" * (MAX_KEY_PART + 1),), tuple("abcdefghi")]
)
def test_the_cache_refuses_keys_that_are_not_a_few_short_strings(key):
    # an over-long name is the client's error (ParameterError: a 400); a malformed key is ours
    with pytest.raises(
        ParameterError if key and isinstance(key[0], str) and len(key[0]) > MAX_KEY_PART else ValueError
    ):
        AnswerCache(4).get(key, lambda: None)


class CountingStore(OxigraphStore):
    """The embedded store, counting the queries it answers."""

    calls = 0

    def query(self, *args, **kwargs):
        CountingStore.calls += 1
        return super().query(*args, **kwargs)


@pytest.fixture(scope="module")
def counted(settings, store):
    app = create_app(replace(settings, query_workers=0), CountingStore(store.store))
    return app.test_client()


def queries_for(client, path: str) -> int:
    assert client.get(path).status_code == 200  # caches filled once
    CountingStore.calls = 0
    assert client.get(path).status_code == 200
    return CountingStore.calls


# The resource of a kind with the most of ?n (its busiest page), and the most queries its page may
# make: the entity both ways, its evidence, then one query per section (never one per item): a
# measure's assessments, instruments, demands, responses, follow-ups; a demand's responses and
# lineage; an actor's statements, verdicts, relations, measures; a meeting's attendance.
BUSIEST = "SELECT ?x WHERE {{ {} }} GROUP BY ?x ORDER BY DESC(COUNT(DISTINCT ?n)) ?x LIMIT 1"
PAGES = {
    "measure": ("?n teh:assesses ?x", 7),
    "unassessed measure": ("?x a teh:Measure ; teh:number ?n FILTER NOT EXISTS { ?a teh:assesses ?x }", 7),
    "demand": ("?x a teh:Demand ; teh:evidence ?n", 5),
    "actor": ("?n teh:demandedBy ?x", 6),
    "meeting": ("?x a teh:Meeting ; teh:participant ?n", 4),
    "plan": ("?n teh:inPlan ?x", 4),
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_an_entity_page_makes_a_bounded_number_of_queries(counted, store, kind):
    """However many assessments, evidence or statements a resource has: no query per item."""
    pattern, most = PAGES[kind]
    iri = str(store.query(BUSIEST.format(pattern)).rows[0][0])
    assert queries_for(counted, "/page/" + iri.split("/id/", 1)[1]) <= most
