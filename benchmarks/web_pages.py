"""Median time of the web browser's pages, over HTTP against a real `tehgraph serve` on loopback.

    python -m benchmarks.web_pages [--project .] [--dist DIST] [--repeat 20]

Pages: home, a measure page (first plan, measure 8), a saved query page with a parameter
(measure-stances), a source page, a search, a browse list. The first request of each page is
reported apart (cold: SHACL results and the search index are computed on first use), then the
median and 90th percentile of --repeat requests. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PAGES = {
    "home": "/",
    "measure": "/page/measure/pan-2014-2016/8",
    "saved query": "/queries/measure-stances?measure=https://w3id.org/tehgraph/id/measure/pan-2014-2016/8",
    "source": "/source/collectif-2017-03-09",
    "search": "/search/?q=reflexion",
    "browse": "/browse/teh:Measure",
}


def fetch(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=".")
    parser.add_argument("--dist", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    if args.dist:
        env["TEHGRAPH_DIST_DIR"] = args.dist
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", args.project, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                fetch(base + "/static/tehgraph.css")
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit("tehgraph serve did not start")
                time.sleep(0.2)
        print(f"server ready in {time.perf_counter() - started:.2f}s")
        print(f"{'page':<12} {'cold ms':>9} {'median ms':>10} {'p90 ms':>8}")
        for name, path in PAGES.items():
            cold = fetch(base + path)
            times = sorted(fetch(base + path) for _ in range(args.repeat))
            p90 = times[int(0.9 * (len(times) - 1))]
            print(f"{name:<12} {cold * 1000:9.1f} {statistics.median(times) * 1000:10.1f} {p90 * 1000:8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
