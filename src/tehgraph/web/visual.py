"""Pictures: a timeline of meetings, demands and stances; ministries × measures; form coverage.

Drawn on the server (SVG attributes and CSS classes, no inline style or script), so they work
under a strict Content-Security-Policy and without JavaScript.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from rdflib import URIRef

from ..gaps import gaps_for
from ..namespaces import ID, TEH
from .helpers import display, natural_key, state, table_download, wanted_format
from .i18n import current_language
from .saved import corpus_gaps

bp = Blueprint("visual", __name__, url_prefix="/pictures")

LANES = ("document", "meeting", "demand", "position")
WIDTH, LANE_HEIGHT, MARGIN = 900, 60, 110


@dataclass
class Event:
    iri: str
    kind: str
    date: datetime.date  # the first day of what `when` says
    when: str  # the date as the data gives it: 2014-11-07, 2014-11 or 2014
    actors: set
    objects: set
    x: float = 0.0
    y: float = 0.0


def timeline_events(actor: str | None, measure: str | None, demand: str | None) -> list[Event]:
    """Dated events, one per (resource, date), filtered by actor, measure or demand."""
    events: dict[tuple, Event] = {}
    for r in state().run("timeline").records():
        when = str(r["date"])[:10]
        day = first_day(when)
        if day is None:
            continue
        key = (str(r["event"]), when)
        event = events.setdefault(key, Event(str(r["event"]), str(r["kind"]), day, when, set(), set()))
        if "actor" in r:
            event.actors.add(str(r["actor"]))
        if "object" in r:
            event.objects.add(str(r["object"]))
    found = list(events.values())
    if actor:
        found = [e for e in found if actor in e.actors]
    if measure:
        found = [e for e in found if measure in e.objects]
    if demand:
        found = [e for e in found if demand == e.iri or demand in e.objects]
    return sorted(found, key=lambda e: (e.date, e.kind, e.when, e.iri))


def first_day(when: str) -> datetime.date | None:
    """The first day of an xsd:date, gYearMonth or gYear (2014-11-07, 2014-11, 2014)."""
    parts = when.split("-")
    try:
        numbers = [int(p) for p in parts[:3]] + [1] * (3 - min(3, len(parts)))
        return datetime.date(*numbers[:3])
    except ValueError:
        return None


@dataclass
class Cluster:
    """The events of one lane on one day: one mark, its size the number of events."""

    kind: str
    when: str
    events: list[Event]
    x: float = 0.0
    y: float = 0.0

    @property
    def anchor(self) -> str:
        return f"d-{self.kind}-{self.when}"

    @property
    def radius(self) -> float:
        return min(5 + 2.2 * (len(self.events) - 1) ** 0.5, 22)


def place(events: list[Event]) -> tuple[list[Cluster], list[tuple[int, float]]]:
    """Events clustered by (lane, day), placed: x by date, y by lane; and the year ticks (year, x)."""
    if not events:
        return [], []
    start = datetime.date(events[0].date.year, 1, 1)
    end = datetime.date(max(e.date for e in events).year + 1, 1, 1)
    scale = (WIDTH - MARGIN - 20) / (end - start).days
    clusters: dict[tuple, Cluster] = {}
    for e in events:
        cluster = clusters.setdefault((e.kind, e.when), Cluster(e.kind, e.when, []))
        cluster.events.append(e)
        e.x = cluster.x = MARGIN + (e.date - start).days * scale
        e.y = cluster.y = 30 + LANES.index(e.kind) * LANE_HEIGHT
    ticks = [
        (year, MARGIN + (datetime.date(year, 1, 1) - start).days * scale)
        for year in range(start.year, end.year + 1)
    ]
    return sorted(clusters.values(), key=lambda c: -len(c.events)), ticks


def chosen_kinds() -> tuple[str, ...]:
    """The lanes the page's form asks for (`kind=` repeated); every lane when none is."""
    asked = tuple(k for k in request.args.getlist("kind") if k in LANES)
    return asked or LANES


def chosen_years(events: list[Event]) -> tuple[int | None, int | None]:
    def year(name: str) -> int | None:
        value = request.args.get(name, "")
        return int(value) if value.isdigit() else None

    return year("from"), year("to")


def plan_iri(slug: str) -> str:
    iri = f"{ID}plan/{slug}"
    if str(TEH.ActionPlan) not in state().types.get(iri, set()):
        abort(404, description=f"no plan {slug!r}")
    return iri


def _filter_arg(name: str) -> str | None:
    value = request.args.get(name)
    return value if value and value.startswith(str(ID)) else None


