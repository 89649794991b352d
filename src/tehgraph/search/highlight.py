"""Marking, in the original text, the words a query matched: the reader sees why a result came.

The index holds stems, so the marks are found again here: a word of the text is marked when its
folded stem is a stem of the query (or starts with the query's last word, typed as a prefix).
Results are structured segments; `to_html` escapes them with markupsafe and wraps marks in <mark>.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup, escape

from .expression import ParsedQuery
from .text import word_list

SNIPPET_WIDTH = 240  # characters of a long text shown around its first mark


class Segment(NamedTuple):
    text: str
    mark: bool = False


@lru_cache(maxsize=256)
def _marker(query: ParsedQuery) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stems that mark a word, and the prefixes that do (the last word typed)."""
    whole: set[str] = set()
    prefixes: list[str] = []
    for term in query.terms:
        # A compound of the query (« Ac.Sé ») marks its whole form, not its parts (« se » in « ses »).
        whole.update({term.joined} if len(term.parts) > 1 else {term.joined, *term.parts})
        if term.prefix:
            prefixes += [term.folded, term.joined]
    return frozenset(whole), tuple(prefixes)


def marked_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """(start, end) of every word of `text` the query matches."""
    whole, prefixes = _marker(query)
    return [
        (w.start, w.end)
        for w in word_list(text)
        if w.joined_stem in whole
        or not whole.isdisjoint(w.stems)
        or (prefixes and (w.joined_stem.startswith(prefixes) or any(s.startswith(prefixes) for s in w.stems)))
    ]


def _segments(text: str, spans: list[tuple[int, int]], start: int, end: int) -> list[Segment]:
    segments, at = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        if a > at:
            segments.append(Segment(text[at:a]))
        segments.append(Segment(text[a:b], True))
        at = b
    if at < end:
        segments.append(Segment(text[at:end]))
    return segments


def highlight(text: str, query: ParsedQuery) -> list[Segment]:
    """The whole text as segments, matched words marked."""
    return _segments(text, marked_spans(text, query), 0, len(text))


def snippet(text: str, query: ParsedQuery, width: int = SNIPPET_WIDTH) -> list[Segment]:
    """A window of about `width` characters around the first match, cut between words."""
    spans = marked_spans(text, query)
    if len(text) <= width:
        return _segments(text, spans, 0, len(text))
    first, first_end = spans[0] if spans else (0, 0)
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else first
    end = max(start + width, first_end)
    if end < len(text):
        space = text.rfind(" ", first_end, end)
        end = space if space >= 0 else end
    return (
        ([Segment("… ")] if start else [])
        + _segments(text, spans, start, end)
        + ([Segment(" …")] if end < len(text) else [])
    )


def marked_words(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments if s.mark]


def to_html(segments: list[Segment]) -> Markup:
    """HTML of the segments: text escaped, matched words in <mark>."""
    return Markup("").join(Markup("<mark>%s</mark>") % s.text if s.mark else escape(s.text) for s in segments)
