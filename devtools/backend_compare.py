"""Comparing two backends on the same query: the same rows, or the same graph.

Rows are compared term by term (rdflib terms: IRI, literal with lexical form, datatype and
language). Two things SPARQL leaves to each engine are normalised, nothing else: blank node labels
(compared by position) and the order of the parts of a GROUP_CONCAT (compared as sorted parts, split
at the query's separators). Row order is compared only where the query asks for one (ORDER BY).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDFS, SKOS

from tehgraph.binding import mask_syntax
from tehgraph.catalog import SavedQuery, bind_parameters, load_catalog, read_query
from tehgraph.checks import load_checks
from tehgraph.namespaces import FOAF, TEH
from tehgraph.results import QueryResult

BACKEND_QUERIES = Path(__file__).resolve().parent / "backend_queries"
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"\bGROUP_CONCAT\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"""\bSEPARATOR\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

# One entity of each of these classes is described on every backend (when the data has one).
DESCRIBED_CLASSES = (
    TEH.ActionPlan,
    TEH.Measure,
    TEH.Association,
    TEH.Ministry,
    TEH.PublicBody,
    TEH.LegalInstrument,
    TEH.Demand,
    TEH.Position,
    TEH.Assessment,
    TEH.Meeting,
    TEH.SourceDocument,
    TEH.Evidence,
    FOAF.Person,
)


def all_queries(project_dir: Path) -> dict[str, SavedQuery]:
    """The saved queries, the check queries and the backend-comparison queries, by a unique id."""
    queries = {f"catalog/{slug}": q for slug, q in load_catalog(project_dir).items()}
    queries |= {f"checks/{slug}": q for slug, q in load_checks(project_dir).items()}
    queries |= {f"backends/{p.stem}": read_query(p) for p in sorted(BACKEND_QUERIES.glob("*.rq"))}
    return queries


def bindings_for(store, saved: SavedQuery) -> dict:
    """Each parameter's default, or for a required IRI parameter the first instance of its class."""
    raw = {}
    for param in saved.params:
        if param.default is not None:
            continue
        assert param.type == "iri" and param.cls is not None, (
            f"{saved.slug}: parameter {param.name} has no default to test it with"
        )
        found = store.query(
            "SELECT ?x WHERE { ?x a/rdfs:subClassOf* ?cls } ORDER BY ?x LIMIT 1", {"cls": param.cls}
        )
        assert found.rows, f"{saved.slug}: no {param.cls} in the graph to bind {param.name} to"
        raw[param.name] = str(found.rows[0][0])
    return bind_parameters(store, saved, raw)


_ORDER_KEY = re.compile(r"\s*(?:(?:ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+))", re.IGNORECASE)


def ordered(saved: SavedQuery) -> list[str]:
    """The leading ORDER BY keys that are plain variables: rows must follow them on every backend.

    Rows equal on these keys (ties) may come in any order, as SPARQL allows; keys after the first
    expression are not compared, since the order they give depends on the keys before them.
    """
    masked = mask_syntax(saved.text)
    found = list(_ORDER_BY.finditer(masked))
    if not found:
        return []
    keys, at = [], found[-1].end()
    while match := _ORDER_KEY.match(masked, at):
        keys.append(match.group(1) or match.group(2))
        at = match.end()
    return keys


def separators(saved: SavedQuery) -> tuple[str, ...]:
    """The GROUP_CONCAT separators of a query (" " when one has none), longest first."""
    if not _GROUP_CONCAT.search(mask_syntax(saved.text)):
        return ()
    found = {a or b for a, b in _SEPARATOR.findall(saved.text)}
    if len(_SEPARATOR.findall(saved.text)) < len(_GROUP_CONCAT.findall(mask_syntax(saved.text))):
        found.add(" ")
    return tuple(sorted(found, key=len, reverse=True))


