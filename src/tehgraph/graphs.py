"""The kinds of named graph a build holds, in one registry: where a fact comes from.

A fact is asserted (a data or ontology file states it), editorial (a data/editorial-*.ttl file:
a reading the project's editors give, no source states it), derived (computed by a build rule,
rules/*.rq, from asserted facts: graph/derived, or graph/derived-editorial when the rule reads
editorial facts), inferred (OWL RL, graph/inferred), or part of the build's own description (the
shapes, the query catalog). Pages mark every kind but asserted with a badge and a legend; VoID,
the service description and `tehgraph stats` name the kind of each graph; the build refuses a data
file that would write into a graph the build computes. All of them read this table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from .namespaces import CATALOG_GRAPH, DERIVED_EDITORIAL_GRAPH, DERIVED_GRAPH, GRAPH, INFERRED_GRAPH

EDITORIAL_PREFIX = "editorial-"  # data/editorial-*.ttl: editorial readings, each in its own graph
ONTOLOGY_STEMS = ("ontology", "concepts", "reused-terms")
SHAPES_GRAPH = GRAPH["shapes"]


@dataclass(frozen=True)
class GraphKind:
    """One kind of named graph: what it holds, whether files state it, whether pages mark it."""

    name: str
    label: dict[str, str]
    description: dict[str, str]
    stated: bool  # a project file states its triples (as opposed to the build computing them)
    marked: bool  # pages badge a fact that only graphs of this kind hold
    graphs: tuple[URIRef, ...] = field(default=())  # its fixed graph names (none: named by file)


KINDS: dict[str, GraphKind] = {
    kind.name: kind
    for kind in (
        GraphKind(
            "asserted",
            {"fr": "affirmé", "en": "asserted"},
            {
                "fr": "Ce qu'une source dit, un fichier de données par document ou par sujet.",
                "en": "What a source says, one data file per document or topic.",
            },
            stated=True,
            marked=False,
        ),
        GraphKind(
            "editorial",
            {"fr": "lecture éditoriale", "en": "editorial reading"},
            {
                "fr": "Lecture des éditeurs du projet, qu'aucune source n'énonce (data/editorial-*.ttl).",
                "en": "A reading by the project's editors that no source states (data/editorial-*.ttl).",
            },
            stated=True,
            marked=True,
        ),
        GraphKind(
            "derived",
            {"fr": "dérivé", "en": "derived"},
            {
                "fr": "Calculé à la construction par une règle (rules/*.rq) à partir des faits affirmés.",
                "en": "Computed at build time by a rule (rules/*.rq) from the asserted facts.",
            },
            stated=False,
            marked=True,
            graphs=(DERIVED_GRAPH,),
        ),
        GraphKind(
            "derived-editorial",
            {"fr": "dérivé d'une lecture éditoriale", "en": "derived from an editorial reading"},
            {
                "fr": "Calculé à la construction par une règle à partir des lectures éditoriales.",
                "en": "Computed at build time by a rule from the editorial readings.",
            },
            stated=False,
            marked=True,
            graphs=(DERIVED_EDITORIAL_GRAPH,),
        ),
        GraphKind(
            "inferred",
            {"fr": "inféré", "en": "inferred"},
            {
                "fr": "Déduit par inférence OWL RL des faits affirmés et dérivés.",
                "en": "Entailed by OWL RL inference from the asserted and derived facts.",
            },
            stated=False,
            marked=True,
            graphs=(INFERRED_GRAPH,),
        ),
        GraphKind(
            "ontology",
            {"fr": "ontologie", "en": "ontology"},
            {
                "fr": "Le vocabulaire : classes, propriétés, schémas de concepts.",
                "en": "The vocabulary: classes, properties, concept schemes.",
            },
            stated=True,
            marked=False,
            graphs=tuple(GRAPH[stem] for stem in ONTOLOGY_STEMS),
        ),
        GraphKind(
            "shapes",
            {"fr": "formes SHACL", "en": "SHACL shapes"},
            {
                "fr": "Les contraintes que les données respectent (ontology/shapes.ttl).",
                "en": "The constraints the data conforms to (ontology/shapes.ttl).",
            },
            stated=True,
            marked=False,
            graphs=(SHAPES_GRAPH,),
        ),
        GraphKind(
            "catalog",
            {"fr": "requêtes enregistrées", "en": "saved queries"},
            {
                "fr": "Le catalogue des requêtes enregistrées (queries/*.rq).",
                "en": "The catalog of saved queries (queries/*.rq).",
            },
            stated=False,
            marked=False,
            graphs=(CATALOG_GRAPH,),
        ),
    )
}
# The graphs the build computes: no data file may be loaded into one of them.
BUILT_GRAPHS: frozenset[URIRef] = frozenset(g for k in KINDS.values() if not k.stated for g in k.graphs)
# What a page says first when several graphs hold a fact: a source's word wins over any reading.
PRECEDENCE = (
    "asserted",
    "ontology",
    "shapes",
    "catalog",
    "editorial",
    "derived",
    "derived-editorial",
    "inferred",
)
# The graphs that are not the sources' data: what `validate --endpoint` leaves out of a server's data.
NOT_ASSERTED: tuple[URIRef, ...] = (SHAPES_GRAPH, *sorted(BUILT_GRAPHS))
RULE_TARGETS = {"derived": DERIVED_GRAPH, "derived-editorial": DERIVED_EDITORIAL_GRAPH}


def kind_of(graph: URIRef | str) -> GraphKind:
    """The kind of a named graph (a data file's graph is asserted, or editorial by its name)."""
    iri = URIRef(str(graph))
    for kind in KINDS.values():
        if iri in kind.graphs:
            return kind
    if str(iri).startswith(str(GRAPH[EDITORIAL_PREFIX])):
        return KINDS["editorial"]
    return KINDS["asserted"]


def fact_kind(graphs: Iterable[URIRef | str]) -> GraphKind | None:
    """The kind a page marks a fact with, from the graphs holding it (None: no graph holds it)."""
    kinds = {kind_of(g).name for g in graphs}
    return next((KINDS[name] for name in PRECEDENCE if name in kinds), None)


def is_marked(graphs: Iterable[URIRef | str]) -> bool:
    """Whether a page marks the fact (it is not stated by a source's file)."""
    kind = fact_kind(graphs)
    return kind is not None and kind.marked
