"""The query catalog: a page per saved query with a parameter form, results and downloads.

The catalog library (tehgraph.catalog) reads `queries/*.rq` and binds parameters as RDF terms;
this blueprint only turns the form into raw parameters and the result into HTML or a download.
"""

from __future__ import annotations

import json
from contextlib import suppress
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from ..catalog import SavedQuery, run_saved
from ..errors import ParameterError, QueryError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS, by_suffix
from ..namespaces import expand
from ..results import QueryResult
from .helpers import natural_key, state, wanted_format
from .i18n import current_language

bp = Blueprint("saved", __name__, url_prefix="/queries")

# ?format= values: the result table's suffixes (SPARQL JSON/XML, CSV, TSV), plain JSON records,
# and for CONSTRUCT queries the graph formats' suffixes.
TABLE_DOWNLOADS = ("csv", "tsv", "json", "srj", "srx")
GRAPH_DOWNLOADS = tuple(f.suffix for f in GRAPH_FORMATS.values())


def picker_options(saved: SavedQuery) -> dict[str, list[tuple[str, str]]]:
    """For each IRI parameter with a class: (IRI, label) of every instance, by label."""
    st, lang = state(), current_language()
    options = {}
    for param in saved.params:
        if param.type == "iri" and param.cls is not None:
            items = [str(i) for (i,) in st.run("instances", **{"class": str(param.cls)}).rows]
            options[param.name] = sorted(
                ((i, st.label(i, lang)) for i in items), key=lambda o: natural_key(o[1])
            )
    return options


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
    """The result in a standard format (rdflib serializers), or plain JSON records with labels."""
    if result.kind == "CONSTRUCT":
        table = by_suffix(GRAPH_FORMATS, fmt)
        if table is None:
            abort(400, description=f"a graph result downloads as {', '.join(GRAPH_DOWNLOADS)}")
        body, mime = result.serialize(table.name), table.mime
    elif fmt == "json":
        records = [{k: str(v) for k, v in r.items()} for r in result.records()]
        body = json.dumps(
            records if result.kind == "SELECT" else result.boolean, ensure_ascii=False, indent=2
        )
        mime = "application/json"
    else:
        table = by_suffix(RESULT_FORMATS, fmt)
        if table is None:
            abort(400, description=f"a table result downloads as {', '.join(TABLE_DOWNLOADS)}")
        body, mime = result.serialize(table.name), table.mime
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


def editor_url(text: str) -> str:
    """The SPARQL editor (the endpoint blueprint's page) opened on this query."""
    if "sparql.editor" in current_app.view_functions:
        return url_for("sparql.editor", query=text)
    return "/sparql/editor?" + urlencode({"query": text})


@bp.get("/")
def index():
    lang = current_language()
    queries = sorted(state().catalog.values(), key=lambda q: natural_key(q.label(lang)))
    return render_template("saved_index.html", queries=queries)


@bp.get("/<slug>")
def page(slug: str):
    st = state()
    saved = st.catalog.get(slug)
    if saved is None:
        abort(404, description=f"no saved query {slug!r}")
    raw = {p.name: request.args[p.name] for p in saved.params if request.args.get(p.name)}
    fmt = wanted_format(TABLE_DOWNLOADS + GRAPH_DOWNLOADS)
    error, result = None, None
    missing = [p.name for p in saved.params if p.required and p.name not in raw]
    if missing and not fmt:  # first visit to a query without defaults: show the form only
        return render_page(saved, None, None)
    try:
        result = run_saved(st.store, saved, raw)
    except (ParameterError, QueryError) as problem:
        if fmt:
            abort(400, description=str(problem))
        error = str(problem)
    if fmt and result is not None:
        return download(result, fmt, slug)
    return render_page(saved, result, error)


def render_page(saved: SavedQuery, result: QueryResult | None, error: str | None):
    """The query page: description, form, error or results, downloads, query text."""
    rows = result.rows[: state().settings.max_rows] if result is not None and result.kind == "SELECT" else []
    downloads = GRAPH_DOWNLOADS if result is not None and result.kind == "CONSTRUCT" else TABLE_DOWNLOADS
    page = render_template(
        "saved.html",
        saved=saved,
        values=form_values(saved),
        options=picker_options(saved),
        error=error,
        result=result,
        rows=rows,
        editor_url=editor_url(saved.text),
        downloads=downloads,
    )
    return page, 400 if error else 200
