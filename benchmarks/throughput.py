"""Endpoint throughput: `tehgraph serve` beside an Oxigraph server on the same data, same run, same clients.

    python -m benchmarks.throughput --project DIR [--dist DIR] [--clients 8] [--seconds 10] [--src src]
                                    [--out benchmarks/results/throughput.json]

Each client is its own process holding one keep-alive HTTP connection and repeating one request
until the time is up (processes, so the clients' own Python does not cap the faster server); the
figure is completed requests per second (status 200) and the median latency. Three requests: a
small SELECT (SPARQL JSON), the description of one entity (Turtle: `/id/…` on tehgraph, the same
CONSTRUCT on the Oxigraph server) and, for tehgraph only, that entity's HTML page. tehgraph runs
as served, limits, time limit and security policy on. The ratio to the Oxigraph server is the
figure to track (issue 19: at least 25 %).

tehgraph keeps whole GET answers (web/response_cache.py), so each request is measured twice: the
same request repeated (answered from the cache after the first) and a *distinct* request each
time (a comment or an unused parameter numbered per request: same work, never in the cache),
which is what the Oxigraph server, which keeps nothing, does every time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from devtools.oxigraph_server import OxigraphServer, find_oxigraph

from .load import ROOT, free_port, start_server

PREFIX = "PREFIX teh: <https://w3id.org/tehgraph/ontology#> "
SMALL_SELECT = PREFIX + "SELECT ?s WHERE { ?s a teh:Measure } LIMIT 1"
# The query Store.describe runs (stores/base.py), with the entity's IRI in place of ?s.
DESCRIBE = (
    "CONSTRUCT {{ <{iri}> ?p ?o . ?in ?ip <{iri}> . ?b ?bp ?bo }} WHERE {{"
    " {{ <{iri}> ?p ?o }} UNION {{ ?in ?ip <{iri}> }}"
    " UNION {{ <{iri}> ?sp ?b . FILTER(isBlank(?b)) ?b ?bp ?bo }} }}"
)


MARK = urllib.parse.quote("{n}")  # in a path: replaced by a number of its own for every request


def _one_client(port: int, path: str, headers: dict[str, str], deadline: float) -> tuple[list[float], dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, codes = [], {}
    sent = 0
    while time.time() < deadline:
        start = time.perf_counter()
        sent += 1
        connection.request("GET", path.replace(MARK, f"{os.getpid()}-{sent}"), headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        codes[response.status] = codes.get(response.status, 0) + 1
    connection.close()
    return latencies, codes


def hammer(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> dict:
    """Requests per second and median latency of `clients` processes repeating GET `path`."""
    deadline = time.time() + seconds
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(_one_client, port, path, headers, deadline) for _ in range(clients)]
        parts = [f.result() for f in futures]
    elapsed = time.perf_counter() - started
    latencies = [t for mine, _ in parts for t in mine]
    statuses: dict[int, int] = {}
    for _, codes in parts:
        for code, count in codes.items():
            statuses[code] = statuses.get(code, 0) + count
    return {
        "requests_per_s": round(statuses.get(200, 0) / min(elapsed, seconds + 0.5), 1),
        "median_latency_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "statuses": {str(k): v for k, v in statuses.items()},
        "clients": clients,
        "seconds": round(elapsed, 1),
    }


def first_measure(port: int) -> str:
    path = "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    body = connection.getresponse().read()
    connection.close()
    return json.loads(body)["results"]["bindings"][0]["s"]["value"]


def oxigraph_server(dist: Path, folder: Path) -> OxigraphServer:
    """An Oxigraph server holding the build as tehgraph serves it: named graphs and merged default."""
    binary = find_oxigraph()
    for dump in ("tehgraph.nq", "tehgraph.nt"):
        subprocess.run(
            [binary, "load", "--location", str(folder), "--file", str(dist / dump)],
            check=True,
            capture_output=True,
        )
    return OxigraphServer(folder).start(timeout=300)


def measure(
    project: Path, dist: Path, entity_path: str, clients: int, seconds: float, threads: int | None = None
) -> dict:
    """Throughput of tehgraph alone (the small SELECT and an entity's Turtle), for benchmarks/run.py."""
    port = free_port()
    server = start_server(project, port, threads, env={"TEHGRAPH_DIST_DIR": str(dist)})
    try:
        small = "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT})
        return {
            "cheap_query": hammer(
                port, small, {"Accept": "application/sparql-results+json"}, clients, seconds
            ),
            "describe": hammer(port, entity_path, {"Accept": "text/turtle"}, clients, seconds),
            "server_threads": threads,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def compare(
    project: Path, dist: Path, clients: int, seconds: float, src: Path | None, threads: int | None
) -> dict:
    """tehgraph and the Oxigraph server, one after the other in the same run, on the same requests."""
    port = free_port()
    server = start_server(project, port, threads, src=src, env={"TEHGRAPH_DIST_DIR": str(dist)})
    results: dict = {"clients": clients, "seconds": seconds, "server_threads": threads}
    try:
        iri = first_measure(port)
        local = iri.split("/id/", 1)[1]
        results["entity"] = iri
        select = "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT})
        distinct = "/sparql?" + urllib.parse.urlencode({"query": SMALL_SELECT + "\n# {n}"})
        json_results = {"Accept": "application/sparql-results+json"}
        results["tehgraph"] = {
            "small_select": hammer(port, select, json_results, clients, seconds),
            "small_select_distinct": hammer(port, distinct, json_results, clients, seconds),
            "describe": hammer(port, f"/id/{local}", {"Accept": "text/turtle"}, clients, seconds),
            "describe_distinct": hammer(
                port, f"/id/{local}?n={MARK}", {"Accept": "text/turtle"}, clients, seconds
            ),
            "entity_page": hammer(port, f"/page/{local}", {"Accept": "text/html"}, clients, seconds),
            "entity_page_distinct": hammer(
                port, f"/page/{local}?n={MARK}", {"Accept": "text/html"}, clients, seconds
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    with tempfile.TemporaryDirectory() as folder:
        oxigraph = oxigraph_server(dist, Path(folder) / "store")
        try:

            def query(params: dict) -> str:
                return "/query?" + urllib.parse.urlencode(params)

            results["oxigraph_server"] = {
                "small_select": hammer(
                    oxigraph.port,
                    query({"query": SMALL_SELECT}),
                    {"Accept": "application/sparql-results+json"},
                    clients,
                    seconds,
                ),
                "describe": hammer(
                    oxigraph.port,
                    query({"query": DESCRIBE.format(iri=iri)}),
                    {"Accept": "text/turtle"},
                    clients,
                    seconds,
                ),
            }
            # The Oxigraph server keeps nothing: a distinct request costs it what a repeated one does.
            results["oxigraph_server"]["small_select_distinct"] = results["oxigraph_server"]["small_select"]
            results["oxigraph_server"]["describe_distinct"] = results["oxigraph_server"]["describe"]
        finally:
            oxigraph.stop()
    results["ratio"] = {
        name: round(results["tehgraph"][name]["requests_per_s"] / figures["requests_per_s"], 3)
        for name, figures in results["oxigraph_server"].items()
        if figures["requests_per_s"]
    }
    return results


def table(results: dict) -> str:
    lines = [
        f"{results['clients']} clients × {results['seconds']:g} s, entity {results['entity']}",
        "| request | tehgraph req/s | median ms | Oxigraph server req/s | median ms | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, ours in results["tehgraph"].items():
        theirs = results["oxigraph_server"].get(name)
        ratio = results["ratio"].get(name)
        rate, latency = (theirs["requests_per_s"], theirs["median_latency_ms"]) if theirs else ("—", "—")
        shown = f"{ratio:.1%}" if ratio is not None else "—"
        lines.append(
            f"| {name} | {ours['requests_per_s']} | {ours['median_latency_ms']} | "
            f"{rate} | {latency} | {shown} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a built project (e.g. synthetic 100k)")
    parser.add_argument("--dist", type=Path, help="its build (default PROJECT/dist)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, help="waitress threads of tehgraph serve (default: its own)")
    parser.add_argument("--src", type=Path, help="the package source to run (default this checkout's)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "throughput.json")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    dist = (args.dist or project / "dist").resolve()
    results = compare(project, dist, args.clients, args.seconds, args.src, args.threads)
    results["load_average"] = os.getloadavg()
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
