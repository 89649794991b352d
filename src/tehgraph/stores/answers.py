"""A public query as one job, answered whole where it runs: text, dataset, base, format and caps.

Why one job: everything a public query costs — binding, the protocol's dataset, relative-IRI
resolution, the policy, parsing, evaluation and writing the result in the client's format — must
happen where the time limit holds (in a query worker, stores/guarded.py), not in a request thread.
The request thread only reads the HTTP request into a `Job` and writes back the `Answer`'s bytes.

`answer()` works on every store (rdflib writes the result, the policy may parse with rdflib);
`answer_oxigraph()` is the fast path of the embedded store: pyoxigraph parses (its SyntaxError is
the 400 text), resolves relative IRIs against the endpoint's URL, evaluates lazily, and the result
is written row by row (writers.py) or by pyoxigraph itself for graphs, under the caps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox
from rdflib import Literal

from ..binding import bind_values, has_dataset_clause, needs_base, with_dataset
from ..errors import NotAcceptableError, QueryError
from ..formats import GRAPH_FORMATS
from ..namespaces import PREFIX_IRIS
from ..oxterms import memo_to_rdflib, to_rdflib
from ..results import QueryResult, graph_of
from .writers import Caps, solutions, write_ask, write_select

# RDF/XML writes a predicate as an element: its IRI must end in an XML name (the local part).
_XML_LOCAL_NAME = re.compile(r"[A-Za-z_\u00c0-\ufffd][\w.\-\u00b7\u00c0-\ufffd]*$")


class Policy(Protocol):
    """What a store asks of a query policy (policy.QueryPolicy): refuse a text before it runs."""

    def check(self, sparql: str) -> None: ...


class Evaluator(Protocol):
    """What `answer` needs of a store (stores/base.py's Store, which imports this module)."""

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult: ...


@dataclass(frozen=True)
class Job:
    """One public query and how to answer it. `formats` is None for rows (QueryResult), else the
    format names for a SELECT/ASK and for a graph result (None where the client accepts none)."""

    text: str
    bindings: dict = field(default_factory=dict)
    limit: int | None = None
    base: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str | None, str | None] | None = None
    refusals: tuple[str, str] = ("", "")  # the 406 messages when formats[0] / formats[1] is None
    max_bytes: int | None = None
    max_string: int | None = None
    # Rows past `limit` are counted, not converted (QueryResult.total): for rows only (formats None).
    count_cut: bool = False

    def caps(self) -> Caps:
        return Caps(self.limit, self.max_bytes if self.formats else None, self.max_string)

    def format_for(self, kind: str) -> str:
        graph = kind == "CONSTRUCT"
        name = self.formats[1 if graph else 0]
        if name is None:
            raise NotAcceptableError(self.refusals[1 if graph else 0])
        return name


@dataclass
class Answer:
    """A result written out: its kind, format name, bytes and what was cut (None: nothing)."""

    kind: str
    format: str
    body: bytes
    truncated: str | None = None


def prepared(job: Job, policy: Policy | None, resolve_base: bool) -> str:
    """The text to run: parameters bound, the protocol's dataset written in, checked by the policy."""
    text = with_dataset(bind_values(job.text, job.bindings), job.default_graphs, job.named_graphs)
    if resolve_base and job.base and needs_base(text):
        text = f"BASE <{job.base}>\n{text}"
    if policy is not None:
        policy.check(text)
    return text


