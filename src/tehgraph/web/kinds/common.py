"""What several kinds of page share: dates of statements, responses grouped, corpus gaps.

A statement's date is its own, else its document's, else the document's approximate date (the
CCEM's observations print none: « vers 2020 »), so every statement has a place on a timeline.
Responses come from one query (responses.rq) with one row per piece of evidence; they are
grouped here into one `Response` each, with the kind of its verdict (asserted by a source, or an
editorial reading) read from the graph that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ...namespaces import TEH
from ..provenance import is_editorial, provenance
from ..state import WebState


@dataclass
class Response:
    iri: str
    demand: str
    answer: str | None
    plan: str | None
    years: str  # « 2014-2016 », or "" when the answer has no plan
    verdict: str | None
    judge: str | None
    kind: str  # provenance of the verdict: asserted or editorial
    rationale: dict[str, str] = field(default_factory=dict)  # lang -> text
    note: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[dict]] = field(default_factory=dict)  # role -> evidence records

    @property
    def editorial(self) -> bool:
        return self.kind in ("editorial", "derived-editorial")


def texts(values: dict[str, str], lang: str) -> str | None:
    """The text in the reader's language, else the other one."""
    return values.get(lang) or values.get("fr") or values.get("en") or next(iter(values.values()), None)


def responses(
    st: WebState, demand: str | None = None, answer: str | None = None, response: str | None = None
) -> list[Response]:
    """Responses to a demand, or answered in a measure or plan, or one response, in plan order."""
    if demand is not None:
        bound = {"via": TEH.respondsTo, "key": URIRef(demand)}
    elif answer is not None:
        bound = {"via": TEH.answeredIn, "key": URIRef(answer)}
    else:
        bound = {"via": TEH.respondsTo, "r": URIRef(response)}
    found: dict[str, Response] = {}
    seen: set[tuple] = set()
    for r in st.run("responses", **bound).records():
        iri = str(r["r"])
        response = found.get(iri)
        if response is None:
            start, end = r.get("start"), r.get("end")
            response = found[iri] = Response(
                iri=iri,
                demand=str(r["demand"]),
                answer=str(r["answer"]) if "answer" in r else None,
                plan=str(r["plan"]) if "plan" in r else None,
                years=f"{start}-{end}" if start is not None and end is not None else "",
                verdict=str(r["verdict"]) if "verdict" in r else None,
                judge=str(r["judge"]) if "judge" in r else None,
                kind="editorial" if is_editorial(r.get("g")) else provenance([r.get("g")]),
            )
        for key, target in (("rationale", response.rationale), ("note", response.note)):
            if key in r:
                target.setdefault(getattr(r[key], "language", None) or "", str(r[key]))
        if "ev" in r and (iri, str(r["ev"]), r["role"]) not in seen:
            seen.add((iri, str(r["ev"]), r["role"]))
            response.evidence.setdefault(str(r["role"]), []).append(
                {
                    "ev": r["ev"],
                    "quote": r.get("quote"),
                    "doc": r.get("doc"),
                    "start": r.get("lstart"),
                    "end": r.get("lend"),
                    "date": r.get("date"),
                }
            )
    return list(found.values())


def gaps_for(st: WebState, scopes: set[str], properties: set[str] | None = None) -> list[dict]:
    """The corpus gaps whose scope is one of `scopes` (and, if given, about one of `properties`):
    each {"gap": IRI, "note": {lang: text}}."""
    found: dict[str, dict] = {}
    for r in st.cached("corpus-gaps").records():
        if str(r["scope"]) in scopes and (properties is None or str(r["property"]) in properties):
            gap = found.setdefault(str(r["gap"]), {"gap": str(r["gap"]), "note": {}})
            if "note" in r:
                gap["note"][r["note"].language or ""] = str(r["note"])
    return list(found.values())


def gap_properties(st: WebState, scopes: set[str]) -> set[str]:
    """The properties the corpus does not give for resources of these scopes."""
    return {str(r["property"]) for r in st.cached("corpus-gaps").records() if str(r["scope"]) in scopes}
