"""`/api/`: every saved query as a REST resource, and the OpenAPI document that describes them.

`GET /api/queries/<slug>?param=…` runs the saved query as its page does (parameters bound as RDF
terms, the public store, the corpus gaps that apply) and answers JSON (default) or CSV, by `format=`
or the Accept header. `/api/openapi.json` is generated from the query headers (tehgraph.openapi);
`/api/` is the same document for people. Errors are JSON with a message: a bad parameter is a 400.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from ..errors import ParameterError, QueryError
from ..openapi import FORMATS, openapi_document
from .helpers import state
from .i18n import LANGUAGES, current_language
from .result_table import labelled_download, labelled_records
from .saved import run_page_query

bp = Blueprint("api", __name__, url_prefix="/api")

CSV_MIME, JSON_MIME = "text/csv", "application/json"
RESERVED = ("format", "lang")


def error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response


def wanted(fmt: str | None) -> str | None:
    """json or csv: `format=` first, else the Accept header (JSON when it accepts both or anything)."""
    if fmt is not None:  # given, even empty: it must be one of FORMATS
        return fmt if fmt in FORMATS else None
    best = request.accept_mimetypes.best_match([JSON_MIME, CSV_MIME], default=JSON_MIME)
    return "csv" if best == CSV_MIME else "json"


def instances() -> dict[str, dict[str, list[str]]]:
    """For each IRI parameter with a class, the IRIs the graph types with it (the OpenAPI enum)."""

    def read() -> dict[str, dict[str, list[str]]]:
        st, found = state(), {}
        for slug, saved in st.catalog.items():
            for param in saved.params:
                if param.type == "iri" and param.cls is not None:
                    rows = st.run("instances", **{"class": str(param.cls)}).rows
                    found.setdefault(slug, {})[param.name] = sorted(str(i) for (i,) in rows)
        return found

    return state().cache.get(("api-instances",), read)


def document() -> dict:
    server = url_for("home.index", _external=False).rstrip("/") or "/"
    return openapi_document(state().catalog, server, instances())


@bp.get("/openapi.json")
def openapi() -> Response:
    response = Response(json.dumps(document(), ensure_ascii=False, indent=1), mimetype=JSON_MIME)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/")
def index():
    return render_template("api.html", doc=document(), catalog=state().catalog)


@bp.get("/queries/<slug>")
def query(slug: str) -> Response:
    saved = state().catalog.get(slug)
    if saved is None or saved.kind != "SELECT":
        return error(404, f"no saved query {slug!r}; /api/openapi.json lists them")
    if request.args.get("lang", "fr") not in LANGUAGES:
        return error(400, f"unknown lang {request.args['lang']!r}; choose one of {', '.join(LANGUAGES)}")
    fmt = wanted(request.args.get("format"))
    if fmt is None:
        return error(
            400, f"unknown format {request.args.get('format')!r}; choose one of {', '.join(FORMATS)}"
        )
    raw = {k: v for k, v in request.args.items() if k not in RESERVED}
    try:
        bindings, result, gaps = run_page_query(saved, raw)
    except (ParameterError, QueryError) as problem:
        return error(400, str(problem))
    lang = current_language()
    if fmt == "csv":
        response = labelled_download(result, "csv", slug, lang)
        if gaps:  # IRIs only: a header is ASCII; the messages are in the JSON answer and the page
            response.headers["Tehgraph-Corpus-Gaps"] = " ".join(g.iri for g in gaps)
    else:
        _, records = labelled_records(result, lang)
        response = jsonify(
            {
                "query": slug,
                "title": saved.label(lang),
                "parameters": {name: str(term) for name, term in bindings.items()},
                "columns": list(result.vars),
                "count": len(result.rows),
                "truncated": bool(result.truncated),
                "gaps": [g.as_json(lang) for g in gaps],
                "rows": records,
            }
        )
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
