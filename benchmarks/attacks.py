"""The attack table of issue 18: each attack against a real `tehgraph serve`, tries, refused, time, memory.

    python -m benchmarks.attacks [--project .] [--dist DIR] [--src src] [--tries 5]
                                 [--out benchmarks/results/attacks.json]

Starts the server the way the README does (`tehgraph serve .` in the project folder; `--src` runs
another checkout's package, for the "before" column) beside a recording HTTP server, sends every
attack `--tries` times (the SERVICE bypass 20 times per way of sending it) and prints, per
attack: tries, how many were refused or bounded (the criterion is written beside it), the median
time to the answer, and the peak memory of the server with its worker processes (PSS, sampled).
Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil

from devtools import attacks
from devtools.recorder import BODY_MARKER, recording_server

from .load import ROOT, free_port, start_server

PREFIXED = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float


def send(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, data, dict(response.getheaders()), time.perf_counter() - start)
    except (OSError, http.client.HTTPException) as error:
        return Reply(0, str(error).encode(), {}, time.perf_counter() - start)
    finally:
        conn.close()


def get_query(port: int, query: str, accept: str = "application/sparql-results+json") -> Reply:
    return send(
        port, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
    )


def form_query(port: int, query: str) -> Reply:
    body = urllib.parse.urlencode({"query": query}).encode()
    return send(port, "POST", "/sparql", body, {"Content-Type": "application/x-www-form-urlencoded"})


def direct_query(port: int, query: str) -> Reply:
    return send(port, "POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-query"})


def editor_query(port: int, query: str) -> Reply:
    return send(port, "GET", "/sparql/editor?" + urllib.parse.urlencode({"query": query, "run": "1"}))


def smuggle(port: int) -> Reply:
    """A POST with both Content-Length and Transfer-Encoding, then a second request in the body."""
    raw = attacks.smuggled_request()
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        data = b""
        sock.settimeout(2)
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except TimeoutError:
            pass
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    # Refused means: an error status, and no second response smuggled behind the first.
    answers = data.count(b"HTTP/1.")
    return Reply(status if answers == 1 else 200, data, {}, time.perf_counter() - start)


class Memory:
    """Samples the PSS of the server and its children; `peak()` since the last `reset()`."""

    def __init__(self, pid: int):
        self.root, self._peak, self._stop = psutil.Process(pid), 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def now(self) -> float:
        total = 0
        for proc in [self.root, *self.root.children(recursive=True)]:
            try:
                total += proc.memory_full_info().pss
            except psutil.Error:
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            self._peak = max(self._peak, self.now())
            time.sleep(0.25)

    def reset(self) -> None:
        self._peak = self.now()

    def peak(self) -> float:
        return max(self._peak, self.now())

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Attack:
    name: str
    criterion: str
    run: Callable[[int], Reply]
    refused: Callable[[Reply], bool]
    tries: int | None = None
    parallel: int = 1


def attacks_for(recorder: str, hits: list[str], limit: float) -> list[Attack]:
    bypass = attacks.service_bypass(recorder)

    def no_hit(ways: Callable[[int, str], Reply]) -> Callable[[int], Reply]:
        def run(port: int) -> Reply:
            before = len(hits)
            reply = ways(port, bypass)
            if len(hits) > before or BODY_MARKER.encode() in reply.body:
                reply.status = 200  # reached the target (or echoed its body): not refused
            return reply

        return run

    bounded = lambda reply: reply.status != 0 and reply.status < 500 or reply.status == 503  # noqa: E731
    in_time = lambda reply: bounded(reply) and reply.seconds <= limit + 1.5  # noqa: E731
    return [
        *(
            Attack(
                f"SERVICE bypass, {how}",
                "4xx and the recorder sees no request",
                no_hit(way),
                lambda r: 400 <= r.status < 500,
                tries=20,
            )
            for how, way in (
                ("GET", get_query),
                ("form POST", form_query),
                ("direct POST", direct_query),
                ("editor", editor_query),
            )
        ),
        Attack(
            "1,500 disjuncts (18 kB)",
            f"answered within the limit ({limit:g} s) + 1.5 s",
            lambda p: direct_query(p, attacks.slow_parse()),
            in_time,
        ),
        Attack(
            "1,500 disjuncts ×4 at once",
            "each answered within the limit + 1.5 s",
            lambda p: direct_query(p, attacks.slow_parse()),
            in_time,
            parallel=4,
        ),
        Attack(
            "nested REPLACE, 10 rows × 100 MB",
            "no 200 over 64 MiB, within the limit + 1.5 s",
            lambda p: get_query(p, attacks.huge_strings()),
            lambda r: in_time(r) and not (r.status == 200 and len(r.body) > 64 * 2**20),
        ),
        Attack(
            "nested REPLACE ×4 at once",
            "each bounded as above",
            lambda p: get_query(p, attacks.huge_strings()),
            lambda r: in_time(r) and not (r.status == 200 and len(r.body) > 64 * 2**20),
            parallel=4,
        ),
        Attack(
            "cross product (runaway)",
            "503 within the limit + 1.5 s",
            lambda p: get_query(p, attacks.RUNAWAY),
            lambda r: r.status == 503 and r.seconds <= limit + 1.5,
        ),
        Attack(
            "8 slow queries from one client",
            "some 429 with Retry-After",
            lambda p: get_query(p, attacks.RUNAWAY),
            lambda r: r.status == 429 and "Retry-After" in r.headers,
            tries=8,
            parallel=8,
        ),
        Attack(
            "unknown function",
            "400",
            lambda p: get_query(p, attacks.UNKNOWN_FUNCTION),
            lambda r: r.status == 400,
        ),
        Attack(
            "RDF/XML, unsplittable predicate",
            "406 or 400",
            lambda p: get_query(p, attacks.UNSPLITTABLE, "application/rdf+xml"),
            lambda r: r.status in (400, 406),
        ),
        Attack(
            "NaN and INF in JSON results",
            "200, strict JSON",
            lambda p: get_query(p, PREFIXED + attacks.NAN),
            lambda r: r.status == 200 and _strict_json(r.body),
        ),
        Attack(
            "deep nesting (2,000 groups, valid)",
            "200 (a valid query), never 500",
            lambda p: direct_query(p, attacks.deep_nesting()),
            lambda r: r.status == 200,
        ),
        Attack("empty query=", "400", lambda p: send(p, "GET", "/sparql?query="), lambda r: r.status == 400),
        Attack(
            "carriage return in XML results",
            "200 with &#13;",
            lambda p: get_query(p, attacks.CARRIAGE_RETURN, "application/sparql-results+xml"),
            lambda r: r.status == 200 and b"&#13;" in r.body,
        ),
        Attack(
            "38 kB valid query by POST",
            "200",
            lambda p: direct_query(p, attacks.large_valid()),
            lambda r: r.status == 200,
        ),
        Attack(
            "Content-Length + Transfer-Encoding",
            "400, nothing smuggled",
            smuggle,
            lambda r: r.status == 400,
        ),
        Attack(
            "Host header reflected in /void",
            "evil host absent from the body",
            lambda p: send(p, "GET", "/void", headers={"Host": "evil.example", "Accept": "text/turtle"}),
            lambda r: r.status == 200 and b"evil.example" not in r.body,
        ),
        Attack(
            "/browse/teh:<100 kB name> ×200",
            "4xx",
            lambda p: send(p, "GET", "/browse/teh:" + "A" * 100_000),
            lambda r: 400 <= r.status < 500,
            tries=200,
        ),
    ]


def _strict_json(body: bytes) -> bool:
    def refuse(name: str):
        raise ValueError(name)

    try:
        json.loads(body, parse_constant=refuse)
    except ValueError:
        return False
    return True


def run_attack(port: int, attack: Attack, tries: int, memory: Memory) -> dict:
    memory.reset()
    start_pss = memory.now()
    count = attack.tries or tries
    with ThreadPoolExecutor(max_workers=attack.parallel) as pool:
        replies = list(pool.map(lambda _: attack.run(port), range(count)))
    refused = sum(1 for r in replies if attack.refused(r))
    statuses: dict[str, int] = {}
    for reply in replies:
        statuses[str(reply.status)] = statuses.get(str(reply.status), 0) + 1
    return {
        "attack": attack.name,
        "criterion": attack.criterion,
        "tries": count,
        "refused": refused,
        "statuses": statuses,
        "median_s": round(statistics.median(r.seconds for r in replies), 3),
        "max_s": round(max(r.seconds for r in replies), 3),
        "pss_start_mib": round(start_pss, 1),
        "pss_peak_mib": round(memory.peak(), 1),
    }


def run(project: Path, dist: Path | None, src: Path | None, tries: int, limit: float) -> dict:
    port = free_port()
    env = {"TEHGRAPH_DIST_DIR": str(dist)} if dist else {}
    server = start_server(project, port, 8, src=src, env=env)
    memory = Memory(server.pid)
    rows = []
    try:
        with recording_server() as (recorder, hits):
            for attack in attacks_for(recorder, hits, limit):
                rows.append(run_attack(port, attack, tries, memory))
                print(_line(rows[-1]), flush=True)
                time.sleep(limit)  # let killed workers be replaced before the next attack
            recorder_hits = len(hits)
    finally:
        memory.stop()
        server.terminate()
        server.wait(timeout=30)
    return {"port": port, "src": str(src or ROOT / "src"), "recorder_hits": recorder_hits, "attacks": rows}


def _line(row: dict) -> str:
    return (
        f"| {row['attack']} | {row['tries']} | {row['refused']} | {row['median_s']:.2f} s "
        f"(max {row['max_s']:.2f}) | {row['pss_peak_mib']:.0f} MiB | {row['statuses']} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--dist", type=Path, help="the build to serve (default PROJECT/dist)")
    parser.add_argument("--src", type=Path, help="the package source to run (default this checkout's)")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--limit", type=float, default=5.0, help="the server's query time limit")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "attacks.json")
    args = parser.parse_args(argv)
    print("| attack | tries | refused | time to answer (median) | peak PSS | statuses |")
    print("|---|---:|---:|---:|---:|---|")
    report = run(args.project.resolve(), args.dist, args.src, args.tries, args.limit)
    print(f"recording server hits: {report['recorder_hits']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
