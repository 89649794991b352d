"""Browse by class: counts, facets, sorting, pages, and every list as CSV or JSON.

Facets are declared per class in facets.json (a data file). The store does the work, so a class
of tens of thousands of instances costs a page what a class of fifty does: the rows of one page
come from one query sorted and cut by the store (listing.py writes it: ORDER BY, LIMIT, OFFSET),
the count and each facet's counts from aggregate queries (GROUP BY), the facet values of the page's
rows from one query per facet over those rows only. Downloads run the same sorted query without
LIMIT and one query per facet over the whole listing, and name the rows batch by batch, so they
hold every row.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from flask import Blueprint, abort, render_template, request

from ..errors import ParameterError
from ..namespaces import expand, shorten
from .helpers import display, natural_key, state, table_download, wanted_format
from .home import class_counts
from .i18n import current_language, translate
from .listing import Listing

bp = Blueprint("browse", __name__, url_prefix="/browse")

_SPEC = json.loads((Path(__file__).parent / "facets.json").read_text("utf-8"))
FACETS: dict[str, list[dict]] = {k: v for k, v in _SPEC.items() if not k.startswith("_")}
DEFAULT_SORT: dict[str, str] = _SPEC.get("_default_sort", {})
_PATH = re.compile(r"^\^?[a-z]+:[A-Za-z]+(?:[/|]\^?[a-z]+:[A-Za-z]+)*$")
for _facets in FACETS.values():
    for _facet in _facets:
        if not _facet.get("kind") and not _PATH.match(_facet["path"]):
            raise ValueError(f"facets.json: not a simple property path: {_facet['path']!r}")
DOWNLOAD_BATCH = 1000  # rows whose facet values are read in one query per facet
MAX_FILTER = 2000  # characters of a filter value


def facets_for(class_iri: str) -> list[dict]:
    """The facets of the class, or of a superclass that has some (Ministry gets Actor's)."""
    st = state()
    for candidate in [class_iri, *sorted(st.ontology.superclasses(class_iri) - {class_iri})]:
        if shorten(candidate) in FACETS:
            return FACETS[shorten(candidate)]
    return []


def default_sort(class_iri: str) -> str:
    for candidate in [class_iri, *sorted(state().ontology.superclasses(class_iri) - {class_iri})]:
        if shorten(candidate) in DEFAULT_SORT:
            return DEFAULT_SORT[shorten(candidate)]
    return "label"


def shown_rows(listing: Listing, items: list[str], values: dict | None = None) -> list[dict]:
    """The rows of `items` as pages and downloads show them: label and each facet's values (each
    value named once, however many rows share it); `values`: the facets' values, when read."""
    st, lang = state(), current_language()
    values = listing.values(items) if values is None else values
    terms = {t for per_item in values.values() for item in items for t in per_item.get(item, ())}
    st.learn([*items, *terms])
    names = {t: display(t) for t in terms}
    keys = {t: natural_key(name) for t, name in names.items()}
    rows = []
    for item in items:
        row = {"iri": item, "label": st.label(item, lang), "values": {}, "names": names}
        for f in listing.facets:
            row["values"][f["key"]] = sorted(set(values[f["key"]].get(item, ())), key=keys.__getitem__)
        rows.append(row)
    return rows


def facet_counts(listing: Listing) -> dict[str, list[tuple]]:
    """Each facet's values (text of the value, what is shown, how many rows), largest first."""
    counts = {}
    for f in listing.facets:
        found = listing.counts(f)
        state().learn(term for term, _ in found)
        counts[f["key"]] = sorted(
            ((str(term), display(term), n) for term, n in found),
            key=lambda entry: (-entry[2], natural_key(entry[1])),
        )
    return counts


def request_listing(class_iri: str) -> Listing:
    """The listing the request asks for; a parameter no listing has is a 400."""
    facets = facets_for(class_iri)
    keys = {f["key"] for f in facets}
    filters = {k: v for k, v in request.args.items() if k in keys and v}
    if any(len(v) > MAX_FILTER for v in filters.values()):
        raise ParameterError(f"a filter value is at most {MAX_FILTER} characters")
    sort = request.args.get("sort") or default_sort(class_iri)
    if sort != "label" and sort not in keys:
        abort(
            400,
            description=f"cannot sort by {sort[:100]!r}: choose label or one of {', '.join(sorted(keys))}",
        )
    order = request.args.get("order") or "asc"
    if order not in ("asc", "desc"):
        abort(400, description="order is asc or desc")
    return Listing(state(), class_iri, facets, filters, sort, order == "desc", current_language())


def requested_page() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        abort(400, description="page is a whole number from 1")
    return int(raw)


@bp.get("/")
def index():
    return render_template("browse_index.html", counts=class_counts())


@bp.get("/<curie>")
def listing(curie: str):
    try:
        class_iri = str(expand(curie))
    except ParameterError:
        abort(404, description=f"unknown class {curie!r}")
    fmt = wanted_format()
    listing = request_listing(class_iri)
    page = None if fmt else requested_page()
    total = listing.total()
    if not total and not listing.filters:
        abort(404, description=f"no resource of class {curie}")
    if fmt:
        return download(listing, curie, fmt)
    size = state().settings.page_size
    pages = max(1, math.ceil(total / size))
    if page > pages:
        abort(404, description=translate("page_of", page=page, pages=pages))
    rows = shown_rows(listing, listing.page(size, (page - 1) * size))
    return render_template(
        "browse.html",
        curie=curie,
        class_iri=class_iri,
        facets=listing.facets,
        counts=facet_counts(listing),
        filters=listing.filters,
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        sort=listing.sort,
        descending=listing.descending,
        columns=[("label", translate("name"))]
        + [(f["key"], translate("facet_" + f["key"])) for f in listing.facets],
        subclasses=state().ontology.subclasses(class_iri),
    )


def download(listing: Listing, curie: str, fmt: str):
    """Every row of the listing, in its order, as CSV or JSON."""
    items = listing.page(None, 0)
    values = listing.values(None)
    flat = []
    for at in range(0, len(items), DOWNLOAD_BATCH):
        for r in shown_rows(listing, items[at : at + DOWNLOAD_BATCH], values):
            flat.append(
                {
                    "iri": r["iri"],
                    "label": r["label"],
                    **{k: "; ".join(r["names"][t] for t in terms) for k, terms in r["values"].items()},
                }
            )
    columns = ["iri", "label", *[f["key"] for f in listing.facets]]
    return table_download(columns, flat, fmt, curie.replace(":", "-"))
