"""Load test: many concurrent clients against a real `tehgraph serve` (waitress) on loopback.

    python -m benchmarks.load [--clients 50] [--seconds 60] [--hostile 0.1] [--project .] [--dist DIR]
                              [--src src] [--out benchmarks/results/load.json]

Each client loops, for a bounded time, over a mix of entity pages, saved queries (with their
defaults), searches and SPARQL queries, on one keep-alive connection; a share of its requests
(`--hostile`, 10 %) are hostile queries (a runaway cross product, 10 rows of 10 MB strings, a
1,500-disjunct filter). Errors are counted among the normal requests only: the hostile ones are
meant to be refused (their statuses are listed apart). The server's memory (the
server process's RSS, and the proportional set size of the server with its query workers, which
counts pages shared copy-on-write once) is sampled every second with psutil, to show it stays flat.
Prints a table and writes JSON. Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import psutil

from devtools import attacks

ROOT = Path(__file__).resolve().parent.parent
SPARQL = [
    "SELECT ?m ?title WHERE { ?m a teh:Measure ; dcterms:title ?title } ORDER BY ?m",
    "SELECT ?org (COUNT(?m) AS ?n) WHERE { ?m teh:implementedBy ?org } GROUP BY ?org ORDER BY DESC(?n)",
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
    "ASK { ?d a teh:Demand }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a teh:Association ; rdfs:label ?l }",
]
ACCEPT = "text/html,application/sparql-results+json;q=0.9,text/turtle;q=0.8,*/*;q=0.1"
HOSTILE = [attacks.RUNAWAY, attacks.huge_strings(levels=6), attacks.slow_parse()]
SEARCHES = ["traite", "mineurs", "hébergement", "CCEM", "formation", "exploitation sexuelle", "Ac.Sé", "plan"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CLIENT_HEADER = "X-Forwarded-For"  # the server is told to trust it, as behind a reverse proxy
ATTACKERS = 5  # distinct addresses the hostile requests come from


def start_server(
    project: Path, port: int, threads: int | None, src: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """`tehgraph serve .` from the project folder, as the README starts it, answering on `port`.

    `src` runs another checkout's package (the "before" of a comparison); `env` adds settings.
    """
    environ = {**os.environ, "PYTHONPATH": str(src or ROOT / "src"), **(env or {})}
    command = [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)]
    if threads:  # else the server's own default (TEHGRAPH_THREADS)
        command += ["--threads", str(threads)]
    # The log goes to a file: a pipe nobody reads would block the server once full.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=environ, cwd=project, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server exited: {log.read().decode(errors='replace')[-2000:]}")
        try:
            if get("127.0.0.1", port, "/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not answer within 120 s")


def get(
    host: str, port: int, path: str, conn: http.client.HTTPConnection | None = None, sender: str = ""
) -> tuple[int, bytes]:
    """GET `path`; `sender` is the address a proxy in front would name (X-Forwarded-For)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept": ACCEPT, **({CLIENT_HEADER: sender} if sender else {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def targets(port: int) -> dict[str, list[str]]:
    """URLs of each kind, read from the running server itself (its SPARQL endpoint and catalog)."""
    query = "SELECT ?s WHERE { { ?s a teh:Measure } UNION { ?s a teh:Actor } UNION { ?s a teh:Demand } }"
    status, body = get(
        "127.0.0.1", port, "/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"})
    )
    if status != 200:
        raise SystemExit(f"cannot list entities: {status} {body[:300]!r}")
    iris = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    entity = [f"/page/{urllib.parse.quote(i.split('/id/', 1)[1])}" for i in iris if "/id/" in i]
    sys.path.insert(0, str(ROOT / "src"))
    from tehgraph.catalog import load_catalog

    catalog = load_catalog(ROOT)
    saved = [f"/queries/{slug}" for slug, q in catalog.items() if not any(p.required for p in q.params)]
    return {
        "entity": entity,
        "saved": saved,
        "search": ["/search/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES],
        "sparql": ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in SPARQL],
        "hostile": ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in HOSTILE],
    }


