"""Reconciliation: a name from a spreadsheet matched to the graph's resources, with scores.

A curator with a column of organisation names wants, for each, the tehgraph IRI: a few candidates,
a score that says how close each is, and whether one is a sure match. Candidates come from the
search index (every word of the name, accents and case aside); the score compares the name with
the candidate's own names — its labels, acronyms and title — so an organisation found only
through a quote that names it ranks below the one called that. A candidate whose label, acronym
or title *is* the name (`text.exact_key`: case, accents, apostrophes, plurals and the writing of
compounds aside) scores 100; it is a sure match when no other candidate does. A name that finds
nothing (« esclavage modrene ») is searched again as the index's closest rewriting; its
candidates are scored against the name as typed, so they are never sure matches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from .expression import MAX_INPUT, parse_query
from .searcher import SearchIndex
from .text import exact_key, words

NAME_FIELDS = ("label", "acronym", "title")  # what a thing is called, as opposed to what is said of it
POOL = 4  # candidates read from the index per candidate returned, re-ranked by score
MAX_POOL = 100


@dataclass(frozen=True)
class Candidate:
    """One resource a name may stand for."""

    iri: str
    cls: str
    name: str  # its label in the asked language
    score: float  # 0-100: 100 when one of its names is the query
    match: bool  # a sure match: the only candidate one of whose names is the query


def reconcile(
    index: SearchIndex,
    text: str,
    classes: Iterable[str] | None = None,
    limit: int = 5,
    lang: str = "fr",
) -> list[Candidate]:
    """The best `limit` candidates for the name `text`, optionally of the given classes only
    (subclasses included by the caller: the index knows each resource's most specific class)."""
    limit = max(0, min(int(limit), MAX_POOL))
    wanted = sorted(set(classes or ()))
    if not limit or parse_query(text).empty:
        return []
    pool = min(limit * POOL, MAX_POOL)
    hits, typed = [], text
    for attempt in [text, *index.suggest(text)]:
        hits = index.search(attempt, limit=pool, classes=wanted or None, lang=lang).hits
        if hits:
            typed = attempt
            break
    corrected = typed != text
    names = _names(index, [h.iri for h in hits])
    key = exact_key(words(text[:MAX_INPUT]))  # every word: the index's query keeps the first 16
    scored = []
    for rank, hit in enumerate(hits):
        own = names.get(hit.iri, []) or [hit.label_text]
        exact = not corrected and any(exact_key(words(name)) == key for name in own)
        score = 100.0 if exact else round(max(similarity(text, name) for name in own) * 99, 1)
        scored.append((score, rank, hit, exact))
    scored.sort(key=lambda item: (-item[0], item[1]))
    sure = sum(1 for item in scored if item[3]) == 1
    return [
        Candidate(hit.iri, hit.cls, hit.label_text, score, sure and exact)
        for score, _, hit, exact in scored[:limit]
    ]


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0-1, compared as folded words (accents, case, punctuation aside)."""
    return SequenceMatcher(None, _folded(a), _folded(b), autojunk=False).ratio()


def _folded(text: str) -> str:
    return " ".join(w.joined for w in words(text))


def _names(index: SearchIndex, iris: list[str]) -> dict[str, list[str]]:
    """Each resource's names as the index keeps them (schema.py: docs.texts, by field)."""
    if not iris:
        return {}
    rows = index.db.execute(
        f"SELECT iri, texts FROM docs WHERE iri IN ({', '.join('?' * len(iris))})", iris
    ).fetchall()
    found = {}
    for row in rows:
        texts = json.loads(row["texts"])
        found[row["iri"]] = [t for field in NAME_FIELDS for t in texts.get(field, ())]
    return found
