"""Suggestions when a query finds nothing: the closest words the index knows.

Every query word whose stem the index lacks (FTS5's own `fts5vocab` view of the indexed terms)
is replaced by the closest indexed stems (difflib's ratio), each shown as the word most often
written for it (« prefectre » → « préfecture »). The searcher keeps only suggestions that find.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Sequence
from functools import cached_property

from .expression import MAX_INPUT, MAX_TERMS
from .text import STOPWORDS, words

CUTOFF = 0.7  # difflib ratio below which a word is not offered
PER_WORD = 3


class Vocabulary:
    """The index's terms, read once from `vocab`, most frequent first."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @cached_property
    def by_length(self) -> dict[int, list[str]]:
        table: dict[int, list[str]] = {}
        for (term,) in self.db.execute("SELECT term FROM vocab WHERE length(term) >= 3 ORDER BY doc DESC"):
            if not term.isdigit():
                table.setdefault(len(term), []).append(term)
        return table

    def known(self, term: str, prefix: bool) -> bool:
        if prefix:
            row = self.db.execute(
                "SELECT 1 FROM vocab WHERE term >= ? AND term < ? LIMIT 1", (term, term + "\uffff")
            )
        else:
            row = self.db.execute("SELECT 1 FROM vocab WHERE term = ?", (term,))
        return row.fetchone() is not None

    def closest(self, term: str) -> list[str]:
        near = [t for n in range(len(term) - 2, len(term) + 3) for t in self.by_length.get(n, ())]
        return difflib.get_close_matches(term, near, n=PER_WORD, cutoff=CUTOFF)

    def written(self, term: str) -> str:
        row = self.db.execute("SELECT word FROM words WHERE stem = ?", (term,)).fetchone()
        return row[0] if row else term


def candidates(vocabulary: Vocabulary, text: str, limit: int = PER_WORD) -> Sequence[str]:
    """Rewritings of `text` with each unknown word replaced by a close indexed word."""
    raw = str(text or "")[:MAX_INPUT]
    found = list(words(raw))[:MAX_TERMS]
    options: list[list[str]] = []
    changed = False
    for i, word in enumerate(found):
        written = raw[word.start : word.end]
        key = word.joined_stem
        last = i == len(found) - 1
        if (
            word.joined in STOPWORDS
            or vocabulary.known(key, False)
            or (last and vocabulary.known(word.joined, True))
        ):
            options.append([written])
            continue
        close = [vocabulary.written(t) for t in vocabulary.closest(key)]
        options.append(close or [written])
        changed = changed or bool(close)
    if not changed:
        return []
    rewritings = []
    for n in range(limit):
        rewriting = " ".join(choices[min(n, len(choices) - 1)] for choices in options)
        if rewriting not in rewritings:
            rewritings.append(rewriting)
    return rewritings
