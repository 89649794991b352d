"""OWL RL on the store: the instance rules as one SPARQL update per rule family, over the closed schema.

The ontology is small and fixed while the data grows, so the schema (subclass, subproperty, domain,
range, inverse, equivalence axioms, one literal of each datatype the data uses) is read out of the
store and closed by owlrl (schema.py), and what the closed schema makes of instances is computed
first, per predicate, in Python: the properties and directions a triple of `p` implies (prp-spo1,
prp-inv1/2 to their fixpoint), the classes its subject and object get through them (prp-dom,
prp-rng), each class with its superclasses (cax-sco). The data then never crosses into Python:
each family is one `INSERT ... WHERE` that Oxigraph evaluates on its indexes, joining the
predicate table (VALUES) with the quads and writing only what no graph holds yet:

1. the closed schema's own new triples (a few hundred, from Python);
2. cax-sco on stated types: `?s a ?c` gives `?s a ?super`;
3. prp-spo1 and prp-inv: `?s ?p ?o` gives `?s ?q ?o` or `?o ?q ?s` for every implied (q, direction);
4. prp-dom and prp-rng through them: `?s ?p ?o` gives the classes of its subject and object.

Because step 3 and 4 read the table of everything a predicate implies, one pass of each is the
fixpoint: no family can fire on another's output and add something new (the equivalence tests in
tests/test_fast_engines.py check the result equals owlrl's closure). Anything outside these rules
makes `schema.check_supported` raise Unsupported, and engine.py runs owlrl instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDFS

from ..oxterms import to_ox
from .schema import Rules

_NOT_WORTH_STATING = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}  # classes of everything


def implied(rules: Rules, predicate) -> set[tuple]:
    """(property, forward) pairs a triple of `predicate` implies, itself excluded: super-properties
    keep the direction, inverses flip it, to their fixpoint."""
    seen = {(predicate, True)}
    todo = [(predicate, True)]
    while todo:
        prop, forward = todo.pop()
        for nxt in [(s, forward) for s in rules.super_properties.get(prop, ())] + [
            (i, not forward) for i in rules.inverses.get(prop, ())
        ]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen - {(predicate, True)}


def closed_classes(rules: Rules, classes: Iterable) -> set:
    """Classes with their superclasses (the closed schema's subClassOf is already transitive)."""
    found = set()
    for cls in classes:
        found.add(cls)
        found |= rules.supers.get(cls, set())
    return found - _NOT_WORTH_STATING


def typing(rules: Rules, predicate) -> tuple[set, set]:
    """The classes the subject and the object of a `predicate` triple get (domains and ranges of
    every property it implies, itself included), with their superclasses."""
    subject, obj = set(), set()
    for prop, forward in implied(rules, predicate) | {(predicate, True)}:
        domains, ranges = rules.domains.get(prop, ()), rules.ranges.get(prop, ())
        subject |= set(domains if forward else ranges)
        obj |= set(ranges if forward else domains)
    return closed_classes(rules, subject), closed_classes(rules, obj)


def _cell(term) -> str:
    if isinstance(term, bool):
        return "true" if term else "false"
    return str(to_ox(term))


def _values(rows: list[tuple]) -> str:
    return " ".join("(" + " ".join(_cell(t) for t in row) + ")" for row in rows)


def updates(rules: Rules, predicates: Iterable, into: URIRef) -> list[str]:
    """The SPARQL updates of families 2-4 for the predicates the data uses."""
    target = f"<{into}>"
    supers = [
        (c, s)
        for c, sups in sorted(rules.supers.items(), key=str)
        for s in sorted(closed_classes(rules, sups), key=str)
        if s != c
    ]
    props, types = [], []
    for p in sorted(set(predicates), key=str):
        for q, forward in sorted(implied(rules, p), key=str):
            props.append((p, q, forward))
        subject, obj = typing(rules, p)
        types += [(p, c, True) for c in sorted(subject, key=str)]
        types += [(p, c, False) for c in sorted(obj, key=str)]
    skip = f"FILTER(?g != {target})"
    found = []
    if supers:
        found.append(
            f"INSERT {{ GRAPH {target} {{ ?s a ?super }} }} "
            f"WHERE {{ VALUES (?c ?super) {{ {_values(supers)} }} "
            f"GRAPH ?g {{ ?s a ?c }} {skip} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s a ?super }} }} }}"
        )
    if props:
        found.append(
            f"INSERT {{ GRAPH {target} {{ ?x ?q ?y }} }} "
            f"WHERE {{ VALUES (?p ?q ?forward) {{ {_values(props)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} {skip} FILTER(?forward || !isLiteral(?o)) "
            "BIND(IF(?forward, ?s, ?o) AS ?x) BIND(IF(?forward, ?o, ?s) AS ?y) "
            "FILTER NOT EXISTS { GRAPH ?h { ?x ?q ?y } } }"
        )
    if types:
        found.append(
            f"INSERT {{ GRAPH {target} {{ ?x a ?c }} }} "
            f"WHERE {{ VALUES (?p ?c ?subject) {{ {_values(types)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} {skip} FILTER(?subject || !isLiteral(?o)) "
            "BIND(IF(?subject, ?s, ?o) AS ?x) FILTER NOT EXISTS { GRAPH ?h { ?x a ?c } } }"
        )
    return found


SCHEMA_CLOSURE = URIRef("urn:tehgraph:schema-closure")  # family 1's triples while 2-4 read them


def run(store: ox.Store, rules: Rules, schema_extra: Iterable, predicates: Iterable, into: URIRef) -> None:
    """Every family into graph `into` of the store: the closed schema's new triples (in a graph of
    their own while the other families read them as data), then 2-4, which read every graph but
    `into`."""
    scratch = to_ox(SCHEMA_CLOSURE)
    store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), scratch) for s, p, o in schema_extra])
    for update in updates(rules, predicates, into):
        store.update(update)
    store.update(f"ADD SILENT <{SCHEMA_CLOSURE}> TO <{into}> ; DROP SILENT GRAPH <{SCHEMA_CLOSURE}>")
