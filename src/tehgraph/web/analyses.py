"""`/views/…`: the analyses analysts asked for, each drawn from a saved query of queries/.

- `/views/responses/<plan>`: demands × measures of a plan, the response verdicts as cells
  (demand-responses), beside the demands with no response recorded and the measures no demand
  asked for (demands-without-response, measures-without-demand);
- `/views/stances`: stances over time per measure and per actor, changes of stance flagged
  (stances-over-time);
- `/views/plans`: the two plans side by side by theme, form of exploitation or target group:
  continued, no attested follow-up, new, with the CCEM's « déjà prévue » claims (plan-comparison);
- `/views/network`: who attends, who asks what of whom, filterable by year (actor-network).

Every page has CSV and JSON downloads of what it shows, and prints the corpus gaps that apply.
The saved queries run on the public store with their parameters bound, as on their own pages.
"""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, abort, render_template, request
from rdflib import URIRef

from ..namespaces import ID
from .helpers import natural_key, state, table_download, wanted_format
from .i18n import current_language
from .saved import run_page_query
from .visual import plan_iri

bp = Blueprint("analyses", __name__, url_prefix="/views")

VERDICT_ORDER = ("met", "partly-met", "not-met", "not-known")
DIMENSIONS = ("theme", "form", "target")
STATUSES = ("continued", "no-attested-follow-up", "follow-up", "new")


def run(slug: str, **params: str):
    saved = state().catalog.get(slug)
    if saved is None:
        abort(404, description=f"the saved query {slug!r} behind this view is missing")
    bindings, result, gaps = run_page_query(saved, {k: v for k, v in params.items() if v})
    return saved, result, gaps


