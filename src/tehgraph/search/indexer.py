"""Building the index file from the graph: documents streamed into SQLite in one transaction.

The file is written beside its destination and moved into place only when complete, so a
failed build never leaves a half index where the app reads one. Memory holds one document at a
time plus the vocabulary (one entry per distinct word), so the cost grows with the graph's texts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..dist import SEARCH_INDEX_FILE
from .documents import Document, Queryable, read_documents
from .schema import EXACT_FIELDS, FIELDS, SCHEMA, VERSION
from .text import fold, indexed_text

INDEX_FILE = SEARCH_INDEX_FILE  # dist.py owns the build folder's layout


@dataclass(frozen=True)
class IndexStats:
    """What a build produced and what it cost."""

    path: Path
    documents: int
    terms: int
    seconds: float
    bytes: int


class Vocabulary:
    """For each stem, how often each word was written for it: suggestions offer the usual word.

    One Counter of (stem, word) pairs, counted in C by `update`; grouped by stem only at the end."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, forms: Iterable[tuple[str, str]]) -> None:
        self.counts.update(forms)

    def rows(self) -> Iterable[tuple[str, str]]:
        by_stem: dict[str, list[tuple[str, int]]] = {}
        for (key, written), count in self.counts.items():  # stems in the order first met
            by_stem.setdefault(key, []).append((written, count))
        for key, forms in by_stem.items():
            # The most frequent form; among equals the accented one (« préfecture » over « prefecture »).
            best = max(forms, key=lambda kv: (kv[1], kv[0] != fold(kv[0]), kv[0]))
            yield key, best[0]


def _insert(db: sqlite3.Connection, doc_id: int, doc: Document, vocabulary: Vocabulary) -> None:
    db.execute(
        "INSERT INTO docs (id, iri, class, boost, label_fr, label_en, caption, texts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            doc.iri,
            doc.cls,
            doc.boost,
            doc.labels.get("fr") or doc.labels.get(""),
            doc.labels.get("en"),
            doc.caption or None,
            json.dumps(doc.texts, ensure_ascii=False),
        ),
    )
    columns, keys = [], set()
    for name in FIELDS:
        terms = []
        for text in doc.texts.get(name, ()):
            indexed = indexed_text(text)  # each text is read once for terms, exact keys and vocabulary
            terms += indexed.terms
            vocabulary.add(indexed.forms)
            if name in EXACT_FIELDS:
                keys.add(indexed.key)
        columns.append(" ".join(terms))
    db.execute(
        f"INSERT INTO fts (rowid, {', '.join(FIELDS)}) VALUES (?{', ?' * len(FIELDS)})", [doc_id, *columns]
    )
    db.executemany(
        "INSERT INTO exact (key, doc) VALUES (?, ?)", [(k, doc_id) for k in sorted(keys) if k]
    )  # sorted: the file is the same at every build


def write_index(documents: Iterable[Document], path: Path) -> IndexStats:
    """Write the documents into a new index file at `path` (replacing any previous one)."""
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        # A file nobody reads until it is renamed: no journal, no fsync until the end.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(SCHEMA)
        vocabulary = Vocabulary()
        db.execute("BEGIN")
        count = 0
        for count, doc in enumerate(documents, start=1):
            _insert(db, count, doc, vocabulary)
        db.executemany("INSERT INTO words (stem, word) VALUES (?, ?)", vocabulary.rows())
        db.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)", [("version", VERSION), ("documents", str(count))]
        )
        db.execute("COMMIT")
        db.execute("INSERT INTO fts (fts) VALUES ('optimize')")  # one b-tree segment: faster queries
        terms = db.execute("SELECT COUNT(*) FROM vocab").fetchone()[0]
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(partial, path)
    return IndexStats(path, count, terms, time.perf_counter() - started, path.stat().st_size)


def build_index(store: Queryable, path: Path) -> IndexStats:
    """Index every resource worth finding in the graph behind `store` into the file `path`."""
    return write_index(read_documents(store), path)
