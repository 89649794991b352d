"""The table of what `tehgraph diff` reports in words (`changes.yaml`), read into plain records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from rdflib import URIRef

from ..errors import LoadError
from ..namespaces import PREFIXES

KINDS = ("new", "removed", "added", "changed")
TABLE = "changes.yaml"


@dataclass(frozen=True)
class Rule:
    key: str
    labels: dict[str, str]
    kind: str
    classes: tuple[URIRef, ...]
    properties: tuple[URIRef, ...] = ()
    show: tuple[URIRef, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.key


@dataclass(frozen=True)
class Table:
    rules: tuple[Rule, ...]
    label_properties: tuple[URIRef, ...]
    patterns: dict[URIRef, str]


def expand(curie: str) -> URIRef:
    """The IRI of a CURIE of the project's prefix map (teh:Demand → https://w3id.org/…#Demand)."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise LoadError(TABLE, f"{curie!r} is not a CURIE of a known prefix ({', '.join(PREFIXES)})")
    return URIRef(str(PREFIXES[prefix]) + local)


@cache
def load_table() -> Table:
    """The shipped table, checked: every kind known, every term a CURIE."""
    data = yaml.safe_load(resources.files(__package__).joinpath(TABLE).read_text(encoding="utf-8"))
    rules = []
    for entry in data["changes"]:
        if entry["kind"] not in KINDS:
            raise LoadError(TABLE, f"{entry['key']}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        classes = entry["class"] if isinstance(entry["class"], list) else [entry["class"]]
        if entry["kind"] in ("added", "changed") and not entry.get("properties"):
            raise LoadError(TABLE, f"{entry['key']}: kind {entry['kind']} needs properties")
        rules.append(
            Rule(
                entry["key"],
                dict(entry["label"]),
                entry["kind"],
                tuple(expand(c) for c in classes),
                tuple(expand(p) for p in entry.get("properties", [])),
                tuple(expand(p) for p in entry.get("show", [])),
            )
        )
    patterns = {expand(c): text for c, text in data.get("patterns", {}).items()}
    return Table(tuple(rules), tuple(expand(p) for p in data["labels"]), patterns)
