"""Entity pages: `/page/<path>` shows the resource `https://w3id.org/tehgraph/id/<path>`.

A page answers the questions asked of its kind first (kinds/: a demand's lineage and responses, a
measure's carriers and assessments side by side, what an actor said...), then every statement
about it, grouped by the ontology class that declares the property, and the resources pointing
at it. Nothing is shown twice: types once (the asserted ones), evidence once, « referenced by »
without the links already shown the other way or under a more specific property. Facts that are
not asserted by a source are marked (provenance.py) and explained in a legend. Every page links
its RDF, its filtered timeline and the saved queries that take it as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, url_for
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ..formats import GRAPH_FORMATS
from ..namespaces import FOAF, ID, TEH
from . import kinds
from .helpers import display, natural_key, state
from .i18n import current_language, translate
from .provenance import ASSERTED, provenance
from .state import WebState

bp = Blueprint("entity", __name__)

# Identity comes first on every page, in this order; the rest is ordered from the ontology.
IDENTITY = [str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel), str(DCTERMS.title)]
# Shown elsewhere on the page: types in its header, evidence in its evidence list or lineage.
NOT_IN_TABLE = {
    str(RDF.type),
    str(TEH.evidence),
    str(TEH.demandEvidence),
    str(TEH.answerEvidence),
    str(TEH.verdictEvidence),
}
# Incoming links the kind sections already show (statements an actor made are its claims).
NOT_REFERENCED = {str(TEH.statedBy), str(PROV.wasAttributedTo)}
TIMELINE_FILTERS = {
    str(TEH.Actor): "actor",
    str(FOAF.Person): "actor",
    str(TEH.Measure): "measure",
    str(TEH.Demand): "demand",
}
DOWNLOADS = ("turtle", "jsonld", "ntriples")
MAX_REFERENCED = 30  # values shown per incoming property; the rest are counted


@dataclass
class Value:
    term: object
    kind: str = ASSERTED  # provenance: asserted, inferred, derived, derived-editorial, editorial
    nested: list[tuple] = field(default_factory=list)  # (property, term) of a blank node

    @property
    def inferred(self) -> bool:
        return self.kind == "inferred"


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
        if str(p) in NOT_IN_TABLE:
            continue
        key = (str(p), o)
        graphs.setdefault(key, set()).add(g)
        entry = values.setdefault(str(p), {}).setdefault(_key(o), Value(o))
        if isinstance(o, BNode) and bp_ is not None and (bp_, bo) not in entry.nested:
            entry.nested.append((bp_, bo))
    for prop, by_value in values.items():
        for value in by_value.values():
            value.kind = provenance(graphs[(prop, value.term)])
    drop_inferred_repeats(values)
    own_classes = st.classes_of(iri)
    buckets: dict[str, list[str]] = {}
    for prop in values:
        if prop in IDENTITY or not values[prop]:
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


def drop_inferred_repeats(values: dict[str, dict[str, Value]]) -> None:
    """An inferred value already shown under an asserted property (a super-property's copy) goes."""
    asserted = {k for by_value in values.values() for k, v in by_value.items() if not v.inferred}
    for by_value in values.values():
        for key in [k for k, v in by_value.items() if v.inferred and k in asserted]:
            del by_value[key]


def _key(term) -> str:
    return term.n3() if isinstance(term, (URIRef, Literal)) else f"_:{term}"


def _sorted(by_value: dict[str, Value]) -> list[Value]:
    """Asserted before the others, the reader's language first, then by text."""
    lang = current_language()
    return sorted(
        by_value.values(),
        key=lambda v: (
            v.kind != ASSERTED,
            getattr(v.term, "language", None) not in (lang, None),
            natural_key(display(v.term)),
            str(v.term),  # two terms shown alike (foaf:Agent, prov:Agent) keep one order
        ),
    )


def incoming(
    st: WebState, rows: list[tuple], forward: set[str], lang: str
) -> list[tuple[str, list[Value], int]]:
    """Resources pointing at this one, by property: rows of (x, p, g). A resource already linked
    from this page's statements, or under an asserted property, is not repeated."""
    found: dict[str, dict[str, set]] = {}
    for x, p, g in rows:
        if isinstance(x, URIRef) and str(x) not in forward and str(p) not in NOT_REFERENCED:
            found.setdefault(str(p), {}).setdefault(str(x), set()).add(g)
    shown_asserted = {
        x for subjects in found.values() for x, gs in subjects.items() if provenance(gs) == ASSERTED
    }
    result = []
    for p, subjects in sorted(found.items(), key=lambda item: natural_key(st.label(item[0], lang))):
        items = [Value(URIRef(x), provenance(gs)) for x, gs in subjects.items()]
        items = [v for v in items if v.kind == ASSERTED or str(v.term) not in shown_asserted]
        items.sort(key=lambda v: (v.kind != ASSERTED, natural_key(display(v.term)), str(v.term)))
        if items:
            result.append((p, items[:MAX_REFERENCED], len(items)))
    return result


def statements(st: WebState, iri: str) -> tuple[list[tuple], list[tuple]]:
    """(outgoing rows (p, o, g, bp, bo), incoming rows (x, p, g)) of a resource, in one query."""
    out, into = [], []
    for direction, p, o, g, bp_, bo in st.run("entity", s=iri).rows:
        if str(direction) == "out":
            out.append((p, o, g, bp_, bo))
        else:
            into.append((o, p, g))
    return out, into


def saved_queries(st: WebState, iri: str, classes: set[str]) -> list[tuple[str, str]]:
    """(title, URL pre-filled with this resource) of every saved query taking it as a parameter."""
    lang = current_language()
    found = []
    for slug, saved in sorted(st.catalog.items()):
        for param in saved.params:
            if param.type == "iri" and param.cls is not None and str(param.cls) in classes:
                found.append((saved.label(lang), url_for("saved.page", slug=slug, **{param.name: iri})))
                break
    return sorted(found, key=lambda item: natural_key(item[0]))


def tools(st: WebState, iri: str, path: str, classes: set[str]) -> dict:
    timeline = next((arg for cls, arg in TIMELINE_FILTERS.items() if cls in classes), None)
    return {
        "downloads": [
            (
                GRAPH_FORMATS[n].label,
                url_for("linked_data.resource", path=f"{path}.{GRAPH_FORMATS[n].suffix}"),
            )
            for n in DOWNLOADS
        ],
        "timeline": url_for("visual.timeline", **{timeline: iri}) if timeline else None,
        "queries": saved_queries(st, iri, classes),
    }


@bp.get("/page/<path:path>")
def page(path: str):
    st, lang = state(), current_language()
    iri = str(ID) + path
    out_rows, in_rows = statements(st, iri)
    forward = {str(o) for _p, o, *_ in out_rows if isinstance(o, URIRef)}
    referenced = incoming(st, in_rows, forward, lang)
    if not out_rows and not referenced:
        abort(404, description=translate("no_such_resource", iri=iri))
    classes = st.classes_of(iri)
    evidence = st.run("evidence", s=iri).records() if any(p == TEH.evidence for p, *_ in out_rows) else []
    facts = kinds.Facts(out_rows, evidence)
    groups = group_outgoing(st, iri, out_rows, lang)
    return render_template(
        "entity.html",
        iri=iri,
        title=st.label(iri, lang),
        types=[
            t
            for t in sorted(st.types.get(iri, ()))
            if not any(o != t and t in st.ontology.superclasses(o) for o in st.types.get(iri, ()))
        ],
        groups=groups,
        referenced=referenced,
        evidence=[] if kinds.shows_evidence(classes) else evidence,
        sections=kinds.sections(st, iri, classes, facts),
        shacl=st.shacl.get(iri, []),
        tools=tools(st, iri, path, classes),
        collapse_properties=bool(classes & {str(TEH.Actor), str(FOAF.Person)}),
    )
