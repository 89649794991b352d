"""Kind-specific sections of entity pages: what an analyst asks of a demand, a measure, an actor,
a meeting, a response. One module per kind; this registry says which classes get which sections.

Each section is (template, title key, data); the page shows those with data. A resource gets the
sections of every class it has (asserted types and their superclasses from the ontology).
Sections reuse what the page already fetched (`Facts`) and fetch the rest in one query each,
never one per item, so a page makes a bounded number of round trips whatever the data holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ...namespaces import FOAF, TEH
from ..state import WebState
from . import actor, demand, measure, meeting, plan, response

Section = tuple[str, str, object]


@dataclass
class Facts:
    """What the entity page already holds: its outgoing rows (p, o, g, bp, bo) and its evidence."""

    out: list[tuple] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


# class IRI -> section builder (st, iri, facts) -> sections
KINDS: dict[str, Callable[[WebState, str, Facts], list[Section]]] = {
    str(TEH.Demand): demand.sections,
    str(TEH.Measure): measure.sections,
    str(TEH.Actor): actor.sections,
    str(FOAF.Person): actor.sections,
    str(TEH.Meeting): meeting.sections,
    str(TEH.Response): response.sections,
    str(TEH.ActionPlan): plan.sections,
}
# Kinds whose own sections already show the stances taken on them.
STANCES_SHOWN = {str(TEH.Measure)}


def positions_on(st: WebState, iri: str) -> dict[str, list[dict]]:
    positions: dict[str, list[dict]] = defaultdict(list)
    for record in st.run("positions-on", s=iri).records():
        positions[str(record.get("by", ""))].append(record)
    return dict(positions)


def sections(st: WebState, iri: str, classes: set[str], facts: Facts) -> list[Section]:
    """The sections with data for this resource, plus the stances taken on it (any kind)."""
    found: list[Section] = []
    done = set()
    for cls, builder in KINDS.items():
        if cls in classes and builder not in done:
            done.add(builder)
            found.extend(builder(st, iri, facts))
    if not classes & STANCES_SHOWN:
        found.append(("positions", "section_positions", positions_on(st, iri)))
    return [section for section in found if section[2]]


def shows_evidence(classes: set[str]) -> bool:
    """Whether the kind sections print the resource's evidence (the demand's lineage, a response)."""
    return bool(classes & {str(TEH.Demand), str(TEH.Response)})
