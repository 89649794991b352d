"""`tehgraph cite`: a ready teh:Evidence block for lines of a source, that the quote check accepts.

The quote printed is cut from the same normalised text the build's check compares against
(`text.Passage`), so pasting the block cannot fail the check. A phrase typed without accents or
capitals is found all the same, and the source's own spelling is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..load import read_turtle
from ..namespaces import ID, TEH, XSD
from ..quotes import normalise
from .corpus import Source, resolve_source
from .errors import LocatorError, PhraseNotFoundError
from .find import find_phrase
from .text import Passage, fold

_LINES = re.compile(r"^\s*(\d+)\s*(?:[-–:]\s*(\d+))?\s*$")
# Words that make poor identifiers: a suggested evidence id keeps the words that carry the meaning.
_STOPWORDS = set(
    "a au aux ce ces cet cette de des du elle en est et il ils la le les leur leurs mais ne ni nous on "
    "ou par pas pour que qui sa se ses son sont sur un une y".split()
)
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)'")
_ID_WORDS = 5


@dataclass(frozen=True)
class Citation:
    """One evidence: a quote of `source` on lines start..end, and the IRI suggested for it."""

    source: Source
    start: int
    end: int
    quote: str
    evidence: str  # relative to @base, e.g. evidence/collectif-2017-03-09/dispositif-ac-se-marche-bien
    requested: tuple[int, int]
    folded: bool = False  # the phrase matched only with accents and case ignored
    other_matches: int = 0  # further occurrences of the phrase in the requested lines
    already: tuple[str, ...] = ()  # evidence of the data that already quote these words of this document

    def as_turtle(self) -> str:
        """The block to paste in the document's data file (which declares @base and the prefixes)."""
        source = self.source
        notes = [f"# {source.slug}, {_lines_words((self.start, self.end))} of {source.source_file}"]
        for iri in self.already:
            notes.append(f"# (already cited as <{iri}>: reuse that IRI rather than pasting this block)")
        if self.requested != (self.start, self.end):
            found = _lines_words((self.start, self.end))
            notes.append(f"# (the phrase is on {found} of the {_span(self.requested)} asked)")
        if self.folded:
            notes.append(
                "# (matched ignoring accents, case and apostrophes: the quote is the source's own spelling)"
            )
        if self.other_matches:
            notes.append(
                f"# (the phrase occurs {self.other_matches} more time(s) in those lines: the first is cited)"
            )
        speaker = " , ".join(f"<{_relative(c)}>" for c in source.creators) or "<org/...>"
        body = [
            f"<{self.evidence}> a teh:Evidence ;",
            f"    teh:statedIn <{_relative(source.iri)}> ;",
            f"    # teh:statedBy {speaker} ;  # who says it: keep only when the text names the speaker",
            f"    teh:quote {Literal(self.quote, lang='fr').n3()} ;",
        ]
        lines = f"    teh:lineStart {self.start} ; teh:lineEnd {self.end}"
        if source.date is None:
            body += [lines + " .", "    # no dcterms:date: data/sources.ttl gives the document none"]
        else:
            body += [
                lines + " ;",
                f"    dcterms:date {_date(source.date)} .  # the document's date (minutes: the meeting day)",
            ]
        return "\n".join(notes + body) + "\n"


