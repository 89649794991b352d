"""Value conditions: each constraint that judges one value node alone, as a SPARQL expression.

The expression is true when the value bound to ?v conforms; the engine asks for the values where
it is false. A shape made only of such constraints (no property shapes) is itself one expression,
which is how sh:or and sh:qualifiedValueShape are compiled.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .sparql_shapes import COMPARISONS, NODE_KINDS, Unsupported, sparql_term

# Constraints that count or compare several values: they cannot judge a value node alone.
NOT_ON_NODE_SHAPES = (
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.path,
)


class Conditions:
    """The value conditions of one shapes graph, knowing which literals of the data are ill-typed."""

    def __init__(self, shapes: Graph, ill_typed: set[Literal]):
        self.shapes = shapes
        self.ill_typed = ill_typed
        self.handlers = {
            SH.datatype: self.datatype,
            SH.nodeKind: self.node_kind,
            SH["class"]: self.instance_of,
            SH.languageIn: self.language_in,
            SH.pattern: self.pattern,
            SH["in"]: self.one_of,
            SH["or"]: self.any_of,
            **{key: self.comparison(operator) for key, operator in COMPARISONS.items()},
        }

    def of(self, key: URIRef, value: Node, v: str) -> str | None:
        """The expression for a constraint that judges each value node alone (None: not one)."""
        handler = self.handlers.get(key)
        return handler(value, v) if handler is not None else None

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def datatype(self, value: Node, v: str) -> str:
        bad = [t for t in self.ill_typed if t.datatype == value or (value == RDF.langString and t.language)]
        clause = "".join(f" && !sameTerm(?{v}, {sparql_term(t)})" for t in bad)
        if value == RDF.langString:
            return f'(isLiteral(?{v}) && lang(?{v}) != ""{clause})'
        return f'(isLiteral(?{v}) && lang(?{v}) = "" && datatype(?{v}) = <{value}>{clause})'

    def node_kind(self, value: Node, v: str) -> str:
        return NODE_KINDS[value].format(v=v)

    def instance_of(self, value: Node, v: str) -> str:
        return f"EXISTS {{ ?{v} <{RDF.type}>/<{RDFS.subClassOf}>* <{value}> }}"

    def language_in(self, value: Node, v: str) -> str:
        tests = " || ".join(
            f"langMatches(lang(?{v}), {sparql_term(Literal(str(t)))})" for t in self.items(value)
        )
        return f"(isLiteral(?{v}) && ({tests or 'false'}))"

    def pattern(self, value: Node, v: str) -> str:
        flags = self.shapes.value(next(self.shapes.subjects(SH.pattern, value)), SH.flags)
        extra = f", {sparql_term(Literal(str(flags)))}" if flags else ""
        return f"(!isBlank(?{v}) && regex(str(?{v}), {sparql_term(Literal(str(value)))}{extra}))"

    def comparison(self, operator: str):
        def compare(value: Node, v: str) -> str:
            return f"COALESCE(?{v} {operator} {sparql_term(value)}, false)"

        return compare

    def one_of(self, value: Node, v: str) -> str:
        tests = " || ".join(f"sameTerm(?{v}, {sparql_term(t)})" for t in self.items(value))
        return f"({tests or 'false'})"

    def any_of(self, value: Node, v: str) -> str:
        members = [self.shape(s, v) for s in self.items(value)]
        if any(m is None for m in members):
            raise Unsupported("sh:or over shapes with property shapes")
        return "(" + " || ".join(members) + ")"

    def shape(self, shape: Node, v: str) -> str | None:
        """A shape as one expression when it only judges the node itself (no property shapes)."""
        if (shape, SH.property, None) in self.shapes or (shape, SH.sparql, None) in self.shapes:
            return None
        parts = []
        for key, value in self.shapes.predicate_objects(shape):
            if key == SH.hasValue:
                parts.append(f"sameTerm(?{v}, {sparql_term(value)})")
                continue
            if key in NOT_ON_NODE_SHAPES:
                raise Unsupported(f"{key} on a node shape")
            condition = self.of(key, value, v)
            if condition is not None:
                parts.append(condition)
        return "(" + " && ".join(parts) + ")" if parts else "true"
