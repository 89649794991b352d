"""SHACL validation, and a report that sends the user to node, shape and file.

Two engines give the same results: pySHACL, the reference, and shacl_sparql, which compiles the
shapes to SPARQL on pyoxigraph and is ~20x faster (docs/benchmarks.md). "auto" takes the fast one
whenever the shapes stay within what it compiles.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS, SH

from . import shacl_sparql
from .load import Project
from .namespaces import GRAPH, bind_prefixes, shorten


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    shape: str
    message: str
    severity: str
    file: str | None
    property_shape: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)

    def as_text(self) -> str:
        """Results grouped by shape: node, path, value, message and the file to edit."""
        if self.conforms:
            return "Conforms: the data satisfies every shape."
        by_shape: dict[str, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            by_shape[violation.shape].append(violation)
        lines = [f"Does not conform: {len(self.violations)} result(s) in {len(by_shape)} shape(s)."]
        for shape, items in sorted(by_shape.items()):
            lines.append(f"\n{shape} ({len(items)})")
            for v in items:
                lines.append(f"  - node {v.focus}" + (f" [{v.file}]" if v.file else ""))
                if v.property_shape:
                    lines.append(f"    constraint: {v.property_shape}")
                if v.path:
                    lines.append(f"    path: {v.path}")
                if v.value:
                    lines.append(f"    value: {v.value}")
                lines.append(f"    message: {v.message}")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "results": [v.as_dict() for v in self.violations]},
            ensure_ascii=False,
            indent=2,
        )

    def as_turtle(self) -> str:
        bind_prefixes(self.report_graph)
        return self.report_graph.serialize(format="turtle")


def _shape_names(report: Graph, result, shapes: Graph, data: Graph) -> tuple[str, str | None]:
    """(node shape, named property shape) of a result.

    Property shapes are often blank nodes, and shared ones (tehsh:FrenchLabel) are used by several
    node shapes: the node shape is then the one whose target class the focus node has.
    """
    source = report.value(result, SH.sourceShape)
    if (source, RDF.type, SH.NodeShape) in shapes and isinstance(source, URIRef):
        return shorten(str(source)), None
    owners = [s for s in shapes.subjects(SH.property, source) if isinstance(s, URIRef)]
    owners += [s for s in shapes.subjects(SH.sparql, source) if isinstance(s, URIRef)]
    if len(owners) > 1:
        focus_types = _types(data, report.value(result, SH.focusNode))
        matching = [o for o in owners if set(shapes.objects(o, SH.targetClass)) & focus_types]
        owners = matching or owners
    node_shape = shorten(str(owners[0])) if owners else "(anonymous shape)"
    named = shorten(str(source)) if isinstance(source, URIRef) else None
    return node_shape, named


def _types(data: Graph, node) -> set:
    """Types of a node with their superclasses, as sh:targetClass sees them."""
    direct = set(data.objects(node, RDF.type))
    found = set(direct)
    for cls in direct:
        found |= set(data.transitive_objects(cls, RDFS.subClassOf))
    return found


def _term(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.n3()
    return shorten(str(value))


ENGINES = ("auto", "sparql", "pyshacl")


def _pyshacl_report(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # data is already a private copy: skip pySHACL's clone of it
    )
    return bool(conforms), report


def _sparql_report(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    report = shacl_sparql.report_graph(shacl_sparql.validate_sparql(data, shapes), shapes)
    return all(conforms.toPython() for conforms in report.objects(None, SH.conforms)), report


def validate_graph(
    data: Graph,
    shapes: Graph,
    ontology: Graph | None = None,
    files=None,
    engine: str = "auto",
) -> ValidationResult:
    """Validate data against shapes; the ontology supplies the subclass tree for sh:class.

    The ontology is mixed in here rather than through pySHACL's ont_graph, which pySHACL only
    mixes in when it also runs inference. `engine` is "pyshacl" (the reference), "sparql" (the
    compiled shapes on pyoxigraph) or "auto" (sparql when the shapes allow it).
    """
    if ontology is not None and not (ontology.identifier == data.identifier):
        combined = Graph()
        combined += data
        combined += ontology
        data = combined
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "auto":
        engine = "sparql" if shacl_sparql.supported(shapes) else "pyshacl"
    if engine == "sparql":
        conforms, report = _sparql_report(data, shapes)
    else:
        conforms, report = _pyshacl_report(data, shapes)
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape, property_shape = _shape_names(report, result, shapes, data)
        violations.append(
            Violation(
                focus=_term(focus),
                path=_term(report.value(result, SH.resultPath)),
                value=_term(report.value(result, SH.value)),
                shape=shape,
                property_shape=property_shape,
                message=str(message) if message else "constraint not satisfied",
                severity=shorten(str(report.value(result, SH.resultSeverity))),
                file=(files or {}).get(focus),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus or "", v.path or ""))
    return ValidationResult(conforms, violations, report)


def asserted_view(project: Project) -> Graph:
    """Ontology and data as one read-only graph, without copying them (what merged() holds).

    Copying 100k triples into a new rdflib graph costs ~5 s; the fast engine only reads.
    """
    return ReadOnlyGraphAggregate(
        [project.dataset.graph(name) for name in project.files if name != GRAPH["shapes"]]
    )


def validate_project(project: Project, engine: str = "auto") -> ValidationResult:
    """Validate the asserted ontology and data of a project against its shapes."""
    if engine == "auto":
        engine = "sparql" if shacl_sparql.supported(project.shapes) else "pyshacl"
    data = asserted_view(project) if engine == "sparql" else project.merged()
    return validate_graph(data, project.shapes, None, _NodeFiles(project), engine)  # data holds the ontology


class _NodeFiles:
    """The file of each node, mapped on first use: only a report with violations needs it."""

    def __init__(self, project: Project):
        self.project = project
        self.files: dict | None = None

    def get(self, node, default=None):
        if self.files is None:
            self.files = _node_files(self.project)
        return self.files.get(node, default)


def _node_files(project: Project) -> dict:
    """Map each described node to its data file (the first that describes it)."""
    files: dict = {}
    for name in project.data_graphs:
        path = project.files[name]
        relative = str(path.relative_to(project.project_dir)) if path.is_absolute() else str(path)
        for subject in set(project.dataset.graph(name).subjects()):
            files.setdefault(subject, relative)
    return files


def relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
