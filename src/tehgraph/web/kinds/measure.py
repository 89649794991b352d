"""The measure page answers « who carries it, on what legal basis, and what did each actor make of it? ».

Who carries it (implementers, partners: or the corpus gap that says no source gives them), its
instruments (the printed words of the plan's box and the instruments linked to them, planned ones
marked, the editors' notes on judgement calls), every actor's assessment side by side with the
plan's own words, the demands about it and the responses it gives, stances over time, and the
same measure in the other plans.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib.namespace import DCTERMS, SKOS

from ...namespaces import TEH
from ..provenance import provenance
from ..state import WebState
from .common import gaps_for, responses

# measure-assessments.rq column -> evidence record key (evidence.rq's names)
ASSESSMENT = ("a", "by", "status", "date", "approx", "description")
EVIDENCE = {"ev": "ev", "quote": "quote", "doc": "doc", "start": "start", "end": "end", "evdate": "date"}
CARRIERS = {"implementers": TEH.implementedBy, "partners": TEH.partner}
PLAN_WORDS = (DCTERMS.title, TEH.summary, TEH.implementationText, TEH.partnersText)


def assessments(st: WebState, iri: str) -> list[dict]:
    """The assessments of a measure, each with its evidence, from one query."""
    found: dict[tuple, dict] = {}
    for record in st.run("measure-assessments", s=iri).records():
        key = tuple(record.get(k) for k in ASSESSMENT)
        entry = found.setdefault(key, {**{k: record[k] for k in ASSESSMENT if k in record}, "evidence": []})
        if "ev" in record:
            entry["evidence"].append({new: record[old] for old, new in EVIDENCE.items() if old in record})
    return list(found.values())


def _values(facts, prop) -> dict[str, set]:
    found: dict[str, set] = {}
    for p, o, g, *_ in facts.out:
        if p == prop:
            found.setdefault(str(o), set()).add(g)
    return found


def carriers(st: WebState, facts) -> dict:
    """Implementers and partners with their provenance, and the gaps that explain an empty box."""
    plans = set(_values(facts, TEH.inPlan))
    found = {
        name: [(x, provenance(gs)) for x, gs in _values(facts, prop).items()]
        for name, prop in CARRIERS.items()
    }
    texts = {
        name: [str(o) for o in _values(facts, prop)]
        for name, prop in (("implementers_text", TEH.implementationText), ("partners_text", TEH.partnersText))
    }
    gaps = gaps_for(st, plans, {str(TEH.implementedBy), str(TEH.partner)})
    return {**found, **texts, "gaps": gaps}


def instruments(st: WebState, iri: str, facts) -> dict:
    linked, printed = [], []
    for r in st.run("measure-instruments", s=iri).records():
        if r["kind"].toPython() == "linked":
            linked.append((str(r["x"]), bool(r["planned"].toPython())))
        elif "text" in r:
            printed.append(str(r["text"]))
    notes = [o for p, o, *_ in facts.out if p == SKOS.note]
    return (
        {"linked": sorted(linked), "printed": printed, "notes": notes} if linked or printed or notes else {}
    )


def side_by_side(st: WebState, iri: str, facts) -> dict:
    """The plan's own words beside every actor's assessment, in date order."""
    words = [(str(p), o) for p, o, *_ in facts.out if p in PLAN_WORDS]
    return {"plan_words": words, "assessments": assessments(st, iri)}


def demands(st: WebState, iri: str) -> dict:
    """Responses this measure gives, and the demands about it that no response of it answers."""
    answers = responses(st, answer=iri)
    answered = {r.demand for r in answers}
    asked = [d for d in st.run("measure-demands", s=iri).records() if str(d["d"]) not in answered]
    return {"responses": answers, "unanswered": asked} if answers or asked else {}


def stances(st: WebState, iri: str) -> list[dict]:
    return sorted(st.run("positions-on", s=iri).records(), key=lambda r: str(r.get("date", "9999")))


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    followups = defaultdict(list)
    for r in st.run("measure-followups", s=iri).records():
        followups[str(r["direction"])].append(str(r["m"]))
    return [
        ("carriers", "section_carriers", carriers(st, facts)),
        ("instruments", "section_instruments", instruments(st, iri, facts)),
        ("assessments", "section_assessments", side_by_side(st, iri, facts)),
        ("measure_demands", "section_demands_about", demands(st, iri)),
        ("stances", "section_stances", stances(st, iri)),
        ("followups", "section_followups", dict(followups)),
    ]
