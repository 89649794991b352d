"""The actor page answers « what did it say, about what, and what came of its demands? ».

Sections carry their counts and fold (the Collectif said several hundred things): what it said,
grouped by plan and by measure, filtered by kind and plan (`?kind=demand&plan=…`); its demands
with the verdict of each response; the measures it carries; its meetings, memberships and people.
Each list comes from one query, whatever its length.
"""

from __future__ import annotations

from collections import defaultdict

from flask import request

from ...namespaces import ID
from ..helpers import natural_key
from ..provenance import is_editorial, provenance
from ..state import WebState

KINDS = ("demand", "position", "assessment")


PER_PAGE = 50


def merged(rows: list[dict]) -> list[dict]:
    """One record per claim with the measures and plans it is about (the query gives a row per
    thing a claim is about: measures, plans, themes, instruments…), in order of first statement."""
    found: dict[str, dict] = {}
    for r in rows:
        claim = found.setdefault(str(r["claim"]), {**r, "measures": [], "plans": []})
        target, plan = r.get("target"), r.get("plan")
        if target is not None and target != plan and str(target) not in claim["measures"]:
            claim["measures"].append(str(target))
        if plan is not None and str(plan) not in claim["plans"]:
            claim["plans"].append(str(plan))
    return sorted(found.values(), key=lambda c: (str(c.get("first", "9999")), str(c["claim"])))


def said(st: WebState, claims: list[dict]) -> dict:
    """What it said: counts per measure of each plan, and the claims (filtered, a page at a time)."""
    args = request.args
    kind = args.get("kind") if args.get("kind") in KINDS else None
    plans = sorted({p for c in claims for p in c["plans"]})
    plan = args.get("plan") if args.get("plan") in plans or args.get("plan") == "none" else None
    measures = {m for c in claims for m in c["measures"]}
    measure = args.get("measure") if args.get("measure") in measures else None
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(KINDS, 0))
    )
    for c in claims:
        for m in c["measures"] or [""]:
            for p in c["plans"] or ["none"]:
                table[p][m][str(c["kind"])] += 1
    chosen = [
        c
        for c in claims
        if (not kind or str(c["kind"]) == kind)
        and (not plan or plan in c["plans"] or (plan == "none" and not c["plans"]))
        and (not measure or measure in c["measures"])
    ]
    pages = max(1, -(-len(chosen) // PER_PAGE))
    page = min(max(1, args.get("page", 1, type=int)), pages)
    return {
        "total": len(claims),
        "counts": {k: sum(1 for c in claims if str(c["kind"]) == k) for k in KINDS},
        "plans": plans,
        "kind": kind,
        "plan": plan,
        "measure": measure,
        "by_measure": [
            (p, sorted(ms.items(), key=lambda kv: natural_key(st.label(kv[0], "fr")) if kv[0] else ["~"]))
            for p, ms in sorted(table.items(), key=lambda kv: (kv[0] == "none", kv[0]))
        ],
        "claims": chosen[(page - 1) * PER_PAGE : page * PER_PAGE],
        "shown": len(chosen),
        "page": page,
        "pages": pages,
    }


def demands(st: WebState, iri: str, claims: list[dict]) -> list[dict]:
    """Its demands, each with how often and when it was stated and the responses' verdicts."""
    verdicts: dict[str, list[dict]] = defaultdict(list)
    for r in st.run("actor-verdicts", s=iri).records():
        years = f"{r['start']}-{r['end']}" if "start" in r and "end" in r else ""
        verdicts[str(r["demand"])].append({**r, "years": years, "editorial": is_editorial(r.get("g"))})
    once = {str(c["claim"]): c for c in claims if str(c["kind"]) == "demand"}
    rows = [{**c, "responses": verdicts.get(claim, [])} for claim, c in once.items()]
    return sorted(rows, key=lambda r: (str(r.get("first", "9999")), st.label(r["claim"], "fr")))


def measures(st: WebState, iri: str) -> list[tuple[str, str, str]]:
    graphs: dict[tuple[str, str], set] = defaultdict(set)
    for r in st.run("actor-measures", s=iri).records():
        graphs[(str(r["m"]), str(r["role"]))].add(r.get("g"))
    return sorted(((m, role, provenance(gs)) for (m, role), gs in graphs.items()), key=lambda x: x[1])


def relations(st: WebState, iri: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for record in st.run("actor-relations", s=iri).records():
        key = (str(record["kind"]), str(record["x"]), str(record.get("role", "")))
        if key not in seen and str(record["x"]).startswith(str(ID)):
            seen.add(key)
            found[str(record["kind"])].append(record)
    return dict(found)


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    claims = merged(st.run("actor-claims", s=iri).records())
    return [
        ("said", "section_said", said(st, claims) if claims else {}),
        ("actor_demands", "section_actor_demands", demands(st, iri, claims)),
        ("actor_measures", "section_actor_measures", measures(st, iri)),
        ("relations", "section_relations", relations(st, iri)),
    ]
