"""SHACL validation with the engine of your choice, and a report that sends the user to node, shape, file.

Two engines give the same results: pySHACL, the reference, and the shapes compiled to SPARQL on
pyoxigraph (sparql_engine.py), ~20x faster (docs/benchmarks.md). `ENGINES` is the registry;
"auto" takes the fast one whenever the shapes stay within what it compiles.

Each engine reads the data in its own form (an rdflib graph for pySHACL, a pyoxigraph store for
the compiled one); `Data` makes the form asked for on first use, or hands over one the caller
already holds (the build's store of asserted triples), so nothing is converted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from ..load import Project
from ..oxterms import to_ox, to_rdflib
from . import sparql_engine
from .report import ValidationResult, read_report
from .sparql_engine import ill_typed
from .sparql_report import report_graph

_TYPE, _SUBCLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))


@dataclass
class Data:
    """The data to validate, as an rdflib graph and/or a pyoxigraph store, each made on first use.

    A store given by the caller is read as it is: its default graph, or with `union` the union of
    its named graphs (the build's store, one graph per file).
    """

    make_graph: Callable[[], Graph] | None = None
    make_store: Callable[[], tuple[ox.Store, set[Literal]]] | None = None
    union: bool = False
    _graph: Graph | None = None
    _store: tuple[ox.Store, set[Literal]] | None = None

    @classmethod
    def of_graph(cls, graph: Graph) -> Data:
        return cls(make_graph=lambda: graph)

    @classmethod
    def of_store(cls, store: ox.Store, make_graph: Callable[[], Graph], union: bool = True) -> Data:
        """Data already in pyoxigraph (the build's store); `make_graph` only if pySHACL must run.
        Its ill-typed literals are found by one query, on first use."""
        return cls(make_graph=make_graph, union=union, make_store=lambda: (store, ill_typed(store, union)))

    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = self.make_graph()
        return self._graph

    def oxigraph(self) -> tuple[ox.Store, set[Literal]]:
        """The data in pyoxigraph and its ill-typed literals (converted from the graph when needed)."""
        if self._store is None:
            self._store = self.make_store() if self.make_store else sparql_engine.load_data(self.graph())
        return self._store

    def types_of(self, node) -> set:
        """Types of a node with their superclasses, read where the data already is."""
        if isinstance(node, Literal):
            return set()
        if self._store is None:
            graph = self.graph()
            direct = set(graph.objects(node, RDF.type))
            return direct.union(*(set(graph.transitive_objects(c, RDFS.subClassOf)) for c in direct))
        store, where = self._store[0], None if self.union else ox.DefaultGraph()
        found = {q.object for q in store.quads_for_pattern(to_ox(node), _TYPE, None, where)}
        todo = list(found)
        while todo:
            for quad in store.quads_for_pattern(todo.pop(), _SUBCLASS, None, where):
                if quad.object not in found:
                    found.add(quad.object)
                    todo.append(quad.object)
        return {to_rdflib(t) for t in found}


def _sparql(data: Data, shapes: Graph) -> tuple[bool, Graph]:
    report = report_graph(sparql_engine.run(*data.oxigraph(), shapes, union=data.union), shapes)
    return all(conforms.toPython() for conforms in report.objects(None, SH.conforms)), report


def _pyshacl(data: Data, shapes: Graph) -> tuple[bool, Graph]:
    from .pyshacl_engine import pyshacl_report  # pySHACL is loaded only when it runs

    return pyshacl_report(data.graph(), shapes)


def _auto(data: Data, shapes: Graph) -> tuple[bool, Graph]:
    return (_sparql if sparql_engine.supported(shapes) else _pyshacl)(data, shapes)


def _compiled(data: Data, shapes: Graph) -> tuple[bool, Graph]:
    if not sparql_engine.supported(shapes):
        raise sparql_engine.Unsupported("shapes use SHACL features outside the compiled subset")
    return _sparql(data, shapes)


# name -> engine: (data, shapes) -> (conforms, sh:ValidationReport graph)
ENGINES: dict[str, Callable[[Data, Graph], tuple[bool, Graph]]] = {
    "auto": _auto,
    "sparql": _compiled,
    "pyshacl": _pyshacl,
}


def validate_data(data: Data, shapes: Graph, files=None, engine: str = "auto") -> ValidationResult:
    """Validate `data` against `shapes` with one engine of ENGINES; `files` names each node's file."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    conforms, report = ENGINES[engine](data, shapes)
    return ValidationResult(conforms, read_report(report, shapes, data.types_of, files), report)


def validate_graph(
    data: Graph,
    shapes: Graph,
    ontology: Graph | None = None,
    files=None,
    engine: str = "auto",
) -> ValidationResult:
    """Validate a graph against shapes; the ontology supplies the subclass tree for sh:class.

    The ontology is mixed in here rather than through pySHACL's ont_graph, which pySHACL only
    mixes in when it also runs inference.
    """
    if ontology is not None and not (ontology.identifier == data.identifier):
        combined = Graph()
        combined += data
        combined += ontology
        data = combined
    return validate_data(Data.of_graph(data), shapes, files, engine)


def validate_project(project: Project, engine: str = "auto") -> ValidationResult:
    """Validate the asserted ontology and data of a project against its shapes.

    The compiled engine reads the project's own store (the union of its files' graphs); pySHACL
    gets a private rdflib copy, which it validates in place.
    """
    data = Data.of_store(project.store, project.merged)
    return validate_data(data, project.shapes, project.node_files(), engine)
