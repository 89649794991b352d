"""Curating: the library behind `tehgraph cite`, `find` and `new-source`.

A curator adds a document, finds the passages that say something, and pastes evidence that the
build's quote check will accept. Each step is a plain function here; `cli/curate.py` only parses
options and prints.
"""

from __future__ import annotations

from .cite import Citation, cite
from .corpus import Source, load_sources, resolve_source
from .errors import (
    CurateError,
    LocatorError,
    PhraseNotFoundError,
    SourceExistsError,
    UnknownActorError,
    UnknownSourceError,
)
from .find import Occurrence, find_phrase
from .new_source import NewSource, new_source

__all__ = [
    "Citation",
    "CurateError",
    "LocatorError",
    "NewSource",
    "Occurrence",
    "PhraseNotFoundError",
    "Source",
    "SourceExistsError",
    "UnknownActorError",
    "UnknownSourceError",
    "cite",
    "find_phrase",
    "load_sources",
    "new_source",
    "resolve_source",
]
