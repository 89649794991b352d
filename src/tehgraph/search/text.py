"""How text becomes search terms, the same way for the indexed texts and for what users type.

Words are folded (lower case, accents and ligatures removed) *before* stemming, so « réflexion »
and « reflexion » give one stem whichever the user types; then the Snowball French stemmer joins
plurals and inflections (« référents » and « référent » → « referent »). A word written with
inner dots or hyphens (« Ac.Sé », « Ac-Sé », « 2014-2016 ») is a *compound*: it is indexed both as
its parts and as the parts joined (« acse »), so « acse », « AcSé » and « Ac.Sé » meet.
Apostrophes only separate words (« l'esclavage » → « l », « esclavage »).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# A compound: runs of letters or digits joined by a dot or a hyphen with no space around it.
COMPOUND = re.compile(r"[^\W_]+(?:[.\-\u2010\u2011\u2013](?=[^\W_])[^\W_]+)*")
PART = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})

# Words too common to narrow a query; dropped from queries (never from the index) unless the
# query holds nothing else, so « délai de réflexion » does not require « de ».
STOPWORDS = frozenset(
    "a au aux avec c ce ces d dans de des du en et il ils j l la le les leur leurs m mais n ne ni "
    "on ou par pas pour qu que qui s sa se ses son sur t un une y".split()
)

_stemmer = Stemmer.Stemmer("french")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents or ligatures: the form words are compared in (cached: it is
    called once per word, and texts repeat their words)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def stem(folded: str) -> str:
    """The French Snowball stem of a folded word (cached: texts repeat their words).

    A plural in « -ions » is stemmed as its singular: Snowball reads « réflexions » as a verb
    (« -ions », we…) and cuts it to « reflex », apart from « réflexion »; nouns are what is searched."""
    return _stemmer.stemWord(folded[:-1] if folded.endswith("ions") else folded)


class Word(NamedTuple):
    """One word of a text as written (`start`:`end` in the text), folded and stemmed."""

    start: int
    end: int
    parts: tuple[str, ...]  # folded parts; one part for a plain word
    stems: tuple[str, ...]  # the parts' stems
    joined: str  # the parts joined (« acse »)
    joined_stem: str

    @property
    def is_compound(self) -> bool:
        return len(self.parts) > 1


@lru_cache(maxsize=1 << 17)
def _analyse(written: str) -> tuple[tuple[str, ...], tuple[str, ...], str, str] | None:
    """Parts, stems, joined form and its stem of one written word (cached: words repeat)."""
    parts = tuple(PART.findall(fold(written)))
    if not parts:
        return None
    stems = tuple(stem(p) for p in parts)
    joined = "".join(parts)
    return parts, stems, joined, stem(joined) if len(parts) > 1 else stems[0]


def words(text: str) -> Iterator[Word]:
    """The words of `text` with their positions, compounds kept whole."""
    for match in COMPOUND.finditer(text):
        analysed = _analyse(match.group())
        if analysed:
            yield Word(match.start(), match.end(), *analysed)


@lru_cache(maxsize=4096)
def word_list(text: str) -> tuple[Word, ...]:
    """`words`, remembered: result pages highlight the same texts again and again."""
    return tuple(words(text))


@lru_cache(maxsize=1 << 17)
def _indexed_word(written: str) -> tuple[tuple[str, ...], tuple[str, str]] | None:
    """The stems one written word gives the index (each part, then a compound's joined form: the
    parts stay adjacent, so a query « Ac.Sé » can also ask for the phrase « ac se ») and its
    vocabulary form (key stem, the word as written in lower case), made once per distinct word."""
    analysed = _analyse(written)
    if analysed is None:
        return None
    parts, stems, _, joined_stem = analysed
    return (stems + (joined_stem,) if len(parts) > 1 else stems), (joined_stem, written.lower())


class IndexedText(NamedTuple):
    """What one text gives the index, read in one pass (no Word per word: at a million triples
    the indexer reads tens of millions of words)."""

    terms: list[str]  # the stems, in the order written
    forms: list[tuple[str, str]]  # (key stem, the word as written in lower case): suggestions
    key: str  # exact_key of the text


def indexed_text(text: str) -> IndexedText:
    """The index's terms, vocabulary forms and exact key of `text` (the same as `words` gives).

    Comprehensions over the cached words rather than a loop of appends: the real graph's texts
    hold 63k words, and this is most of the index's Python time."""
    found = [entry for entry in map(_indexed_word, COMPOUND.findall(text)) if entry is not None]
    forms = [form for _, form in found]
    return IndexedText(
        [term for stems, _ in found for term in stems], forms, " ".join([key for key, _ in forms])
    )


def exact_key(found: Iterable[Word]) -> str:
    """The form a label and a query share when the query *is* the label or acronym:
    compounds joined, every word stemmed (« AC-Sé », « Ac.Sé », « acse » → « acse »)."""
    return " ".join(w.joined_stem for w in found)