def parse_lines(text: str) -> tuple[int, int]:
    """`120` or `120-122` as (first, last)."""
    match = _LINES.match(text)
    if not match:
        raise LocatorError(f"{text!r} is not a line or a line range (120, 120-122)")
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def cite(
    project_dir: Path | str, source: str, first: int, last: int | None = None, phrase: str | None = None
) -> Citation:
    """The evidence for lines first..last of SOURCE: the whole lines, or the phrase found in them."""
    document = resolve_source(project_dir, source)
    last = first if last is None else last
    lines = document.lines
    where = f"{document.source_file} {_lines_words((first, last))}"
    if first > last:
        raise LocatorError(f"{where}: reversed, the first line comes after the last")
    if not 1 <= first <= last <= len(lines):
        raise LocatorError(f"{where}: outside the file, which has lines 1-{len(lines)}")
    passage = Passage.of(lines, first, last)
    if not passage.text:
        raise LocatorError(f"{where}: blank, nothing to quote")
    if phrase is None:
        start, end, spans, folded = 0, len(passage.text), [(0, len(passage.text))], False
    else:
        spans = passage.find_all(phrase)
        if not spans:
            raise _not_found(project_dir, phrase, where)
        start, end = spans[0]
        folded = passage.text[start:end] != normalise(phrase)
    line_start, line_end = passage.lines_of(start, end)
    quote = passage.text[start:end]
    cited = _cited(Path(project_dir))
    return Citation(
        document,
        line_start,
        line_end,
        quote,
        suggest_evidence_iri(Path(project_dir), document.slug, quote),
        (first, last),
        folded,
        len(spans) - 1,
        tuple(
            sorted(_relative(e) for e, doc, words in cited.quotes if doc == document.iri and words == quote)
        ),
    )


def suggest_evidence_iri(project_dir: Path, slug: str, quote: str) -> str:
    """`evidence/<doc slug>/<first meaningful words>`, with -2, -3… if the data already uses it."""
    tokens = (_ELISION.sub("", token) for token in fold(quote)[0].split())
    words = [
        w for w in (re.sub(r"[^a-z0-9]+", "-", t).strip("-") for t in tokens) if w and w not in _STOPWORDS
    ]
    local = "-".join(words[:_ID_WORDS]) or "citation"
    used = _cited(project_dir).iris
    candidate, n = f"evidence/{slug}/{local}", 1
    while ID[candidate] in used:
        n += 1
        candidate = f"evidence/{slug}/{local}-{n}"
    return candidate


@dataclass(frozen=True)
class _Cited:
    iris: frozenset  # every IRI the data files use
    quotes: tuple  # (evidence, document, normalised quote)


def _cited(project_dir: Path) -> _Cited:
    """What data/*.ttl already holds, read again only when a file changed."""
    paths = sorted((project_dir / "data").glob("*.ttl"))
    return _read_cited(tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in paths))


@lru_cache(maxsize=4)
def _read_cited(files: tuple) -> _Cited:
    graph = Graph()
    for path, _, _ in files:
        read_turtle(path, graph)
    iris = frozenset(term for triple in graph for term in triple if isinstance(term, URIRef))
    quotes = tuple(
        (evidence, graph.value(evidence, TEH.statedIn), normalise(str(quote)))
        for evidence, quote in graph.subject_objects(TEH.quote)
    )
    return _Cited(iris, quotes)


def _not_found(project_dir: Path | str, phrase: str, where: str) -> PhraseNotFoundError:
    elsewhere = find_phrase(project_dir, phrase)
    if elsewhere:
        found = "; it occurs at " + ", ".join(hit.locator for hit in elsewhere[:10])
        found += f" (and {len(elsewhere) - 10} more)" if len(elsewhere) > 10 else ""
    else:
        found = "; it occurs nowhere in the corpus, even ignoring accents and case"
    return PhraseNotFoundError(f"«{normalise(phrase)}» is not in {where}{found}", elsewhere)


def _relative(iri) -> str:
    return str(iri)[len(str(ID)) :] if str(iri).startswith(str(ID)) else str(iri)


def _date(date: Literal) -> str:
    datatype = str(date.datatype or XSD.date)
    if datatype.startswith(str(XSD)):
        return f'"{date}"^^xsd:{datatype[len(str(XSD)) :]}'
    return f'"{date}"^^<{datatype}>'


def _lines_words(lines: tuple[int, int]) -> str:
    return f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}-{lines[1]}"


def _span(lines: tuple[int, int]) -> str:
    return str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"
