"""The validation report model: what every engine's sh:ValidationReport becomes, and how it is read.

Importing this module loads no engine (neither pySHACL nor the compiled one): the web app reads
the build's dist/validation.json into these classes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ..namespaces import bind_prefixes, shorten

TypesOf = Callable[[object], set]  # a node's types with their superclasses, as sh:targetClass sees them


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
                lines += _lines(v)
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "results": [v.as_dict() for v in self.violations]}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def as_turtle(self) -> str:
        bind_prefixes(self.report_graph)
        return self.report_graph.serialize(format="turtle")


def _lines(v: Violation) -> list[str]:
    lines = [f"  - node {v.focus}" + (f" [{v.file}]" if v.file else "")]
    if v.property_shape:
        lines.append(f"    constraint: {v.property_shape}")
    if v.path:
        lines.append(f"    path: {v.path}")
    if v.value:
        lines.append(f"    value: {v.value}")
    lines.append(f"    message: {v.message}")
    return lines


def read_report(report: Graph, shapes: Graph, types_of: TypesOf, files=None) -> list[Violation]:
    """Every result of a report as a Violation, sorted by shape, node and path.

    `files` maps a node to the file it is described in (a dict, or anything with .get()).
    """
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape, property_shape = _shape_names(report, result, shapes, types_of)
        violations.append(
            Violation(
                focus=_term(focus),
                path=_path(report, report.value(result, SH.resultPath)),
                value=_term(report.value(result, SH.value)),
                shape=shape,
                property_shape=property_shape,
                message=str(message) if message else "constraint not satisfied",
                severity=shorten(str(report.value(result, SH.resultSeverity))),
                file=(files or {}).get(focus),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus or "", v.path or ""))
    return violations


def _shape_names(report: Graph, result, shapes: Graph, types_of: TypesOf) -> tuple[str, str | None]:
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
        focus_types = types_of(report.value(result, SH.focusNode))
        matching = [o for o in owners if set(shapes.objects(o, SH.targetClass)) & focus_types]
        owners = matching or owners
    node_shape = shorten(str(owners[0])) if owners else "(anonymous shape)"
    named = shorten(str(source)) if isinstance(source, URIRef) else None
    return node_shape, named


def _path(report: Graph, path) -> str | None:
    """A result path as SPARQL writes it: an IRI, or `^iri` for an inverse path (a blank node
    whose label each engine draws differently)."""
    inverse = report.value(path, SH.inversePath) if path is not None else None
    return f"^{shorten(str(inverse))}" if inverse is not None else _term(path)


def _term(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        return value.n3()
    return shorten(str(value))
