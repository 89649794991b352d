"""policy.py and stores/guarded.py on the real build: the query policy on parsed algebra, and the
pool of killable workers."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import replace

import psutil
import pytest
from rdflib.plugins.sparql.processor import prepareQuery

from devtools import attacks
from devtools.recorder import BODY_MARKER, recording_server
from tehgraph import sandbox
from tehgraph.catalog import load_catalog, run_saved
from tehgraph.config import Settings
from tehgraph.errors import ForbiddenQueryError, QueryError, QueryTimeoutError, ServerBusyError, TehgraphError
from tehgraph.policy import QueryPolicy, service_targets
from tehgraph.stores import OxigraphStore
from tehgraph.stores.answers import Job
from tehgraph.stores.guarded import CLIENT, GuardedStore, catalog_query, guard_store

from .security_helpers import PATHOLOGICAL, UPDATES, store_digest

TIMEOUT = 2.0


@pytest.fixture(scope="module")
def guarded(store):
    pool = GuardedStore(store, TIMEOUT, workers=3)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def policy(store, settings) -> QueryPolicy:
    return QueryPolicy.for_store(store, settings)


def gone(pid: int, within: float = 10.0) -> bool:
    """True once `pid` no longer runs (a reaped or zombie process counts as gone)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def rows(result) -> list[tuple[str, ...]]:
    return sorted(tuple(str(t) for t in row) for row in result.rows)


# --- the policy ------------------------------------------------------------------------------


@pytest.mark.parametrize("update", UPDATES)
def test_every_kind_of_update_is_refused_before_evaluation(policy, update):
    with pytest.raises(ForbiddenQueryError, match="read-only"):
        policy.check(update)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?q ?r } } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?q ?r } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
        "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { SeRvIcE x: { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> # comment }\n { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_wherever_it_hides(policy, query):
    with pytest.raises(ForbiddenQueryError, match="SERVICE"):
        policy.check(query)


def test_service_detection_reads_the_algebra_not_the_text(policy):
    """The word SERVICE in a string, a comment or an IRI is no SERVICE call and is accepted."""
    policy.check('SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } # SERVICE <http://x/>')
    policy.check("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }")


def test_a_trusted_endpoint_is_allowed_and_only_it(store, settings):
    trusted = QueryPolicy.for_store(store, replace(settings, trusted_endpoints=("http://t/",)))
    trusted.check("SELECT * WHERE { SERVICE <http://t/> { ?s ?p ?o } }")
    with pytest.raises(ForbiddenQueryError, match="http://t/"):
        trusted.check("SELECT * WHERE { SERVICE <http://u/> { ?s ?p ?o } }")
    both = prepareQuery("SELECT * WHERE { SERVICE <http://t/> { ?s ?p ?o } SERVICE ?x { ?a ?b ?c } }")
    assert sorted(service_targets(both.algebra), key=str) == [None, "http://t/"]


def test_from_a_graph_the_store_lacks_is_refused_where_it_would_be_fetched(store, rdflib_store, settings):
    remote = "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }"
    with pytest.raises(ForbiddenQueryError, match="FROM"):
        QueryPolicy.for_store(rdflib_store, settings).check(remote)
    with pytest.raises(ForbiddenQueryError, match="FROM"):
        QueryPolicy.for_store(rdflib_store, settings).check(remote.replace("FROM", "FROM NAMED"))
    QueryPolicy.for_store(store, settings).check(remote)  # Oxigraph only looks the name up in the store
    own = next(iter(QueryPolicy.for_store(rdflib_store, settings).known_graphs))
    QueryPolicy.for_store(rdflib_store, settings).check(f"SELECT * FROM <{own}> WHERE {{ ?s ?p ?o }}")


def test_a_syntax_error_gives_the_parser_message(policy):
    with pytest.raises(QueryError, match=r"line:1, col:1") as caught:
        policy.check("SELEKT * WHERE { ?s ?p ?o }")
    assert not isinstance(caught.value, ForbiddenQueryError)


# --- the pool --------------------------------------------------------------------------------


def test_guarded_store_gives_the_same_answers_as_the_store(guarded, store, project_dir):
    """Every saved query (with its defaults) answers the same through the workers; errors too."""
    catalog = load_catalog(project_dir)
    assert catalog
    for slug, saved in catalog.items():
        try:
            expected = rows(run_saved(store, saved, {}))
        except TehgraphError as error:
            with pytest.raises(type(error)):
                run_saved(guarded, saved, {})
            continue
        assert rows(run_saved(guarded, saved, {})) == expected, slug
    assert guarded.count() == store.count()
    iri = next(iter(store.query("SELECT ?m WHERE { ?m a teh:Measure } LIMIT 1").column("m")))
    assert set(guarded.describe(iri)) == set(store.describe(iri))


