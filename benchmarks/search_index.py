"""What the search index costs: build time and size, and query latency, on the real graph and on
synthetic graphs (devtools/synthetic.py).

    python -m benchmarks.search_index [--sizes real,100k] [--work /tmp/tehgraph-bench]

The build is split into its two parts: the SPARQL query of the documents on the embedded store,
and writing the SQLite file. Query figures are medians of 15 runs of `SearchIndex.search`
(default page of 20, highlights included) and of `SearchIndex.pick`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from devtools.synthetic import generate
from tehgraph.build import build
from tehgraph.search import SearchIndex, write_index
from tehgraph.search.documents import documents_query, group_rows
from tehgraph.stores import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"real": None, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
CASES = [
    "CCEM",
    "MIPROF",
    "acse",
    "AcSé",
    "Ac.Sé",
    "référents préfecture",
    "reflexion",
    "prefectre",
    "mesure",
]
PICKS = ["CC", "MIPR", "Ac", "mesure 8", "réf"]


def median_ms(call, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(size: str, work: Path) -> None:
    project = ROOT
    if SIZES[size] is not None:
        project = work / f"synthetic-{size}"
        if not (project / "data" / "sources.ttl").is_file():
            generate(ROOT, project, SIZES[size])
        shutil.rmtree(project / "queries", ignore_errors=True)
        shutil.copytree(ROOT / "queries", project / "queries")
    dist = build(project, work / f"dist-{size}").dist
    store = OxigraphStore.from_dist(dist)
    triples = store.count()
    started = time.perf_counter()
    columns, rows = store.text_rows(documents_query())
    rows = list(rows)
    queried = time.perf_counter() - started
    stats = write_index(group_rows(rows, columns), work / f"search-{size}.sqlite")
    print(
        f"{size}: {triples} triples, {stats.documents} documents, {stats.terms} terms;"
        f" query {queried:.2f} s + write {stats.seconds:.2f} s; {stats.bytes / 1e6:.2f} MB"
    )
    index = SearchIndex(stats.path)
    latencies = {text: median_ms(lambda text=text: index.search(text)) for text in CASES}
    for text, ms in latencies.items():
        print(f"  search {text!r}: {ms:.1f} ms")
    print(f"  median of the cases: {statistics.median(latencies.values()):.1f} ms")
    picks = [median_ms(lambda text=text: index.pick(text)) for text in PICKS]
    print(f"  pick, median of {len(PICKS)} prefixes: {statistics.median(picks):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k", help="comma-separated: " + ",".join(SIZES))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tehgraph-bench")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        measure(size, args.work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