def _term_key(term, seps: tuple[str, ...]):
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.datatype == XSD.boolean:
        # Virtuoso 7.2 returns a boolean expression of SELECT as xsd:integer 1/0 (docs/backends.md)
        return Literal(1 if term.toPython() is True else 0)
    if seps and isinstance(term, Literal) and term.datatype is None:
        parts = [str(term)]
        for sep in seps:
            parts = [piece for part in parts for piece in part.split(sep)]
        return ("GROUP_CONCAT", term.language, tuple(sorted(parts)))
    return term


def _row_key(row: tuple, seps: tuple[str, ...] = ()) -> tuple:
    return tuple(_term_key(t, seps) for t in row)


def same_answer(
    left: QueryResult, right: QueryResult, order: list[str] | None = None, seps: tuple[str, ...] = ()
) -> str | None:
    """None when both results are the same; else a short description of the first difference."""
    if left.kind != right.kind:
        return f"kinds differ: {left.kind} vs {right.kind}"
    if left.kind == "ASK":
        return None if left.boolean == right.boolean else f"ASK: {left.boolean} vs {right.boolean}"
    if left.kind == "CONSTRUCT":
        if isomorphic(left.graph, right.graph):
            return None
        _, only_left, only_right = graph_diff(to_isomorphic(left.graph), to_isomorphic(right.graph))
        return (
            f"graphs differ: {len(only_left)} triples only left, {len(only_right)} only right, "
            f"e.g. {sorted(only_left)[:2]} / {sorted(only_right)[:2]}"
        )
    if left.vars != right.vars:
        return f"variables differ: {left.vars} vs {right.vars}"
    lrows, rrows = [_row_key(r, seps) for r in left.rows], [_row_key(r, seps) for r in right.rows]
    if Counter(lrows) != Counter(rrows):
        only_left = list((Counter(lrows) - Counter(rrows)).elements())
        only_right = list((Counter(rrows) - Counter(lrows)).elements())
        return f"{len(lrows)} vs {len(rrows)} rows; only left {only_left[:3]}; only right {only_right[:3]}"
    keys = []
    for name in order or []:
        if name not in left.vars:
            break
        keys.append(left.vars.index(name))
    lkeys, rkeys = [[row[i] for i in keys] for row in lrows], [[row[i] for i in keys] for row in rrows]
    if lkeys != rkeys:
        first = next(i for i, (a, b) in enumerate(zip(lkeys, rkeys, strict=True)) if a != b)
        return f"same rows, other order (ORDER BY {order}): row {first}: {lrows[first]} vs {rrows[first]}"
    return None


def described_entities(store) -> list[URIRef]:
    """The first entity (by IRI) of each described class that the graph holds."""
    entities = []
    for cls in DESCRIBED_CLASSES:
        found = store.query(
            "SELECT ?x WHERE { ?x a ?cls FILTER(isIRI(?x)) } ORDER BY ?x LIMIT 1", {"cls": cls}
        )
        entities += [row[0] for row in found.rows]
    # and the entity with most labels, whatever its class (many languages, many altLabels)
    busiest = store.query(
        "SELECT ?x WHERE { ?x ?p ?l FILTER(?p IN (?label, ?alt) && isIRI(?x)) } "
        "GROUP BY ?x ORDER BY DESC(COUNT(*)) ?x LIMIT 1",
        {"label": RDFS.label, "alt": SKOS.altLabel},
    )
    entities += [row[0] for row in busiest.rows if row[0] not in entities]
    return entities


def assert_same_answer(saved: SavedQuery, reference, other) -> None:
    """`other` answers `saved` as `reference` does (the store that picks parameter values)."""
    bindings = bindings_for(reference, saved)
    expected, got = reference.query(saved.text, bindings), other.query(saved.text, bindings)
    difference = same_answer(expected, got, ordered(saved), separators(saved))
    assert difference is None, f"{saved.slug}: {difference}"


def assert_same_descriptions(reference, other) -> None:
    """Entity descriptions of both stores are isomorphic, for a sample of entities of every kind."""
    entities = described_entities(reference)
    assert len(entities) >= 5
    for iri in entities:
        expected, got = reference.describe(iri), other.describe(iri)
        assert len(expected) > 0 and len(got) > 0, iri
        assert isomorphic(expected, got), f"{iri}: descriptions differ"
