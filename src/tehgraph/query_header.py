"""The parts of a saved query's `#+` header that are more than text: labels, views, dependencies.

Kept apart from catalog.py (which reads parameters and runs queries) so each stays small. Every
function takes the YAML value as read and the file name for the LoadError it raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import URIRef

from .errors import LoadError, ParameterError
from .namespaces import expand
from .rqfile import safe_load_yaml

VIEW_KINDS = ("table", "bar", "heatmap", "timeline", "graph")
LABELS_FILE = "labels.yaml"


@dataclass(frozen=True)
class Dependency:
    """A property the answer depends on; `any_scope`: a gap on it applies whatever the parameters."""

    property: URIRef
    any_scope: bool = False


def as_lang_map(value, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"fr": value}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    raise LoadError(where, "title and description must be text or a {fr: ..., en: ...} map")


def columns(value, where: str) -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    """Column names and their labels: a list of names, or a map name -> {fr, en} (or French text)."""
    if value is None:
        return (), {}
    if isinstance(value, list):
        return tuple(str(c) for c in value), {}
    if isinstance(value, dict):
        labels = {str(k): as_lang_map(v, where) for k, v in value.items() if v is not None}
        return tuple(str(k) for k in value), labels
    raise LoadError(where, "columns must be a list of names or a map name: {fr: ..., en: ...}")


def views(value, where: str) -> tuple[tuple[str, dict], ...]:
    """The result views: a list of kinds, or a map kind -> options (columns to draw)."""
    if value is None:
        return (("table", {}),)
    items = [(v, {}) for v in value] if isinstance(value, list) else list((value or {}).items())
    for kind, options in items:
        if kind not in VIEW_KINDS or not isinstance(options, dict | type(None)):
            raise LoadError(where, f"views: {kind!r} is not one of {', '.join(VIEW_KINDS)}")
    views = tuple((str(k), dict(o or {})) for k, o in items)
    return views if views[0][0] == "table" else (("table", {}), *views)


def depends_on(value, where: str) -> tuple[Dependency, ...]:
    found = []
    for item in value or ():
        spec = item if isinstance(item, dict) else {"property": item}
        try:
            found.append(Dependency(expand(str(spec["property"])), spec.get("scope") == "any"))
        except (KeyError, ParameterError):
            raise LoadError(
                where, f"depends_on: {item!r} is not a property (teh:... or {{property, scope}})"
            ) from None
    return tuple(found)


def read_labels(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """`queries/labels.yaml`: fr/en labels of column names and tags shared by many queries."""
    path = Path(folder) / LABELS_FILE
    if not path.is_file():
        return {}
    try:
        data = safe_load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise LoadError(path, f"not valid YAML: {error}") from None
    return {
        section: {str(k): as_lang_map(v, str(path)) for k, v in (data.get(section) or {}).items()}
        for section in ("columns", "tags")
    }
