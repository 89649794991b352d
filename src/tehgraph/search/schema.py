"""The layout of the index file, owned here: the builder writes it, the searcher reads it.

One SQLite file: `docs` keeps each resource's IRI, class and original texts (to display and
highlight them), `fts` is a contentless FTS5 table of their stems (one column per field), `exact`
maps a label's or acronym's exact key to its resource, `words` maps a stem back to the word most
often written for it (for suggestions), `vocab` is FTS5's own view of the indexed terms.
"""

from __future__ import annotations

# Searched fields, in FTS column order, with their bm25 weights: a word in a label counts more
# than in an acronym, a title, a description, then a quote.
FIELDS: dict[str, float] = {
    "label": 10.0,
    "acronym": 8.0,
    "title": 4.0,
    "description": 2.0,
    "quote": 1.0,
}
# Fields whose whole text can be an exact match of a query.
EXACT_FIELDS = ("label", "acronym")
# Fields the type-ahead picker looks in: the names of things, not what is said about them.
NAME_FIELDS = ("label", "acronym", "title")

VERSION = "1"

SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY,
    iri TEXT NOT NULL UNIQUE,
    class TEXT NOT NULL,
    boost REAL NOT NULL,
    label_fr TEXT,
    label_en TEXT,
    caption TEXT,
    texts TEXT NOT NULL  -- JSON: field -> list of original texts
);
CREATE INDEX docs_class ON docs(class);
CREATE VIRTUAL TABLE fts USING fts5(
    {", ".join(FIELDS)},
    content='',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3 4'
);
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
CREATE TABLE exact (key TEXT NOT NULL, doc INTEGER NOT NULL REFERENCES docs(id));
CREATE INDEX exact_doc ON exact(doc, key);
CREATE TABLE words (stem TEXT PRIMARY KEY, word TEXT NOT NULL) WITHOUT ROWID;
"""
