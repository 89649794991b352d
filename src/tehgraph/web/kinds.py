"""Kind-specific sections of entity pages: what an analyst asks of a measure, an actor, a demand.

Each section is (template, title key, data); the page shows those with data. Which sections a
resource gets depends on its classes (asserted types and their superclasses from the ontology).
"""

from __future__ import annotations

from collections import defaultdict

from ..namespaces import FOAF, TEH
from .state import WebState


def _measure(st: WebState, iri: str) -> list[tuple[str, str, object]]:
    assessments = st.run("measure-assessments", s=iri).records()
    for record in assessments:
        record["evidence"] = st.run("evidence", s=str(record["a"])).records()
    followups = st.run("measure-followups", s=iri).records()
    return [
        ("assessments", "section_assessments", assessments),
        ("demands", "section_demands_about", st.run("measure-demands", s=iri).records()),
        ("followups", "section_followups", followups),
    ]


def _actor(st: WebState, iri: str) -> list[tuple[str, str, object]]:
    relations: dict[str, list[dict]] = defaultdict(list)
    for record in st.run("actor-relations", s=iri).records():
        relations[str(record["kind"])].append(record)
    return [
        ("relations", "section_relations", dict(relations)),
        ("statements", "section_statements", st.run("actor-statements", s=iri).records()),
    ]


def _demand(st: WebState, iri: str) -> list[tuple[str, str, object]]:
    about = [r for r in st.run("entity-out", s=iri).records() if str(r["p"]) == str(TEH.about)]
    measures = sorted({str(r["o"]) for r in about if str(TEH.Measure) in _closure(st, str(r["o"]))})
    return [
        ("timeline", "section_timeline", st.run("demand-timeline", s=iri).records()),
        ("measures", "section_measures_concerned", measures),
    ]


def _closure(st: WebState, iri: str) -> set[str]:
    found: set[str] = set()
    for t in st.types.get(iri, ()):
        found |= st.ontology.superclasses(t)
    return found


# class IRI -> section builder; a resource gets the sections of every class it has.
KINDS = {
    str(TEH.Measure): _measure,
    str(TEH.Actor): _actor,
    str(FOAF.Person): _actor,
    str(TEH.Demand): _demand,
}


def sections(st: WebState, iri: str, classes: set[str]) -> list[tuple[str, str, object]]:
    """The sections with data for this resource, plus the stances taken on it (any kind)."""
    found: list[tuple[str, str, object]] = []
    done = set()
    for cls, builder in KINDS.items():
        if cls in classes and builder not in done:
            done.add(builder)
            found.extend(builder(st, iri))
    positions: dict[str, list[dict]] = defaultdict(list)
    for record in st.run("positions-on", s=iri).records():
        positions[str(record.get("by", ""))].append(record)
    found.append(("positions", "section_positions", dict(positions)))
    return [section for section in found if section[2]]
