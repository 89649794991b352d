"""An OpenAPI 3 document for the saved queries, generated from their headers (as grlc does).

Each saved query is one operation, `GET /api/queries/<slug>`: its parameters come from `params`
(type, class, enum, default, fr/en description), its response schema from `columns` (every IRI
column has a `<name>_label` beside it, as in the CSV downloads). The document is plain data: the
web shell adds the server URL and, for IRI parameters, the instances of the class as an enum.
"""

from __future__ import annotations

from .catalog import Parameter, SavedQuery
from .namespaces import expand

OPENAPI_VERSION = "3.0.3"
FORMATS = ("json", "csv")
STRING_OR_NULL = {"type": "string", "nullable": True}


def parameter_schema(param: Parameter, instances: list[str] | None = None) -> dict:
    """The JSON schema of one parameter's value."""
    if param.type == "integer":
        schema: dict = {"type": "integer"}
    elif param.type == "date":
        schema = {"type": "string", "format": "date"}
    elif param.enum:
        schema = {"type": "string", "enum": list(param.enum)}
    elif param.type == "iri" and instances:
        schema = {"type": "string", "enum": instances}
    else:
        schema = {"type": "string", "minLength": 1}
    default = param.default
    if default is not None and param.type == "iri":
        default = str(expand(default))
    if default is not None and ("enum" not in schema or default in schema["enum"]):
        schema["default"] = int(default) if param.type == "integer" else default
    return schema


def _parameter(param: Parameter, instances: list[str] | None) -> dict:
    description = param.describe("en") or param.name
    if param.cls is not None:
        description += f" (an IRI or CURIE of a resource of class <{param.cls}>)"
    return {
        "name": param.name,
        "in": "query",
        "required": False if param.default is not None or param.optional else True,
        "description": description,
        "x-description-fr": param.describe("fr"),
        **({"x-class": str(param.cls)} if param.cls is not None else {}),
        "schema": (schema := parameter_schema(param, instances)),
        **({"example": schema["default"]} if "default" in schema else {}),
    }


def row_schema(saved: SavedQuery) -> dict:
    properties = {}
    for name in saved.columns:
        properties[name] = {**STRING_OR_NULL, "description": saved.column_label(name, "en")}
        properties[name + "_label"] = {**STRING_OR_NULL, "description": f"label of {name}, when an IRI"}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def answer_schema(saved: SavedQuery) -> dict:
    gap = {
        "type": "object",
        "required": ["gap", "message"],
        "properties": {
            "gap": {"type": "string"},
            "scope": {"type": "string"},
            "properties": {"type": "array", "items": {"type": "string"}},
            "message": {"type": "string"},
            "note": {"type": "string"},
        },
    }
    return {
        "type": "object",
        "required": ["query", "columns", "count", "rows", "gaps", "truncated"],
        "properties": {
            "query": {"type": "string", "enum": [saved.slug]},
            "title": {"type": "string"},
            "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
            "columns": {"type": "array", "items": {"type": "string"}},
            "count": {"type": "integer", "minimum": 0},
            "truncated": {"type": "boolean"},
            "gaps": {"type": "array", "items": gap},
            "rows": {"type": "array", "items": row_schema(saved)},
        },
    }


ERROR = {
    "description": "error",
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
        }
    },
}


def operation(saved: SavedQuery, instances: dict[str, list[str]]) -> dict:
    common = [
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "json (default) or csv; else the Accept header decides",
            "schema": {"type": "string", "enum": list(FORMATS)},
        },
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "language of labels and notes",
            "schema": {"type": "string", "enum": ["fr", "en"]},
        },
    ]
    return {
        "operationId": saved.slug.replace("-", "_"),
        "summary": saved.label("en"),
        "description": saved.description.get("en", ""),
        "x-summary-fr": saved.label("fr"),
        "tags": list(saved.tags[:1]) or ["queries"],
        "parameters": [_parameter(p, instances.get(p.name)) for p in saved.params] + common,
        "responses": {
            "200": {
                "description": "the rows, with a label beside every IRI, and the corpus gaps that apply",
                "content": {
                    "application/json": {"schema": answer_schema(saved)},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
            "400": ERROR,
            "503": ERROR,
        },
    }


def openapi_document(
    catalog: dict[str, SavedQuery], server: str, instances: dict[str, dict[str, list[str]]] | None = None
) -> dict:
    """The whole document: one path per saved query (instances: slug -> param -> IRIs allowed)."""
    instances = instances or {}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "tehgraph saved queries",
            "version": "1",
            "description": "Every saved SPARQL query of tehgraph as a REST resource: JSON (default) or CSV.",
        },
        "servers": [{"url": server}],
        "paths": {
            f"/api/queries/{slug}": {"get": operation(saved, instances.get(slug, {}))}
            for slug, saved in catalog.items()
            if saved.kind == "SELECT"
        },
    }
