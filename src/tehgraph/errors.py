"""The exception hierarchy: every failure a user can cause has a class and a clear message."""

from __future__ import annotations

from pathlib import Path


class TehgraphError(Exception):
    """Base of every error tehgraph reports to a user instead of a traceback."""


class LoadError(TehgraphError):
    """A project file cannot be read as RDF (exit code 2)."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path, self.line, self.reason = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UnknownTermError(TehgraphError):
    """Data uses a term of the tehgraph namespace that the ontology does not define."""


class BuildError(TehgraphError):
    """The build found problems (violations, bad quotes); nothing was published."""

    def __init__(self, message: str, details: list[str] | None = None):
        self.details = details or []
        super().__init__(message if not self.details else message + "\n" + "\n".join(self.details))


class DistMissingError(TehgraphError):
    """No usable build output: run `tehgraph build` first."""


class QueryError(TehgraphError):
    """A query cannot be parsed or evaluated (HTTP 400)."""


class ForbiddenQueryError(QueryError):
    """A query asks for something the read-only public endpoint refuses (update, SERVICE…)."""


class QueryTimeoutError(TehgraphError):
    """A query ran past the configured time limit and was stopped."""


class ParameterError(TehgraphError):
    """A saved query's parameter is missing or of the wrong kind."""


class EndpointError(TehgraphError):
    """A remote SPARQL endpoint failed; the message names the endpoint."""


class RemoteQueryError(QueryError, EndpointError):
    """The endpoint refused the query (HTTP 400): the user's query is wrong, the server says why."""


class RemoteTimeoutError(QueryTimeoutError, EndpointError):
    """The endpoint did not answer within settings.query_timeout."""


class PushVerificationError(EndpointError):
    """After an upload, the server holds other triple counts than the build (`result` says which)."""

    result = None  # the push.PushResult, attached by push()


class NotAcceptableError(QueryError):
    """No format the client accepts can hold this result (HTTP 406); the message names the offered ones."""


class ServerBusyError(TehgraphError):
    """A public query was turned away before it ran: its client already runs as many as it may (429),
    or every query worker is taken (503). `retry_after` is the seconds to wait, for Retry-After."""

    def __init__(self, message: str, status: int = 503, retry_after: int = 1):
        self.status, self.retry_after = status, retry_after
        super().__init__(message)


class ReleaseMismatchError(DistMissingError):
    """The store loaded from dist/ does not hold what the build says it wrote (counts, checksums)."""
