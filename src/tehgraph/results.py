"""Query results in one backend-neutral shape, serialised with rdflib's result serializers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from rdflib import Graph, Literal, Variable
from rdflib.query import Result

from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .namespaces import bind_prefixes


@dataclass
class QueryResult:
    """What a store returns: rows of rdflib terms (SELECT), a boolean (ASK) or a graph."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT" (also for DESCRIBE)
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    # Rows the whole answer had, when it was cut and the rest was counted (stores/answers.Job.count_cut):
    # a page shows the first rows and says how many there are, without converting the others.
    total: int | None = None

    @property
    def row_count(self) -> int:
        """Rows of the whole answer where they were counted, else the rows held."""
        return self.total if self.total is not None else len(self.rows)

    def records(self) -> list[dict]:
        """Rows as dicts keyed by variable name, unbound variables left out."""
        return [{v: t for v, t in zip(self.vars, row, strict=True) if t is not None} for row in self.rows]

    def column(self, name: str) -> list:
        index = self.vars.index(name)
        return [row[index] for row in self.rows]

    def to_rdflib(self) -> Result:
        """An rdflib Result, so rdflib's own serializers write JSON, XML, CSV and TSV."""
        result = Result("ASK" if self.kind == "ASK" else "SELECT" if self.kind == "SELECT" else "CONSTRUCT")
        if self.kind == "ASK":
            result.askAnswer = bool(self.boolean)
        elif self.kind == "SELECT":
            result.vars = [Variable(v) for v in self.vars]
            names = [Variable(v) for v in self.vars]
            result.bindings = [
                {v: t for v, t in zip(names, row, strict=True) if t is not None} for row in self.rows
            ]
        else:
            result.graph = self.graph
        return result

    def serialize(self, format_name: str) -> bytes:
        """Text of the result in a format of RESULT_FORMATS (SELECT/ASK) or GRAPH_FORMATS (graphs)."""
        if self.kind == "CONSTRUCT":
            bind_prefixes(self.graph)
            return self.graph.serialize(format=GRAPH_FORMATS[format_name].rdflib, encoding="utf-8")
        if self.kind == "ASK" and format_name in ("csv", "tsv"):
            return ("_askResult\n" + ("true" if self.boolean else "false") + "\n").encode()
        if format_name == "tsv":  # rdflib parses TSV results but has no serializer for them
            lines = ["\t".join("?" + v for v in self.vars)]
            lines += ["\t".join(tsv_term(t) for t in row) for row in self.rows]
            return ("\n".join(lines) + "\n").encode("utf-8")
        return self.to_rdflib().serialize(format=RESULT_FORMATS[format_name].rdflib, encoding="utf-8")


def cap(result: QueryResult, limit: int | None) -> QueryResult:
    """`result` cut to `limit` rows (or triples), marked truncated when something was cut.

    For stores that only hand over whole answers (rdflib, a remote endpoint); Oxigraph stops
    reading its lazy answer at the limit instead.
    """
    if limit is None:
        return result
    if result.kind == "SELECT" and len(result.rows) > limit:
        result.rows, result.truncated = result.rows[:limit], True
    elif result.kind == "CONSTRUCT" and len(result.graph) > limit:
        result.graph, result.truncated = graph_of(itertools.islice(result.graph, limit)), True
    return result


def graph_of(triples) -> Graph:
    """An rdflib Graph holding `triples`, with the project prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in triples:
        graph.add(triple)
    return graph


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(term) -> str:
    """A term in Turtle syntax on one line, as SPARQL 1.1 TSV requires (tabs and newlines escaped)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        suffix = f"@{term.language}" if term.language else f"^^<{term.datatype}>" if term.datatype else ""
        return f'"{str(term).translate(_TSV_ESCAPES)}"{suffix}'
    return term.n3()