REASONS: list[str] = []  # what the server said for the first failed normal requests


def _message(body: bytes) -> str:
    """The error's own words: the page's message paragraph, else the start of the body."""
    text = body.decode("utf-8", "replace")
    start = text.find('role="alert"')
    if start >= 0:
        text = text[text.find(">", start) + 1 :]
    return " ".join(text.split("<", 1)[0].split())[:200]


def client(
    port: int,
    urls: dict[str, list[str]],
    until: float,
    seed: int,
    out: list,
    hostile: float = 0.0,
    reasons: list[str] = REASONS,
) -> None:
    rng = random.Random(seed)
    kinds = sorted(k for k in urls if k != "hostile")
    # As behind a proxy: each reader has an address; the hostile share comes from a few attackers.
    reader, attacker = f"10.0.{seed // 250}.{seed % 250 + 1}", f"10.66.0.{seed % ATTACKERS + 1}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        kind = "hostile" if rng.random() < hostile else rng.choice(kinds)
        url = rng.choice(urls[kind])
        start = time.perf_counter()
        try:
            status, body = get("127.0.0.1", port, url, conn, attacker if kind == "hostile" else reader)
            if status != 200 and kind != "hostile" and len(reasons) < 20:
                reasons.append(f"{status} {url[:80]}: {_message(body)}")
        except (OSError, http.client.HTTPException) as error:
            status = f"{type(error).__name__}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append((kind, url, status, time.perf_counter() - start))
    conn.close()


def memory(pid: int) -> dict[str, float]:
    """MiB: the server process's RSS, and the PSS of the server plus its zygote and workers."""
    server = psutil.Process(pid)
    procs = [server, *server.children(recursive=True)]
    pss = 0
    for proc in procs:
        try:
            pss += proc.memory_full_info().pss
        except psutil.Error:
            pass
    rss = server.memory_info().rss
    return {"rss_mib": rss / 2**20, "pss_total_mib": pss / 2**20, "processes": len(procs)}


def kept(port: int) -> dict[str, float]:
    """MiB of whole answers the server keeps (its /health), to tell the cache from a leak."""
    try:
        status, body = get("127.0.0.1", port, "/health")
        cache = json.loads(body)["response_cache"]
    except (OSError, ValueError, KeyError, http.client.HTTPException):
        return {}
    return {"kept_mib": cache["bytes"] / 2**20, "kept_answers": cache["answers"]} if status == 200 else {}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(
    project: Path,
    clients: int,
    seconds: float,
    threads: int | None,
    hostile: float = 0.1,
    dist: Path | None = None,
    src: Path | None = None,
) -> dict:
    port = free_port()
    env = {"TEHGRAPH_CLIENT_HEADER": CLIENT_HEADER, **({"TEHGRAPH_DIST_DIR": str(dist)} if dist else {})}
    server = start_server(project, port, threads, src=src, env=env)
    try:
        urls = targets(port)
        # The first entity page computes the SHACL results of the whole graph (kept afterwards):
        # timed here, once, so the clients measure the steady state.
        cold = time.perf_counter()
        get("127.0.0.1", port, urls["entity"][0])
        cold = round(time.perf_counter() - cold, 2)
        samples: list[dict] = []
        results: list = []
        start = time.monotonic()
        until = start + seconds
        workers = [
            threading.Thread(target=client, args=(port, urls, until, n, results, hostile))
            for n in range(clients)
        ]
        for worker in workers:
            worker.start()
        while any(w.is_alive() for w in workers):
            samples.append({"t": round(time.monotonic() - start, 1), **memory(server.pid), **kept(port)})
            time.sleep(1.0)
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - start
        samples.append({"t": round(elapsed, 1), **memory(server.pid), **kept(port)})
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = summarise(results, samples, clients, seconds, elapsed, threads, urls)
    return {**report, "first_entity_page_s": cold, "hostile_share": hostile, "src": str(src or ROOT / "src")}


