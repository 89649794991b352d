"""stores/fair.py: a freed worker goes to a client with nothing running before anyone's second query."""

from __future__ import annotations

import threading
import time

from tehgraph.stores.fair import FairPool


def test_a_newcomer_goes_before_a_clients_second_query_whatever_the_order_of_arrival():
    pool: FairPool[str] = FairPool()
    pool.put("w1")
    assert pool.take("attacker", 1.0) == "w1"  # the attacker's first query runs
    served: list[str] = []

    def ask(client: str) -> None:
        worker = pool.take(client, 5.0)
        served.append(client)
        pool.done(client)
        pool.put(worker)

    second = threading.Thread(target=ask, args=("attacker",))
    second.start()
    time.sleep(0.2)  # the attacker's second query waits first
    reader = threading.Thread(target=ask, args=("reader",))
    reader.start()
    time.sleep(0.2)
    pool.done("attacker")
    pool.put("w1")  # the worker is free: the reader, who has nothing running, gets it
    second.join(5)
    reader.join(5)
    assert served == ["reader", "attacker"]


def test_a_second_query_takes_an_idle_worker_when_nobody_else_waits():
    pool: FairPool[str] = FairPool()
    pool.put("w1")
    pool.put("w2")
    assert pool.take("a", 1.0) == "w1"
    assert pool.take("a", 1.0) == "w2"  # in turn
    assert pool.take("a", 0.2) is None  # none left: None after the timeout
    pool.done("a")
    pool.put("w1")
    assert pool.take_nowait() == "w1" and pool.take_nowait() is None
    assert pool.qsize() == 0
