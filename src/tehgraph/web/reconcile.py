"""A W3C Reconciliation Service (API 0.2, the one OpenRefine speaks) over actors, instruments and measures.

A curator with a spreadsheet of organisation names adds `…/reconcile` as a service in OpenRefine
and gets, for each cell, candidates with their tehgraph IRI, a score and a sure match when the
name is a label or an acronym (search/reconcile.py does the matching; this module speaks the
protocol). GET `/reconcile` is the service manifest; `?queries=` (GET or POST form, or a JSON
body) a batch `{"q0": {"query": "CCEM", "type": "…#Actor", "limit": 3}, …}`; `?query=` one query
(API 0.1). Types are the classes of the three families and their subclasses; a type outside them
finds nothing. Previews (a small page OpenRefine frames) and views (the entity page) take the IRI.
Bad input is a 400 with a JSON message, never a 500. CORS is open (security.py): OpenRefine's
page fetches the manifest and the suggestions itself.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for

from ..errors import ParameterError
from ..namespaces import ID, expand
from ..search.reconcile import reconcile
from ..search.text import fold
from .helpers import entity_path, state
from .i18n import current_language, translate
from .releases import current_release
from .search_index import search_index
from .security import CSP

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

# The service's scope (issue 20): who acts, under which law, doing what. Subclasses come from the ontology.
FAMILIES = ("teh:Actor", "teh:LegalInstrument", "teh:Measure")
DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERIES, MAX_TYPES = 5, 25, 100, 20
PREVIEW = {"width": 420, "height": 180}
# OpenRefine shows previews in a frame of its own page: this page alone may be framed.
PREVIEW_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


class BadRequest(ValueError):
    """A malformed batch: answered 400 with the message, as JSON."""


def families() -> dict[str, set[str]]:
    """Each family's root class IRI → the root and all its subclasses."""
    ontology = state().ontology
    roots = [str(expand(curie)) for curie in FAMILIES]
    return {root: {root, *ontology.subclasses(root)} for root in roots}


def classes_for(types: list[str]) -> set[str]:
    """The classes to search for the asked types (all three families when none is asked)."""
    known = families()
    if not types:
        return set().union(*known.values())
    found: set[str] = set()
    for asked in types:
        try:
            iri = str(expand(asked))
        except ParameterError:
            continue  # an unknown type finds nothing, like a type outside the families
        for members in known.values():
            if iri in members:
                found |= {iri, *state().ontology.subclasses(iri)}
    return found


def type_entry(cls: str) -> dict:
    return {"id": cls, "name": state().label(cls, current_language())}


def answer(query: dict) -> list[dict]:
    """One query's candidates, as the API writes them."""
    text, types, limit = _checked(query)
    classes = classes_for(types)
    if not classes:
        return []
    return [
        {
            "id": c.iri,
            "name": c.name,
            "score": c.score,
            "match": c.match,
            "type": [type_entry(c.cls)],
        }
        for c in reconcile(search_index(), text, classes, limit, current_language())
    ]


def _checked(query: object) -> tuple[str, list[str], int]:
    if not isinstance(query, dict):
        raise BadRequest('each query is an object such as {"query": "CCEM"}')
    text = query.get("query", "")
    if not isinstance(text, str):
        raise BadRequest('"query" is a string')
    types = query.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or len(types) > MAX_TYPES or not all(isinstance(t, str) for t in types):
        raise BadRequest(f'"type" is a type id or a list of at most {MAX_TYPES} type ids')
    limit = query.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0:
        raise BadRequest('"limit" is a number of candidates, 0 or more')
    return text, types, min(int(limit), MAX_LIMIT)


