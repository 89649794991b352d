"""Error pages (400, 404, 500, and 502/504 when a remote endpoint fails): a clear message in the
reader's language, never a traceback or path. An endpoint failing is not the reader's fault: its
page names the endpoint, and every page that does not need it keeps being served."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from ..errors import EndpointError, ParameterError, QueryError, QueryTimeoutError, TehgraphError
from .i18n import MESSAGES, translate


def _page(code: int, message: str | None):
    key = f"error_{code}"
    title = translate(key) if key in MESSAGES else HTTP_STATUS_CODES.get(code, "Error")
    return render_template("error.html", code=code, title=title, message=message), code


def http_error(error: HTTPException):
    # werkzeug's default descriptions are generic English; ours (abort(..., description=)) are kept.
    described = error.description if error.description != type(error).description else None
    # The exception's own headers are kept (a 405's Allow, RFC 9110), not its Content-Type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return (*_page(error.code or 500, described), headers)


def user_error(error: TehgraphError):
    """Errors a reader caused (a bad parameter or query) are 400 with the library's message."""
    if isinstance(error, (ParameterError, QueryError)):
        return _page(400, str(error))
    return server_error(error)


def endpoint_error(error: EndpointError):
    """400 when the endpoint refused the reader's query, 504 on its timeout, 502 otherwise."""
    code = 400 if isinstance(error, QueryError) else 504 if isinstance(error, QueryTimeoutError) else 502
    current_app.logger.warning("remote endpoint failed: %s", error)
    return _page(code, str(error))


def server_error(error: Exception):
    """Anything unexpected: logged in full on the server, a bare 500 page for the client."""
    current_app.logger.exception("unhandled error", exc_info=error)
    return _page(500, None)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(TehgraphError, user_error)
    app.register_error_handler(EndpointError, endpoint_error)
    app.register_error_handler(
        InternalServerError, lambda e: server_error(getattr(e, "original_exception", e))
    )
    app.register_error_handler(Exception, server_error)
