"""Endpoint throughput: a real `tehgraph serve` on loopback, several client threads, fixed duration.

Each thread keeps one HTTP connection and repeats one request until the time is up; the figure is
completed requests per second (status 200) and the median latency. Reuses benchmarks/load.py's
server start (the security engineer's), so both measure the same server.
"""

from __future__ import annotations

import http.client
import os
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

from .load import free_port, start_server


def hammer(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> dict:
    """Requests per second and median latency of `clients` threads repeating GET `path`."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        while time.monotonic() < deadline:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            codes[response.status] = codes.get(response.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests_per_s": statuses.get(200, 0) / elapsed,
        "median_latency": statistics.median(latencies) if latencies else None,
        "statuses": {str(k): v for k, v in statuses.items()},
        "clients": clients,
        "seconds": elapsed,
    }


def measure(
    project: Path, dist: Path, entity_path: str, clients: int, seconds: float, threads: int = 4
) -> dict:
    """Throughput of a cheap SPARQL query and of an entity description (Turtle)."""
    cheap = "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a teh:Measure } LIMIT 1"})
    port = free_port()
    os.environ["TEHGRAPH_DIST_DIR"] = str(dist)  # the server reads its settings from the environment
    try:
        server = start_server(project, port, threads)
    finally:
        del os.environ["TEHGRAPH_DIST_DIR"]
    try:
        return {
            "cheap_query": hammer(
                port, cheap, {"Accept": "application/sparql-results+json"}, clients, seconds
            ),
            "describe": hammer(port, entity_path, {"Accept": "text/turtle"}, clients, seconds),
            "server_threads": threads,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
