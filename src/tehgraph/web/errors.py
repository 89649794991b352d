"""Error pages (400, 404, 500): a clear message in the reader's language, never a traceback or path."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from ..errors import ParameterError, QueryError, TehgraphError
from .i18n import MESSAGES, translate


def _page(code: int, message: str | None):
    key = f"error_{code}"
    title = translate(key) if key in MESSAGES else HTTP_STATUS_CODES.get(code, "Error")
    return render_template("error.html", code=code, title=title, message=message), code


def http_error(error: HTTPException):
    # werkzeug's default descriptions are generic English; ours (abort(..., description=)) are kept.
    described = error.description if error.description != type(error).description else None
    return _page(error.code or 500, described)


def user_error(error: TehgraphError):
    """Errors a reader caused (a bad parameter or query) are 400 with the library's message."""
    if isinstance(error, (ParameterError, QueryError)):
        return _page(400, str(error))
    return server_error(error)


def server_error(error: Exception):
    """Anything unexpected: logged in full on the server, a bare 500 page for the client."""
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    return _page(500, None)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(TehgraphError, user_error)
    app.register_error_handler(
        InternalServerError, lambda e: server_error(getattr(e, "original_exception", e))
    )
    app.register_error_handler(Exception, server_error)
