"""Backend comparison on the real graph: load time, every saved query, entity descriptions.

    python -m benchmarks.backends [--dist dist] [--project .] [--repeat 5] [--server] [--virtuoso]
                                  [--embedded oxigraph,rdflib,oxrdflib]
                                  [--out benchmarks/results/backends.json]

Backends: OxigraphStore (pyoxigraph, the default), RdflibStore (rdflib Dataset), an rdflib Dataset
over the `oxrdflib` store (rdflib's API, Oxigraph's engine), and with --server a real Oxigraph
server behind RemoteStore (filled by `push`; HTTP on 127.0.0.1), and with --virtuoso a real
Virtuoso Open Source (Debian's `virtuoso-t`, started by devtools/virtuoso_server.py, filled by `push`
over its digest-authenticated Graph Store, the merged graph in its own named graph). Each figure is
the median of --repeat runs, in milliseconds. Each query's answer is also compared with the
default's (the same comparison as tests/test_backends.py: devtools/backend_compare.py), so a faster
backend that answers differently shows up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from rdflib import Dataset

from devtools.backend_compare import (
    all_queries,
    bindings_for,
    described_entities,
    ordered,
    same_answer,
    separators,
)
from tehgraph.config import Settings
from tehgraph.dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path
from tehgraph.namespaces import PREFIX_IRIS, bind_prefixes
from tehgraph.results import QueryResult, graph_of
from tehgraph.stores import OxigraphStore, RdflibStore, Store
from tehgraph.stores.remote import plain


class OxrdflibStore(RdflibStore):
    """rdflib's Dataset API with the `Oxigraph` store plugin of oxrdflib: pyoxigraph evaluates."""

    name = "oxrdflib"

    @classmethod
    def from_dist(cls, dist: Path) -> OxrdflibStore:
        dataset = Dataset(store="Oxigraph")
        dataset.parse(dump_path(dist, NAMED_GRAPHS), format="nquads")
        dataset.default_graph.parse(dump_path(dist, MERGED_GRAPH), format="nt")
        bind_prefixes(dataset)
        return cls(dataset)

    def evaluate(self, sparql, limit) -> QueryResult:
        # oxrdflib passes the text to pyoxigraph; rdflib's parser is not involved (nor its checks).
        answer = self.dataset.query(sparql, initNs=PREFIX_IRIS)
        if answer.type == "ASK":
            return QueryResult("ASK", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            rows = [tuple(plain(term) for term in row) for row in answer]  # xsd:string as the others write it
            return QueryResult("SELECT", vars=[str(v) for v in answer.vars], rows=rows)
        return QueryResult("CONSTRUCT", graph=graph_of(answer))


EMBEDDED = ("oxigraph", "rdflib", "oxrdflib")


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def start_server(
    dist: Path, stack: ExitStack, kind: str = "oxigraph"
) -> tuple[Callable[[], object], Callable[[], Store]]:
    """A real server (`oxigraph` or `virtuoso`) on 127.0.0.1; returns how to fill it (`push`)
    and how to open a RemoteStore on it."""
    from devtools import oxigraph_server, virtuoso_server
    from tehgraph.push import push
    from tehgraph.stores import RemoteStore

    running = {"oxigraph": oxigraph_server.running, "virtuoso": virtuoso_server.running}[kind]
    folder = stack.enter_context(tempfile.TemporaryDirectory())
    server = stack.enter_context(running(Path(folder)))
    settings = server.settings(Settings(dist_dir=dist, query_timeout=60.0))
    return (lambda: push(settings)), (lambda: RemoteStore.from_settings(settings))


def run(
    dist: Path,
    project: Path,
    repeat: int,
    with_server: bool,
    with_virtuoso: bool = False,
    embedded: tuple[str, ...] = EMBEDDED,
) -> dict:
    with ExitStack() as stack:
        openers: dict[str, Callable[[], Store]] = {
            "oxigraph": lambda: OxigraphStore.from_dist(dist),
            "rdflib": lambda: RdflibStore.from_dist(dist),
            "oxrdflib": lambda: OxrdflibStore.from_dist(dist),
        }
        # The default (the reference every answer is compared with) is always measured.
        openers = {name: opener for name, opener in openers.items() if name == "oxigraph" or name in embedded}
        report: dict = {"triples": None, "repeat": repeat, "load_ms": {}, "queries": {}, "describe_ms": {}}
        stores = {}
        for name, opener in openers.items():
            report["load_ms"][name] = median_ms(opener, repeat)
            stores[name] = opener()
        servers = [
            kind for kind, wanted in (("oxigraph", with_server), ("virtuoso", with_virtuoso)) if wanted
        ]
        for kind in servers:  # a server's load time is the time `push` takes to replace every graph
            fill, opener = start_server(dist, stack, kind)
            report["load_ms"][f"{kind}-server"] = median_ms(fill, repeat)
            stores[f"{kind}-server"] = opener()
        default = stores["oxigraph"]
        report["triples"] = default.count()
        for slug, saved in all_queries(project).items():
            bindings = bindings_for(default, saved)
            reference = default.query(saved.text, bindings)
            row = {}
            for name, store in stores.items():
                answer = store.query(saved.text, bindings)
                row[name] = {
                    "ms": median_ms(lambda s=store, q=saved.text, b=bindings: s.query(q, b), repeat),
                    "same": same_answer(reference, answer, ordered(saved), separators(saved)) is None,
                }
            report["queries"][slug] = row
        entities = described_entities(default)
        for name, store in stores.items():
            report["describe_ms"][name] = [
                median_ms(lambda s=store, e=e: s.describe(e), repeat) for e in entities
            ]
        report["entities"] = [str(e) for e in entities]
    return report


def summary(report: dict) -> str:
    """Markdown tables: load, per-query medians (with answer agreement), describes, totals."""
    names = list(report["load_ms"])
    lines = [f"Graph: {report['triples']} triples; median of {report['repeat']} runs, ms.", ""]
    lines += ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    lines.append("| load | " + " | ".join(f"{report['load_ms'][n]:.0f}" for n in names) + " |")
    totals = {n: sum(q[n]["ms"] for q in report["queries"].values()) for n in names}
    lines.append(
        f"| all {len(report['queries'])} queries (sum of medians) | "
        + " | ".join(f"{totals[n]:.0f}" for n in names)
        + " |"
    )
    describes = report["describe_ms"]
    lines.append(
        f"| describe, median of {len(report['entities'])} entities | "
        + " | ".join(f"{statistics.median(describes[n]):.1f}" for n in names)
        + " |"
    )
    slowest = " | ".join(f"{max(describes[n]):.1f}" for n in names)
    lines.append(f"| describe, slowest entity | {slowest} |")
    lines += ["", "| query | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for slug, row in report["queries"].items():
        cells = [f"{row[n]['ms']:.1f}" + ("" if row[n]["same"] else " ≠") for n in names]
        lines.append(f"| {slug} | " + " | ".join(cells) + " |")
    lines += ["", "≠: the answer differs from the default backend's (see tests/test_backends.py)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--dist", type=Path, help="build output (default PROJECT/dist)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--server", action="store_true", help="also measure a real Oxigraph server")
    parser.add_argument("--virtuoso", action="store_true", help="also measure a real Virtuoso server")
    parser.add_argument(
        "--embedded",
        default=",".join(EMBEDDED),
        help="embedded stores to measure (oxigraph, the reference, always is; rdflib takes minutes)",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/backends.json"))
    args = parser.parse_args()
    report = run(
        args.dist or args.project / "dist",
        args.project,
        args.repeat,
        args.server,
        args.virtuoso,
        tuple(args.embedded.split(",")),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(summary(report))


if __name__ == "__main__":
    main()
