"""SHACL validation compiled to SPARQL and run on pyoxigraph: the fast engine behind validate.py.

pySHACL walks every focus node in Python and re-parses each SPARQL-based constraint once per focus
node, so the real graph took ~37 s of CPU and 100k triples far more. Here each constraint of each
shape becomes one query over all focus nodes at once, returning only the violations — normally no
rows, so almost nothing crosses back into Python. Only the constraint components the project's
shapes use are compiled; `supported()` says whether a shapes graph stays inside them, and
validate.py falls back to pySHACL (the reference) when it does not. tests/test_fast_engines.py
proves both engines give the same results on the real graph and on every shape fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .oxterms import store_of_triples, to_ox, to_rdflib

Focus = Callable[[str], str]  # a SPARQL group pattern binding the given variable to focus nodes

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Shape predicates this engine understands; anything else in the sh: namespace means pySHACL.
UNDERSTOOD = {
    *TARGETS,
    SH.property,
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.nodeKind,
    SH.languageIn,
    SH.hasValue,
    SH.uniqueLang,
    SH.pattern,
    SH.flags,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.node,
    SH["or"],
    SH["in"],
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.sparql,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.select,
    SH.prefixes,
    SH.declare,
    SH.prefix,
    SH.namespace,
}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
NODE_KINDS = {
    SH.IRI: "isIRI(?{v})",
    SH.Literal: "isLiteral(?{v})",
    SH.BlankNode: "isBlank(?{v})",
    SH.BlankNodeOrIRI: "(isBlank(?{v}) || isIRI(?{v}))",
    SH.BlankNodeOrLiteral: "(isBlank(?{v}) || isLiteral(?{v}))",
    SH.IRIOrLiteral: "(isIRI(?{v}) || isLiteral(?{v}))",
}
# pySHACL also refuses a literal whose lexical form does not parse as these datatypes.
CHECKED_VALUES = {
    XSD.string: (str,),
    RDF.langString: (str,),
    XSD.integer: (int,),
    XSD.float: (float,),
    XSD.decimal: (Decimal,),
    XSD.boolean: (bool,),
    XSD.date: (date,),
    XSD.time: (time,),
    XSD.dateTime: (datetime,),
}
COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMinCountConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
    **{k: SH[k.split("#")[1][0].upper() + k.split("#")[1][1:] + "ConstraintComponent"] for k in COMPARISONS},
}


class Unsupported(Exception):
    """The shapes use SHACL this engine does not compile; the caller uses pySHACL instead."""


@dataclass(frozen=True)
class Result:
    focus: Node
    shape: Node
    component: URIRef
    path: Node | None = None
    value: Node | None = None
    constraint: Node | None = None
    bindings: tuple = ()
    details: tuple = ()  # results of the nested shape for sh:node, as pySHACL nests them (sh:detail)


@dataclass
class Engine:
    """One validation run: the shapes graph, the data in pyoxigraph, and the ill-typed literals."""

    shapes: Graph
    store: ox.Store
    ill_typed: set = field(default_factory=set)
    counter: list = field(default_factory=lambda: [0])

    def var(self, stem: str) -> str:
        self.counter[0] += 1
        return f"{stem}{self.counter[0]}"

    def select(self, query: str, names: list[str]) -> list[tuple]:
        rows = self.store.query(query)
        return [tuple(to_rdflib(row[n]) if row[n] is not None else None for n in names) for row in rows]

    # --- terms and paths ----------------------------------------------------------------

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        inverse = self.shapes.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(self.shapes.predicate_objects(node))) == 1:
            return f"^<{inverse}>"
        raise Unsupported(f"property path {node!r}")

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    # --- value conditions: a SPARQL expression true when ?v conforms -----------------------

    def condition(self, key: URIRef, value: Node, v: str) -> str | None:
        """The expression for a constraint that judges each value node alone (None: not one)."""
        if key == SH.datatype:
            bad = [
                t for t in self.ill_typed if t.datatype == value or (value == RDF.langString and t.language)
            ]
            clause = "".join(f" && !sameTerm(?{v}, {sparql_term(t)})" for t in bad)
            if value == RDF.langString:
                return f'(isLiteral(?{v}) && lang(?{v}) != ""{clause})'
            return f'(isLiteral(?{v}) && lang(?{v}) = "" && datatype(?{v}) = <{value}>{clause})'
        if key == SH.nodeKind:
            return NODE_KINDS[value].format(v=v)
        if key == SH["class"]:
            return f"EXISTS {{ ?{v} <{RDF.type}>/<{RDFS.subClassOf}>* <{value}> }}"
        if key == SH.languageIn:
            tests = " || ".join(
                f"langMatches(lang(?{v}), {sparql_term(Literal(str(t)))})" for t in self.items(value)
            )
            return f"(isLiteral(?{v}) && ({tests or 'false'}))"
        if key == SH.pattern:
            flags = self.shapes.value(self._owner_of(key, value), SH.flags)
            extra = f", {sparql_term(Literal(str(flags)))}" if flags else ""
            return f"(!isBlank(?{v}) && regex(str(?{v}), {sparql_term(Literal(str(value)))}{extra}))"
        if key in COMPARISONS:
            return f"COALESCE(?{v} {COMPARISONS[key]} {sparql_term(value)}, false)"
        if key == SH["in"]:
            tests = " || ".join(f"sameTerm(?{v}, {sparql_term(t)})" for t in self.items(value))
            return f"({tests or 'false'})"
        if key == SH["or"]:
            members = [self.shape_condition(s, v) for s in self.items(value)]
            if any(m is None for m in members):
                raise Unsupported("sh:or over shapes with property shapes")
            return "(" + " || ".join(members) + ")"
        return None

    def _owner_of(self, key: URIRef, value: Node) -> Node:
        return next(self.shapes.subjects(key, value))

    def shape_condition(self, shape: Node, v: str) -> str | None:
        """A shape as one expression when it only judges the node itself (no property shapes)."""
        if (shape, SH.property, None) in self.shapes or (shape, SH.sparql, None) in self.shapes:
            return None
        parts = []
        for key, value in self.shapes.predicate_objects(shape):
            if key == SH.hasValue:
                parts.append(f"sameTerm(?{v}, {sparql_term(value)})")
                continue
            if key in (
                SH.qualifiedValueShape,
                SH.qualifiedMinCount,
                SH.qualifiedMaxCount,
                SH.minCount,
                SH.maxCount,
                SH.uniqueLang,
                SH.path,
            ):
                raise Unsupported(f"{key} on a node shape")
            condition = self.condition(key, value, v)
            if condition is not None:
                parts.append(condition)
        return "(" + " && ".join(parts) + ")" if parts else "true"

    # --- evaluation ---------------------------------------------------------------------------

    def validate_shape(self, shape: Node, focus: Focus) -> list[Result]:
        """Every result of `shape` on the focus nodes `focus` binds."""
        if (shape, SH.path, None) in self.shapes:
            return self.validate_property(shape, focus)
        results = []
        this = self.var("this")
        for key, value in self.shapes.predicate_objects(shape):
            if key == SH.property:
                results += self.validate_property(value, focus)
            elif key == SH.sparql:
                results += self.validate_sparql(shape, value, focus)
            elif key == SH.node:
                nested = self.nested(value, focus)
                results += [
                    Result(f, shape, SH.NodeConstraintComponent, value=f, constraint=value, details=d)
                    for f, d in nested.items()
                ]
            elif key == SH.hasValue:
                rows = self.select(
                    f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} "
                    f"FILTER(!sameTerm(?{this}, {sparql_term(value)})) }}",
                    [this],
                )
                results += [Result(r[0], shape, SH.HasValueConstraintComponent, value=r[0]) for r in rows]
            else:
                condition = self.condition(key, value, this)
                if condition is None:
                    continue
                rows = self.select(
                    f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} FILTER(!{condition}) }}", [this]
                )
                results += [Result(r[0], shape, COMPONENT[key], value=r[0], constraint=value) for r in rows]
        return results

    def nested(self, shape: Node, focus: Focus) -> dict[Node, tuple[Result, ...]]:
        """Nodes that do not conform to `shape` (sh:node), each with its results as details."""
        found: dict[Node, list[Result]] = {}
        for result in self.validate_shape(shape, focus):
            found.setdefault(result.focus, []).append(result)
        return {node: tuple(results) for node, results in found.items()}

    def validate_property(self, shape: Node, focus: Focus) -> list[Result]:
        path_node = self.shapes.value(shape, SH.path)
        path = self.path(path_node)
        this, v = self.var("this"), self.var("v")
        results: list[Result] = []

        def found(rows, component, with_value=True, constraint=None):
            return [
                Result(r[0], shape, component, path_node, r[1] if with_value else None, constraint)
                for r in rows
            ]

        for key, value in self.shapes.predicate_objects(shape):
            if key == SH.minCount:
                rows = self.select(
                    f"SELECT ?{this} WHERE {{ {focus(this)} OPTIONAL {{ ?{this} {path} ?{v} }} }} "
                    f"GROUP BY ?{this} HAVING (COUNT(DISTINCT ?{v}) < {int(value)})",
                    [this],
                )
                results += [Result(r[0], shape, SH.MinCountConstraintComponent, path_node) for r in rows]
            elif key == SH.maxCount:
                rows = self.select(
                    f"SELECT ?{this} WHERE {{ {focus(this)} ?{this} {path} ?{v} }} "
                    f"GROUP BY ?{this} HAVING (COUNT(DISTINCT ?{v}) > {int(value)})",
                    [this],
                )
                results += [Result(r[0], shape, SH.MaxCountConstraintComponent, path_node) for r in rows]
            elif key == SH.hasValue:
                rows = self.select(
                    f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} FILTER NOT EXISTS "
                    f"{{ ?{this} {path} {sparql_term(value)} }} }}",
                    [this],
                )
                results += [Result(r[0], shape, SH.HasValueConstraintComponent, path_node) for r in rows]
            elif key == SH.uniqueLang and value == Literal(True):
                rows = self.select(
                    f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} ?{this} {path} ?{v} . "
                    f'FILTER(lang(?{v}) != "") }} GROUP BY ?{this} (lang(?{v}) AS ?l) '
                    f"HAVING (COUNT(DISTINCT ?{v}) > 1)",
                    [this],
                )
                results += [Result(r[0], shape, SH.UniqueLangConstraintComponent, path_node) for r in rows]
            elif key == SH.qualifiedValueShape:
                results += self.validate_qualified(shape, value, path_node, focus)
            elif key == SH.sparql:
                raise Unsupported("sh:sparql on a property shape")
            elif key == SH.node:
                nested = self.nested(value, values_of(focus, path, self.var("o")))
                if nested:
                    values = " ".join(sparql_term(f) for f in nested)
                    rows = self.select(
                        f"SELECT DISTINCT ?{this} ?{v} WHERE {{ {focus(this)} ?{this} {path} ?{v} "
                        f"VALUES ?{v} {{ {values} }} }}",
                        [this, v],
                    )
                    results += [
                        Result(
                            r[0],
                            shape,
                            SH.NodeConstraintComponent,
                            path_node,
                            r[1],
                            value,
                            details=nested[r[1]],
                        )
                        for r in rows
                    ]
            else:
                condition = self.condition(key, value, v)
                if condition is None:
                    continue
                rows = self.select(
                    f"SELECT DISTINCT ?{this} ?{v} WHERE {{ {focus(this)} ?{this} {path} ?{v} "
                    f"FILTER(!{condition}) }}",
                    [this, v],
                )
                results += found(rows, COMPONENT[key], constraint=value)
        return results

    def validate_qualified(self, shape: Node, qualified: Node, path_node: Node, focus: Focus) -> list[Result]:
        path = self.path(path_node)
        this, v = self.var("this"), self.var("v")
        condition = self.shape_condition(qualified, v)
        if condition is None:
            raise Unsupported("sh:qualifiedValueShape with property shapes")
        if (shape, SH.qualifiedValueShapesDisjoint, None) in self.shapes:
            raise Unsupported("sh:qualifiedValueShapesDisjoint")
        results = []
        for key, op, component in (
            (SH.qualifiedMinCount, "<", SH.QualifiedMinCountConstraintComponent),
            (SH.qualifiedMaxCount, ">", SH.QualifiedMaxCountConstraintComponent),
        ):
            bound = self.shapes.value(shape, key)
            if bound is None:
                continue
            rows = self.select(
                f"SELECT ?{this} WHERE {{ {focus(this)} OPTIONAL {{ ?{this} {path} ?{v} "
                f"FILTER({condition}) }} }} GROUP BY ?{this} "
                f"HAVING (COUNT(DISTINCT ?{v}) {op} {int(bound)})",
                [this],
            )
            results += [Result(r[0], shape, component, path_node) for r in rows]
        return results

    def validate_sparql(self, shape: Node, constraint: Node, focus: Focus) -> list[Result]:
        """A SPARQL-based constraint, run once for all focus nodes instead of once per node."""
        if (constraint, SH.deactivated, None) in self.shapes:
            raise Unsupported("deactivated SPARQL constraint")
        text = str(self.shapes.value(constraint, SH.select))
        if re.search(r"\$(?!this\b)\w+", text):
            raise Unsupported("SPARQL constraint with pre-bound variables other than $this")
        select = text.replace("$this", "?this")
        names = re.findall(r"[?$](\w+)", select.split("WHERE", 1)[0])
        query = f"{self.prologue(constraint)}SELECT DISTINCT * WHERE {{ {focus('this')} {{ {select} }} }}"
        results = []
        for row in self.store.query(query):
            values = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
            path = values.get("path")
            results.append(
                Result(
                    values["this"],
                    shape,
                    SH.SPARQLConstraintComponent,
                    path,
                    values.get("value", values["this"]),
                    constraint,
                    tuple(values.items()),
                )
            )
        return results

    def prologue(self, constraint: Node) -> str:
        lines = []
        for holder in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(holder, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(lines)


def sparql_term(term: Node) -> str:
    """A term written for a SPARQL query (pyoxigraph's own N-Triples writer does the escaping)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(to_ox(term))
    raise Unsupported(f"blank node {term!r} as a constraint value")


def values_of(focus: Focus, path: str, outer: str) -> Focus:
    """The focus nodes of a nested shape: the values of `path` from the outer focus nodes."""
    return lambda v: f"{{ SELECT DISTINCT ?{v} WHERE {{ {focus(outer)} ?{outer} {path} ?{v} }} }}"


def target_focus(shapes: Graph, shape: Node) -> Focus | None:
    """The focus nodes a shape selects on its own (SHACL targets), as a pattern; None if none."""
    parts = []
    for cls in shapes.objects(shape, SH.targetClass):
        parts.append(f"?{{v}} <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}> .")
    if (shape, RDF.type, RDFS.Class) in shapes:
        parts.append(f"?{{v}} <{RDF.type}>/<{RDFS.subClassOf}>* <{shape}> .")
    for node in shapes.objects(shape, SH.targetNode):
        parts.append(f"VALUES ?{{v}} {{ {sparql_term(node)} }}")
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?{{v}} <{prop}> [] .")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        parts.append(f"[] <{prop}> ?{{v}} .")
    if not parts:
        return None
    union = " UNION ".join("{ " + p + " }" for p in parts)
    return lambda v: f"{{ SELECT DISTINCT ?{v} WHERE {{ {union.replace('{v}', v)} }} }}"


def supported(shapes: Graph) -> bool:
    """True when every sh: term the shapes use on a shape is one this engine compiles."""
    for subject, predicate in shapes.subject_predicates():
        if str(predicate).startswith(str(SH)) and predicate not in UNDERSTOOD:
            return False
        if predicate == SH.path and isinstance(shapes.value(subject, SH.path), BNode):
            path = shapes.value(subject, SH.path)
            if set(shapes.predicates(path)) != {SH.inversePath}:
                return False
    return True


def is_ill_typed(literal: Literal) -> bool:
    """A literal whose lexical form does not parse as its datatype (pySHACL rejects it)."""
    kinds = CHECKED_VALUES.get(literal.datatype)
    return bool(kinds) and not isinstance(literal.value, kinds)


def load_data(data: Graph) -> tuple[ox.Store, set[Literal]]:
    """The data in pyoxigraph, and its ill-typed literals, in one pass over the triples."""
    ill_typed: set[Literal] = set()

    def inspect(literal: Literal) -> None:
        if literal.datatype is not None and is_ill_typed(literal):
            ill_typed.add(literal)

    return store_of_triples(data, inspect), ill_typed


def validate_sparql(data: Graph, shapes: Graph) -> list[Result]:
    """Every result of validating `data` against `shapes` (raises Unsupported when it cannot)."""
    if not supported(shapes):
        raise Unsupported("shapes use SHACL features outside the compiled subset")
    engine = Engine(shapes, *load_data(data))
    results: list[Result] = []
    for shape in sorted(
        {s for p in TARGETS for s in shapes.subjects(p, None)}
        | set(shapes.subjects(RDF.type, RDFS.Class)) & set(shapes.subjects(RDF.type, SH.NodeShape)),
        key=str,
    ):
        focus = target_focus(shapes, shape)
        if focus is not None:
            results += engine.validate_shape(shape, focus)
    return results


def report_graph(results: list[Result], shapes: Graph) -> Graph:
    """A sh:ValidationReport graph for the results, shaped as pySHACL writes its own."""
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
