"""The one model of the ontology, read once from the store: terms, classes, properties, schemes, shapes.

Navigation (class lists, facets, entity pages grouping properties by domain) and the documentation
at /ontology both read this model, built from ontology/*.ttl as loaded in the build (named graphs
graph/ontology, graph/concepts, graph/shapes), so neither can disagree with the terms the data
uses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from . import builtin
from .namespaces import ONTOLOGY_IRI, shorten
from .stores.base import Store

PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _texts(values: list) -> dict[str, str]:
    """Literals by language tag ('' for none), first one kept per language."""
    texts: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            texts.setdefault(value.language or "", str(value))
    return texts


@dataclass
class Term:
    """One documented term: its IRI, labels and comments by language, and its relations."""

    iri: URIRef
    statements: dict[URIRef, list] = field(default_factory=dict)

    @property
    def curie(self) -> str:
        return shorten(str(self.iri))

    @property
    def anchor(self) -> str:
        """The fragment the term's IRI has in the ontology namespace (teh:Actor → Actor)."""
        return str(self.iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def values(self, predicate: URIRef) -> list:
        return sorted(self.statements.get(predicate, []), key=str)

    @property
    def labels(self) -> dict[str, str]:
        return _texts(self.statements.get(SKOS.prefLabel, []) + self.statements.get(RDFS.label, []))

    @property
    def comments(self) -> dict[str, str]:
        return _texts(self.statements.get(RDFS.comment, []) + self.statements.get(SKOS.definition, []))

    @property
    def supers(self) -> list[URIRef]:
        return [v for v in self.values(RDFS.subClassOf) if isinstance(v, URIRef)]

    @property
    def domains(self) -> list[URIRef]:
        return [v for v in self.values(RDFS.domain) if isinstance(v, URIRef)]

    @property
    def ranges(self) -> list[URIRef]:
        return [v for v in self.values(RDFS.range) if isinstance(v, URIRef)]

    @property
    def kinds(self) -> list[URIRef]:
        return self.values(RDF.type)

    @property
    def version(self) -> str | None:
        versions = self.values(OWL.versionInfo)
        return str(versions[0]) if versions else None

    def label(self, lang: str) -> str:
        labels = self.labels
        return labels.get(lang) or labels.get("fr") or labels.get("en") or self.anchor


@dataclass
class Scheme:
    term: Term
    concepts: list[Term] = field(default_factory=list)


@dataclass
class Constraint:
    """A property shape or SPARQL constraint of a node shape."""

    node: URIRef | BNode
    path: URIRef | None
    message: dict[str, str]

    @property
    def name(self) -> str | None:
        return shorten(str(self.node)) if isinstance(self.node, URIRef) else None


@dataclass
class Shape:
    iri: URIRef | BNode
    kind: URIRef
    targets: list[URIRef] = field(default_factory=list)
    path: URIRef | None = None
    message: dict[str, str] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def curie(self) -> str:
        return shorten(str(self.iri))


@dataclass
class Ontology:
    """Every named term of graph/ontology and graph/concepts, and the views pages need of them.

    Class and property views are keyed by IRI text, as pages and templates compare them.
    """

    terms: dict[URIRef, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        subclass_only = [t for t in self.terms.values() if RDFS.subClassOf in t.statements]
        self.classes: dict[str, Term] = {str(t.iri): t for t in [*self.typed(OWL.Class), *subclass_only]}
        self.properties: dict[str, Term] = {str(t.iri): t for t in self.typed(*PROPERTY_KINDS)}

    def typed(self, *types: URIRef) -> list[Term]:
        return [t for t in self.terms.values() if set(t.statements.get(RDF.type, ())) & set(types)]

    def superclasses(self, iri: str) -> set[str]:
        """All superclasses of a class (transitively, OWL's own left out), the class itself included."""
        seen, todo = set(), [iri]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            term = self.classes.get(current)
            todo.extend(str(s) for s in (term.supers if term else ()) if not str(s).startswith(str(OWL)))
        return seen

    def subclasses(self, iri: str) -> list[str]:
        return sorted(c for c in self.classes if c != iri and iri in self.superclasses(c))

    def is_datatype_property(self, iri: str) -> bool:
        term = self.properties.get(iri)
        return term is not None and OWL.DatatypeProperty in term.kinds

    def domains(self, iri: str) -> list[str]:
        term = self.properties.get(iri)
        return sorted(str(d) for d in term.domains) if term else []


def read_ontology(store: Store) -> Ontology:
    """Every named term of graph/ontology and graph/concepts with all its statements (one query)."""
    statements: dict[URIRef, dict] = defaultdict(lambda: defaultdict(list))
    for term, predicate, value in store.query(builtin.sparql("ontology-terms")).rows:
        statements[term][predicate].append(value)
    return Ontology({iri: Term(iri, dict(preds)) for iri, preds in statements.items()})


@dataclass
class OntologyDoc:
    ontology: Term
    classes: list[Term]
    properties: list[Term]
    schemes: list[Scheme]
    shapes: list[Shape]


def read_shapes(store: Store) -> list[Shape]:
    """Shapes with targets, paths, messages and their constraints, named shapes first."""
    shapes: dict = {}
    for node, kind, target, path, message in store.query(builtin.sparql("ontology-shapes")).rows:
        shape = shapes.setdefault(node, Shape(node, kind))
        if target is not None and target not in shape.targets:
            shape.targets.append(target)
        shape.path = path if isinstance(path, URIRef) else shape.path
        if isinstance(message, Literal):
            shape.message.setdefault(message.language or "", str(message))
    constraints: dict = {}
    for node, constraint, path, message in store.query(builtin.sparql("ontology-shape-constraints")).rows:
        entry = constraints.setdefault((node, constraint), Constraint(constraint, None, {}))
        entry.path = path if isinstance(path, URIRef) else entry.path
        if isinstance(message, Literal):
            entry.message.setdefault(message.language or "", str(message))
    for (node, _), constraint in constraints.items():
        if node in shapes:
            shapes[node].constraints.append(constraint)
    for shape in shapes.values():
        shape.constraints.sort(key=lambda c: (str(c.path or ""), str(c.node)))
        shape.targets.sort()
    named = [s for s in shapes.values() if isinstance(s.iri, URIRef)]
    return sorted(named, key=lambda s: (s.kind != SH.NodeShape, str(s.iri)))


def document_ontology(ontology: Ontology, store: Store) -> OntologyDoc:
    """The documentation of the ontology, ordered for reading (by English label, then IRI)."""

    def by_label(term: Term) -> tuple:
        return (term.label("en").lower(), str(term.iri))

    schemes = []
    concepts = ontology.typed(SKOS.Concept)
    for scheme in sorted(ontology.typed(SKOS.ConceptScheme), key=by_label):
        members = [t for t in concepts if scheme.iri in t.statements.get(SKOS.inScheme, ())]
        schemes.append(Scheme(scheme, sorted(members, key=by_label)))
    own = ontology.terms.get(URIRef(ONTOLOGY_IRI), Term(URIRef(ONTOLOGY_IRI)))
    return OntologyDoc(
        own,
        sorted(ontology.classes.values(), key=by_label),
        sorted(ontology.properties.values(), key=by_label),
        schemes,
        read_shapes(store),
    )
