"""Median time and size of the web browser's pages, over HTTP against a real `tehgraph serve` on loopback.

    python -m benchmarks.web_pages [--project .] [--dist DIST] [--repeat 20] [--base URL]

Pages: home, the Collectif's and the CCEM's pages (the largest actors), a measure page (first
plan, measure 1), a saved query page with a parameter (measure-stances), a source page, two
searches, a browse list. The first request of each page is reported apart (cold: caches fill on
first use), then the median and 90th percentile of --repeat requests, each asking for gzip as
browsers do. Sizes: the HTML as sent without compression, and the bytes on the wire with gzip.
Started from the project folder like `make run` (`tehgraph serve .`), or against --base.
Traffic goes to 127.0.0.1 only.
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
    "collectif": "/page/org/collectif-traite",
    "ccem": "/page/org/ccem",
    "measure": "/page/measure/pan-2014-2016/1",
    "saved query": "/queries/measure-stances?measure=https://w3id.org/tehgraph/id/measure/pan-2014-2016/8",
    "source": "/source/collectif-2017-03-09",
    "search CCEM": "/search/?q=CCEM",
    "search reflexion": "/search/?q=reflexion",
    "browse": "/browse/teh:Measure",
}


def fetch(url: str, gzip: bool = True) -> tuple[float, int]:
    """Seconds to read the whole answer, and the bytes read (compressed when the server gzips)."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:
        size = len(response.read())
    return time.perf_counter() - start, size


def wait_ready(base: str, server: subprocess.Popen | None) -> None:
    while True:
        try:
            fetch(base + "/static/tehgraph.css")
            return
        except OSError:
            if server is not None and server.poll() is not None:
                sys.exit("tehgraph serve did not start")
            time.sleep(0.2)


def measure(base: str, repeat: int) -> None:
    print(f"{'page':<17} {'KB raw':>8} {'KB gzip':>8} {'cold ms':>9} {'median ms':>10} {'p90 ms':>8}")
    for name, path in PAGES.items():
        cold, _ = fetch(base + path)
        _, raw = fetch(base + path, gzip=False)
        runs = [fetch(base + path) for _ in range(repeat)]
        times = sorted(t for t, _ in runs)
        p90 = times[int(0.9 * (len(times) - 1))]
        print(
            f"{name:<17} {raw / 1000:8.1f} {runs[-1][1] / 1000:8.1f} {cold * 1000:9.1f} "
            f"{statistics.median(times) * 1000:10.1f} {p90 * 1000:8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", default=".")
    parser.add_argument("--dist", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--base", default=None, help="measure a server already running here")
    args = parser.parse_args()
    if args.base:
        measure(args.base.rstrip("/"), args.repeat)
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    if args.dist:
        env["TEHGRAPH_DIST_DIR"] = args.dist
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)],
        cwd=args.project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        print(f"server ready in {time.perf_counter() - started:.2f}s")
        measure(base, args.repeat)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
