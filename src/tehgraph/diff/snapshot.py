"""A build as the diff sees it: its triples graph by graph, blank nodes named by their content.

Blank node labels are arbitrary: two builds of the same input write `_:b0` and `_:f3a…` for the
same SHACL property shape. Each blank node is named instead by a hash of what surrounds it
(colour refinement over its triples, repeated until the partition stops splitting), so an unchanged
build compares equal and a changed blank node shows as the triples that changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.term import Node

from ..dist import dump_path
from ..errors import LoadError
from ..oxterms import to_rdflib

SKOLEM = "urn:tehgraph:bnode:"
DEFAULT_GRAPH = "default"
_MAX_ROUNDS = 32

Triple = tuple[Node, Node, Node]


class Index:
    """All the triples of a build (every named graph, inferred ones included), for the lookups the
    report makes: much cheaper to fill than an rdflib Graph, which the diff does not need."""

    def __init__(self, triples: Iterable[Triple]):
        self._objects: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        self._subjects: dict[tuple[Node, Node], set[Node]] = defaultdict(set)
        for s, p, o in triples:
            self._objects[s, p].add(o)
            self._subjects[p, o].add(s)

    def objects(self, subject: Node, predicate: Node) -> set[Node]:
        return self._objects.get((subject, predicate), set())

    def subjects(self, predicate: Node, obj: Node) -> set[Node]:
        return self._subjects.get((predicate, obj), set())

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return min(self.objects(subject, predicate), default=None, key=str)


@dataclass
class Snapshot:
    """The triples of one build folder, per named graph."""

    dist: Path
    graphs: dict[str, frozenset[Triple]]

    @property
    def total(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())

    @cached_property
    def merged(self) -> Index:
        return Index(triple for triples in self.graphs.values() for triple in triples)


def load_snapshot(dist: Path | str) -> Snapshot:
    """Read DIST/tehgraph.nq (DistMissingError without it, LoadError when it does not parse)."""
    path = dump_path(Path(dist), "nq")
    term = _converter()
    try:
        quads = [
            (term(q.subject), term(q.predicate), term(q.object), _graph_name(q.graph_name))
            for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)
        ]
    except (SyntaxError, ValueError, OSError) as error:
        raise LoadError(path, f"cannot read the build's quads: {error}") from None
    names = content_names(quads)
    graphs: dict[str, set[Triple]] = defaultdict(set)
    for s, p, o, g in quads:
        graphs[g].add((names.get(s, s), p, names.get(o, o)))
    return Snapshot(Path(dist), {g: frozenset(t) for g, t in graphs.items()})


def content_names(quads: list[tuple]) -> dict[BNode, URIRef]:
    """A stable IRI for each blank node, from its triples and its neighbours' (any depth)."""
    edges: dict[BNode, list[tuple[str, Node, Node]]] = defaultdict(list)
    for s, p, o, _ in quads:
        if isinstance(s, BNode):
            edges[s].append(("out", p, o))
        if isinstance(o, BNode):
            edges[o].append(("in", p, s))
    colour = {node: "" for node in edges}
    classes = 1
    for _ in range(_MAX_ROUNDS):
        colour = {node: _hash(colour[node], node_edges, colour) for node, node_edges in edges.items()}
        refined = len(set(colour.values()))
        if refined == classes:
            break
        classes = refined
    return {node: URIRef(SKOLEM + value[:32]) for node, value in colour.items()}


def _hash(own: str, node_edges: list[tuple[str, Node, Node]], colour: dict[BNode, str]) -> str:
    def term(node: Node) -> str:
        return "_:" + colour[node] if isinstance(node, BNode) else node.n3()

    lines = sorted(f"{direction} {p.n3()} {term(other)}" for direction, p, other in node_edges)
    return hashlib.sha256("\n".join([own, *lines]).encode("utf-8")).hexdigest()


def _converter():
    """oxterms.to_rdflib, each IRI converted once (they repeat; rdflib validates every new one)."""
    cache: dict[str, URIRef] = {}

    def convert(term):
        if isinstance(term, ox.NamedNode):
            found = cache.get(term.value)
            if found is None:
                found = cache[term.value] = URIRef(term.value)
            return found
        return to_rdflib(term)

    return convert


def _graph_name(name) -> str:
    return name.value if isinstance(name, ox.NamedNode) else DEFAULT_GRAPH
