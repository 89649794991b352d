"""Lines as the quote check reads them, and folding for searches that ignore accents and case.

The quote check (`quotes.normalise`) joins lines first..last with spaces and collapses whitespace.
A `Passage` is that same text, plus the line each character comes from, so a match found in it can
be given back as a line range, and the words printed are exactly the ones the check will compare.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..quotes import normalise

# Characters a curator types differently from the printed text; folded to what a keyboard gives.
_FOLDS = {
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "‐": "-",
    "‑": "-",
    "–": "-",
    "—": "-",
}


@dataclass(frozen=True)
class Passage:
    """Normalised text of lines first..last; `line_of[i]` is the line of character i."""

    text: str
    line_of: tuple[int, ...]

    @classmethod
    def of(cls, lines: list[str], first: int, last: int) -> Passage:
        chars: list[str] = []
        line_of: list[int] = []
        for number in range(first, last + 1):
            piece = normalise(lines[number - 1])
            if not piece:
                continue
            if chars:
                chars.append(" ")
                line_of.append(number)
            chars.append(piece)
            line_of.extend([number] * len(piece))
        return cls("".join(chars), tuple(line_of))

    def find_all(self, phrase: str) -> list[tuple[int, int]]:
        """Spans (start, end) of the phrase in the text: exact first, else accents and case folded."""
        wanted = normalise(phrase)
        exact = _spans(self.text, wanted)
        if exact or not wanted:
            return exact
        folded, origin = fold(self.text)
        spans = []
        for start, end in _spans(folded, fold(wanted)[0]):
            spans.append((origin[start], origin[end - 1] + 1))
        return spans

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        return self.line_of[start], self.line_of[end - 1]


def fold(text: str) -> tuple[str, list[int]]:
    """Text without accents, case-folded; `origin[i]` is where folded character i comes from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _FOLDS.get(char)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
            folded = "".join(_FOLDS.get(c, c) for c in folded)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _spans(text: str, wanted: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(wanted) if wanted else -1
    while start != -1:
        spans.append((start, start + len(wanted)))
        start = text.find(wanted, start + 1)
    return spans
