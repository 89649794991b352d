"""Responses every blueprint writes the same way: media types with their charset, plain-text errors, RDF."""

from __future__ import annotations

from flask import Response
from rdflib import Graph

from ..formats import Format
from ..namespaces import bind_prefixes


def content_type(fmt: Format) -> str:
    """The media type of a format; text types say their charset (always UTF-8 here)."""
    return fmt.mime + ("; charset=utf-8" if fmt.mime.startswith("text/") else "")


def plain_error(status: int, message: str) -> Response:
    """An error as SPARQL and linked-data clients expect it: plain text, no page around it."""
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def rdf_response(graph: Graph, fmt: Format, negotiated: bool) -> Response:
    """A graph in one of the graph formats; `negotiated` responses vary on Accept."""
    bind_prefixes(graph)
    response = Response(graph.serialize(format=fmt.rdflib, encoding="utf-8"), content_type=content_type(fmt))
    if negotiated:
        response.vary.add("Accept")
    return response
