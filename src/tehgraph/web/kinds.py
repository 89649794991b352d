"""Kind-specific sections of entity pages: what an analyst asks of a measure, an actor, a demand.

Each section is (template, title key, data); the page shows those with data. Which sections a
resource gets depends on its classes (asserted types and their superclasses from the ontology).
Sections reuse what the page already fetched (`Facts`) and fetch the rest in one query each,
never one per item, so a page makes a bounded number of round trips whatever the data holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import FOAF, TEH
from .state import WebState

Section = tuple[str, str, object]
ASSESSMENT = ("a", "by", "status", "date", "description")
# measure-assessments.rq column -> evidence record key (evidence.rq's names)
EVIDENCE = {"ev": "ev", "quote": "quote", "doc": "doc", "start": "start", "end": "end", "evdate": "date"}


@dataclass
class Facts:
    """What the entity page already holds: its outgoing rows (p, o, g, bp, bo) and its evidence."""

    out: list[tuple] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


def _measure(st: WebState, iri: str, facts: Facts) -> list[Section]:
    return [
        ("assessments", "section_assessments", assessments(st, iri)),
        ("demands", "section_demands_about", st.run("measure-demands", s=iri).records()),
        ("followups", "section_followups", st.run("measure-followups", s=iri).records()),
    ]


def assessments(st: WebState, iri: str) -> list[dict]:
    """The assessments of a measure, each with its evidence, from one query."""
    found: dict[tuple, dict] = {}
    for record in st.run("measure-assessments", s=iri).records():
        key = tuple(record.get(k) for k in ASSESSMENT)
        entry = found.setdefault(key, {**{k: record[k] for k in ASSESSMENT if k in record}, "evidence": []})
        if "ev" in record:
            entry["evidence"].append({new: record[old] for old, new in EVIDENCE.items() if old in record})
    return list(found.values())


def _actor(st: WebState, iri: str, facts: Facts) -> list[Section]:
    relations: dict[str, list[dict]] = defaultdict(list)
    for record in st.run("actor-relations", s=iri).records():
        relations[str(record["kind"])].append(record)
    return [
        ("relations", "section_relations", dict(relations)),
        ("statements", "section_statements", st.run("actor-statements", s=iri).records()),
    ]


def _demand(st: WebState, iri: str, facts: Facts) -> list[Section]:
    about = {str(o) for p, o, *_ in facts.out if p == TEH.about}
    measures = sorted(o for o in about if str(TEH.Measure) in st.classes_of(o))
    return [
        ("timeline", "section_timeline", facts.evidence),  # every time it was stated, in date order
        ("measures", "section_measures_concerned", measures),
    ]


# class IRI -> section builder; a resource gets the sections of every class it has.
KINDS = {
    str(TEH.Measure): _measure,
    str(TEH.Actor): _actor,
    str(FOAF.Person): _actor,
    str(TEH.Demand): _demand,
}


def sections(st: WebState, iri: str, classes: set[str], facts: Facts) -> list[Section]:
    """The sections with data for this resource, plus the stances taken on it (any kind)."""
    found: list[Section] = []
    done = set()
    for cls, builder in KINDS.items():
        if cls in classes and builder not in done:
            done.add(builder)
            found.extend(builder(st, iri, facts))
    positions: dict[str, list[dict]] = defaultdict(list)
    for record in st.run("positions-on", s=iri).records():
        positions[str(record.get("by", ""))].append(record)
    found.append(("positions", "section_positions", dict(positions)))
    return [section for section in found if section[2]]
