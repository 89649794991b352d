"""The documents the index holds, read from the graph with one SPARQL query.

The query is a file (search-documents.rq) and runs through any object with a `text_rows(sparql)
-> (columns, rows of (value, language))` method (every Store has it), so the same builder reads
the embedded store or a remote SPARQL endpoint. Its rows come ordered by resource, one field value each, and
are grouped here into one `Document` per resource without holding the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from sys import intern
from typing import Any, Protocol

from .. import builtin

QUERY_NAME = "search-documents"  # src/tehgraph/builtin_queries/search-documents.rq


class Queryable(Protocol):
    """What the builder needs of a store: the project's Store interface, duck-typed."""

    def text_rows(self, sparql: str) -> tuple[list[str], Iterable[tuple[Any, ...]]]: ...


@dataclass
class Document:
    """One resource worth finding, with the texts it is found by."""

    iri: str
    cls: str = ""
    boost: float = 1.0  # the kind's weight, from the query: scales the resource's bm25 score
    labels: dict[str, str] = field(default_factory=dict)  # language ("" untagged) -> label
    caption: str = ""  # a display name where the resource has no label (positions)
    texts: dict[str, list[str]] = field(default_factory=dict)  # searched field -> texts

    def add(self, name: str, text: str, lang: str) -> None:
        """Record one row of the query; repeated texts are kept once."""
        if name == "class":
            self.cls = min(self.cls, text) if self.cls else text  # several asserted leaves: stable pick
            return
        if name == "caption":
            self.caption = min(self.caption, text) if self.caption else text
            return
        if name == "label":
            self.labels.setdefault(lang, text)
        bucket = self.texts.setdefault(name, [])
        if text not in bucket:
            bucket.append(text)


def documents_query() -> str:
    """The query text with the project's prefixes declared, so a bare endpoint runs it too."""
    return builtin.sparql(QUERY_NAME)


def group_rows(rows: Iterable[tuple], columns: list[str]) -> Iterator[Document]:
    """One Document per resource, in IRI order, its texts in (field, text, language) order: grouped
    and sorted here, not by the query (ORDER BY was half the query's time at 1M triples). Cells
    are (value, language) pairs (stores.base.Store.text_rows); a resource's IRI is held once and
    field names and languages are interned, so the rows of a million-triple graph stay small."""
    s, b, f, t = (columns.index(name) for name in ("s", "boost", "field", "text"))
    found: dict[str, list] = {}  # IRI -> [boost, [(field, text, language), ...]]
    for row in rows:
        entry = found.get(row[s][0])
        if entry is None:
            entry = found[row[s][0]] = [None, []]
        if row[b] is not None:
            entry[0] = row[b][0]
        if row[f] is not None and row[t] is not None:
            entry[1].append((intern(row[f][0]), row[t][0], intern(row[t][1])))
    for iri in sorted(found):
        boost, texts = found.pop(iri)
        doc = Document(iri, boost=float(boost) if boost is not None else 1.0)
        for name, text, lang in sorted(texts):
            doc.add(name, text, lang)
        if doc.cls:
            yield doc


def read_documents(store: Queryable) -> Iterator[Document]:
    """The documents of the graph behind `store`."""
    columns, rows = store.text_rows(documents_query())
    return group_rows(rows, columns)
