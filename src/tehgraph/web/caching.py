"""Compression and HTTP caching of what the app serves, both following the build being served.

Pages, resources and data files change only when a new build is served, so their validator is
made from the build's release tag (release.py) and the request (path, query, language, Accept):
a browser or proxy that sends it back gets a 304 before anything is rendered. Compression is
flask-compress (gzip), after the validator is set; the ETag is weak, as the same page is sent
gzipped or not. Public SPARQL answers are left to the endpoint (they depend on the request body).
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress

from . import response_cache
from .i18n import current_language

MAX_AGE = 300  # seconds a browser may reuse a page without asking again
# Media types worth compressing: HTML, CSS, scripts, JSON, and every RDF and results format.
COMPRESSED = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/tab-separated-values",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/sparql-results+json",
    "application/sparql-results+xml",
]
UNCACHED = ("/sparql",)  # the endpoint answers POSTed queries; its own rules apply


def _cacheable() -> bool:
    return request.method in ("GET", "HEAD") and not request.path.startswith(UNCACHED)


def etag() -> str:
    """The validator of this request's answer under the build being served."""
    release = current_app.extensions["tehgraph.release"]
    key = "|".join((release.tag, request.full_path, current_language(), request.headers.get("Accept", "")))
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def not_modified() -> Response | None:
    """A 304 when the client already holds this build's answer (checked before rendering)."""
    if not _cacheable():
        return None
    g.etag = etag()
    if request.if_none_match.contains_weak(g.etag):  # If-None-Match compares weakly (RFC 9110)
        response = Response(status=304)
        response.set_etag(g.etag, weak=True)
        return response
    return None


def add_validators(response: Response) -> Response:
    tag = getattr(g, "etag", None)
    if tag and response.status_code == 200 and "ETag" not in response.headers:
        response.set_etag(tag, weak=True)
        response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
    return response


def register(app: Flask, response_cache_mb: int = 0) -> None:
    """Validators on pages and data, the answers kept whole, then gzip (after_request hooks run
    last-registered first: validators, then keeping, then compression)."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED)
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)  # dumps are sent as files, with their length
    Compress(app)
    response_cache.register(app, response_cache_mb * 2**20)
    app.after_request(add_validators)
