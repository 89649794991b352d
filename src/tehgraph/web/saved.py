"""The query catalog: a page per saved query with a parameter form, results, views and downloads.

The catalog library (tehgraph.catalog) reads `queries/*.rq` and binds parameters as RDF terms;
this blueprint only turns the form into raw parameters and the result into HTML or a download.
The page runs the query once with the bound parameters; « open in the editor » opens that very
text, the parameters written as the same VALUES block the page ran (binding.bind_values), so the
editor returns the same rows. The corpus gaps the answer depends on are shown above the table.
"""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, Response, abort, render_template, request, url_for
from rdflib.term import Node

from ..binding import bind_values
from ..catalog import SavedQuery, bind_parameters
from ..errors import ParameterError, QueryError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS, by_suffix
from ..gaps import Gap, gaps_for, read_gaps
from ..namespaces import expand, shorten
from ..results import QueryResult
from ..stores.answers import Job
from ..stores.guarded import catalog_query
from .helpers import natural_key, state, wanted_format
from .i18n import current_language
from .result_table import labelled_download, table

bp = Blueprint("saved", __name__, url_prefix="/queries")

# ?format= values: CSV and JSON with a label column per IRI column, CSV for Excel (BOM, `;`), the
# standard result formats (TSV, SPARQL JSON/XML), and for CONSTRUCT queries the graph formats.
LABELLED_DOWNLOADS = ("csv", "csv-excel", "json")
TABLE_DOWNLOADS = ("csv", "csv-excel", "tsv", "json", "srj", "srx")
GRAPH_DOWNLOADS = tuple(f.suffix for f in GRAPH_FORMATS.values())


def corpus_gaps() -> list[Gap]:
    """The graph's corpus gaps, read once."""
    return state().cache.get(("saved-query-gaps",), lambda: read_gaps(state().trusted))


def run_page_query(
    saved: SavedQuery, raw: dict[str, str], shown: int | None = None
) -> tuple[dict[str, Node], QueryResult, list[Gap]]:
    """Bind, run on the public store, and find the gaps that apply: what every front end does.

    `shown`: the rows a page shows; the others are counted, not converted nor sent from the
    worker (a saved query of 72,000 rows at a million triples spent most of its page there)."""
    st = state()
    with catalog_query():  # the catalog's own texts: the time limit holds, the slow rule does not
        bindings = bind_parameters(st.store, saved, raw)
        if shown is None:
            result = st.store.query(saved.text, bindings)
        else:
            result = st.store.answer(Job(saved.text, bindings, limit=shown, count_cut=True))
    return bindings, result, gaps_for(saved, bindings, corpus_gaps())


def form_values(saved: SavedQuery) -> dict[str, str]:
    """Values shown in the form: what was asked, else the defaults (IRIs written in full)."""
    values = {}
    for param in saved.params:
        raw = request.args.get(param.name) or param.default
        if raw is not None and param.type == "iri":
            with suppress(ParameterError):  # a malformed IRI is shown back as typed
                raw = str(expand(raw))
        values[param.name] = raw or ""
    return values


def download(result: QueryResult, fmt: str, slug: str) -> Response:
    """The result in a standard format, or CSV/JSON records with labels."""
    if result.kind == "CONSTRUCT":
        table_format = by_suffix(GRAPH_FORMATS, fmt)
        if table_format is None:
            abort(400, description=f"a graph result downloads as {', '.join(GRAPH_DOWNLOADS)}")
        body, mime = result.serialize(table_format.name), table_format.mime
    elif fmt in LABELLED_DOWNLOADS and result.kind == "SELECT":
        return labelled_download(result, fmt, slug, current_language())
    else:
        table_format = by_suffix(RESULT_FORMATS, fmt)
        if table_format is None:
            abort(400, description=f"a table result downloads as {', '.join(TABLE_DOWNLOADS)}")
        body, mime = result.serialize(table_format.name), table_format.mime
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


def editor_url(text: str) -> str:
    """The SPARQL editor opened on this text, run at once."""
    return url_for("editor.page", query=text, run=1)


@bp.get("/")
def index():
    lang = current_language()
    queries = sorted(state().catalog.values(), key=lambda q: natural_key(q.label(lang)))
    return render_template("saved_index.html", queries=queries)


@bp.get("/<slug>")
def page(slug: str):
    saved = state().catalog.get(slug)
    if saved is None:
        abort(404, description=f"no saved query {slug!r}")
    raw = {p.name: request.args[p.name] for p in saved.params if request.args.get(p.name)}
    fmt = wanted_format(TABLE_DOWNLOADS + GRAPH_DOWNLOADS)
    missing = [p.name for p in saved.params if p.required and p.name not in raw]
    if missing and not fmt:  # first visit to a query without defaults: show the form only
        return render_page(saved, None, None, {}, [])
    try:
        bindings, result, gaps = run_page_query(saved, raw, None if fmt else state().settings.max_rows)
    except (ParameterError, QueryError) as problem:
        if fmt:
            abort(400, description=str(problem))
        return render_page(saved, None, str(problem), {}, [])
    if fmt:
        return download(result, fmt, slug)
    return render_page(saved, result, None, bindings, gaps)


def render_page(saved: SavedQuery, result, error, bindings: dict[str, Node], gaps: list[Gap]):
    """The query page: description, form, gaps, error or results with views, downloads, query text."""
    st = state()
    shown = (
        table(saved, result, st.settings.max_rows) if result is not None and result.kind == "SELECT" else None
    )
    downloads = GRAPH_DOWNLOADS if result is not None and result.kind == "CONSTRUCT" else TABLE_DOWNLOADS
    values = form_values(saved)
    page = render_template(
        "saved.html",
        saved=saved,
        values=values,
        value_labels={name: st.label(v, current_language()) if v else "" for name, v in values.items()},
        classes={p.name: shorten(str(p.cls)) for p in saved.params if p.cls is not None},
        error=error,
        result=result,
        table=shown,
        gaps=gaps,
        editor_url=editor_url(bind_values(saved.text, bindings)),
        downloads=downloads,
    )
    return page, 400 if error else 200