@bp.get("/")
def index():
    return render_template("visual_index.html", plans=state().run("plans").records())


@bp.get("/timeline")
def timeline():
    actor, measure, demand = _filter_arg("actor"), _filter_arg("measure"), _filter_arg("demand")
    every = timeline_events(actor, measure, demand)
    kinds = chosen_kinds()
    first, last = chosen_years(every)
    events = [
        e
        for e in every
        if e.kind in kinds
        and (first is None or e.date.year >= first)
        and (last is None or e.date.year <= last)
    ]
    fmt = wanted_format()
    if fmt:
        lang = current_language()
        rows = [
            {"date": e.date.isoformat(), "kind": e.kind, "iri": e.iri, "label": state().label(e.iri, lang)}
            for e in events
        ]
        return table_download(["date", "kind", "iri", "label"], rows, fmt, "timeline")
    clusters, ticks = place(events)
    return render_template(
        "timeline.html",
        events=events,
        clusters=clusters,
        ticks=ticks,
        kinds=kinds,
        years=sorted({e.date.year for e in every}),
        chosen_years=(first, last),
        lanes=LANES,
        width=WIDTH,
        lane_height=LANE_HEIGHT,
        height=40 + len(LANES) * LANE_HEIGHT,
        filters={"actor": actor, "measure": measure, "demand": demand},
    )


@bp.get("/matrix/<slug>")
def matrix(slug: str):
    """Ministries (rows) × measures of the plan (columns): implementer or partner."""
    plan = plan_iri(slug)
    cells: dict[tuple[str, str], str] = {}
    numbers: dict[str, str] = {}
    for r in state().run("matrix", plan=plan).records():
        key = (str(r["ministry"]), str(r["measure"]))
        numbers[str(r["measure"])] = str(r.get("number", ""))
        if cells.get(key) != "implementer":
            cells[key] = str(r["role"])
    measures = sorted(numbers, key=lambda m: natural_key(numbers[m] or m))
    lang = current_language()
    totals: dict[str, int] = defaultdict(int)
    for ministry, _ in cells:
        totals[ministry] += 1
    ministries = sorted(totals, key=lambda m: (-totals[m], natural_key(state().label(m, lang))))
    fmt = wanted_format()
    if fmt:
        rows = [
            {"ministry": state().label(m, lang), **{numbers[x] or x: cells.get((m, x), "") for x in measures}}
            for m in ministries
        ]
        return table_download(["ministry", *[numbers[x] or x for x in measures]], rows, fmt, f"matrix-{slug}")
    return render_template(
        "matrix.html",
        plan=plan,
        measures=measures,
        numbers=numbers,
        ministries=ministries,
        cells=cells,
        totals=totals,
    )


@bp.get("/coverage/<slug>")
def coverage(slug: str):
    """Exploitation forms × sections of the plan: how many measures of the section name the form."""
    plan = plan_iri(slug)
    st = state()
    forms = [str(c) for (c,) in st.run("concepts", scheme=str(TEH.ExploitationForms)).rows]
    counts: dict[tuple[str, str], set] = defaultdict(set)
    sections: dict[str, set] = defaultdict(set)
    for r in st.run("coverage", plan=plan).records():
        section = str(r.get("section", ""))
        sections[section].add(str(r["measure"]))
        if "form" in r:
            counts[(section, str(r["form"]))].add(str(r["measure"]))
    lang = current_language()
    ordered = sorted(sections, key=lambda s: natural_key(st.label(s, lang) if s else "~"))
    used = [f for f in forms if any((s, f) in counts for s in ordered)]
    unused = [f for f in forms if f not in used]
    fmt = wanted_format()
    if fmt:
        rows = [
            {
                "section": st.label(s, lang) if s else "",
                "measures": len(sections[s]),
                **{display(URIRef(f)): len(counts.get((s, f), ())) for f in used},
            }
            for s in ordered
        ]
        return table_download(
            ["section", "measures", *[display(URIRef(f)) for f in used]], rows, fmt, f"coverage-{slug}"
        )
    behind = st.catalog.get("forms-by-section")  # the saved query with the same answer, and its gaps
    gaps = gaps_for(behind, {"plan": URIRef(plan)}, corpus_gaps()) if behind is not None else []
    return render_template(
        "coverage.html",
        plan=plan,
        gaps=gaps,
        cell_query="section-form-measures" if "section-form-measures" in st.catalog else None,
        sections=ordered,
        section_sizes=sections,
        forms=used,
        unused=unused,
        counts=counts,
    )
