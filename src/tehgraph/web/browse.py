"""Browse by class: counts, facets, sorting, pages, and every list as CSV or JSON.

Facets are declared per class in facets.json (a data file); their values are read with one query
each (queries/facet.rq with the facet's property path) and counted here, which is plenty for a
graph of thousands of triples.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

from flask import Blueprint, abort, render_template, request
from rdflib import URIRef

from .. import builtin
from ..errors import ParameterError
from ..namespaces import expand, shorten
from .helpers import display, natural_key, state, table_download, wanted_format
from .home import class_counts
from .i18n import current_language, translate

bp = Blueprint("browse", __name__, url_prefix="/browse")

_SPEC = json.loads((Path(__file__).parent / "facets.json").read_text("utf-8"))
FACETS: dict[str, list[dict]] = {k: v for k, v in _SPEC.items() if not k.startswith("_")}
DEFAULT_SORT: dict[str, str] = _SPEC.get("_default_sort", {})
_PATH = re.compile(r"^\^?[a-z]+:[A-Za-z]+(?:[/|]\^?[a-z]+:[A-Za-z]+)*$")


def facets_for(class_iri: str) -> list[dict]:
    """The facets of the class, or of a superclass that has some (Ministry gets Actor's)."""
    st = state()
    for candidate in [class_iri, *sorted(st.ontology.superclasses(class_iri) - {class_iri})]:
        if shorten(candidate) in FACETS:
            return FACETS[shorten(candidate)]
    return []


def facet_values(class_iri: str, facet: dict) -> dict[str, list]:
    """Item IRI -> values of one facet (terms, or one count, or the most specific type)."""
    st = state()
    if facet.get("kind"):
        return {
            str(i): [t]
            for (i,) in st.cached("instances", **{"class": class_iri}).rows
            if (t := st.most_specific_type(i))
        }
    if not _PATH.match(facet["path"]):
        raise ValueError(f"facets.json: not a simple property path: {facet['path']!r}")
    query = builtin.sparql("facet").replace("{path}", facet["path"])
    found = st.cache.get(
        ("facet", class_iri, facet["path"]), lambda: st.trusted.query(query, {"class": URIRef(class_iri)})
    )
    values: dict[str, list] = {}
    for item, value in found.rows:
        values.setdefault(str(item), []).append(value)
    if facet.get("count"):
        return {item: [str(len(set(vals)))] for item, vals in values.items()}
    return values


def build_listing(class_iri: str, filters: dict[str, str]) -> tuple[list[dict], list[dict], dict]:
    """(facets, rows, facet counts): rows filtered by `filters` (facet key -> value as text)."""
    st, lang = state(), current_language()
    facets = facets_for(class_iri)
    items = [str(i) for (i,) in st.cached("instances", **{"class": class_iri}).rows]
    values = {f["key"]: facet_values(class_iri, f) for f in facets}
    rows = []
    for item in items:
        row = {"iri": item, "label": st.label(item, lang), "values": {}}
        for f in facets:
            terms = sorted(set(values[f["key"]].get(item, [])), key=lambda t: natural_key(display(t)))
            row["values"][f["key"]] = terms
        if all(any(str(t) == wanted for t in row["values"].get(key, [])) for key, wanted in filters.items()):
            rows.append(row)
    counts = {}
    for f in facets:
        terms = {str(t): t for row in rows for t in row["values"][f["key"]]}
        tally = Counter(str(t) for row in rows for t in row["values"][f["key"]])
        counts[f["key"]] = sorted(
            ((value, display(terms[value]), n) for value, n in tally.items()),
            key=lambda entry: (-entry[2], natural_key(entry[1])),
        )
    return facets, rows, counts


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """Rows by `key` (a facet or the label), ties kept in label order (sorts are stable)."""
    by_label = sorted(rows, key=lambda row: natural_key(row["label"]), reverse=descending and key == "label")
    if key == "label":
        return by_label

    def facet_key(row):
        terms = row["values"].get(key, [])
        return (0, natural_key(" ".join(display(t) for t in terms))) if terms else (1, [])

    return sorted(by_label, key=facet_key, reverse=descending)


def default_sort(class_iri: str) -> str:
    for candidate in [class_iri, *sorted(state().ontology.superclasses(class_iri) - {class_iri})]:
        if shorten(candidate) in DEFAULT_SORT:
            return DEFAULT_SORT[shorten(candidate)]
    return "label"


@bp.get("/")
def index():
    return render_template("browse_index.html", counts=class_counts())


@bp.get("/<curie>")
def listing(curie: str):
    try:
        class_iri = str(expand(curie))
    except ParameterError:
        abort(404, description=f"unknown class {curie!r}")
    facets = facets_for(class_iri)
    keys = {f["key"] for f in facets}
    filters = {k: v for k, v in request.args.items() if k in keys and v}
    facets, rows, counts = build_listing(class_iri, filters)
    if not rows and not filters:
        abort(404, description=f"no resource of class {curie}")
    sort = request.args.get("sort") or default_sort(class_iri)
    descending = request.args.get("order") == "desc"
    rows = sort_rows(rows, sort if sort in keys else "label", descending)
    fmt = wanted_format()
    if fmt:
        columns = ["iri", "label", *[f["key"] for f in facets]]
        flat = [
            {
                "iri": r["iri"],
                "label": r["label"],
                **{k: "; ".join(display(t) for t in terms) for k, terms in r["values"].items()},
            }
            for r in rows
        ]
        return table_download(columns, flat, fmt, curie.replace(":", "-"))
    size = state().settings.page_size
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    return render_template(
        "browse.html",
        curie=curie,
        class_iri=class_iri,
        facets=facets,
        counts=counts,
        filters=filters,
        rows=rows[(page - 1) * size : page * size],
        total=len(rows),
        page=page,
        pages=pages,
        sort=sort,
        descending=descending,
        columns=[("label", translate("name"))] + [(f["key"], translate("facet_" + f["key"])) for f in facets],
        subclasses=state().ontology.subclasses(class_iri),
    )
