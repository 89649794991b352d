"""The SPARQL 1.1 Protocol, independent of the web framework: operations, datasets, formats.

The Flask blueprint (web/sparql.py) only reads the HTTP request into a `QueryRequest` and writes
the answer; everything the protocol decides (which query, which dataset, which refusal with which
status, which result format) lives here so it can be tested and reused without a server. What a
public query may contain (no update, no untrusted SERVICE) is policy.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .binding import needs_base, with_dataset  # noqa: F401 - the protocol's text helpers
from .errors import TehgraphError
from .formats import GRAPH_FORMATS, RESULT_FORMATS, Format

QUERY_MIME = "application/sparql-query"
UPDATE_MIME = "application/sparql-update"
FORM_MIME = "application/x-www-form-urlencoded"


class ProtocolError(TehgraphError):
    """A request the protocol (or this read-only service) refuses; `status` is the HTTP code."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class QueryRequest:
    """One query operation as the protocol defines it: text plus protocol-specified dataset."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None  # an explicit `format=` parameter (links cannot set Accept)
    base: str | None = None  # the endpoint's URL: relative IRIs of the query resolve against it


@dataclass
class RawRequest:
    """What the web layer hands over: method, media type, body and all parameters (URL and form)."""

    method: str
    media_type: str | None
    charset: str | None
    body: bytes
    params: dict[str, list[str]] = field(default_factory=dict)
    form_params: dict[str, list[str]] = field(default_factory=dict)
    base: str | None = None


def read_operation(raw: RawRequest, max_length: int, max_body: int | None = None) -> QueryRequest | None:
    """The query operation of a request, None for a plain GET (service description), or a refusal."""
    if raw.method not in ("GET", "POST"):
        raise ProtocolError(405, f"{raw.method} is not a SPARQL Protocol operation: use GET or POST.")
    params = {k: list(v) for k, v in raw.params.items()}
    if raw.method == "POST" and raw.media_type == FORM_MIME:
        for key, values in raw.form_params.items():
            params.setdefault(key, []).extend(values)
    if "update" in params or raw.media_type == UPDATE_MIME:
        raise ProtocolError(403, "This SPARQL endpoint is read-only: SPARQL Update is not accepted.")
    queries = params.get("query", [])
    if raw.method == "POST" and raw.media_type == QUERY_MIME:
        queries = [*queries, _decode_body(raw)]
    elif raw.method == "POST" and raw.media_type != FORM_MIME:
        raise ProtocolError(
            415,
            f"POST a query as {FORM_MIME} (field `query`) or as {QUERY_MIME}; "
            f"got {raw.media_type or 'no Content-Type'}.",
        )
    if not queries:
        if raw.method == "POST":
            raise ProtocolError(400, "No query: send a `query` parameter or a SPARQL query body.")
        return None
    if len(queries) > 1:
        raise ProtocolError(400, "Exactly one query per request: several `query` values were sent.")
    # A URL is bounded by max_length; a query sent by POST (clients send large ones) by the body's bound.
    limit = max_length if raw.method == "GET" or max_body is None else max_body
    if len(queries[0]) > limit:
        raise ProtocolError(
            413,
            f"The query has {len(queries[0])} characters; the limit is {limit}"
            + (" in a URL: send it by POST." if limit == max_length and max_body else "."),
        )
    fmt = params.get("format", [None])[0]
    return QueryRequest(
        queries[0],
        tuple(params.get("default-graph-uri", ())),
        tuple(params.get("named-graph-uri", ())),
        fmt,
        raw.base,
    )


def _decode_body(raw: RawRequest) -> str:
    """The body of a direct POST: UTF-8 only, as the protocol requires."""
    if raw.charset and raw.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"Queries must be encoded in UTF-8, not {raw.charset}.")
    try:
        return raw.body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"The query is not valid UTF-8: {error}") from None


def result_table(kind: str) -> dict[str, Format]:
    """The formats a result of this kind can be written in."""
    return GRAPH_FORMATS if kind == "CONSTRUCT" else RESULT_FORMATS


def choose_format(kind: str, accept, requested: str | None = None) -> Format:
    """The result format: an explicit `format=` (name or suffix) first, else the Accept header.

    `accept` is werkzeug's MIMEAccept. A missing or `*/*` Accept gives the table's first format
    (SPARQL JSON, Turtle). Unknown `format=` values are left to Accept, because clients such as
    SPARQLWrapper add their own `format`/`output` parameters meant for other servers.
    """
    table = result_table(kind)
    if requested:
        for fmt in table.values():
            if requested in (fmt.name, fmt.suffix, fmt.mime):
                return fmt
    if not accept:
        return next(iter(table.values()))
    best = accept.best_match([f.mime for f in table.values()])
    if best is None:
        offered = ", ".join(f.mime for f in table.values())
        raise ProtocolError(406, f"No acceptable format for a {kind} result; this endpoint offers {offered}.")
    return next(f for f in table.values() if f.mime == best)
