"""A saved query's result as people read it: headers, labels, links, and the downloads with labels.

One model serves the HTML table, the views (charts, graph, timeline: the same cells as JSON in the
page) and the label-carrying downloads. A cell of an IRI shows its label and links to its page,
the CURIE beside it; a literal shows its text, without datatype, and with its language tag only
when it differs from the page's; a line number links into its document (/source/<doc>#L…) when
the row names the document.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from flask import Response
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ..catalog import SavedQuery
from ..namespaces import shorten
from ..results import QueryResult
from .helpers import link, source_url, state
from .i18n import current_language, translate

LINE_COLUMNS = ("lineStart", "lineEnd", "line")
DOCUMENT_COLUMNS = ("document", "doc", "source")
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
LABEL_SUFFIX = "_label"


@dataclass
class Column:
    name: str
    label: str
    iri: bool = False
    numeric: bool = False


@dataclass
class Cell:
    text: str = ""
    href: str | None = None
    iri: str | None = None
    curie: str | None = None
    lang: str | None = None  # shown only when it is not the page's language
    sort: str | float | None = None


@dataclass
class Table:
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)

    def as_json(self) -> dict:
        """What the views script reads (charts, heat map, timeline, graph)."""
        return {
            "columns": [c.__dict__ for c in self.columns],
            "rows": [[{"t": c.text, "h": c.href, "i": c.iri, "s": c.sort} for c in row] for row in self.rows],
        }


def cell(term, lang: str) -> Cell:
    """One term for people (see the module docstring)."""
    if term is None:
        return Cell()
    if isinstance(term, URIRef):
        text = state().label(term, lang)
        return Cell(text, link(term), str(term), shorten(str(term)), sort=text.casefold())
    if isinstance(term, BNode):
        return Cell("…")
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        return Cell(translate("yes") if term.toPython() is True else translate("no"), sort=str(term))
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        try:
            return Cell(str(term), sort=float(term))
        except ValueError:
            return Cell(str(term), sort=str(term))
    tag = term.language if isinstance(term, Literal) else None
    return Cell(str(term), lang=tag if tag and tag != lang else None, sort=str(term).casefold())


def table(saved: SavedQuery, result: QueryResult, limit: int | None = None) -> Table:
    """The result's rows (at most `limit`) as cells, with the header's column labels."""
    lang = current_language()
    rows = result.rows if limit is None else result.rows[:limit]
    columns = [Column(v, saved.column_label(v, lang)) for v in result.vars]
    for index, column in enumerate(columns):
        values = [r[index] for r in rows if r[index] is not None]
        column.iri = any(isinstance(v, URIRef) for v in values)
        column.numeric = bool(values) and all(
            isinstance(v, Literal) and v.datatype in NUMERIC for v in values
        )
    doc_index = next((i for i, v in enumerate(result.vars) if v in DOCUMENT_COLUMNS), None)
    out = []
    for row in rows:
        cells = [cell(term, lang) for term in row]
        if doc_index is not None and row[doc_index] is not None:
            for i, name in enumerate(result.vars):
                if name in LINE_COLUMNS and row[i] is not None:
                    cells[i].href = source_url(row[doc_index], int(row[i]))
        out.append(cells)
    return Table(columns, out)


def labelled_records(result: QueryResult, lang: str) -> tuple[list[str], list[dict]]:
    """Rows as records with a `<name>_label` column after every IRI column (for CSV and JSON)."""
    iri_columns = {v for i, v in enumerate(result.vars) if any(isinstance(r[i], URIRef) for r in result.rows)}
    fields: list[str] = []
    for name in result.vars:
        fields.append(name)
        if name in iri_columns:
            fields.append(name + LABEL_SUFFIX)
    records = []
    for row in result.rows:
        record: dict = {}
        for name, term in zip(result.vars, row, strict=True):
            record[name] = "" if term is None else str(term)
            if name in iri_columns:
                record[name + LABEL_SUFFIX] = state().label(term, lang) if isinstance(term, URIRef) else ""
        records.append(record)
    return fields, records


def csv_text(fields: list[str], records: list[dict], excel: bool = False) -> str:
    """RFC 4180 CSV (the csv module: CRLF, quotes doubled); `excel`: a BOM and `;` for Excel."""
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=fields, delimiter=";" if excel else ",", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def labelled_download(result: QueryResult, fmt: str, slug: str, lang: str) -> Response:
    """`csv`, `csv-excel` or `json` with a label column per IRI column, as an attachment."""
    fields, records = labelled_records(result, lang)
    if fmt == "json":
        body, mime, suffix = json.dumps(records, ensure_ascii=False, indent=2), "application/json", "json"
    else:
        body, mime, suffix = csv_text(fields, records, excel=fmt == "csv-excel"), "text/csv", "csv"
    response = Response(body, mimetype=mime)
    if suffix == "csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    name = f"{slug}-excel" if fmt == "csv-excel" else slug
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response
