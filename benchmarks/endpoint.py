"""Latency of the SPARQL endpoint and the linked-data routes, one client, against `tehgraph serve`.

    python -m benchmarks.endpoint [--project .] [--repeat 20]

Starts a real server on a free local port over PROJECT/dist (build it first), sends each request
`--repeat` times on one keep-alive connection and prints the median and the 90th percentile in
milliseconds. Timings live here, never in the unit tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
import urllib.parse
from pathlib import Path

from .load import free_port, start_server

MEASURES = "SELECT ?m ?n WHERE { ?m a teh:Measure ; teh:number ?n }"
QUERIES = {
    "select-json": (MEASURES, "application/sparql-results+json"),
    "select-csv": (MEASURES, "text/csv"),
    "construct-turtle": ("CONSTRUCT { ?s ?p ?o } WHERE { ?s a teh:Demand ; ?p ?o }", "text/turtle"),
    "ask": ("ASK { ?d a teh:Demand }", "application/sparql-results+json"),
}


def request(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - start


def cases(conn: http.client.HTTPConnection) -> dict[str, tuple[str, str]]:
    """What to time: the queries above, the service description, a resource, the ontology, the VoID."""
    out = {
        name: ("/sparql?" + urllib.parse.urlencode({"query": query}), accept)
        for name, (query, accept) in QUERIES.items()
    }
    conn.request(
        "GET",
        "/sparql?"
        + urllib.parse.urlencode({"query": "SELECT ?m WHERE { ?m a teh:Measure } LIMIT 1", "format": "json"}),
    )
    measure = json.loads(conn.getresponse().read())["results"]["bindings"][0]["m"]["value"]
    resource = "/id/" + measure.split("/id/", 1)[1]
    out.update(
        {
            "service-description": ("/sparql", "text/turtle"),
            "resource-turtle": (resource, "text/turtle"),
            "resource-jsonld": (resource, "application/ld+json"),
            "ontology-html": ("/ontology", "text/html"),
            "ontology-turtle": ("/ontology", "text/turtle"),
            "void": ("/void", "text/turtle"),
            "editor": ("/sparql/editor", "text/html"),
        }
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    port = free_port()
    process = start_server(args.project.resolve(), port, threads=4)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        print(f"{'request':24} {'status':>6} {'median ms':>10} {'p90 ms':>8}")
        for name, (path, accept) in cases(conn).items():
            timings, statuses = [], set()
            for _ in range(args.repeat):
                status, seconds = request(conn, path, accept)
                statuses.add(status)
                timings.append(seconds * 1000)
            p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
            codes = "/".join(map(str, sorted(statuses)))
            print(f"{name:24} {codes:>6} {statistics.median(timings):10.1f} {p90:8.1f}")
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