def verdict_key(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def label_of(iri) -> str:
    return state().label(iri, current_language()) if iri is not None else ""


@bp.get("/")
def index():
    return render_template(
        "analyses_index.html",
        plans=[{k: str(v) for k, v in r.items()} for r in state().run("plans").records()],
    )


@bp.get("/responses/<slug>")
def responses(slug: str):
    """Demands (rows) × what answers them in the plan (columns): the verdicts as cells."""
    plan = plan_iri(slug)
    saved, result, gaps = run("demand-responses", plan=plan)
    cells: dict[tuple[str, str], list[dict]] = defaultdict(list)
    answers: dict[str, str] = {}
    for r in result.records():
        answer = str(r["answer"])
        answers[answer] = str(r["number"]) if "number" in r else label_of(r["answer"])
        cells[(str(r["demand"]), answer)].append(
            {
                "verdict": verdict_key(r["verdict"]),
                "verdict_iri": str(r["verdict"]),
                "judge": str(r.get("judge", "")),
                "editorial": bool(r["editorial"].toPython()) if "editorial" in r else False,
                "response": str(r["response"]),
            }
        )
    demands = sorted({d for d, _ in cells}, key=lambda d: natural_key(label_of(URIRef(d))))
    columns = sorted(
        answers, key=lambda a: natural_key(answers[a] if answers[a].isdigit() else "~" + answers[a])
    )
    _, unasked, _ = run("measures-without-demand", plan=plan)
    _, silent, _ = run("demands-without-response")
    fmt = wanted_format()
    if fmt:
        lang = current_language()
        rows = [
            {
                "demand": d,
                "demand_label": state().label(d, lang),
                **{answers[a]: " / ".join(c["verdict"] for c in cells.get((d, a), [])) for a in columns},
            }
            for d in demands
        ]
        return table_download(
            ["demand", "demand_label", *[answers[a] for a in columns]], rows, fmt, f"responses-{slug}"
        )
    return render_template(
        "analysis_responses.html",
        plan=plan,
        slug=slug,
        demands=demands,
        columns=columns,
        answers=answers,
        cells=cells,
        gaps=gaps,
        unasked=unasked.records(),
        silent=silent.records(),
        responses_total=len(result.rows),
    )


def flag_changes(records: list[dict]) -> list[dict]:
    """Each position with `previous` (the stances of the same actor on the same measure at the last
    earlier date) and `changed` (its stance is none of those)."""
    series: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        series[(str(r["measure"]), str(r["actor"]))].append(r)
    out = []
    for rows in series.values():
        by_date: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            by_date[str(r["date"])].add(str(r["stance"]))
        dates = sorted(by_date)
        for r in sorted(rows, key=lambda r: (str(r["date"]), str(r["position"]))):
            earlier = [d for d in dates if d < str(r["date"])]
            previous = by_date[earlier[-1]] if earlier else set()
            out.append(
                {
                    **r,
                    "previous": sorted(previous),
                    "changed": bool(previous) and str(r["stance"]) not in previous,
                }
            )
    return out


@bp.get("/stances")
def stances():
    actor, measure = _iri_arg("actor"), _iri_arg("measure")
    saved, result, gaps = run("stances-over-time", actor=actor, measure=measure)
    rows = flag_changes(result.records())
    rows.sort(key=lambda r: (natural_key(label_of(r["measure"])), label_of(r["actor"]), str(r["date"])))
    fmt = wanted_format()
    if fmt:
        lang = current_language()
        out = [
            {
                "measure": str(r["measure"]),
                "measure_label": state().label(r["measure"], lang),
                "actor": str(r["actor"]),
                "actor_label": state().label(r["actor"], lang),
                "date": str(r["date"]),
                "stance": str(r["stance"]),
                "stance_label": state().label(r["stance"], lang),
                "previous": " ".join(r["previous"]),
                "changed": r["changed"],
                "position": str(r["position"]),
            }
            for r in rows
        ]
        return table_download(list(out[0]) if out else ["measure"], out, fmt, "stances-over-time")
    everything = run("stances-over-time")[1].records() if (actor or measure) else result.records()
    return render_template(
        "analysis_stances.html",
        rows=rows,
        actors=_choices(everything, "actor"),
        measures=_choices(everything, "measure"),
        chosen={"actor": actor, "measure": measure},
        changes=sum(1 for r in rows if r["changed"]),
        series=len({(str(r["measure"]), str(r["actor"])) for r in rows}),
        gaps=gaps,
    )


@bp.get("/plans")
def plans():
    dimension = request.args.get("dimension", "theme")
    if dimension not in DIMENSIONS:
        abort(400, description=f"dimension must be one of {', '.join(DIMENSIONS)}")
    saved, result, gaps = run("plan-comparison", dimension=dimension)
    counts: dict[str, dict] = {}
    for r in result.records():
        concept = str(r.get("concept", ""))
        entry = counts.setdefault(
            concept, {"plans": defaultdict(set), "status": defaultdict(set), "claims": {}}
        )
        entry["plans"][str(r["plan"])].add(str(r["measure"]))
        entry["status"][str(r["status"])].add(str(r["measure"]))
        if "claim" in r:
            entry["claims"][str(r["measure"])] = str(r["claim"])
    plan_list = sorted({str(r["plan"]) for r in result.records()})
    order = sorted(counts, key=lambda c: natural_key(label_of(URIRef(c)) if c else "~"))
    fmt = wanted_format()
    if fmt:
        lang = current_language()
        rows = [
            {
                "concept": c,
                "concept_label": state().label(c, lang) if c else "",
                **{state().label(p, lang): len(counts[c]["plans"].get(p, ())) for p in plan_list},
                **{s: len(counts[c]["status"].get(s, ())) for s in STATUSES},
            }
            for c in order
        ]
        fields = ["concept", "concept_label", *[state().label(p, lang) for p in plan_list], *STATUSES]
        return table_download(fields, rows, fmt, f"plans-by-{dimension}")
    return render_template(
        "analysis_plans.html",
        dimension=dimension,
        dimensions=DIMENSIONS,
        concepts=order,
        counts=counts,
        plans=plan_list,
        statuses=STATUSES,
        gaps=gaps,
    )


@bp.get("/network")
def network():
    year = request.args.get("year") or None
    relation = request.args.get("relation") or None
    saved, result, gaps = run("actor-network")
    records = result.records()
    years = sorted({str(r["year"]) for r in records if "year" in r})
    relations = sorted({str(r["relation"]) for r in records})
    if year is not None and year not in years:
        abort(400, description=f"year must be one of {', '.join(years)}")
    if relation is not None and relation not in relations:
        abort(400, description=f"relation must be one of {', '.join(relations)}")
    shown = [
        r
        for r in records
        if (year is None or str(r.get("year")) == year)
        and (relation is None or str(r["relation"]) == relation)
    ]
    fmt = wanted_format()
    if fmt:
        lang = current_language()
        rows = [
            {
                "source": str(r["source"]),
                "source_label": state().label(r["source"], lang),
                "relation": str(r["relation"]),
                "target": str(r["target"]),
                "target_label": state().label(r["target"], lang),
                "year": str(r.get("year", "")),
                "links": int(r["links"]),
                "derived": bool(r["derived"].toPython()) if "derived" in r else False,
            }
            for r in shown
        ]
        return table_download(
            ["source", "source_label", "relation", "target", "target_label", "year", "links", "derived"],
            rows,
            fmt,
            "actor-network",
        )
    from .result_table import table

    picked = type(result)(
        result.kind, list(result.vars), [tuple(r.get(v) for v in result.vars) for r in shown]
    )
    return render_template(
        "analysis_network.html",
        table=table(saved, picked),
        years=years,
        relations=relations,
        chosen={"year": year, "relation": relation},
        edges=len(shown),
        nodes=len({str(r["source"]) for r in shown} | {str(r["target"]) for r in shown}),
        gaps=gaps,
    )


def _iri_arg(name: str) -> str | None:
    value = request.args.get(name)
    return value if value and value.startswith(str(ID)) else None


def _choices(records: list[dict], key: str) -> list[str]:
    return sorted({str(r[key]) for r in records}, key=lambda i: natural_key(label_of(URIRef(i))))
