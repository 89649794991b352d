"""Two builds compared: triples per named graph, then the changes the table names, in words."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from ..graphs import kind_of
from ..namespaces import GRAPH, ID, shorten
from .rules import Rule, Table, expand, load_table
from .snapshot import SKOLEM, Snapshot, load_snapshot

_PLACEHOLDER = re.compile(r"\{([A-Za-z]+:[A-Za-z0-9_-]+)(\|id)?\}")
_LANGS = ("fr", "en", None)


@dataclass(frozen=True)
class GraphChange:
    graph: str
    old: int
    new: int
    added: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class Value:
    term: Node
    label: str


@dataclass(frozen=True)
class PropertyChange:
    property: URIRef
    label: str
    added: tuple[Value, ...] = ()
    removed: tuple[Value, ...] = ()


@dataclass(frozen=True)
class Item:
    iri: URIRef
    label: str
    graphs: tuple[str, ...]
    properties: tuple[PropertyChange, ...] = ()


@dataclass(frozen=True)
class Change:
    rule: Rule
    items: tuple[Item, ...]


@dataclass
class BuildDiff:
    old: Snapshot
    new: Snapshot
    graphs: list[GraphChange]
    changes: list[Change]

    @property
    def identical(self) -> bool:
        return not any(g.changed for g in self.graphs)

    @property
    def added(self) -> int:
        return sum(g.added for g in self.graphs)

    @property
    def removed(self) -> int:
        return sum(g.removed for g in self.graphs)


def diff_builds(old_dist: Path | str, new_dist: Path | str, table: Table | None = None) -> BuildDiff:
    """Compare the build folders OLD_DIST and NEW_DIST (their tehgraph.nq)."""
    return diff_snapshots(load_snapshot(old_dist), load_snapshot(new_dist), table)


def diff_snapshots(old: Snapshot, new: Snapshot, table: Table | None = None) -> BuildDiff:
    table = table or load_table()
    graphs = []
    for name in sorted(set(old.graphs) | set(new.graphs)):
        before, after = old.graphs.get(name, frozenset()), new.graphs.get(name, frozenset())
        graphs.append(GraphChange(name, len(before), len(after), len(after - before), len(before - after)))
    if not any(g.changed for g in graphs):
        return BuildDiff(old, new, graphs, [Change(rule, ()) for rule in table.rules])
    old_side, new_side = _Side(old, table), _Side(new, table)
    changes = [Change(rule, _items(rule, old_side, new_side)) for rule in table.rules]
    return BuildDiff(old, new, graphs, changes)


def _items(rule: Rule, old: _Side, new: _Side) -> tuple[Item, ...]:
    before, after = old.instances(rule.classes), new.instances(rule.classes)
    items: list[Item] = []
    if rule.kind in ("new", "removed"):
        side, subjects = (new, after - before) if rule.kind == "new" else (old, before - after)
        for subject in subjects:
            shown = [side.values_of(subject, p, rule.kind == "removed") for p in rule.show]
            items.append(side.item(subject, [c for c in shown if c.added or c.removed]))
    else:
        for subject in before & after:
            changes = []
            for prop in rule.properties:
                was, now = set(old.graph.objects(subject, prop)), set(new.graph.objects(subject, prop))
                gained, lost = now - was, was - now
                if rule.kind == "added" and gained:
                    changes.append(PropertyChange(prop, new.property_label(prop), new.values(gained)))
                elif rule.kind == "changed" and (gained or lost):
                    changes.append(
                        PropertyChange(prop, new.property_label(prop), new.values(gained), old.values(lost))
                    )
            if changes:
                items.append(new.item(subject, changes))
    return tuple(sorted(items, key=lambda item: (item.label.casefold(), str(item.iri))))


class _Side:
    """One build's graph, with the lookups the report needs: instances, labels, graphs of a subject."""

    def __init__(self, snapshot: Snapshot, table: Table):
        self.snapshot, self.graph, self.table = snapshot, snapshot.merged, table
        self._names: dict[Node, str] = {}

    def instances(self, classes: tuple[URIRef, ...]) -> set[Node]:
        return {s for c in classes for s in self.graph.subjects(RDF.type, c)}

    @cached_property
    def _graphs_of(self) -> dict[Node, set[str]]:
        index: dict[Node, set[str]] = defaultdict(set)
        for name, triples in self.snapshot.graphs.items():
            if kind_of(name).stated:  # where a thing is stated, not what the build computes
                for s, _, _ in triples:
                    index[s].add(name)
        return index

    def item(self, subject: Node, properties: list[PropertyChange]) -> Item:
        graphs = tuple(sorted(short(g) for g in self._graphs_of.get(subject, ())))
        return Item(subject, self.name(subject), graphs, tuple(properties))

    def values_of(self, subject: Node, prop: URIRef, removed: bool = False) -> PropertyChange:
        """The values of a new resource (as added) or of a removed one (as removed)."""
        values = self.values(set(self.graph.objects(subject, prop)))
        label = self.property_label(prop)
        return PropertyChange(prop, label, removed=values) if removed else PropertyChange(prop, label, values)

    def values(self, terms: set[Node]) -> tuple[Value, ...]:
        return tuple(
            sorted((Value(t, self.name(t)) for t in terms), key=lambda v: (v.label.casefold(), str(v.term)))
        )

    def property_label(self, prop: URIRef) -> str:
        labels = {getattr(o, "language", None): str(o) for o in sorted(self.graph.objects(prop, RDFS.label))}
        return labels.get("en") or shorten(str(prop))

    def name(self, term: Node) -> str:
        if isinstance(term, Literal):
            return str(term)
        if term not in self._names:
            self._names[term] = self._label(term)
        return self._names[term]

    def _label(self, term: Node) -> str:
        for prop in self.table.label_properties:
            labels = {getattr(o, "language", None): str(o) for o in sorted(self.graph.objects(term, prop))}
            for lang in _LANGS:
                if lang in labels:
                    return labels[lang]
            if labels:
                return next(iter(labels.values()))
        for cls in sorted(self.graph.objects(term, RDF.type)):
            if cls in self.table.patterns:
                return _PLACEHOLDER.sub(lambda m: self._fill(term, m), self.table.patterns[cls])
        return short(str(term))

    def _fill(self, term: Node, match: re.Match) -> str:
        value = self.graph.value(term, expand(match.group(1)))
        if value is None:
            return "?"
        return short(str(value)) if match.group(2) and not isinstance(value, Literal) else self.name(value)


def short(iri: str) -> str:
    """A resource or graph IRI as the data files write it: demand/x, graph/demands, a CURIE, or as is."""
    if iri.startswith(SKOLEM):
        return "[blank node]"
    for base, prefix in ((str(ID), ""), (str(GRAPH), "graph/")):
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return shorten(iri)
