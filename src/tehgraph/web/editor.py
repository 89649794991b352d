"""`/sparql/editor`: the SPARQL editor (YASGUI, vendored), its vocabulary and its labels.

Without JavaScript the page is a form: the textarea is sent back with `?run=1` and the results are
drawn here, as before. With it, YASGUI takes over the textarea: autocompletion of prefixes,
classes and properties from the ontology model (`/sparql/editor/terms.json`, never a remote
service), queries sent to this app's own endpoint (url_for: the request's Host is never reflected
into the page), result tables with labels (`/sparql/editor/labels`), errors marked at the line and
column the endpoint's message gives, and the page's URL kept equal to `?query=…` so it can be shared.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from rdflib import URIRef

from .. import builtin
from ..errors import ForbiddenQueryError, QueryError
from ..namespaces import PREFIXES
from ..protocol import ProtocolError, QueryRequest, result_table
from ..results import QueryResult
from .helpers import state
from .i18n import current_language
from .sparql import run

bp = Blueprint("editor", __name__, url_prefix="/sparql/editor")

MAX_LABELS = 2000
# Relative IRIs of an editor query resolve against this fixed IRI, never the request's Host.
QUERY_BASE = "https://w3id.org/tehgraph/sparql"


def safe_href(iri) -> str | None:
    """Where an IRI in a result may link: our pages, or http(s) IRIs; `javascript:` and the like stay text."""
    from .helpers import link

    target = link(iri)
    if target and target.startswith(("/", "http://", "https://")):
        return target
    return None


def default_query(catalog: dict) -> str:
    """The text shown in an empty editor: the first saved query, else a small generic one."""
    if catalog:
        return next(iter(catalog.values())).text
    return builtin.text("editor-default")


def triples(result: QueryResult | None) -> list[tuple[URIRef, URIRef, object]]:
    """A CONSTRUCT/DESCRIBE result as sorted rows, so the editor can show it as a table."""
    if result is None or result.kind != "CONSTRUCT":
        return []
    return sorted(result.graph, key=lambda t: tuple(str(x) for x in t))


@bp.get("")
def page() -> tuple[str, int]:
    """The editor: pre-filled with `?query=` or `?example=<slug>`; `?run=1` shows the results."""
    st = state()
    catalog = st.catalog
    query = request.args.get("query")
    example = catalog.get(request.args.get("example", ""))
    if query is None:
        query = example.text if example else default_query(catalog)
    result, error, status = None, None, 200
    if request.args.get("run"):
        try:
            limit = st.settings.max_query_length
            if len(query) > limit:
                raise ProtocolError(413, f"The query has {len(query)} characters; the limit is {limit}.")
            operation = QueryRequest(query, base=QUERY_BASE)
            result = run(operation)
        except (ProtocolError, QueryError) as problem:
            forbidden = isinstance(problem, ForbiddenQueryError)  # the endpoint's status for it too
            error, status = str(problem), 403 if forbidden else getattr(problem, "status", 400)
    downloads = []
    if result is not None:
        downloads = [
            (f, url_for("sparql.endpoint", query=query, format=f.name))
            for f in result_table(result.kind).values()
        ]
    return render_template(
        "sparql_editor.html",
        query=query,
        catalog=catalog,
        result=result,
        error=error,
        downloads=downloads,
        triples=triples(result),
        safe_href=safe_href,
        # absolute only from the configured public base (web/security.PublicBase), never the Host header
        endpoint_url=url_for("sparql.endpoint", _external=bool(st.settings.public_base_url)),
    ), status


@bp.get("/terms.json")
def terms():
    """What the editor completes: the project's prefixes, and the ontology's classes and properties."""

    def read() -> dict:
        ontology = state().ontology
        return {
            # YASQE's forms: « prefix: <namespace> », and full IRIs it shortens with the query's prefixes.
            "prefixes": [f"{prefix}: <{namespace}>" for prefix, namespace in sorted(PREFIXES.items())],
            "classes": sorted(ontology.classes),
            "properties": sorted(ontology.properties),
        }

    response = jsonify(state().cache.get(("editor-terms",), read))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.post("/labels")
def labels():
    """Labels for the IRIs of a result table: {iri: {label, href}} (at most MAX_LABELS IRIs)."""
    asked = request.get_json(silent=True)
    if not isinstance(asked, list):
        return jsonify({"error": "send a JSON list of IRIs"}), 400
    st, lang = state(), current_language()
    found = {}
    for iri in asked[:MAX_LABELS]:
        if isinstance(iri, str) and iri in st.labels or (isinstance(iri, str) and iri in st.types):
            found[iri] = {"label": st.label(iri, lang), "href": safe_href(URIRef(iri))}
    return jsonify(found)
