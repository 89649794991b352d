"""What makes the web app safe to put on the public web, in one place, registered by create_app.

Every response gets the security headers (a Content-Security-Policy that allows no inline script
or style, nosniff, no framing, a strict referrer policy) and an `X-Request-ID` (the client's, when
it is a plain token, else a new one) that is also written in every log line of the request, so
that a reader's report of a failed page can be found in the log without showing them anything
of the server. CORS is open on the read-only data endpoints only, and closed elsewhere even when a
blueprint opened it. A query past the time limit is a 503 with a clear message; one turned away by
the pool's admission (stores/guarded.py) is a 429 or 503 with Retry-After.

Links the app writes about itself (VoID, the service description, the editor, redirects) use the
configured `public_base_url`, never the request's Host header: `PublicBase` rewrites the WSGI
environment of every request before Flask reads it. Without that setting, the redirects of the
routing (`/browse` → `/browse/`), which Werkzeug writes absolute from the Host, are made relative.
"""

from __future__ import annotations

import logging
import re
import urllib.parse
import uuid

from flask import Flask, Response, current_app, g, has_request_context, render_template, request

from ..config import Settings
from ..errors import QueryTimeoutError, ServerBusyError
from ..stores.guarded import CLIENT
from .i18n import translate

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Read-only data endpoints open to scripts of other sites: the SPARQL endpoint, resources, dumps, VoID,
# and the reconciliation service (OpenRefine's page fetches its manifest and suggestions itself).
CORS_PATHS = re.compile(
    r"^/(sparql|void|\.well-known/void|ontology\.[a-z]+|reconcile)$|^/(id|dumps|reconcile)/"
)
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "Content-Type, X-Request-ID, Tehgraph-Truncated, Tehgraph-Version",
    "Access-Control-Max-Age": "86400",
}
REQUEST_ID = "X-Request-ID"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str:
    """The id of the current request ("-" outside a request)."""
    return getattr(g, "request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Puts the request id in every record of the app's logger, whatever handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        if not getattr(record, "_tagged", False):
            record.msg, record._tagged = f"[request {record.request_id}] {record.msg}", True
        return True


def assign_request_id() -> None:
    sent = request.headers.get(REQUEST_ID, "")
    g.request_id = sent if _CLIENT_ID.match(sent) else uuid.uuid4().hex


def client_of(settings: Settings) -> str:
    """Who sent the request, for the per-client limits: the configured header (a proxy's), else the peer."""
    if settings.client_header:
        sent = request.headers.get(settings.client_header, "").split(",")[0].strip()
        if sent:
            return sent[:64]
    return request.remote_addr or "-"


class PublicBase:
    """WSGI middleware: every request seen as made to `base` (scheme, host, path prefix)."""

    def __init__(self, app, base: str):
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"public_base_url must be an http(s) URL, not {base!r}")
        self.app, self.scheme, self.host, self.name = app, parts.scheme, parts.netloc, parts.hostname
        self.port = str(parts.port or (443 if parts.scheme == "https" else 80))
        self.prefix = parts.path.rstrip("/")

    def __call__(self, environ, start_response):
        environ.update(
            {
                "wsgi.url_scheme": self.scheme,
                "HTTP_HOST": self.host,
                "SERVER_NAME": self.name,
                "SERVER_PORT": self.port,
                "SCRIPT_NAME": self.prefix,
            }
        )
        return self.app(environ, start_response)


def add_headers(response: Response) -> Response:
    location = response.headers.get("Location", "")
    if 300 <= response.status_code < 400 and location.startswith(request.host_url):
        response.headers["Location"] = "/" + location[len(request.host_url) :]
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers[REQUEST_ID] = request_id()
    if CORS_PATHS.match(request.path):
        response.headers.update(CORS_HEADERS)
    else:
        for name in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
            del response.headers[name]
    return response


def timeout_error(error: QueryTimeoutError):
    """503: the query was stopped (or no worker was free); plain text for SPARQL clients."""
    current_app.logger.warning("query stopped: %s", error)
    if request.path.startswith("/sparql") and not request.path.startswith("/sparql/editor"):
        return Response(f"{error}\n", status=503, content_type="text/plain; charset=utf-8")
    return render_template("error.html", code=503, title=translate("error_503"), message=str(error)), 503


def busy_error(error: ServerBusyError):
    """429 (this client runs too many queries) or 503 (the pool is full), with Retry-After."""
    current_app.logger.info("query turned away (%s): %s", error.status, error)
    if request.path.startswith("/sparql") and not request.path.startswith("/sparql/editor"):
        response = Response(f"{error}\n", status=error.status, content_type="text/plain; charset=utf-8")
    else:
        title = translate("error_503") if error.status == 503 else "429"
        page = render_template("error.html", code=error.status, title=title, message=str(error))
        response = Response(page, status=error.status, content_type="text/html; charset=utf-8")
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def register(app: Flask, settings: Settings) -> None:
    """Install the hooks, limits and logging on `app`."""
    # Queries sent by POST may be large (SPARQL clients send tens of kB): the body has its own bound.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    if settings.public_base_url:
        app.wsgi_app = PublicBase(app.wsgi_app, settings.public_base_url)
    app.before_request(assign_request_id)

    @app.before_request
    def note_client() -> None:
        CLIENT.set(client_of(settings))

    app.after_request(add_headers)
    app.register_error_handler(QueryTimeoutError, timeout_error)
    app.register_error_handler(ServerBusyError, busy_error)
    app.context_processor(lambda: {"request_id": request_id()})
    if not any(isinstance(f, RequestIdFilter) for f in app.logger.filters):
        app.logger.addFilter(RequestIdFilter())
