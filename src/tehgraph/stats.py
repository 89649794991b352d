"""Counts per class and per named graph, read from the built store."""

from __future__ import annotations

from dataclasses import dataclass

from . import builtin
from .graphs import kind_of
from .namespaces import shorten
from .stores.base import Store


@dataclass
class Stats:
    total: int
    per_class: list[tuple[str, int]]
    per_graph: list[tuple[str, int]]

    def as_text(self) -> str:
        lines = [f"{self.total} triples (merged default graph)", "", "Per named graph:"]
        lines += [f"  {n:>8}  {g}  ({kind_of(g).label['en']})" for g, n in self.per_graph]
        lines += ["", "Per class (asserted and inferred types):"]
        lines += [f"  {n:>8}  {c}" for c, n in self.per_class]
        return "\n".join(lines)


def compute_stats(store: Store) -> Stats:
    classes = store.query(builtin.sparql("stats-class-counts"))
    graphs = store.query(builtin.sparql("service-graph-sizes"))  # the same counts the endpoint describes
    return Stats(
        total=store.count(),
        per_class=[(shorten(str(c)), int(n)) for c, n in classes.rows],
        per_graph=[(str(g), int(n)) for g, n in graphs.rows],
    )
