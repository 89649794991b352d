"""A BuildDiff as a readable list, as JSON, and as Turtle (PROV-O and VoID: the change set as data)."""

from __future__ import annotations

import json

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, VOID, XSD
from rdflib.term import Node

from ..namespaces import SD, bind_prefixes
from .compare import BuildDiff, Change, Item, PropertyChange, Value, short

_WIDTH = 160


def as_text(diff: BuildDiff) -> str:
    old, new = diff.old, diff.new
    lines = [f"tehgraph diff {old.dist} → {new.dist}"]
    if diff.identical:
        lines.append(
            f"No change: {new.total} triples in {len(new.graphs)} named graphs, the same in both builds."
        )
        return "\n".join(lines) + "\n"
    changed = [g for g in diff.graphs if g.changed]
    lines.append(
        f"{old.total} → {new.total} triples: +{diff.added} −{diff.removed}, "
        f"in {len(changed)} of {len(diff.graphs)} named graphs"
    )
    width = max(len(short(g.graph)) for g in changed)
    for g in changed:
        lines.append(f"  {short(g.graph):<{width}}  {g.old:>6} → {g.new:<6}  +{g.added:<5} −{g.removed}")
    reported = [change for change in diff.changes if change.items]
    for change in reported:
        lines += ["", f"{change.rule.label()} ({len(change.items)})"]
        for item in change.items:
            lines += _item_lines(change, item)
    if not reported:
        lines += ["", "None of these triples is a change the report names in words (changes.yaml)."]
    return "\n".join(lines) + "\n"


def _item_lines(change: Change, item: Item) -> list[str]:
    where = "; ".join([short(str(item.iri)), *item.graphs])
    lines = [f"  - {_cut(item.label)}  ({where})"]
    listing = change.rule.kind in ("new", "removed")
    for prop in item.properties:
        if listing:
            values = prop.added or prop.removed
            lines.append(f"      {prop.label}: {', '.join(_cut(v.label) for v in values)}")
            continue
        if change.rule.kind == "changed" and prop.added and prop.removed:
            was, now = (
                ", ".join(_cut(v.label) for v in prop.removed),
                ", ".join(_cut(v.label) for v in prop.added),
            )
            lines.append(f"      {prop.label}: {was} → {now}")
            continue
        lines += [f"      + {prop.label}: {_cut(v.label)}" for v in prop.added]
        lines += [f"      − {prop.label}: {_cut(v.label)}" for v in prop.removed]
    return lines


def _cut(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def as_json(diff: BuildDiff) -> str:
    data = {
        "old": {"dist": str(diff.old.dist), "triples": diff.old.total},
        "new": {"dist": str(diff.new.dist), "triples": diff.new.total},
        "identical": diff.identical,
        "triples": {"added": diff.added, "removed": diff.removed},
        "graphs": [vars(g) for g in diff.graphs],
        "changes": [
            {
                "key": change.rule.key,
                "kind": change.rule.kind,
                "label": change.rule.labels,
                "items": [_item_json(item) for item in change.items],
            }
            for change in diff.changes
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _item_json(item: Item) -> dict:
    return {
        "iri": str(item.iri),
        "label": item.label,
        "graphs": list(item.graphs),
        "properties": [
            {
                "property": str(p.property),
                "label": p.label,
                "added": [_value_json(v) for v in p.added],
                "removed": [_value_json(v) for v in p.removed],
            }
            for p in item.properties
        ],
    }


def _value_json(value: Value) -> dict:
    term = value.term
    if not isinstance(term, Literal):
        return {"iri": str(term), "label": value.label}
    out = {"literal": str(term), "label": value.label}
    if term.language:
        out["lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def as_graph(diff: BuildDiff) -> Graph:
    """The change set: a prov:Activity from the old build to the new, counts per named graph as
    void:Dataset nodes, and one prov:Collection per reported kind of change."""
    graph = Graph()
    bind_prefixes(graph)
    activity = BNode("changes")
    old, new = _build_node(graph, diff.old), _build_node(graph, diff.new)
    graph.add((new, PROV.wasRevisionOf, old))
    graph.add((new, PROV.wasGeneratedBy, activity))
    for triple in (
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"Changes from {diff.old.dist} to {diff.new.dist}", lang="en")),
        (activity, PROV.used, old),
        (activity, PROV.generated, new),
        (activity, DCTERMS.description, Literal(_summary(diff), lang="en")),
    ):
        graph.add(triple)
    for g in diff.graphs:
        for count, verb, link in (
            (g.added, "added to", PROV.wasGeneratedBy),
            (g.removed, "removed from", PROV.wasInvalidatedBy),
        ):
            if count:
                part = BNode()
                graph.add((part, RDF.type, VOID.Dataset))
                graph.add((part, RDFS.label, Literal(f"Triples {verb} {short(g.graph)}", lang="en")))
                graph.add((part, SD.name, URIRef(g.graph)))
                graph.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
                graph.add((part, link, activity))
    for change in diff.changes:
        if change.items:
            _collection(graph, activity, change)
    return graph


def as_turtle(diff: BuildDiff) -> str:
    return as_graph(diff).serialize(format="turtle")


def _build_node(graph: Graph, snapshot) -> URIRef:
    node = URIRef((snapshot.dist.resolve() / "tehgraph.nq").as_uri())
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, VOID.triples, Literal(snapshot.total, datatype=XSD.integer)))
    return node


def _collection(graph: Graph, activity: Node, change: Change) -> None:
    node = BNode()
    graph.add((activity, PROV.generated, node))
    graph.add((node, RDF.type, PROV.Collection))
    graph.add((node, DCTERMS.identifier, Literal(change.rule.key)))
    for lang, text in change.rule.labels.items():
        graph.add((node, RDFS.label, Literal(text, lang=lang)))
    graph.add((node, VOID.entities, Literal(len(change.items), datatype=XSD.integer)))
    for item in change.items:
        member = BNode()
        graph.add((node, PROV.hadMember, member))
        graph.add((member, RDF.type, PROV.Entity))
        graph.add((member, PROV.specializationOf, item.iri))
        graph.add((member, RDFS.label, Literal(item.label)))
        for prop in item.properties:
            graph.add((member, RDFS.comment, Literal(_comment(change, prop))))


def _comment(change: Change, prop: PropertyChange) -> str:
    added, removed = ", ".join(v.label for v in prop.added), ", ".join(v.label for v in prop.removed)
    if change.rule.kind == "new":
        return f"{prop.label}: {added}"
    if change.rule.kind == "removed":
        return f"{prop.label}: {removed}"
    if added and removed:
        return f"{prop.label}: {removed} → {added}"
    return f"{prop.label}: " + (f"+ {added}" if added else f"− {removed}")


def _summary(diff: BuildDiff) -> str:
    changed = sum(1 for g in diff.graphs if g.changed)
    return f"{diff.added} triples added, {diff.removed} removed, in {changed} named graphs"


RENDERERS = {"text": as_text, "json": as_json, "turtle": as_turtle}
