"""SHACL validation compiled to SPARQL and run on pyoxigraph: the fast engine.

pySHACL walks every focus node in Python and re-parses each SPARQL-based constraint once per focus
node, so the real graph took ~37 s of CPU and 100k triples far more. Here each constraint of each
shape becomes one query over all focus nodes at once, returning only the violations — normally no
rows, so almost nothing crosses back into Python. What is compiled is listed in sparql_shapes.py;
tests/test_fast_engines.py proves both engines give the same results on the real graph and on
every shape fixture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .. import builtin
from ..binding import mask_syntax
from ..oxterms import store_of_triples, to_rdflib
from .sparql_conditions import Conditions
from .sparql_shapes import (
    COMPONENT,
    Focus,
    Result,
    Unsupported,
    is_ill_typed,
    path_text,
    sparql_term,
    supported,
    target_focus,
    targeted_shapes,
    values_of,
)

__all__ = ["Engine", "Unsupported", "ill_typed", "load_data", "run", "supported", "validate_sparql"]


@dataclass(frozen=True)
class Scope:
    """One property shape being checked: its path (node and SPARQL text), focus nodes and variables."""

    shape: Node
    path_node: Node
    path: str
    focus: Focus
    this: str
    v: str


@dataclass
class Engine:
    """One validation run: the shapes graph, the data in pyoxigraph, and the ill-typed literals."""

    shapes: Graph
    store: ox.Store
    ill_typed: set = field(default_factory=set)
    union: bool = False  # the default graph is the union of the store's named graphs
    counter: list = field(default_factory=lambda: [0])

    def __post_init__(self) -> None:
        self.conditions = Conditions(self.shapes, self.ill_typed)

    def var(self, stem: str) -> str:
        self.counter[0] += 1
        return f"{stem}{self.counter[0]}"

    def query(self, query: str):
        return self.store.query(query, use_default_graph_as_union=self.union)

    def select(self, query: str, names: list[str]) -> list[tuple]:
        rows = self.query(query)
        return [tuple(to_rdflib(row[n]) if row[n] is not None else None for n in names) for row in rows]

    # --- node shapes ----------------------------------------------------------------------------

    def validate_shape(self, shape: Node, focus: Focus) -> list[Result]:
        """Every result of `shape` on the focus nodes `focus` binds."""
        if (shape, SH.path, None) in self.shapes:
            return self.validate_property(shape, focus)
        results = []
        this = self.var("this")
        for key, value in self.shapes.predicate_objects(shape):
            check = NODE_CHECKS.get(key, Engine._node_condition)
            results += check(self, shape, key, value, focus, this)
        return results

    def _node_property(self, shape, key, value, focus, this) -> list[Result]:
        return self.validate_property(value, focus)

    def _node_sparql(self, shape, key, value, focus, this) -> list[Result]:
        return self.validate_sparql(shape, value, focus)

    def _node_node(self, shape, key, value, focus, this) -> list[Result]:
        return [
            Result(f, shape, SH.NodeConstraintComponent, value=f, constraint=value, details=d)
            for f, d in self.nested(value, focus).items()
        ]

    def _node_has_value(self, shape, key, value, focus, this) -> list[Result]:
        differs = f"FILTER(!sameTerm(?{this}, {sparql_term(value)}))"
        rows = self.select(f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} {differs} }}", [this])
        return [Result(r[0], shape, SH.HasValueConstraintComponent, value=r[0]) for r in rows]

    def _node_condition(self, shape, key, value, focus, this) -> list[Result]:
        condition = self.conditions.of(key, value, this)
        if condition is None:
            return []
        rows = self.select(f"SELECT DISTINCT ?{this} WHERE {{ {focus(this)} FILTER(!{condition}) }}", [this])
        return [Result(r[0], shape, COMPONENT[key], value=r[0], constraint=value) for r in rows]

    def nested(self, shape: Node, focus: Focus) -> dict[Node, tuple[Result, ...]]:
        """Nodes that do not conform to `shape` (sh:node), each with its results as details."""
        found: dict[Node, list[Result]] = {}
        for result in self.validate_shape(shape, focus):
            found.setdefault(result.focus, []).append(result)
        return {node: tuple(results) for node, results in found.items()}

    # --- property shapes ------------------------------------------------------------------------

    def validate_property(self, shape: Node, focus: Focus) -> list[Result]:
        path_node = self.shapes.value(shape, SH.path)
        scope = Scope(
            shape, path_node, path_text(self.shapes, path_node), focus, self.var("this"), self.var("v")
        )
        results: list[Result] = []
        for key, value in self.shapes.predicate_objects(shape):
            check = PROPERTY_CHECKS.get(key, Engine._value_condition)
            results += check(self, scope, key, value)
        return results

    def _focus_results(self, scope: Scope, component: URIRef, query: str) -> list[Result]:
        """A result of `component` for each focus node the query selects (its only column)."""
        rows = self.select(query, [scope.this])
        return [Result(r[0], scope.shape, component, scope.path_node) for r in rows]

    def _count(self, scope: Scope, key, value) -> list[Result]:
        s, this, v = scope, scope.this, scope.v
        if key == SH.minCount:
            query = (
                f"SELECT ?{this} WHERE {{ {s.focus(this)} OPTIONAL {{ ?{this} {s.path} ?{v} }} }} "
                f"GROUP BY ?{this} HAVING (COUNT(DISTINCT ?{v}) < {int(value)})"
            )
        else:
            query = (
                f"SELECT ?{this} WHERE {{ {s.focus(this)} ?{this} {s.path} ?{v} }} "
                f"GROUP BY ?{this} HAVING (COUNT(DISTINCT ?{v}) > {int(value)})"
            )
        return self._focus_results(s, COMPONENT[key], query)

    def _has_value(self, scope: Scope, key, value) -> list[Result]:
        s, this = scope, scope.this
        query = (
            f"SELECT DISTINCT ?{this} WHERE {{ {s.focus(this)} FILTER NOT EXISTS "
            f"{{ ?{this} {s.path} {sparql_term(value)} }} }}"
        )
        return self._focus_results(s, SH.HasValueConstraintComponent, query)

    def _unique_lang(self, scope: Scope, key, value) -> list[Result]:
        if value != Literal(True):
            return []
        s, this, v = scope, scope.this, scope.v
        query = (
            f"SELECT DISTINCT ?{this} WHERE {{ {s.focus(this)} ?{this} {s.path} ?{v} . "
            f'FILTER(lang(?{v}) != "") }} GROUP BY ?{this} (lang(?{v}) AS ?l) '
            f"HAVING (COUNT(DISTINCT ?{v}) > 1)"
        )
        return self._focus_results(s, SH.UniqueLangConstraintComponent, query)

    def _qualified(self, scope: Scope, key, value) -> list[Result]:
        return self.validate_qualified(scope.shape, value, scope.path_node, scope.focus)

    def _sparql_on_property(self, scope: Scope, key, value) -> list[Result]:
        raise Unsupported("sh:sparql on a property shape")

    def _node_values(self, scope: Scope, key, value) -> list[Result]:
        """sh:node on a property: values that do not conform to the nested shape."""
        s, this, v = scope, scope.this, scope.v
        nested = self.nested(value, values_of(s.focus, s.path, self.var("o")))
        if not nested:
            return []
        values = " ".join(sparql_term(f) for f in nested)
        pattern = f"{s.focus(this)} ?{this} {s.path} ?{v} VALUES ?{v} {{ {values} }}"
        rows = self.select(f"SELECT DISTINCT ?{this} ?{v} WHERE {{ {pattern} }}", [this, v])
        return [
            Result(r[0], s.shape, SH.NodeConstraintComponent, s.path_node, r[1], value, details=nested[r[1]])
            for r in rows
        ]

    def _value_condition(self, scope: Scope, key, value) -> list[Result]:
        s, this, v = scope, scope.this, scope.v
        condition = self.conditions.of(key, value, v)
        if condition is None:
            return []
        pattern = f"{s.focus(this)} ?{this} {s.path} ?{v} FILTER(!{condition})"
        rows = self.select(f"SELECT DISTINCT ?{this} ?{v} WHERE {{ {pattern} }}", [this, v])
        return [Result(r[0], s.shape, COMPONENT[key], s.path_node, r[1], value) for r in rows]

    def validate_qualified(self, shape: Node, qualified: Node, path_node: Node, focus: Focus) -> list[Result]:
        path = path_text(self.shapes, path_node)
        this, v = self.var("this"), self.var("v")
        condition = self.conditions.shape(qualified, v)
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

    # --- SPARQL-based constraints ---------------------------------------------------------------

    def validate_sparql(self, shape: Node, constraint: Node, focus: Focus) -> list[Result]:
        """A SPARQL-based constraint, run once for all focus nodes instead of once per node."""
        if (constraint, SH.deactivated, None) in self.shapes:
            raise Unsupported("deactivated SPARQL constraint")
        text = str(self.shapes.value(constraint, SH.select))
        if re.search(r"\$(?!this\b)\w+", text):
            raise Unsupported("SPARQL constraint with pre-bound variables other than $this")
        select = text.replace("$this", "?this")
        names = re.findall(r"[?$](\w+)", mask_syntax(select).split("WHERE", 1)[0])
        if "this" not in names:
            raise Unsupported("SPARQL constraint that does not select $this")
        where = prebound(select, focus("this"))
        query = f"{self.prologue(constraint)}SELECT DISTINCT * WHERE {{ {{ {where} }} }}"
        results = []
        for row in self.query(query):
            values = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
            focus_node = values["this"]
            value = values.get("value", focus_node)
            bindings = tuple(values.items())
            results.append(
                Result(
                    focus_node,
                    shape,
                    SH.SPARQLConstraintComponent,
                    values.get("path"),
                    value,
                    constraint,
                    bindings,
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


def prebound(select: str, focus: str) -> str:
    """The constraint's SELECT with the focus nodes bound first inside its WHERE group: $this is
    pre-bound as SHACL says, so a WHERE made only of FILTERs on $this sees every focus node."""
    masked = mask_syntax(select)
    where = re.search(r"\bWHERE\s*\{", masked, re.IGNORECASE)
    brace = where.end() - 1 if where else masked.find("{")
    if brace < 0:
        raise Unsupported("SPARQL constraint without a WHERE group")
    return f"{select[: brace + 1]} {focus} {select[brace + 1 :]}"


# Constraints of a node shape with their own check; every other one is a value condition.
NODE_CHECKS = {
    SH.property: Engine._node_property,
    SH.sparql: Engine._node_sparql,
    SH.node: Engine._node_node,
    SH.hasValue: Engine._node_has_value,
}
# Constraints of a property shape with their own check; every other one is a value condition.
PROPERTY_CHECKS = {
    SH.minCount: Engine._count,
    SH.maxCount: Engine._count,
    SH.hasValue: Engine._has_value,
    SH.uniqueLang: Engine._unique_lang,
    SH.qualifiedValueShape: Engine._qualified,
    SH.sparql: Engine._sparql_on_property,
    SH.node: Engine._node_values,
}


def load_data(data: Graph) -> tuple[ox.Store, set[Literal]]:
    """The data in pyoxigraph, and its ill-typed literals, in one pass over the triples."""
    ill_typed: set[Literal] = set()
    return store_of_triples(data, ill_typed_collector(ill_typed)), ill_typed


def ill_typed_collector(found: set[Literal]):
    """A literal inspector (oxterms converters call it) that keeps the ill-typed ones in `found`."""

    def inspect(literal: Literal) -> None:
        if literal.datatype is not None and is_ill_typed(literal):
            found.add(literal)

    return inspect


def ill_typed(store: ox.Store, union: bool = False) -> set[Literal]:
    """The literals of the store whose lexical form does not parse as their datatype (one query)."""
    query = builtin.sparql("ill-typed-literals")
    rows = store.query(query, use_default_graph_as_union=union)
    # as written, not normalised by rdflib: the engine matches them with sameTerm
    return {Literal(r["o"].value, datatype=URIRef(r["o"].datatype.value), normalize=False) for r in rows}


def run(store: ox.Store, ill_typed: set[Literal], shapes: Graph, union: bool = False) -> list[Result]:
    """Every result of validating `store` (its default graph, or with `union` the union of its
    named graphs) against `supported()` shapes."""
    engine = Engine(shapes, store, ill_typed, union)
    results: list[Result] = []
    for shape in targeted_shapes(shapes):
        focus = target_focus(shapes, shape)
        if focus is not None:
            results += engine.validate_shape(shape, focus)
    return results


def validate_sparql(data: Graph, shapes: Graph) -> list[Result]:
    """Every result of validating `data` against `shapes` (raises Unsupported when it cannot)."""
    if not supported(shapes):
        raise Unsupported("shapes use SHACL features outside the compiled subset")
    return run(*load_data(data), shapes)