def _batch(raw: str | None) -> dict:
    body = raw if raw is not None else (request.get_data(as_text=True) if request.is_json else None)
    try:
        batch = json.loads(body)
    except (TypeError, ValueError) as error:
        raise BadRequest(f"queries is not JSON: {error}") from None
    if isinstance(batch, dict) and isinstance(batch.get("queries"), dict) and raw is None:
        batch = batch["queries"]  # a JSON body {"queries": {...}}
    if not isinstance(batch, dict):
        raise BadRequest('queries is a JSON object of named queries: {"q0": {"query": "CCEM"}}')
    if len(batch) > MAX_QUERIES:
        raise BadRequest(f"at most {MAX_QUERIES} queries in one batch")
    return batch


def _single(raw: str) -> dict:
    """API 0.1's `query=`: a name, or one query as JSON."""
    try:
        query = json.loads(raw)
    except ValueError:
        return {"query": raw}
    return query if isinstance(query, dict) else {"query": raw}


@bp.route("", methods=["GET", "POST"])
def service():
    try:
        if "queries" in request.values or (request.method == "POST" and request.is_json):
            batch = _batch(request.values.get("queries"))
            return jsonify({key: {"result": answer(query)} for key, query in batch.items()})
        if "query" in request.values:
            return jsonify({"result": answer(_single(request.values["query"]))})
    except BadRequest as error:
        return jsonify({"error": str(error)}), 400
    return jsonify(manifest())


def manifest() -> dict:
    """What the service offers (API 0.2 manifest)."""
    root = url_for("reconcile.service", _external=True)
    base = root[: -len("/reconcile")]
    return {
        "versions": ["0.1", "0.2"],
        "name": translate("reconcile_name"),
        "identifierSpace": str(ID),
        "schemaSpace": str(expand("teh:")),
        "documentation": url_for("reconcile.help", _external=True),
        "serviceVersion": current_release().version,
        "defaultTypes": [type_entry(root_class) for root_class in families()],
        "view": {"url": root + "/view?id={{id}}"},
        "preview": {"url": root + "/preview?id={{id}}", **PREVIEW},
        "suggest": {
            "entity": {"service_url": base, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": base, "service_path": "/reconcile/suggest/type"},
        },
    }


@bp.get("/suggest/entity")
def suggest_entity():
    """Type-ahead over names: `prefix`, optionally `type`, `cursor` (offset)."""
    prefix, cursor = request.args.get("prefix", "")[:200], _cursor()
    classes = classes_for([request.args["type"]] if request.args.get("type") else [])
    hits = search_index().pick(prefix, classes, limit=cursor + 10, lang=current_language()) if classes else []
    result = [{"id": h.iri, "name": h.label_text, "notable": [type_entry(h.cls)]} for h in hits[cursor:]]
    return jsonify({"result": result})


@bp.get("/suggest/type")
def suggest_type():
    """The classes of the families whose French or English label contains `prefix`."""
    prefix = fold(request.args.get("prefix", "")[:200]).strip()
    labels = state().labels
    found = [
        cls
        for members in families().values()
        for cls in sorted(members)
        if not prefix or any(prefix in fold(text) for text in labels.get(cls, {}).values())
    ]
    return jsonify({"result": [type_entry(cls) for cls in dict.fromkeys(found)]})


def _cursor() -> int:
    raw = request.args.get("cursor", "0")
    return min(int(raw), 1000) if raw.isdigit() else 0


def _known(iri: str) -> str:
    """The entity path of a resource the graph has, else 404."""
    path = entity_path(iri)
    if path is None or iri not in state().types:
        abort(404, description=translate("no_such_resource", iri=iri[:300]))
    return path


@bp.get("/view")
def view():
    return redirect(url_for("entity.page", path=_known(request.args.get("id", ""))), 303)


@bp.get("/preview")
def preview():
    iri = request.args.get("id", "")
    _known(iri)
    st = state()
    page = render_template("reconcile_preview.html", iri=iri, cls=st.most_specific_type(iri))
    response = Response(page, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


@bp.get("/help")
def help():
    """For people who open the service's address: what it is and how to use it in OpenRefine."""
    return render_template("reconcile_help.html", service=url_for("reconcile.service", _external=True))
