"""Error pages for a web app over a remote endpoint: the endpoint failing is not the reader's fault.

`register_endpoint_errors(app)` makes every EndpointError a page naming the endpoint, with 502 (the
endpoint failed or is unreachable), 504 (it timed out) or 400 (it refused the reader's query), while
the app keeps serving every page that does not need the endpoint. The page is the app's own
`error.html` (variables code, title, message) when it has one, else plain text.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template
from jinja2 import TemplateNotFound
from werkzeug.http import HTTP_STATUS_CODES

from .errors import EndpointError, QueryError, QueryTimeoutError


def status_of(error: EndpointError) -> int:
    if isinstance(error, QueryError):
        return 400
    if isinstance(error, QueryTimeoutError):
        return 504
    return 502


def endpoint_error(error: EndpointError):
    code = status_of(error)
    current_app.logger.warning("remote endpoint failed: %s", error)
    title = HTTP_STATUS_CODES.get(code, "Error")
    try:
        return render_template("error.html", code=code, title=title, message=str(error)), code
    except TemplateNotFound:
        return Response(f"{code} {title}\n\n{error}\n", status=code, mimetype="text/plain")


def register_endpoint_errors(app: Flask) -> None:
    """Register the handler; Flask picks it over a handler for TehgraphError (more specific class)."""
    app.register_error_handler(EndpointError, endpoint_error)
