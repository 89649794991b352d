"""`tehgraph find`: where a phrase occurs in the corpus, accents and case folded, across line breaks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..quotes import normalise
from .corpus import Source, load_sources, resolve_source
from .text import Passage

EXCERPT_CONTEXT = 100


@dataclass(frozen=True)
class Occurrence:
    """A phrase found on lines start..end of a source; `text` is those lines, whitespace-normalised."""

    source: Source
    start: int
    end: int
    text: str
    match: tuple[int, int] = (0, 0)  # where the phrase is in `text`

    def excerpt(self, context: int = EXCERPT_CONTEXT) -> str:
        """The lines' text, cut to `context` characters around the phrase when they are long."""
        left, right = max(self.match[0] - context, 0), min(self.match[1] + context, len(self.text))
        return ("…" if left else "") + self.text[left:right] + ("…" if right < len(self.text) else "")

    @property
    def locator(self) -> str:
        lines = str(self.start) if self.start == self.end else f"{self.start}-{self.end}"
        return f"{self.source.slug}:{lines}"

    def __str__(self) -> str:
        return f"{self.locator}: {self.excerpt()}"


def find_in(source: Source, phrase: str, first: int = 1, last: int | None = None) -> list[Occurrence]:
    """Occurrences of the phrase in lines first..last (default: the whole file), one per line range."""
    lines = source.lines
    passage = Passage.of(lines, first, len(lines) if last is None else last)
    found: dict[tuple[int, int], Occurrence] = {}
    for start, end in passage.find_all(phrase):
        span = passage.lines_of(start, end)
        if span not in found:
            left = passage.line_of.index(span[0])  # the lines' text starts here in the passage
            text = normalise(" ".join(lines[span[0] - 1 : span[1]]))
            offset = start - left - (passage.text[left] == " ")
            found[span] = Occurrence(source, span[0], span[1], text, (offset, offset + end - start))
    return list(found.values())


def find_phrase(project_dir: Path | str, phrase: str, source: str | None = None) -> list[Occurrence]:
    """Every source:line(-line) where the phrase occurs, in the corpus or in one SOURCE."""
    if not normalise(phrase):
        return []
    sources = [resolve_source(project_dir, source)] if source else load_sources(project_dir)
    return [hit for each in sources if each.path.is_file() for hit in find_in(each, phrase)]
