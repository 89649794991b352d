"""Where a fact shown on a page comes from, read from the named graph that holds it.

Asserted facts are in a source's graph (one per data file). Others are marked with a badge and
explained in a legend at the foot of the page: facts computed by OWL RL (graph/inferred), by the
build's rules (graph/derived: e.g. an addressee taken from a measure's implementer box,
`teh:answeredBy` from responses), by rules from editorial readings (graph/derived-editorial), and
the editors' own readings (graph/editorial-*), which come with their rationale. A fact an asserted
graph also holds is asserted: the source says it, whatever else derives it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..namespaces import GRAPH

ASSERTED = "asserted"
# kind -> test on a graph IRI, in the order a fact held by several graphs is reported
MARKED = {
    "editorial": lambda g: g.startswith(str(GRAPH) + "editorial-"),
    "derived-editorial": lambda g: g == str(GRAPH["derived-editorial"]),
    "derived": lambda g: g == str(GRAPH["derived"]),
    "inferred": lambda g: g == str(GRAPH["inferred"]),
}


def kind_of_graph(graph) -> str:
    name = str(graph) if graph is not None else ""
    return next((kind for kind, test in MARKED.items() if test(name)), ASSERTED)


def provenance(graphs: Iterable) -> str:
    """The kind of a fact held by these graphs: asserted when any source graph holds it."""
    kinds = {kind_of_graph(g) for g in graphs if g is not None}
    if not kinds or ASSERTED in kinds:
        return ASSERTED
    return next(kind for kind in MARKED if kind in kinds)


def is_editorial(graph) -> bool:
    return kind_of_graph(graph) in ("editorial", "derived-editorial")