def test_errors_cross_the_process_boundary_with_their_class_and_message(guarded, store):
    with pytest.raises(QueryError) as direct:
        store.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryError) as pooled:
        guarded.query("SELECT * WHERE { ?s ?p }")
    assert str(pooled.value) == str(direct.value)


def test_a_runaway_query_is_killed_at_the_limit_and_its_worker_replaced(guarded):
    before = set(guarded.worker_pids())
    with pytest.raises(QueryTimeoutError, match="stopped after 2 seconds"):
        guarded.query(PATHOLOGICAL)
    after = set(guarded.worker_pids())
    killed = before - after
    assert len(killed) == 1 and len(after) == len(before)
    assert gone(killed.pop())
    assert guarded.count() > 0  # the pool still answers


def test_other_queries_are_answered_while_a_runaway_query_runs(guarded):
    answered: list[int] = []
    slow_done = threading.Event()
    failure: list[BaseException] = []

    def runaway():
        try:
            guarded.query(PATHOLOGICAL)
        except QueryTimeoutError:
            pass
        except BaseException as error:  # noqa: BLE001 - reported below
            failure.append(error)
        slow_done.set()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    while not slow_done.is_set() and len(answered) < 20:
        answered.append(guarded.count())
    finished_before_slow = not slow_done.is_set()
    thread.join()
    assert not failure
    assert len(answered) == 20 and finished_before_slow
    assert len(set(answered)) == 1


def test_a_worker_killed_from_outside_is_replaced(guarded):
    victim = min(w.pid for w in guarded.workers.values() if w.kind == "public")  # where queries go
    os.kill(victim, signal.SIGKILL)
    assert gone(victim)
    outcomes = []
    for _ in range(len(guarded.worker_pids()) + 1):  # one of these lands on the dead worker
        try:
            outcomes.append(guarded.count())
        except QueryTimeoutError as error:
            outcomes.append(str(error))
    assert any("worker stopped" in str(o) for o in outcomes)
    assert victim not in guarded.worker_pids() and len(guarded.worker_pids()) == 3
    assert isinstance(guarded.count(), int)


def test_row_cap_marks_truncation_on_every_backend(guarded, store, rdflib_store):
    for backend in (guarded, store, rdflib_store):
        result = backend.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", limit=7)
        assert len(result.rows) == 7 and result.truncated, backend.name
        small = backend.query("SELECT ?s WHERE { ?s a teh:ActionPlan }", limit=1000)
        assert 0 < len(small.rows) < 1000 and not small.truncated
        graph = backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=5)
        assert len(graph.graph) == 5 and graph.truncated


def test_policy_runs_inside_the_worker(guarded, policy, store):
    before = store_digest(store)
    for update in UPDATES:
        with pytest.raises(ForbiddenQueryError):
            guarded.query(update, policy=policy)
    assert store_digest(store) == before


def test_close_leaves_no_process(store):
    pool = GuardedStore(OxigraphStore(store.store), TIMEOUT, workers=2)
    pids = [*pool.worker_pids(), pool.zygote.pid]
    assert all(psutil.pid_exists(pid) for pid in pids)
    pool.close()
    assert all(gone(pid) for pid in pids)


def test_guard_store_follows_the_setting(store, settings):
    assert guard_store(replace(settings, query_workers=0), store) is store
    pool = guard_store(replace(settings, query_workers=1), store)
    try:
        assert isinstance(pool, GuardedStore) and len(pool.worker_pids()) == 1
    finally:
        pool.close()


# --- the sandbox: the guarantee behind the textual check ----------------------------------------


def test_the_embedded_engine_alone_does_reach_out(store):
    """The control: pyoxigraph itself calls a SERVICE (so the next test can fail)."""
    with recording_server() as (url, hits):
        with pytest.raises(QueryError):
            store.query(f"SELECT * WHERE {{ SERVICE <{url}x> {{ ?x ?y ?z }} }}")
    assert hits


@pytest.mark.parametrize(
    ("mode", "mechanism"), [("netns", sandbox.NETWORK_NAMESPACE), ("seccomp", sandbox.SECCOMP)]
)
def test_sandboxed_workers_cannot_reach_out_whatever_the_policy(store, mode, mechanism):
    pool = GuardedStore(store, TIMEOUT, workers=1, settings=Settings(sandbox=mode))
    try:
        assert pool.status()["sandbox"] == mechanism
        assert pool.network_barred
        with recording_server() as (url, hits):
            for text in (
                f"SELECT * WHERE {{ SERVICE <{url}x> {{ ?x ?y ?z }} }}",
                attacks.service_bypass(url),
            ):
                with pytest.raises(QueryError) as refused:
                    pool.answer(Job(text, formats=("json", "turtle")), policy=None)  # no policy at all
                assert BODY_MARKER not in str(refused.value)
        assert hits == []
    finally:
        pool.close()


