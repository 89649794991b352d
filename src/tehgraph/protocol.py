"""The SPARQL 1.1 Protocol, independent of the web framework: operations, datasets, formats.

The Flask blueprint (web/sparql.py) only reads the HTTP request into a `QueryRequest` and writes
the answer; everything the protocol decides (which query, which dataset, which refusal with which
status, which result format) lives here so it can be tested and reused without a server. What a
public query may contain (no update, no untrusted SERVICE) is policy.py's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.plugins.sparql.parser import parseQuery

from .binding import mask_syntax
from .errors import TehgraphError
from .formats import GRAPH_FORMATS, RESULT_FORMATS, Format

QUERY_MIME = "application/sparql-query"
UPDATE_MIME = "application/sparql-update"
FORM_MIME = "application/x-www-form-urlencoded"

# Keywords are found in the masked text (comments, strings and IRIs blanked out, same length);
# what follows them is read in the original text, where the IRIs still are.
_FROM = re.compile(r"(?<![\w:?$])FROM\b", re.IGNORECASE)
_GRAPH_NAME = re.compile(
    r"\s+(?:NAMED\s+)?(<[^<>\s]*>|[A-Za-z_][\w.-]*:[^\s{}()]*|:[^\s{}()]*)", re.IGNORECASE
)
_WHERE_BEFORE = re.compile(r"\bWHERE\s*$", re.IGNORECASE)
_CONSTRUCT = re.compile(r"(?<![\w:?$])CONSTRUCT\b", re.IGNORECASE)
_RELATIVE_HINT = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\"{}|^`\\\s]*>")
_BASE = re.compile(r"(?<![\w:?$])BASE\b", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TAIL = re.compile(r"(?<![\w:?$])(ORDER|GROUP|HAVING|LIMIT|OFFSET|VALUES)\b", re.IGNORECASE)


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

    def sparql(self) -> str:
        """The text to run: the protocol's dataset, when given, replaces the query's own."""
        text = with_dataset(self.query, self.default_graphs, self.named_graphs)
        if self.base and needs_base(self.query):
            text = f"BASE <{self.base}>\n{text}"
        return text


def needs_base(query: str) -> bool:
    """True when the query writes a relative IRI (`<s>`) and declares no BASE of its own.

    Engines such as Oxigraph refuse relative IRIs without a base, while the protocol tests expect
    `CONSTRUCT { <s> <p> 1 } WHERE {}` to run. rdflib's parser tells real IRIs from `<` operators;
    it only runs when a cheap look at the text finds something that could be a relative IRI.
    """
    if not _RELATIVE_HINT.search(query) or _BASE.search(mask_syntax(query)):
        return False
    try:
        parsed = parseQuery(query)
    except Exception:  # the engine will report the syntax error with its own message
        return False
    return any(not _SCHEME.match(str(iri)) for iri in _iris(parsed))


def _iris(node):
    if isinstance(node, URIRef):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _iris(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _iris(value)


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


def read_operation(raw: RawRequest, max_length: int) -> QueryRequest | None:
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
    if len(queries[0]) > max_length:
        raise ProtocolError(413, f"The query has {len(queries[0])} characters; the limit is {max_length}.")
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


def with_dataset(query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> str:
    """`query` whose FROM / FROM NAMED clauses are replaced by the protocol-specified dataset.

    SPARQL 1.1 Protocol §2.1.4: when default-graph-uri or named-graph-uri is given, it overrides
    the dataset of the query. Writing it as FROM clauses works on every SPARQL engine, embedded
    or remote, where an engine-specific dataset API would not.
    """
    if not default_graphs and not named_graphs:
        return query
    for iri in (*default_graphs, *named_graphs):
        if re.search(r"[<>\"{}|^`\\\s]", iri) or not iri:
            raise ProtocolError(400, f"Not a valid graph IRI: {iri!r}")
    masked = mask_syntax(query)
    spans = []
    for match in _FROM.finditer(masked):
        name = _GRAPH_NAME.match(query, match.end())
        if name:
            spans.append((match.start(), name.end()))
    for start, end in reversed(spans):
        query, masked = query[:start] + query[end:], masked[:start] + masked[end:]
    clauses = " ".join(
        [*(f"FROM <{g}>" for g in default_graphs), *(f"FROM NAMED <{g}>" for g in named_graphs)]
    )
    at = _dataset_position(masked)
    return f"{query[:at]} {clauses} {query[at:]}"


def _dataset_position(masked: str) -> int:
    """Where dataset clauses go: just before the WHERE group (after a CONSTRUCT template)."""
    braces = _top_level_braces(masked)
    construct = _CONSTRUCT.search(masked)
    if construct and braces:
        short_form = re.search(r"\bWHERE\b", masked[construct.end() : braces[0]], re.IGNORECASE)
        group = braces[0] if short_form or len(braces) < 2 else braces[1]
    elif braces:
        group = braces[0]
    else:  # DESCRIBE <x> without WHERE: before solution modifiers, or at the end
        tail = _TAIL.search(masked)
        return tail.start() if tail else len(masked)
    where = _WHERE_BEFORE.search(masked[:group])
    return where.start() if where else group


def _top_level_braces(masked: str) -> list[int]:
    positions, depth = [], 0
    for index, char in enumerate(masked):
        if char == "{":
            if depth == 0:
                positions.append(index)
            depth += 1
        elif char == "}":
            depth -= 1
    return positions


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
