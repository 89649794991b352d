"""The demand page answers « who asked this, since when, and what did the plans do with it? ».

A summary first (who asked, first and last statement, each plan's response with its verdict
and who judges it, or « no response recorded »), then the lineage: every statement in date order
(date, document, lines, speaker, addressee as stated or derived, quote), with each plan's
responses placed after the statements of the plan's first year. The CCEM's undated document
counts with its approximate date, flagged as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import FOAF

from ...namespaces import TEH
from ..provenance import provenance
from ..state import WebState
from .common import Response, responses


@dataclass
class Statement:
    ev: str
    date: str | None
    approx: bool
    doc: object = None
    start: object = None
    end: object = None
    quote: str | None = None
    speakers: list[str] = field(default_factory=list)
    addressees: list[tuple[str, str]] = field(default_factory=list)  # (actor, provenance kind)


@dataclass
class Hop:
    """The responses of one plan, between the statements before it and those after."""

    plan: str | None
    years: str
    responses: list[Response]


def statements(st: WebState, iri: str) -> list[Statement]:
    found: dict[str, Statement] = {}
    addressees: dict[tuple[str, str], set] = {}
    for r in st.run("demand-statements", s=iri).records():
        ev = str(r["ev"])
        statement = found.get(ev)
        if statement is None:
            statement = found[ev] = Statement(
                ev=ev,
                date=str(r["date"]) if "date" in r else None,
                approx=bool(r.get("approx") and r["approx"].toPython()),
                doc=r.get("doc"),
                start=r.get("start"),
                end=r.get("end"),
                quote=str(r["quote"]) if "quote" in r else None,
            )
        if "speaker" in r and str(r["speaker"]) not in statement.speakers:
            statement.speakers.append(str(r["speaker"]))
        if "addressee" in r:
            addressees.setdefault((ev, str(r["addressee"])), set()).add(r.get("ag"))
    for (ev, actor), graphs in addressees.items():
        found[ev].addressees.append((actor, provenance(graphs)))
    return sorted(found.values(), key=lambda s: (s.date or "9999", str(s.doc), int(s.start or 0)))


def lineage(found: list[Statement], answers: list[Response]) -> list[Statement | Hop]:
    """Statements in date order, each plan's responses after the statements of its first year."""
    hops: dict[str | None, Hop] = {}
    for response in answers:
        hops.setdefault(response.plan, Hop(response.plan, response.years, [])).responses.append(response)
    pending = sorted(hops.values(), key=lambda h: h.years or "9999")
    timeline: list[Statement | Hop] = []
    for statement in found:
        while pending and pending[0].years and statement.date and statement.date[:4] > pending[0].years[:4]:
            timeline.append(pending.pop(0))
        timeline.append(statement)
    return timeline + pending


def summary(st: WebState, iri: str, facts, found: list[Statement], answers: list[Response]) -> dict:
    """Who asked, to whom, first and last stated, and the response of each plan."""
    by: list[str] = []
    to: dict[str, set] = {}
    for p, o, g, *_ in facts.out:
        if p == TEH.demandedBy and str(o) not in by:
            by.append(str(o))
        elif p == TEH.addressedTo:
            to.setdefault(str(o), set()).add(g)
    people = str(FOAF.Person)
    by.sort(key=lambda a: people in st.classes_of(a))  # organisations first, then the persons
    dated = [s for s in found if s.date]
    return {
        "by": by,
        "to": [(actor, provenance(graphs)) for actor, graphs in to.items()],
        "first": dated[0] if dated else None,
        "last": dated[-1] if dated else None,
        "times": len(found),
        "years": len({s.date[:4] for s in dated}),
        "responses": answers,
        "per_statement_addressee": any(s.addressees for s in found),
    }


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    found = statements(st, iri)
    answers = responses(st, demand=iri)
    about = {str(o) for p, o, *_ in facts.out if p == TEH.about}
    measures = sorted(o for o in about if str(TEH.Measure) in st.classes_of(o))
    return [
        ("demand_summary", "section_demand_summary", summary(st, iri, facts, found, answers)),
        ("lineage", "section_lineage", lineage(found, answers)),
        ("measures", "section_measures_concerned", measures),
    ]
