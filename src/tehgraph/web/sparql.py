"""`/sparql`: the read-only SPARQL 1.1 Protocol endpoint (its HTML editor is web/editor.py).

A thin shell over protocol.py: read the HTTP request, let the protocol library decide, run the
query on the app's store, write the result in the negotiated format. Errors are plain text with
the parser's message, as SPARQL clients expect.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, redirect, request, url_for

from ..errors import ForbiddenQueryError, NotAcceptableError, QueryError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS
from ..policy import public_answer
from ..protocol import (
    FORM_MIME,
    ProtocolError,
    QueryRequest,
    RawRequest,
    choose_format,
    read_operation,
)
from ..results import QueryResult
from ..service_description import dataset_facts, service_description
from ..stores.answers import Answer, Job
from .helpers import state
from .i18n import MESSAGES
from .responses import content_type, plain_error

bp = Blueprint("sparql", __name__)

TRUNCATED_HEADER = "Tehgraph-Truncated"


@bp.record_once
def extend_messages(_setup) -> None:
    """Add the words of the SPARQL and linked-data pages (ld_messages.json) to the app's catalog."""
    extra = json.loads((Path(__file__).parent / "ld_messages.json").read_text(encoding="utf-8"))
    for key, entry in extra.items():
        MESSAGES.setdefault(key, entry)


def raw_request() -> RawRequest:
    """The parts of the Flask request the protocol looks at (the body only for direct POSTs)."""
    media_type = request.mimetype or None
    form = request.form.to_dict(flat=False) if media_type == FORM_MIME else {}
    body = request.get_data(cache=True) if request.method == "POST" and media_type != FORM_MIME else b""
    return RawRequest(
        "GET" if request.method == "HEAD" else request.method,
        media_type,
        request.mimetype_params.get("charset"),
        body,
        request.args.to_dict(flat=False),
        form,
        request.base_url,
    )


def job_of(operation: QueryRequest, serialized: bool = False) -> Job:
    """The protocol operation as one job for a query worker (stores/answers.py): everything it
    costs — binding the dataset, resolving relative IRIs, the policy, parsing, evaluating and,
    for the endpoint, writing the negotiated format — happens there, under the time limit."""
    settings = state().settings
    formats, refusals = None, ("", "")
    if serialized:
        chosen = [_format_or_refusal(kind, operation.format) for kind in ("SELECT", "CONSTRUCT")]
        formats = (chosen[0][0], chosen[1][0])
        refusals = (chosen[0][1], chosen[1][1])
    return Job(
        operation.query,
        limit=settings.max_rows,
        base=operation.base,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        formats=formats,
        refusals=refusals,
        max_bytes=settings.max_result_bytes,
        max_string=settings.max_string_length,
    )


def _format_or_refusal(kind: str, requested: str | None) -> tuple[str | None, str]:
    try:
        return choose_format(kind, request.accept_mimetypes, requested).name, ""
    except ProtocolError as error:
        return None, str(error)


def run(operation: QueryRequest) -> QueryResult:
    """Run a protocol operation with the endpoint's limits, as rows (for pages that show them)."""
    return public_answer(state().store, job_of(operation), state().settings)


# Other methods are accepted by the route only to be refused in plain text, as SPARQL clients expect.
@bp.route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    """SPARQL 1.1 Protocol query operation; a GET without query gives the service description."""
    settings = state().settings
    try:
        operation = read_operation(raw_request(), settings.max_query_length, settings.max_body)
        if operation is None:
            return describe_service()
        answer = public_answer(state().store, job_of(operation, serialized=True), settings)
        if not isinstance(answer, Answer):  # a store that answers only in rows: written here
            answer = _written(answer, operation)
    except ProtocolError as error:
        response = plain_error(error.status, str(error))
        if error.status == 405:
            response.headers["Allow"] = "GET, POST, OPTIONS"
        return response
    except ForbiddenQueryError as error:  # an update, an untrusted SERVICE, a remote FROM: refused
        return plain_error(403, str(error))
    except NotAcceptableError as error:
        return plain_error(406, str(error))
    except QueryError as error:
        return plain_error(400, f"Bad query: {error}")
    table = GRAPH_FORMATS if answer.kind == "CONSTRUCT" else RESULT_FORMATS
    response = Response(answer.body, content_type=content_type(table[answer.format]))
    response.vary.add("Accept")
    if answer.truncated:
        response.headers[TRUNCATED_HEADER] = answer.truncated
    return response


def _written(result: QueryResult, operation: QueryRequest) -> Answer:
    fmt = choose_format(result.kind, request.accept_mimetypes, operation.format)
    reason = f"results cut at {state().settings.max_rows} rows" if result.truncated else None
    return Answer(result.kind, fmt.name, result.serialize(fmt.name), reason)


def describe_service() -> Response:
    """The service description as RDF; a browser asking for HTML is sent to the editor instead."""
    accept = request.accept_mimetypes
    offered = [f.mime for f in GRAPH_FORMATS.values()]
    if accept and accept.best_match([*offered, "text/html"]) == "text/html":
        response = redirect(url_for("editor.page"), code=303)
        response.vary.add("Accept")
        return response
    fmt = choose_format("CONSTRUCT", accept)
    facts = state().cache.get(("dataset-facts",), lambda: dataset_facts(state().trusted))
    graph = service_description(request.base_url, facts)
    response = Response(graph.serialize(format=fmt.rdflib, encoding="utf-8"), content_type=content_type(fmt))
    response.vary.add("Accept")
    return response
