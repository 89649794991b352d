"""Counts per class and per named graph, read from the built store."""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import shorten
from .store import Store

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
GRAPH_COUNTS = """
SELECT ?graph (COUNT(*) AS ?n) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph ORDER BY ?graph
"""


@dataclass
class Stats:
    total: int
    per_class: list[tuple[str, int]]
    per_graph: list[tuple[str, int]]

    def as_text(self) -> str:
        lines = [f"{self.total} triples (merged default graph)", "", "Per named graph:"]
        lines += [f"  {n:>8}  {g}" for g, n in self.per_graph]
        lines += ["", "Per class (asserted and inferred types):"]
        lines += [f"  {n:>8}  {c}" for c, n in self.per_class]
        return "\n".join(lines)


def compute_stats(store: Store) -> Stats:
    classes = store.query(CLASS_COUNTS)
    graphs = store.query(GRAPH_COUNTS)
    return Stats(
        total=store.count(),
        per_class=[(shorten(str(c)), int(n)) for c, n in classes.rows],
        per_graph=[(str(g), int(n)) for g, n in graphs.rows],
    )
