"""What the corpus does not cover, and which saved-query answers that silence would distort.

data/corpus-gaps.ttl holds `teh:CorpusGap`s: a scope (a plan, a document) and the properties no
source gives for its resources. A saved query names in its header the properties its answer
depends on (`depends_on`); a gap applies to a run when one of its properties is among them and
its scope is a value the run was given (the chosen plan), or the run binds no IRI at all (it
answers for every plan), or the dependency says `scope: any`. Every front end (the CLI, the
saved page, the API) prints the messages of the gaps that apply beside the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import builtin
from .catalog import SavedQuery


@dataclass
class Gap:
    """One corpus gap: its IRI, scope, properties, and its message and note in each language."""

    iri: str
    scope: str
    properties: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("fr") or self.iri

    def note(self, lang: str = "en") -> str:
        return self.notes.get(lang) or self.notes.get("fr") or ""

    def as_json(self, lang: str = "en") -> dict:
        return {
            "gap": self.iri,
            "scope": self.scope,
            "properties": sorted(self.properties),
            "message": self.message(lang),
            "note": self.note(lang),
        }


def read_gaps(store) -> list[Gap]:
    """Every corpus gap of the graph behind `store` (one query)."""
    found: dict[str, Gap] = {}
    for row in store.query(builtin.sparql("corpus-gaps")).records():
        gap = found.setdefault(str(row["gap"]), Gap(str(row["gap"]), str(row["scope"])))
        gap.properties.add(str(row["property"]))
        for key, target in (("label", gap.labels), ("note", gap.notes)):
            value = row.get(key)
            if isinstance(value, Literal):
                target.setdefault(value.language or "fr", str(value))
    return list(found.values())


def gaps_for(saved: SavedQuery, bindings: dict[str, Node], gaps: list[Gap]) -> list[Gap]:
    """The gaps that apply to a run of `saved` with these bound parameters."""
    if not saved.depends_on:
        return []
    bound = {str(v) for v in bindings.values() if isinstance(v, URIRef)}
    applying = []
    for gap in gaps:
        for dependency in saved.depends_on:
            if str(dependency.property) not in gap.properties:
                continue
            if dependency.any_scope or gap.scope in bound or not bound:
                applying.append(gap)
                break
    return applying
