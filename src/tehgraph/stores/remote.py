"""The remote backend: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB, Neptune).

Transport only: SPARQLWrapper speaks the SPARQL 1.1 Protocol; rdflib parses what comes back
(SPARQL JSON results, N-Triples or Turtle graphs), so rows hold the same rdflib terms as the
embedded stores give. Every failure of the remote side becomes an `EndpointError` whose message
names the endpoint: the CLI prints it and exits, the web app shows an error page and keeps
serving. Uploading is push.py's job; validating what a server holds is verify.py's.
"""

from __future__ import annotations

import ast
import base64
import http.client
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import warnings

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result, ResultException
from rdflib.term import Node
from SPARQLWrapper import GET, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from ..binding import mask_syntax
from ..config import Settings
from ..errors import EndpointError, QueryError, RemoteQueryError, RemoteTimeoutError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS, by_mime
from ..namespaces import GRAPH, PREFIXES, bind_prefixes
from ..results import QueryResult, cap
from .base import Store

# One Accept header for every query form: the server picks by the query's form, so a query whose
# form SPARQLWrapper's regex misreads still gets a format we parse.
ACCEPT = ", ".join(
    [
        RESULT_FORMATS["json"].mime,
        f"{GRAPH_FORMATS['ntriples'].mime};q=0.9",
        f"{GRAPH_FORMATS['turtle'].mime};q=0.8",
    ]
)
# Past this many characters of URL-encoded query, POST it (URLs beyond ~2 KB are cut by proxies).
MAX_GET_LENGTH = 2000
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# SPARQLWrapper raises these for the HTTP statuses it knows; the others come as urllib's HTTPError.
HTTP_STATUSES = {
    Unauthorized: "401 (check TEHGRAPH_ENDPOINT_USER/PASSWORD or TEHGRAPH_ENDPOINT_TOKEN)",
    EndPointNotFound: "404 (is this the query URL?)",
    URITooLong: "414",
    EndPointInternalError: "500",
}
_FORM = re.compile(
    r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![:\w-])",
    re.IGNORECASE,
)
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
# Virtuoso's X-SQL-State when an "anytime query" hit MaxQueryExecutionTime: the rows are partial.
PARTIAL_ANSWER = "S1TAT"
_DECLARED_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or the update operation: the first keyword outside the
    comments, strings and IRIs (the server's parser has the last word on the rest)."""
    match = _FORM.search(mask_syntax(sparql))
    return match.group(1).upper() if match else None


def auth_headers(settings: Settings) -> dict[str, str]:
    """Authorization header from the TEHGRAPH_ENDPOINT_* settings (bearer token wins over basic)."""
    if settings.endpoint_token:
        return {"Authorization": f"Bearer {settings.endpoint_token}"}
    if settings.endpoint_user:
        pair = f"{settings.endpoint_user}:{settings.endpoint_password or ''}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def wrapper_body(error: SPARQLWrapperException) -> bytes:
    """The server's response body, which SPARQLWrapper keeps only as a repr inside its message."""
    _, found, body = str(error).partition("Response:\n")
    try:
        return ast.literal_eval(body) if found else b""
    except (ValueError, SyntaxError):
        return body.encode()


def server_message(body: bytes | str | None, limit: int = 2000) -> str:
    """The server's own words from an error body (plain text, HTML or JSON), shortened."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    text = re.sub(r"<[^>]+>", " ", text) if text.lstrip().startswith("<") else text
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def transport_error(
    endpoint: str, error: BaseException, timeout: float, what: str = "SPARQL endpoint"
) -> EndpointError:
    """One clear EndpointError for whatever urllib or http.client raised, naming the URL."""
    if isinstance(error, urllib.error.HTTPError):
        try:
            body = error.read()
        except (OSError, http.client.HTTPException):
            body = b""
        return EndpointError(
            f"{what} {endpoint} answered HTTP {error.code} {error.reason}: "
            f"{server_message(body) or 'no message'}"
        )
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return RemoteTimeoutError(f"{what} {endpoint} did not answer within {timeout:g} s")
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"{what} {endpoint} refused the connection (is the server running?)")
    if isinstance(error, (http.client.HTTPException, ConnectionError)):
        return EndpointError(f"{what} {endpoint} closed the connection mid-way: {error!r}")
    return EndpointError(f"{what} {endpoint} cannot be reached: {reason}")


def with_prefixes(sparql: str) -> str:
    """The query with the project's usual prefixes declared, as the embedded stores predeclare them.

    Only prefixes the query does not declare itself are added, all on its first line, so the line
    numbers in the server's error messages still match the user's text.
    """
    masked = mask_syntax(sparql)
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(masked)}
    missing = [
        f"PREFIX {p}: <{ns}>"
        for p, ns in PREFIXES.items()
        if p not in declared and re.search(rf"(?<![\w.-]){p}:", masked)
    ]
    return " ".join(missing) + " " + sparql if missing else sparql


class RemoteStore(Store):
    """A Store over a SPARQL 1.1 query endpoint; read-only (uploads are push.py's job)."""

    name = "remote"
    embedded = False
    # The server decides what FROM <iri> means, and some fetch it: the public policy must assume so.
    fetches_remote_graphs = True

    def __init__(
        self,
        endpoint: str,
        timeout: float = 5.0,
        headers: dict[str, str] | None = None,
        merged_graph: str | None = None,
    ):
        self.endpoint = endpoint
        self.timeout = timeout
        self.headers = dict(headers or {})
        # On a server whose default graph is the union of all its graphs (Virtuoso), the merged
        # graph is a named graph: each query names it as its default graph and ours as its named
        # graphs (SPARQL Protocol dataset), so neither the server's own graphs nor a triple stated
        # in two files is seen twice.
        self.merged_graph = merged_graph
        self._named_graphs: list[str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.endpoint:
            raise EndpointError("no SPARQL endpoint configured (set --endpoint or TEHGRAPH_ENDPOINT)")
        return cls(settings.endpoint, settings.query_timeout, auth_headers(settings), settings.merged_graph)

    def whole_server(self) -> RemoteStore:
        """The same endpoint without the dataset: every graph the server holds (push's checks)."""
        return RemoteStore(self.endpoint, self.timeout, self.headers)

    def dataset(self, sparql: str) -> dict[str, list[str]]:
        """The protocol's default-graph-uri and named-graph-uri for this query, if the store names one.

        None for a query with its own FROM or FROM NAMED: Virtuoso would merge both descriptions.
        The named graphs are read from the server once, on first use.
        """
        if not self.merged_graph or _FROM.search(mask_syntax(sparql)):
            return {}
        if self._named_graphs is None:
            found = self.whole_server().query(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?base))) }",
                {"base": URIRef(str(GRAPH))},
            )
            self._named_graphs = sorted(str(g) for (g,) in found.rows if str(g) != self.merged_graph)
        return {"default-graph-uri": [self.merged_graph], "named-graph-uri": self._named_graphs}

    def __repr__(self) -> str:  # never shows the credentials
        return f"RemoteStore({self.endpoint!r})"

    def _wrapper(self, sparql: str) -> SPARQLWrapper:
        form = query_form(sparql)
        if form is not None and form not in QUERY_FORMS:  # text with no form: the server says why
            raise QueryError(f"only SELECT, ASK, CONSTRUCT and DESCRIBE can be run here, not {form}")
        wrapper = SPARQLWrapper(self.endpoint)
        with warnings.catch_warnings():  # SPARQLWrapper's own guess warns on what it cannot read
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(sparql)
        wrapper.queryType = form or "SELECT"  # its regex guess is misled by comments (`#+ ... add ...`)
        # The Accept header set below replaces SPARQLWrapper's; a fitting format keeps it quiet.
        wrapper.setReturnFormat(JSON if wrapper.queryType in ("SELECT", "ASK") else TURTLE)
        dataset = self.dataset(sparql)
        for graph in dataset.get("default-graph-uri", []):
            wrapper.addDefaultGraph(graph)
        for graph in dataset.get("named-graph-uri", []):
            wrapper.addNamedGraph(graph)
        long_query = len(urllib.parse.urlencode({"query": sparql, **dataset}, doseq=True)) > MAX_GET_LENGTH
        wrapper.setMethod(POST if long_query else GET)
        wrapper.timeout = self.timeout  # not setTimeout(): it truncates to int, and int(0.5) means "never"
        for name, value in {**self.headers, "Accept": ACCEPT}.items():
            wrapper.addCustomHttpHeader(name, value)
        return wrapper

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        return cap(self._ask(sparql), limit)

    def _ask(self, sparql: str) -> QueryResult:
        wrapper = self._wrapper(with_prefixes(sparql))
        try:
            response = wrapper.query().response
            headers = response.info()
            body = response.read()
        except SPARQLWrapperException as error:
            raise self._refused(error) from None
        except (OSError, http.client.HTTPException) as error:
            raise transport_error(self.endpoint, error, self.timeout) from None
        if headers.get("X-SQL-State") == PARTIAL_ANSWER:
            raise RemoteTimeoutError(
                f"SPARQL endpoint {self.endpoint} stopped the query at its own time limit and sent a "
                f"partial answer, refused here: {headers.get('X-SQL-Message', 'no message')}"
            )
        answer = self._parse(headers.get_content_type(), body)
        return ask_answer(answer) if wrapper.queryType == "ASK" else answer

    def _refused(self, error: SPARQLWrapperException) -> EndpointError:
        """SPARQLWrapper's exceptions for HTTP 400/401/404/414/500, with the server's message."""
        message = server_message(wrapper_body(error)) or "no message"
        if isinstance(error, QueryBadFormed):
            return RemoteQueryError(f"SPARQL endpoint {self.endpoint} rejected the query: {message}")
        status = next((s for cls, s in HTTP_STATUSES.items() if isinstance(error, cls)), type(error).__name__)
        return EndpointError(f"SPARQL endpoint {self.endpoint} answered HTTP {status}: {message}")

    def _parse(self, content_type: str, body: bytes) -> QueryResult:
        """SPARQL JSON into rows of rdflib terms; N-Triples or Turtle into a Graph."""
        graph_format = by_mime(GRAPH_FORMATS, content_type)
        try:
            if content_type == RESULT_FORMATS["json"].mime:
                return self._rows(Result.parse(io.BytesIO(body), format="json"))
            if graph_format is not None:
                graph = Graph()
                bind_prefixes(graph)
                graph.parse(data=body.decode("utf-8"), format=graph_format.rdflib)
                return QueryResult("CONSTRUCT", graph=graph)
        except (ResultException, json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as error:
            raise EndpointError(f"SPARQL endpoint {self.endpoint} sent malformed results: {error}") from None
        except Exception as error:  # rdflib's RDF parsers raise many unrelated exception classes
            raise EndpointError(f"SPARQL endpoint {self.endpoint} sent a malformed graph: {error}") from None
        raise EndpointError(
            f"SPARQL endpoint {self.endpoint} answered in {content_type or 'no declared type'}, "
            f"not one of {ACCEPT}"
        )

    @staticmethod
    def _rows(result: Result) -> QueryResult:
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        names = [str(v) for v in result.vars or []]
        rows = [tuple(plain(term) for term in row) for row in result]
        return QueryResult("SELECT", vars=names, rows=rows)


def ask_answer(answer: QueryResult) -> QueryResult:
    """An ASK answer, also from Virtuoso 7.2, which sends ASK results as a one-cell table
    (`__ASK_RETVAL`, 1 or 0) for want of a JSON boolean writer."""
    if answer.kind == "SELECT" and len(answer.vars) == 1 and len(answer.rows) <= 1:
        value = answer.rows[0][0] if answer.rows else None
        return QueryResult("ASK", boolean=isinstance(value, Literal) and bool(value.toPython()))
    return answer


def plain(term: Node | None) -> Node | None:
    """xsd:string literals as simple literals: one term in RDF 1.1, written alike by the other stores."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
