"""The compiled engine's results written as a sh:ValidationReport graph, shaped as pySHACL writes its own.

Both engines then go through the same reading of a report (report.py), so they report alike.
"""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .sparql_shapes import Result


def report_graph(results: list[Result], shapes: Graph) -> Graph:
    """A sh:ValidationReport graph for the results."""
    report = Graph()
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(not any(_severity(shapes, r) == SH.Violation for r in results))))
    for result in results:
        report.add((node, SH.result, _add_result(report, result, shapes)))
    return report


def _add_result(report: Graph, result: Result, shapes: Graph) -> BNode:
    """One sh:ValidationResult (and its sh:detail results, recursively); returns its node."""
    item = BNode()
    report.add((item, RDF.type, SH.ValidationResult))
    report.add((item, SH.focusNode, result.focus))
    report.add((item, SH.sourceShape, result.shape))
    report.add((item, SH.sourceConstraintComponent, result.component))
    report.add((item, SH.resultSeverity, _severity(shapes, result)))
    if result.constraint is not None and result.component == SH.SPARQLConstraintComponent:
        report.add((item, SH.sourceConstraint, result.constraint))
    if result.path is not None:
        report.add((item, SH.resultPath, _copy_path(result.path, shapes, report)))
    if result.value is not None:
        report.add((item, SH.value, result.value))
    for message in _messages(shapes, result):
        report.add((item, SH.resultMessage, message))
    for detail in result.details:
        report.add((item, SH.detail, _add_result(report, detail, shapes)))
    return item


def _severity(shapes: Graph, result: Result) -> URIRef:
    return shapes.value(result.shape, SH.severity) or SH.Violation


def _messages(shapes: Graph, result: Result) -> list[Literal]:
    holder = result.constraint if result.component == SH.SPARQLConstraintComponent else result.shape
    messages = list(shapes.objects(holder, SH.message)) or list(shapes.objects(result.shape, SH.message))
    if not messages:
        name = str(result.component).split("#")[-1].removesuffix("ConstraintComponent")
        return [Literal(f"{name} constraint not satisfied")]
    bindings = dict(result.bindings)
    out = []
    for message in messages:
        text = re.sub(r"\{[?$](\w+)\}", lambda m: str(bindings.get(m.group(1), m.group(0))), str(message))
        out.append(Literal(text, lang=message.language))
    return out


def _copy_path(path: Node, shapes: Graph, report: Graph) -> Node:
    if isinstance(path, URIRef):
        return path
    copy = BNode()
    report.add((copy, SH.inversePath, shapes.value(path, SH.inversePath)))
    return copy
