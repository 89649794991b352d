"""Entity pages: `/page/<path>` shows the resource `https://w3id.org/tehgraph/id/<path>`.

Properties are grouped by the ontology class that declares them (rdfs:domain) and ordered by kind
and label; inferred facts (only in graph/inferred) are marked; claims show their evidence; measures,
actors and demands get their own sections (kinds.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespaces import ID, TEH
from . import kinds
from .helpers import display, natural_key, state
from .i18n import current_language, translate
from .state import WebState, is_inferred

bp = Blueprint("entity", __name__)

# Identity comes first on every page, in this order; the rest is ordered from the ontology.
IDENTITY = [str(RDF.type), str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel), str(DCTERMS.title)]


@dataclass
class Value:
    term: object
    inferred: bool
    nested: list[tuple] = field(default_factory=list)  # (property, term) of a blank node


@dataclass
class Group:
    title: str
    rows: list[tuple[str, list[Value]]]  # (property IRI, values)


def property_order(st: WebState, prop: str, lang: str) -> tuple:
    kind_rank = 0 if st.ontology.is_datatype_property(prop) else 1
    return (kind_rank, natural_key(st.label(prop, lang)))


def group_outgoing(st: WebState, iri: str, rows: list[tuple], lang: str) -> list[Group]:
    """Outgoing statements grouped: identity, then by declaring class (the entity's classes first)."""
    values: dict[str, dict[str, Value]] = {}
    graphs: dict[tuple, set] = {}
    for p, o, g, bp_, bo in rows:
        key = (str(p), o)
        graphs.setdefault(key, set()).add(g)
        entry = values.setdefault(str(p), {}).setdefault(_key(o), Value(o, False))
        if isinstance(o, BNode) and bp_ is not None and (bp_, bo) not in entry.nested:
            entry.nested.append((bp_, bo))
    for prop, by_value in values.items():
        for value in by_value.values():
            value.inferred = is_inferred(graphs[(prop, value.term)])
    own_classes = st.classes_of(iri)
    buckets: dict[str, list[str]] = {}
    for prop in values:
        if prop in IDENTITY:
            continue
        domains = st.ontology.domains(prop)
        own = [d for d in domains if d in own_classes]
        buckets.setdefault((own or domains or [""])[0], []).append(prop)
    groups = [Group(translate("identity"), [(p, _sorted(values[p])) for p in IDENTITY if p in values])]
    ordered = sorted(buckets, key=lambda d: (d not in own_classes, d == "", natural_key(st.label(d, lang))))
    for domain in ordered:
        props = sorted(buckets[domain], key=lambda p: property_order(st, p, lang))
        title = st.label(domain, lang) if domain else translate("other_properties")
        groups.append(Group(title, [(p, _sorted(values[p])) for p in props]))
    return [g for g in groups if g.rows]


def _key(term) -> str:
    return term.n3() if isinstance(term, (URIRef, Literal)) else f"_:{term}"


def _sorted(by_value: dict[str, Value]) -> list[Value]:
    """Asserted before inferred, the reader's language first, then by text."""
    lang = current_language()
    return sorted(
        by_value.values(),
        key=lambda v: (
            v.inferred,
            getattr(v.term, "language", None) not in (lang, None),
            natural_key(display(v.term)),
            str(v.term),  # two terms shown alike (foaf:Agent, prov:Agent) keep one order
        ),
    )


def incoming(st: WebState, rows: list[tuple], lang: str) -> list[tuple[str, list[Value]]]:
    """Resources pointing at this one, by property ("referenced by"): rows of (x, p, g)."""
    found: dict[str, dict[str, set]] = {}
    for x, p, g in rows:
        if isinstance(x, URIRef):
            found.setdefault(str(p), {}).setdefault(str(x), set()).add(g)
    return [
        (
            p,
            sorted(
                (Value(URIRef(x), is_inferred(gs)) for x, gs in subjects.items()),
                key=lambda v: (v.inferred, natural_key(display(v.term)), str(v.term)),
            ),
        )
        for p, subjects in sorted(found.items(), key=lambda item: natural_key(st.label(item[0], lang)))
    ]


def statements(st: WebState, iri: str) -> tuple[list[tuple], list[tuple]]:
    """(outgoing rows (p, o, g, bp, bo), incoming rows (x, p, g)) of a resource, in one query."""
    out, into = [], []
    for direction, p, o, g, bp_, bo in st.run("entity", s=iri).rows:
        if str(direction) == "out":
            out.append((p, o, g, bp_, bo))
        else:
            into.append((o, p, g))
    return out, into


@bp.get("/page/<path:path>")
def page(path: str):
    st, lang = state(), current_language()
    iri = str(ID) + path
    out_rows, in_rows = statements(st, iri)
    referenced = incoming(st, in_rows, lang)
    if not out_rows and not referenced:
        abort(404, description=translate("no_such_resource", iri=iri))
    evidence = st.run("evidence", s=iri).records() if any(p == TEH.evidence for p, *_ in out_rows) else []
    facts = kinds.Facts(out_rows, evidence)
    return render_template(
        "entity.html",
        iri=iri,
        title=st.label(iri, lang),
        types=sorted(st.types.get(iri, ())),
        groups=group_outgoing(st, iri, out_rows, lang),
        referenced=referenced,
        evidence=evidence,
        sections=kinds.sections(st, iri, st.classes_of(iri), facts),
        shacl=st.shacl.get(iri, []),
    )
