"""What the compiled engine understands of SHACL, and how a shape's parts are written in SPARQL.

Only the constraint components the project's shapes use are compiled; `supported()` says whether
a shapes graph stays inside them (engine.py then picks pySHACL when it does not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from ..oxterms import to_ox

Focus = Callable[[str], str]  # a SPARQL group pattern binding the given variable to focus nodes

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Shape predicates this engine understands; anything else in the sh: namespace means pySHACL.
UNDERSTOOD = {
    *TARGETS,
    SH.property,
    SH.path,
    SH.inversePath,  # only as a whole path: `supported` checks its form
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


def sparql_term(term: Node) -> str:
    """A term written for a SPARQL query (pyoxigraph's own N-Triples writer does the escaping)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(to_ox(term))
    raise Unsupported(f"blank node {term!r} as a constraint value")


def path_text(shapes: Graph, node: Node) -> str:
    """A sh:path as a SPARQL property path: an IRI or its inverse."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    inverse = shapes.value(node, SH.inversePath)
    if isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(node))) == 1:
        return f"^<{inverse}>"
    raise Unsupported(f"property path {node!r}")


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


def targeted_shapes(shapes: Graph) -> list[Node]:
    """The shapes that select focus nodes themselves (targets, or implicit class targets), in IRI order."""
    targeted = {s for p in TARGETS for s in shapes.subjects(p, None)}
    implicit = set(shapes.subjects(RDF.type, RDFS.Class)) & set(shapes.subjects(RDF.type, SH.NodeShape))
    return sorted(targeted | implicit, key=str)