def summarise(results, samples, clients, seconds, elapsed, threads, urls) -> dict:
    by_kind = defaultdict(list)
    for kind, _url, status, latency in results:
        by_kind[kind].append((status, latency))
    rows = {}
    normal = [(s, t) for kind, _, s, t in results if kind != "hostile"]
    for kind, items in sorted({**by_kind, "normal": normal}.items()):
        latencies = [t * 1000 for _, t in items]
        rows[kind] = {
            "requests": len(items),
            "errors": sum(1 for s, _ in items if s != 200),
            "statuses": {str(code): sum(1 for s, _ in items if s == code) for code in {s for s, _ in items}},
            "median_ms": round(statistics.median(latencies), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1),
            "max_ms": round(max(latencies), 1),
        }
    errors = sorted(
        {f"{status} {url[:120]}" for k, url, status, _ in results if status != 200 and k != "hostile"}
    )[:20]
    rss = [s["rss_mib"] for s in samples]
    pss = [s["pss_total_mib"] for s in samples]
    warm = samples[len(samples) // 4]  # after warm-up: first quarter of the run
    return {
        "clients": clients,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 1),
        "server_threads": threads,
        "throughput_rps": round(len(results) / elapsed, 1),
        "kinds": rows,
        "error_examples": errors,
        "error_messages": REASONS[:20],
        "urls": {k: len(v) for k, v in urls.items()},
        "memory": {
            "rss_start_mib": round(rss[0], 1),
            "rss_end_mib": round(rss[-1], 1),
            "rss_max_mib": round(max(rss), 1),
            "pss_start_mib": round(pss[0], 1),
            "pss_after_warmup_mib": round(warm["pss_total_mib"], 1),
            "pss_end_mib": round(pss[-1], 1),
            "pss_max_mib": round(max(pss), 1),
            "kept_end_mib": round(samples[-1].get("kept_mib", 0.0), 1),
            "processes": samples[-1]["processes"],
        },
        "samples": [{k: round(v, 1) if isinstance(v, float) else v for k, v in s.items()} for s in samples],
    }


def table(report: dict) -> str:
    lines = [
        f"{report['clients']} clients, {report['elapsed_s']} s, {report['throughput_rps']} requests/s",
        f"{'kind':<8} {'requests':>9} {'errors':>7} {'median ms':>10} {'p99 ms':>9} {'max ms':>9}",
    ]
    for kind, row in report["kinds"].items():
        lines.append(
            f"{kind:<8} {row['requests']:>9} {row['errors']:>7} {row['median_ms']:>10} "
            f"{row['p99_ms']:>9} {row['max_ms']:>9}" + (f"  {row['statuses']}" if kind == "hostile" else "")
        )
    m = report["memory"]
    lines.append(f"first entity page (cold, before the clients): {report['first_entity_page_s']} s")
    lines.append(
        f"server RSS MiB: start {m['rss_start_mib']}, end {m['rss_end_mib']}, max {m['rss_max_mib']}"
    )
    lines.append(
        f"server+workers PSS MiB ({m['processes']} processes): start {m['pss_start_mib']}, "
        f"after warm-up {m['pss_after_warmup_mib']}, end {m['pss_end_mib']}, max {m['pss_max_mib']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--hostile", type=float, default=0.1, help="share of hostile requests")
    parser.add_argument("--dist", type=Path, help="the build to serve (default PROJECT/dist)")
    parser.add_argument("--src", type=Path, help="the package source to run (default this checkout's)")
    parser.add_argument("--threads", type=int, help="waitress threads of the server (default: its own)")
    parser.add_argument("--project", type=Path, default=ROOT, help="a project with a built dist/")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.json")
    args = parser.parse_args(argv)
    report = run(
        args.project.resolve(), args.clients, args.seconds, args.threads, args.hostile, args.dist, args.src
    )
    print(table(report))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if report["kinds"]["normal"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