def test_trusted_endpoints_keep_the_network_and_the_algebra_check(store, settings):
    trusting = replace(settings, trusted_endpoints=("http://127.0.0.1:9/sparql",))
    pool = GuardedStore(store, TIMEOUT, workers=1, settings=trusting)
    try:
        assert pool.status()["sandbox"] == "off (remote or trusted endpoints)"
        policy = QueryPolicy.for_store(pool, trusting)
        assert not policy.textual_only
        with pytest.raises(ForbiddenQueryError):
            policy.check(attacks.service_bypass("http://127.0.0.1:9/"))
    finally:
        pool.close()


def test_the_catalogs_own_queries_are_not_stopped_as_slow(store):
    """With the one slow slot held by a runaway query, a public query past `slow_after` is stopped
    (503); the same text run as a catalog query keeps only the time limit and is answered."""
    settings = Settings(slow_after=0.05, slow_queries=1)
    pool = GuardedStore(store, TIMEOUT, workers=3, settings=settings)
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a <https://w3id.org/tehgraph/ontology#Measure> }"
    expected = rows(store.query(heavy))

    def runaway() -> None:
        CLIENT.set("attacker")
        with pytest.raises(QueryTimeoutError):
            pool.query(attacks.RUNAWAY)

    try:
        holder = threading.Thread(target=runaway)
        holder.start()
        time.sleep(0.5)  # the runaway query is past slow_after: it holds the slot
        CLIENT.set("reader")
        with pytest.raises(ServerBusyError, match="stopped after 0.05 s"):
            pool.query(heavy)
        with catalog_query():
            assert rows(pool.query(heavy)) == expected
        holder.join()
        assert pool.status()["stopped_as_slow"] == 1
    finally:
        CLIENT.set("-")
        pool.close()


def test_workers_are_kept_for_the_catalog_when_public_queries_take_the_rest(store):
    """Two runaway queries from two clients take the two workers open to public queries (of 3):
    a third public query is turned away (503), a catalog query is answered by the reserved one."""
    settings = Settings(slow_after=5.0, slow_queries=3)
    pool = GuardedStore(store, 5.0, workers=3, settings=settings)  # they hold past the 2 s wait
    assert pool.reserved == 1
    small = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/tehgraph/ontology#Measure> }"

    def runaway(client: str) -> None:
        CLIENT.set(client)
        with pytest.raises(QueryTimeoutError):
            pool.query(attacks.RUNAWAY)

    holders = [threading.Thread(target=runaway, args=(name,)) for name in ("a", "b")]
    try:
        for holder in holders:
            holder.start()
        time.sleep(0.3)
        CLIENT.set("reader")
        with pytest.raises(ServerBusyError, match="open to public queries is taken"):
            pool.query(small)
        with catalog_query():
            assert rows(pool.query(small)) == rows(store.query(small))
        for holder in holders:
            holder.join()
        assert rows(pool.query(small)) == rows(store.query(small))  # public again once they end
    finally:
        CLIENT.set("-")
        pool.close()


def test_the_catalogs_workers_keep_the_servers_priority_and_public_ones_yield(guarded):
    """The reserved workers answer saved-query pages at the server's own CPU priority; the workers
    that take arbitrary text run lower, so hostile queries get the processor last."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    kinds = {w.pid: w.kind for w in guarded.workers.values()}
    assert sorted(kinds.values()) == ["catalog", "public", "public"]
    for pid, kind in kinds.items():
        niceness = psutil.Process(pid).nice()
        assert niceness == own if kind == "catalog" else niceness > own, (pid, kind, niceness)


def test_past_the_in_flight_limit_only_a_client_with_nothing_in_flight_comes_in(store):
    """Six queries of one client in flight (2 × 3 workers): its seventh is turned away, a reader's
    first still comes in, up to 3 × the workers; past that everyone waits."""
    pool = GuardedStore(store, TIMEOUT, workers=3, settings=Settings(client_queries=20))
    try:
        with contextlib.ExitStack() as held:
            for _ in range(6):
                held.enter_context(pool.admission.admit("attacker"))
            with pytest.raises(ServerBusyError, match="Every query worker is taken"):
                held.enter_context(pool.admission.admit("attacker"))
            for n in range(3):
                held.enter_context(pool.admission.admit(f"reader-{n}"))
            with pytest.raises(ServerBusyError, match="Every query worker is taken"):
                held.enter_context(pool.admission.admit("reader-late"))
        with pool.admission.admit("attacker"):  # all released
            pass
    finally:
        pool.close()
