"""SELECT and ASK results written row by row from pyoxigraph terms, under a row, byte and string cap.

Why not pyoxigraph's own `QuerySolutions.serialize`: it writes the whole answer (no row cap, and a
byte cap cut inside it leaves an invalid document) and writes a carriage return raw in XML, where
every XML parser turns it into a line feed; rdflib's writers are four times slower per request
and lose the carriage return too. The structure of the four formats is a few lines each; the
escaping is the standard library's (`json`, `csv`, `xml.sax.saxutils`) and TSV terms are
pyoxigraph's own N-Triples text. Graphs (CONSTRUCT) are written by pyoxigraph (answers.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_TEXT = {"\r": "&#13;"}
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
ROW_CUT = "results cut at {rows} rows"  # the reason `solutions` gives, in the truncation header


@dataclass
class Caps:
    """What a public answer may hold, and what was cut (the reasons, for the truncation header)."""

    rows: int | None = None
    bytes: int | None = None
    string: int | None = None
    cut: set[str] = field(default_factory=set)

    def term(self, term):
        """The term, its lexical form cut to the string cap (the cut is recorded)."""
        if self.string is None or not isinstance(term, ox.Literal) or len(term.value) <= self.string:
            return term
        self.cut.add(f"strings cut at {self.string} characters")
        value = term.value[: self.string]
        if term.language:
            return ox.Literal(value, language=term.language)
        return ox.Literal(value, datatype=term.datatype)

    def row_cut(self) -> bool:
        """Whether rows were left out at the row cap (strings cut to their cap are another cut)."""
        return ROW_CUT.format(rows=self.rows) in self.cut

    def reason(self) -> str | None:
        return "; ".join(sorted(self.cut)) or None


def solutions(answer: ox.QuerySolutions, caps: Caps) -> Iterator[list]:
    """Rows of (capped) terms, None for unbound, at most `caps.rows` (one more is read to tell)."""
    names = [v.value for v in answer.variables]
    for index, solution in enumerate(answer):
        if caps.rows is not None and index >= caps.rows:
            caps.cut.add(ROW_CUT.format(rows=caps.rows))
            return
        yield [caps.term(solution[name]) for name in names]


def write_select(fmt: str, names: list[str], rows: Iterable[list], caps: Caps) -> bytes:
    """A SELECT result in `fmt` (json, xml, csv, tsv); rows past the byte cap are left out."""
    head, row_text, tail = WRITERS[fmt]
    parts, size = [head(names)], 0
    budget = None if caps.bytes is None else caps.bytes - len(parts[0]) - 64
    for index, row in enumerate(rows):
        text = row_text(names, row, index)
        size += len(text)
        if budget is not None and size > budget:
            caps.cut.add(f"results cut at {caps.bytes} bytes")
            break
        parts.append(text)
    parts.append(tail())
    return "".join(parts).encode("utf-8")


def write_ask(fmt: str, value: bool) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return b'{"head":{},"boolean":' + word.encode() + b"}"
    if fmt == "xml":
        return (
            f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head/><boolean>{word}</boolean></sparql>'
        ).encode()
    return f"_askResult\n{word}\n".encode()


# --- JSON ----------------------------------------------------------------------------------------


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    parts = zip(("subject", "predicate", "object"), term, strict=True)
    return {"type": "triple", "value": {k: _json_term(v) for k, v in parts}}


def _json_head(names: list[str]) -> str:
    return '{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":['


def _json_row(names: list[str], row: list, index: int) -> str:
    body = {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
    return ("," if index else "") + json.dumps(body, ensure_ascii=False, separators=(",", ":"))


# --- XML -----------------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return escape(_XML_ILLEGAL.sub("\ufffd", text), _XML_TEXT)


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    parts = zip(("subject", "predicate", "object"), term, strict=True)
    return "<triple>" + "".join(f"<{k}>{_xml_term(v)}</{k}>" for k, v in parts) + "</triple>"


def _xml_head(names: list[str]) -> str:
    variables = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
    return f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>{variables}</head><results>'


def _xml_row(names: list[str], row: list, _index: int) -> str:
    bindings = "".join(
        f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
        for n, t in zip(names, row, strict=True)
        if t is not None
    )
    return f"<result>{bindings}</result>"


# --- CSV and TSV ---------------------------------------------------------------------------------


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _csv_row(names: list[str], row: list, _index: int) -> str:
    return _csv_line([_csv_value(t) for t in row])


def _tsv_head(names: list[str]) -> str:
    return "\t".join("?" + n for n in names) + "\n"


def _tsv_row(names: list[str], row: list, _index: int) -> str:
    return "\t".join("" if t is None else str(t) for t in row) + "\n"


WRITERS = {
    "json": (_json_head, _json_row, lambda: "]}}"),
    "xml": (_xml_head, _xml_row, lambda: "</results></sparql>"),
    "csv": (_csv_line, _csv_row, lambda: ""),
    "tsv": (_tsv_head, _tsv_row, lambda: ""),
}
