"""Query results as tables for people: a terminal table with labels next to IRIs, and Markdown.

csv, tsv and json reuse the SPARQL result serialisers of results.py, so they stay standard.
"""

from __future__ import annotations

from prettytable import PrettyTable, TableStyle
from rdflib import Literal, URIRef

from .binding import term_text
from .errors import ParameterError
from .namespaces import ID, shorten
from .results import QueryResult

TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
LABEL_BATCH = 200


def display_iri(iri: str) -> str:
    """A short form of an IRI: a CURIE, or `id:org/ccem` for the project's resources."""
    if iri.startswith(str(ID)):
        return "id:" + iri[len(str(ID)) :]
    return shorten(iri)


def fetch_labels(store, iris: list[URIRef], lang: str = "fr") -> dict[URIRef, str]:
    """rdfs:label of each IRI, in `lang` when there is one, queried in batches of VALUES."""
    labels: dict[URIRef, str] = {}
    usable = []
    for iri in dict.fromkeys(iris):
        try:
            usable.append(term_text(iri))
        except ParameterError:
            continue
    for start in range(0, len(usable), LABEL_BATCH):
        values = " ".join(usable[start : start + LABEL_BATCH])
        result = store.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT ?s ?label WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?label }}"
        )
        for iri, label in result.rows:
            if iri not in labels or (isinstance(label, Literal) and label.language == lang):
                labels[iri] = str(label)
    return labels


def cell(term, labels: dict[URIRef, str]) -> str:
    """The text of one cell: an IRI shortened with its label, a literal's lexical form."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        label = labels.get(term)
        return f"{display_iri(str(term))} ({label})" if label else display_iri(str(term))
    return str(term)


def rows_as_text(result: QueryResult, labels: dict[URIRef, str] | None = None) -> list[list[str]]:
    labels = labels or {}
    return [[cell(term, labels) for term in row] for row in result.rows]


def render_table(result: QueryResult, store=None, markdown: bool = False) -> str:
    """A SELECT result as a terminal (or Markdown) table; labels are looked up when a store is given."""
    if result.kind == "ASK":
        return "yes" if result.boolean else "no"
    if result.kind != "SELECT":
        return result.graph.serialize(format="turtle")
    iris = [t for row in result.rows for t in row if isinstance(t, URIRef)]
    labels = fetch_labels(store, iris) if store is not None and iris else {}
    table = PrettyTable(result.vars or ["(no columns)"])
    table.align = "l"
    for row in rows_as_text(result, labels):
        table.add_row([c.replace("|", "\\|") for c in row] if markdown else row)
    if markdown:
        table.set_style(TableStyle.MARKDOWN)
        return table.get_string()
    table.max_width = 60
    suffix = f"\n{len(result.rows)} row(s)" + (" (truncated)" if result.truncated else "")
    return table.get_string() + suffix


def render(result: QueryResult, fmt: str, store=None) -> str:
    """A result in one of TABLE_FORMATS; csv/tsv/json are the standard SPARQL result formats."""
    if fmt == "table":
        return render_table(result, store)
    if fmt == "md":
        return render_table(result, store, markdown=True)
    if result.kind == "CONSTRUCT":
        return result.serialize("turtle" if fmt != "json" else "jsonld").decode("utf-8")
    return result.serialize(fmt).decode("utf-8")
