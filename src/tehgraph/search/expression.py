"""From what a user types to an FTS5 MATCH expression, built from tokens, never from their text.

Every term is a quoted string of letters and digits, so FTS5 syntax typed by a user (`"`, `*`,
`NEAR`, `AND`, parentheses, column filters) is only ever searched for as words, and any input,
however long or strange, gives a valid expression or none. All terms are required; the last
one also matches as a prefix, for type-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import STOPWORDS, exact_key, words

MAX_INPUT = 1000  # characters of a query read; the rest is ignored
MAX_TERMS = 16  # words of a query used
MIN_PREFIX = 2  # a shorter last word is matched whole, not as a prefix


def quoted(term: str) -> str:
    """An FTS5 string: the only FTS5 syntax that reaches the engine."""
    return '"' + term.replace('"', '""') + '"'


@dataclass(frozen=True)
class Term:
    """One word of a query: its stemmed parts (several for « Ac.Sé »), and whether it is a prefix."""

    parts: tuple[str, ...]  # stems of the folded parts
    joined: str  # stem of the parts joined (« acse »)
    folded: str  # the parts joined, folded, not stemmed (« acse », « prefectures »)
    prefix: bool = False

    def expression(self) -> str:
        options = [quoted(self.joined)]
        if len(self.parts) > 1:
            options.append(quoted(" ".join(self.parts)) + ("*" if self.prefix else ""))
        if self.prefix and self.folded != self.joined:
            options.append(quoted(self.folded) + "*")
        elif self.prefix:
            options[0] += "*"
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready for the index: terms for MATCH, and the keys of labels it names."""

    terms: tuple[Term, ...]
    key: str  # a label or acronym with this key *is* the query (text.exact_key)
    starts: tuple[str, ...] = ()  # a label whose key starts with one of these begins with the query

    @property
    def empty(self) -> bool:
        return not self.terms

    def expression(self, columns: tuple[str, ...] | None = None) -> str:
        """The MATCH expression, optionally limited to some columns (FTS5 column filter)."""
        body = " AND ".join(term.expression() for term in self.terms)
        return f"{{{' '.join(columns)}}} : ({body})" if columns else body


def parse_query(text: object, prefix: bool = True) -> ParsedQuery:
    """Terms of a user's query; the last word is also a prefix when the text ends on it."""
    raw = str(text or "")[:MAX_INPUT].encode("utf-8", "ignore").decode("utf-8")
    found = list(words(raw))[:MAX_TERMS]
    kept = [w for w in found if w.joined not in STOPWORDS] or found
    terms = []
    for word in kept:
        # Type-ahead: the text ends on this word, still being typed (a space or a bracket ends it).
        last = word is found[-1] and word.end == len(raw)
        terms.append(
            Term(
                parts=word.stems,
                joined=word.joined_stem,
                folded=word.joined,
                prefix=prefix and last and len(word.joined) >= MIN_PREFIX,
            )
        )
    if not found:
        return ParsedQuery((), "")
    key = exact_key(found)
    typed = " ".join(filter(None, (exact_key(found[:-1]), found[-1].joined)))
    return ParsedQuery(tuple(terms), key, tuple(dict.fromkeys((key, typed))))
