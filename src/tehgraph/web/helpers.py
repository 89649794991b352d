"""Small helpers shared by blueprints and templates: state, labels, links, downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache

from flask import Response, abort, current_app, request, url_for
from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef

from ..namespaces import ID, TEH, shorten
from .i18n import current_language, translate
from .state import WebState


def state() -> WebState:
    return current_app.extensions["tehgraph"]


def label(iri) -> str:
    return state().label(iri, current_language())


def short_label(iri) -> str:
    """A short name where space is scarce: « m. 8 (2014-2016) » for a measure, else its label."""
    found = state().short.get(str(iri))
    return translate("measure_short", n=found[0], plan=found[1]) if found else label(iri)


def entity_path(iri) -> str | None:
    """The part of an IRI after id/, or None when it is not a tehgraph resource."""
    text = str(iri)
    return text[len(str(ID)) :] if text.startswith(str(ID)) and len(text) > len(str(ID)) else None


def link(iri) -> str | None:
    """Where a resource is shown: its entity page, the browse page of a class, or the IRI itself."""
    path = entity_path(iri)
    if path is not None:
        return _page_url(request.script_root, request.args.get("lang"), path)
    if str(iri) in state().ontology.classes and str(iri).startswith(str(TEH)):
        return url_for("browse.listing", curie=shorten(str(iri)))
    if str(iri).lower().startswith(("http://", "https://")):  # never javascript:, data: and the like
        return str(iri)
    return None


@lru_cache(maxsize=1 << 16)
def _page_url(script_root: str, lang: str | None, path: str) -> str:
    """url_for of an entity page, remembered: a page links ~80 resources at ~17 µs each, and what
    url_for gives depends only on these three (the app's root, the `?lang=` links keep, the path)."""
    return url_for("entity.page", path=path)


def lang_attr(term) -> Markup:
    """` lang="fr"` where a term is shown in the other language than the page's (a French-only
    title on an English page), so that screen readers and translators know; else nothing."""
    page = current_language()
    if isinstance(term, Literal):
        shown = term.language if term.language and term.language != page else None
    elif isinstance(term, URIRef) or is_iri(term):
        shown = state().label_language(term, page)
    else:
        shown = None
    return Markup(' lang="%s"') % shown if shown else Markup("")


def display(term) -> str:
    """Text of a term for people: a label for IRIs, the lexical form for literals."""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return "…"
    return label(term)


def source_url(doc, start=None, end=None) -> str | None:
    """Link into a source page, landing on the quoted lines (#L120 or #L120-L122)."""
    path = entity_path(doc)
    if path is None or not path.startswith("doc/"):
        return None
    anchor = None
    if start is not None:
        anchor = f"L{int(start)}" if end is None or int(end) == int(start) else f"L{int(start)}-L{int(end)}"
    return url_for("sources.page", slug=path[len("doc/") :], _anchor=anchor)


def number(value: float, digits: int = 0) -> str:
    """A number in the reader's way: « 1 234,5 » in French, « 1,234.5 » in English."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if current_language() == "fr" else text


EMPHASIS = re.compile(r"\*\*(.+?)\*\*", re.S)


def emphasis(text) -> Markup:
    """A quote as its document prints it: the sources mark emphasis with **…** (Markdown), shown
    as bold, never as asterisks; everything else escaped."""
    parts, at = [], 0
    source = str(text)
    for found in EMPHASIS.finditer(source):
        parts += [escape(source[at : found.start()]), Markup("<strong>%s</strong>") % found[1]]
        at = found.end()
    parts.append(escape(source[at:].replace("**", "")))
    return Markup("").join(parts)


def natural_key(text: str) -> list:
    """Sort key that puts « Mesure 2 » before « Mesure 10 »."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def wanted_format(allowed: tuple[str, ...] = ("csv", "json")) -> str | None:
    """The download format asked by `?format=`; a wrong one is a 400, not a silent HTML page."""
    fmt = request.args.get("format")
    if fmt is None or fmt == "html":
        return None
    if fmt not in allowed:
        abort(400, description=f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def table_download(columns: list[str], rows: list[dict], fmt: str, filename: str) -> Response:
    """A list as CSV (csv module) or JSON (json module), served as an attachment."""
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2)
        mime = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        body, mime = buffer.getvalue(), "text/csv"
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (None removes one)."""
    args = {k: v for k, v in request.args.items()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def is_iri(term) -> bool:
    """True for IRIs, whether rdflib terms or plain strings kept by a page."""
    return isinstance(term, URIRef) or (type(term) is str and term.startswith(("http://", "https://")))
