"""`/search/pick?q=&class=`: type-ahead for the parameter pickers, over the search index.

The contract the search page's helper agreed on: a JSON list of `{iri, label, class}`, best first,
at most `limit` (default 10, at most 50) items, optionally only resources of `class` (a CURIE or an
IRI) and its subclasses. A measure's label names its plan (« Mesure 4 — PAN 2014-2016 »): two plans
number their measures alike. The index is the build's `search.sqlite` when the build wrote one;
else it is made once from the store into the app's temporary folder (never into dist/).
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from flask import Blueprint, jsonify, request

from ..errors import ParameterError
from ..namespaces import TEH, expand
from ..search import INDEX_FILE, SearchIndex, build_index
from .helpers import state
from .i18n import current_language, translate

bp = Blueprint("pick", __name__, url_prefix="/search")

MAX_PICK = 50
_LOCK = threading.Lock()


def search_index() -> SearchIndex:
    """The build's index, or one made from the store on first use (kept for the app's life)."""
    st = state()

    def make() -> SearchIndex:
        built = Path(st.settings.dist) / INDEX_FILE
        if built.is_file():
            return SearchIndex(built)
        with _LOCK:
            path = Path(tempfile.mkdtemp(prefix="tehgraph-search-")) / INDEX_FILE
            build_index(st.trusted, path)
        return SearchIndex(path)

    return st.cache.get(("search-index-file",), make)


def measure_plans() -> dict[str, str]:
    return state().cache.get(
        ("measure-plans",), lambda: {str(m): str(p) for m, p in state().run("measure-plans").rows}
    )


def picked_label(iri: str, cls: str, label: str, lang: str) -> str:
    """The label shown in a picker: a measure's label with its plan's short name."""
    plan = measure_plans().get(iri) if cls == str(TEH.Measure) else None
    if plan is None:
        return label
    short = state().label(plan, lang).split(" ")[-1].strip("()")
    return translate("picked_measure", label=label, plan=short)


def pickable_classes() -> set[str]:
    """The ontology's classes, and the classes saved-query parameters ask for (e.g. skos:Concept)."""
    st = state()
    asked = {str(p.cls) for saved in st.catalog.values() for p in saved.params if p.cls is not None}
    return set(st.ontology.classes) | asked


def pick(text: str, cls: str | None, limit: int = 10) -> list[dict]:
    """The type-ahead answer for `text`, only of class `cls` and its subclasses when given."""
    st, lang = state(), current_language()
    classes = None
    if cls:
        classes = [cls, *st.ontology.subclasses(cls)]
    hits = search_index().pick(text, classes=classes, limit=limit, lang=lang)
    return [
        {"iri": h.iri, "label": picked_label(h.iri, h.cls, st.label(h.iri, lang), lang), "class": h.cls}
        for h in hits
    ]


@bp.get("/pick")
def picker():
    """JSON for the pickers; a bad class or limit is a 400 with a message, never a 500."""
    text = request.args.get("q", "")[:200]
    cls = request.args.get("class") or None
    try:
        limit = max(1, min(int(request.args.get("limit", 10)), MAX_PICK))
        cls = str(expand(cls)) if cls else None
    except (ValueError, ParameterError):
        return jsonify({"error": translate("pick_bad_request")}), 400
    if cls is not None and cls not in pickable_classes():
        return jsonify({"error": translate("pick_bad_request")}), 400
    response = jsonify(pick(text, cls, limit))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
