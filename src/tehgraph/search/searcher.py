"""Querying the index: ranked, paged results with facets, highlights and suggestions; a picker.

Ranking: a resource whose label or acronym *is* the query comes first (« CCEM » → the CCEM,
before the 34 positions that name it), then FTS5's bm25 with column weights (label > acronym >
title > description > quote), scaled by the weight of the resource's kind (search-documents.rq).
The picker (type-ahead) looks in names only and puts labels that begin with what was typed,
shortest first, right after exact matches (« MIPR » → the MIPROF). The file is opened
read-only, one connection per thread, so one `SearchIndex` serves a threaded web server.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DistMissingError
from .expression import ParsedQuery, parse_query
from .highlight import Segment, highlight, marked_spans, snippet
from .schema import FIELDS, NAME_FIELDS
from .suggest import Vocabulary, candidates

WEIGHTS = ", ".join(str(w) for w in FIELDS.values())
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Hit:
    """One found resource, with what to show: its label and the passage that matched, marked."""

    iri: str
    cls: str
    label: list[Segment]
    exact: bool
    score: float
    passage_field: str | None = None  # where `snippet` comes from: acronym, title, description, quote…
    snippet: list[Segment] = field(default_factory=list)

    @property
    def label_text(self) -> str:
        return "".join(s.text for s in self.label)


@dataclass(frozen=True)
class SearchResult:
    """One page of results; `facets` count every match by class, whatever class filter is set."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, int]
    suggestions: list[str]
    limit: int
    offset: int


def display_label(row: sqlite3.Row, texts: dict[str, list[str]], lang: str) -> str:
    """The label in `lang`, else the other one, else a caption, a description, or the IRI's tail."""
    other = "fr" if lang == "en" else "en"
    for value in (
        row[f"label_{lang}"] if lang in ("fr", "en") else None,
        row[f"label_{other}"],
        row["caption"],
    ):
        if value:
            return value
    for name in ("title", "description"):
        if texts.get(name):
            return texts[name][0][:120]
    return row["iri"].rsplit("/id/", 1)[-1]


def best_passage(texts: dict[str, list[str]], label: str, query: ParsedQuery) -> tuple[str | None, str]:
    """The text, other than the label shown, with the most marked words (heavier fields win ties)."""
    best: tuple[int, float, str | None, str] = (0, 0.0, None, "")
    for name, weight in FIELDS.items():
        for text in texts.get(name, ()):
            if text == label:
                continue
            marks = len({text[a:b].casefold() for a, b in marked_spans(text, query)})
            if (marks, weight) > best[:2]:
                best = (marks, weight, name, text)
    return best[2], best[3]


class SearchIndex:
    """A built index file, read-only."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise DistMissingError(f"{self.path} is missing: run `tehgraph build` first")
        self._local = threading.local()

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            db.row_factory = sqlite3.Row
            self._local.db = db
            self._local.vocabulary = Vocabulary(db)
        return db

    @property
    def vocabulary(self) -> Vocabulary:
        self.db  # noqa: B018 - opens this thread's connection and its vocabulary
        return self._local.vocabulary

    def _where(self, query: ParsedQuery, classes: Iterable[str] | None, columns) -> tuple[str, list]:
        sql, params = "fts MATCH ?", [query.expression(columns)]
        wanted = sorted(set(classes or ()))
        if wanted:
            sql += f" AND d.class IN ({', '.join('?' * len(wanted))})"
            params += wanted
        return sql, params

    def _rows(self, query: ParsedQuery, classes, limit: int, offset: int, picking: bool) -> list[sqlite3.Row]:
        """Ranked rows: exact label first; when picking, then labels that begin with the query
        (shortest first), looking in names only; then bm25 scaled by the kind's weight."""
        where, params = self._where(query, classes, NAME_FIELDS if picking else None)
        starts, bounds = "NULL", []
        if picking:
            ranges = " OR ".join(["(e.key >= ? AND e.key < ?)"] * len(query.starts))
            starts = f"(SELECT MIN(length(e.key)) FROM exact e WHERE e.doc = d.id AND ({ranges}))"
            bounds = [k for key in query.starts for k in (key, key + "\uffff")]
        return self.db.execute(
            "SELECT d.*, EXISTS(SELECT 1 FROM exact e WHERE e.doc = d.id AND e.key = ?) AS exact,"
            f" {starts} AS starts, bm25(fts, {WEIGHTS}) * d.boost AS score"
            f" FROM fts JOIN docs d ON d.id = fts.rowid WHERE {where}"
            " ORDER BY exact DESC, starts IS NULL, starts, score, d.id LIMIT ? OFFSET ?",
            [query.key, *bounds, *params, limit, offset],
        ).fetchall()

    def _hits(self, query, classes, limit, offset, lang, picking=False) -> list[Hit]:
        hits = []
        for row in self._rows(query, classes, limit, offset, picking):
            texts = json.loads(row["texts"])
            label = display_label(row, texts, lang)
            name, passage = (None, "") if picking else best_passage(texts, label, query)
            hits.append(
                Hit(
                    iri=row["iri"],
                    cls=row["class"],
                    label=highlight(label, query),
                    exact=bool(row["exact"]),
                    score=row["score"],
                    passage_field=name,
                    snippet=snippet(passage, query) if name else [],
                )
            )
        return hits

    def count(self, text: str, classes: Iterable[str] | None = None) -> int:
        """How many resources `text` finds."""
        query = parse_query(text)
        if query.empty:
            return 0
        where, params = self._where(query, classes, None)
        return self.db.execute(
            f"SELECT COUNT(*) FROM fts JOIN docs d ON d.id = fts.rowid WHERE {where}", params
        ).fetchone()[0]

    def facets(self, query: ParsedQuery) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT d.class, COUNT(*) FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?"
            " GROUP BY d.class ORDER BY 2 DESC, 1",
            [query.expression()],
        )
        return dict(rows.fetchall())

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Close rewritings of `text` that find something (for a query that finds nothing)."""
        found = [s for s in candidates(self.vocabulary, text) if s.casefold() != str(text).casefold()]
        return [s for s in found if self.count(s)][:limit]

    def search(
        self,
        text: str,
        limit: int = 20,
        offset: int = 0,
        classes: Iterable[str] | None = None,
        lang: str = "fr",
    ) -> SearchResult:
        """Results `offset`..`offset+limit` for `text`, optionally only of the given classes
        (pass subclasses too: the index knows each resource's most specific class only)."""
        limit, offset = max(0, min(int(limit), MAX_LIMIT)), max(0, min(int(offset), MAX_OFFSET))
        query = parse_query(text)
        if query.empty:
            return SearchResult(str(text or ""), 0, [], {}, [], limit, offset)
        facets = self.facets(query)
        wanted = set(classes or ())
        total = sum(n for cls, n in facets.items() if not wanted or cls in wanted)
        hits = self._hits(query, classes, limit, offset, lang) if total else []
        suggestions = [] if total else self.suggest(text)
        return SearchResult(str(text), total, hits, facets, suggestions, limit, offset)

    def pick(
        self, prefix: str, classes: Iterable[str] | None = None, limit: int = 10, lang: str = "fr"
    ) -> list[Hit]:
        """Type-ahead for a parameter picker: the best `limit` resources whose names match
        `prefix` (its last word as a prefix), optionally only of the given classes."""
        query = parse_query(prefix)
        if query.empty:
            return []
        limit = max(0, min(int(limit), MAX_LIMIT))
        return self._hits(query, classes, limit, 0, lang, picking=True)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
