"""What a curator can get wrong, each with a message that says which file, which lines, what instead."""

from __future__ import annotations

from ..errors import TehgraphError


class CurateError(TehgraphError):
    """Base of the curating errors: a request the corpus cannot satisfy (exit code 1)."""


class UnknownSourceError(CurateError):
    """SOURCE names no document of data/sources.ttl (neither slug, file name nor path)."""


class LocatorError(CurateError):
    """The lines asked for are outside the file, reversed, or blank."""


class PhraseNotFoundError(CurateError):
    """The phrase is not in the lines asked for; `elsewhere` says where it does occur."""

    def __init__(self, message: str, elsewhere: list | None = None):
        self.elsewhere = elsewhere or []
        super().__init__(message)


class SourceExistsError(CurateError):
    """new-source would overwrite a file or reuse a document IRI."""


class UnknownActorError(CurateError):
    """A creator that data/actors.ttl does not declare."""