def answer(store: Evaluator, job: Job, policy: Policy | None) -> QueryResult | Answer:
    """Any store: evaluate, cut strings, then write with rdflib's serializers (under the byte cap)."""
    counted = job.count_cut and job.formats is None and job.limit is not None
    try:
        result = store.evaluate(prepared(job, policy, resolve_base=True), None if counted else job.limit)
    except RecursionError:
        raise QueryError("the query is nested too deeply for this engine") from None
    if counted and result.kind == "SELECT" and len(result.rows) > job.limit:
        result.total, result.rows, result.truncated = len(result.rows), result.rows[: job.limit], True
    caps = job.caps()
    if caps.string is not None:
        _cut_strings(result, caps)
    if job.formats is None:
        return result
    fmt = job.format_for(result.kind)
    body = result.serialize(fmt)
    while caps.bytes is not None and len(body) > caps.bytes and result.kind == "SELECT" and result.rows:
        result.rows, result.truncated = result.rows[: len(result.rows) // 2], True
        caps.cut.add(f"results cut at {caps.bytes} bytes")
        body = result.serialize(fmt)
    if result.truncated and not caps.cut:
        caps.cut.add(f"results cut at {job.limit} rows")
    return Answer(result.kind, fmt, body, caps.reason())


def _cut_strings(result: QueryResult, caps: Caps) -> None:
    def cut(term):
        if isinstance(term, Literal) and len(term) > caps.string:
            caps.cut.add(f"strings cut at {caps.string} characters")
            result.truncated = True
            return Literal(str(term)[: caps.string], lang=term.language, datatype=term.datatype)
        return term

    if result.kind == "SELECT":
        result.rows = [tuple(cut(t) for t in row) for row in result.rows]
    elif result.kind == "CONSTRUCT":
        result.graph = graph_of((s, p, cut(o)) for s, p, o in result.graph)


# --- the embedded Oxigraph store ---------------------------------------------------------------


def answer_oxigraph(
    store: ox.Store, job: Job, policy: Policy | None, union: bool = False
) -> QueryResult | Answer:
    """pyoxigraph end to end: its parser, its base IRI resolution, lazy answers cut at the caps."""
    text = prepared(job, policy, resolve_base=False)
    caps = job.caps()
    union = union and not has_dataset_clause(text)  # pyoxigraph's union flag would override FROM
    try:
        found = store.query(text, base_iri=job.base, prefixes=PREFIX_IRIS, use_default_graph_as_union=union)
        if isinstance(found, ox.QueryBoolean):
            if job.formats is None:
                return QueryResult("ASK", boolean=bool(found))
            fmt = job.format_for("ASK")
            return Answer("ASK", fmt, write_ask(fmt, bool(found)))
        if isinstance(found, ox.QuerySolutions):
            return _select(found, job, caps)
        return _graph(found, job, caps)
    except SyntaxError as error:
        raise QueryError(str(error)) from None
    except RuntimeError as error:  # an unknown function, a type pyoxigraph cannot evaluate
        raise QueryError(str(error)) from None
    except OSError:  # storage or a SERVICE call: never echo what a remote side said
        raise QueryError(
            "the query failed during evaluation (this endpoint makes no outgoing requests)"
        ) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply for this engine") from None


def _select(found: ox.QuerySolutions, job: Job, caps: Caps) -> QueryResult | Answer:
    names = [v.value for v in found.variables]
    if job.formats is None:
        convert = memo_to_rdflib()
        rows = [tuple(convert(t) for t in row) for row in solutions(found, caps)]
        total = None
        if job.count_cut and caps.row_cut():
            total = len(rows) + 1 + sum(1 for _ in found)  # the row that told of the cut was read
        return QueryResult("SELECT", vars=names, rows=rows, truncated=bool(caps.cut), total=total)
    fmt = job.format_for("SELECT")
    body = write_select(fmt, names, solutions(found, caps), caps)
    return Answer("SELECT", fmt, body, caps.reason())


class _Counter:
    """A binary sink that keeps what pyoxigraph writes and counts it."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def _graph(found: ox.QueryTriples, job: Job, caps: Caps) -> QueryResult | Answer:
    seen: set = set()
    sink = _Counter()
    fmt = job.format_for("CONSTRUCT") if job.formats is not None else None
    xml = fmt == "rdfxml"

    def triples():
        for triple in found:
            if triple in seen:
                continue
            if caps.rows is not None and len(seen) >= caps.rows:
                caps.cut.add(f"results cut at {caps.rows} triples")
                return
            if caps.bytes is not None and sink.size >= caps.bytes:
                caps.cut.add(f"results cut at {caps.bytes} bytes")
                return
            seen.add(triple)
            if xml and not _XML_LOCAL_NAME.search(triple.predicate.value):
                others = ", ".join(f.mime for f in GRAPH_FORMATS.values() if f.name != fmt)
                raise NotAcceptableError(
                    f"RDF/XML cannot write the predicate <{triple.predicate.value}> (its IRI does not "
                    f"end in an XML name); ask for {others}"
                )
            obj = caps.term(triple.object)
            yield triple if obj is triple.object else ox.Triple(triple.subject, triple.predicate, obj)

    if job.formats is None:
        kept = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples()]
        return QueryResult("CONSTRUCT", graph=graph_of(kept), truncated=bool(caps.cut))
    rdf_format = ox.RdfFormat.from_media_type(GRAPH_FORMATS[fmt].mime)
    try:
        ox.serialize(triples(), sink, format=rdf_format, prefixes=PREFIX_IRIS)
    except (ValueError, OSError) as error:  # RDF/XML cannot write every predicate IRI
        raise NotAcceptableError(
            f"this result cannot be written as {GRAPH_FORMATS[fmt].label} ({error}); "
            f"ask for one of {', '.join(f.mime for f in GRAPH_FORMATS.values() if f.name != fmt)}"
        ) from None
    return Answer("CONSTRUCT", fmt, b"".join(sink.parts), caps.reason())
