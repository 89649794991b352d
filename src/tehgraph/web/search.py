"""The search page, the header's type-ahead and the parameter pickers, over the full-text index.

The engine is tehgraph.search (SQLite FTS5, French stemming, built from the graph into
dist/search.sqlite, or at start when the build has none: state.open_search_index). This module
only reads the request, asks the index, and shapes the answer: a page (ranked hits with their
matched words marked, facets by class, suggestions when nothing is found, pages of results), a
download (CSV, JSON), or JSON for scripts: `/search/pick?q=&class=` answers
[{iri, label, class, class_label, url}] for the header's type-ahead and the saved queries' pickers.
"""

from __future__ import annotations

import math

from flask import Blueprint, jsonify, render_template, request

from ..errors import ParameterError
from ..namespaces import expand, shorten
from ..search import to_html
from .helpers import link, state, table_download, wanted_format
from .i18n import current_language

bp = Blueprint("search", __name__, url_prefix="/search")

MAX_QUERY = 200  # characters of a query read
PER_PAGE = 20
MAX_PAGE = 50
DOWNLOAD_ROWS = 200
PICK_LIMIT, MAX_PICK = 10, 50


def class_filter(values: list[str]) -> list[str]:
    """Class IRIs from `class=` arguments (CURIEs or IRIs); what is not a known class is dropped."""
    st = state()
    found = []
    for value in values[:10]:
        try:
            iri = str(expand(value.strip()))
        except ParameterError:
            continue
        if iri in st.ontology.classes:
            found.append(iri)
    return found


def with_subclasses(classes: list[str]) -> list[str]:
    """The classes and all their subclasses: the index knows each resource's most specific one."""
    onto = state().ontology
    return sorted({c for cls in classes for c in (cls, *onto.subclasses(cls))})


def hit_row(hit, lang: str) -> dict:
    st = state()
    return {
        "iri": hit.iri,
        "label": hit.label_text,
        "class": hit.cls,
        "class_label": st.label(hit.cls, lang),
        "url": link(hit.iri),
    }


@bp.get("/")
def results():
    st, lang = state(), current_language()
    query = request.args.get("q", "")[:MAX_QUERY]
    wanted = class_filter(request.args.getlist("class"))
    fmt = wanted_format()
    page = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    limit, offset = (DOWNLOAD_ROWS, 0) if fmt else (PER_PAGE, (page - 1) * PER_PAGE)
    found = st.search.search(query, limit=limit, offset=offset, classes=wanted or None, lang=lang)
    st.learn([*(h.iri for h in found.hits), *(h.cls for h in found.hits), *found.facets])  # one query
    if fmt:
        rows = [
            {
                "iri": h.iri,
                "label": h.label_text,
                "class": st.label(h.cls, lang),
                "field": h.passage_field or "label",
                "text": "".join(s.text for s in h.snippet) or h.label_text,
            }
            for h in found.hits
        ]
        return table_download(["iri", "label", "class", "field", "text"], rows, fmt, "search")
    facets = [
        {"class": cls, "curie": shorten(cls), "label": st.label(cls, lang), "count": n, "on": cls in wanted}
        for cls, n in found.facets.items()
    ]
    return render_template(
        "search.html",
        query=query,
        result=found,
        facets=facets,
        wanted=wanted,
        page=page,
        pages=min(MAX_PAGE, max(1, math.ceil(found.total / PER_PAGE))),
        to_html=to_html,
        passage_lang={h.iri: passage_language(h) for h in found.hits},
    )


def passage_language(hit) -> str:
    """The language of a hit's passage: the corpus is French (quotes, descriptions, titles), but a
    label passage may be the resource's English name, shown on a French page as such."""
    if hit.passage_field == "label":
        text = "".join(s.text for s in hit.snippet).strip(" …")
        for language, shown in state().labels.get(hit.iri, {}).items():
            if language and text and text in shown:
                return language
    return "fr"


@bp.get("/pick")
def pick():
    """Resources whose names match what is typed: JSON for the type-ahead and the query pickers.
    `class=` (repeatable, CURIE or IRI) keeps resources of those classes and their subclasses."""
    lang = current_language()
    query = request.args.get("q", "")[:MAX_QUERY]
    classes = class_filter(request.args.getlist("class"))
    if request.args.getlist("class") and not classes:
        return jsonify([])  # only unknown classes asked for: nothing is of them
    limit = min(max(1, request.args.get("limit", PICK_LIMIT, type=int)), MAX_PICK)
    hits = state().search.pick(query, classes=with_subclasses(classes) or None, limit=limit, lang=lang)
    return jsonify([hit_row(h, lang) for h in hits])
