"""What the web app loads once at start: the store, its page queries, labels, types and ontology.

The graph is small (thousands of triples), so labels and types are read once and kept in memory:
pages then run one or two queries each and never join for labels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from ..catalog import QUERIES_DIR, load_catalog
from ..config import Settings
from ..namespaces import ID, INFERRED_GRAPH, sparql_prologue
from ..results import QueryResult
from ..store import Store
from .shacl import load_results

QUERY_DIR = Path(__file__).parent / "queries"


def load_page_queries(folder: Path = QUERY_DIR) -> dict[str, str]:
    """Every `queries/*.rq` of the web package by stem, with the project prefixes declared.

    Declaring the prefixes here keeps the files short and lets them run on a remote endpoint
    that predeclares nothing.
    """
    prologue = sparql_prologue()
    return {path.stem: prologue + path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.rq"))}


@dataclass
class Ontology:
    """Classes and properties as the ontology declares them, for navigation and entity pages."""

    classes: dict[str, dict] = field(default_factory=dict)  # iri -> {"super": set, "comment": {lang: text}}
    properties: dict[str, dict] = field(default_factory=dict)  # iri -> {"kind": str, "domains": set}

    def superclasses(self, iri: str) -> set[str]:
        """All superclasses of a class (transitively), the class itself included."""
        seen, todo = set(), [iri]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self.classes.get(current, {}).get("super", ()))
        return seen

    def subclasses(self, iri: str) -> list[str]:
        return sorted(c for c in self.classes if c != iri and iri in self.superclasses(c))


@dataclass
class WebState:
    """The app's state, kept in `app.extensions["tehgraph"]`."""

    settings: Settings
    store: Store
    queries: dict[str, str]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    ontology: Ontology = field(default_factory=Ontology)
    shacl: dict = field(default_factory=dict)  # focus IRI -> SHACL results of the build (shacl.py)
    catalog: dict = field(default_factory=dict)  # slug -> catalog.SavedQuery
    search_texts: list | None = None  # folded searchable texts, filled on first search (search.py)
    memo: dict = field(default_factory=dict)  # answers of queries that do not depend on the request

    def cached(self, name: str, **bindings) -> QueryResult:
        """`run`, remembered: the store is read-only while the app runs, so answers never change."""
        key = (name, tuple(sorted((k, str(v)) for k, v in bindings.items())))
        if key not in self.memo:
            self.memo[key] = self.run(name, **bindings)
        return self.memo[key]

    def run(self, name: str, **bindings) -> QueryResult:
        """Run the page query `name` with variables bound as RDF terms (strings become IRIs)."""
        terms = {k: URIRef(v) if isinstance(v, str) else v for k, v in bindings.items()}
        return self.store.query(self.queries[name], terms)

    def label(self, iri, lang: str) -> str:
        """Label in `lang`, else in the other language, else untagged, else a readable IRI tail."""
        labels = self.labels.get(str(iri), {})
        for key in (lang, "fr" if lang == "en" else "en", ""):
            if key in labels:
                return labels[key]
        if labels:
            return next(iter(labels.values()))
        text = str(iri)
        return (
            text[len(str(ID)) :] if text.startswith(str(ID)) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        )

    def most_specific_type(self, iri) -> str | None:
        """The asserted type that is not a superclass of another asserted type."""
        types = self.types.get(str(iri), set())
        known = [t for t in types if t in self.ontology.classes] or sorted(types)
        for candidate in sorted(known):
            if not any(
                other != candidate and candidate in self.ontology.superclasses(other) for other in known
            ):
                return candidate
        return None


def load_state(settings: Settings, store: Store) -> WebState:
    """Read queries, labels, types and the ontology from the store."""
    state = WebState(settings, store, load_page_queries(), shacl=load_results(settings.dist))
    if (Path(settings.project_dir) / QUERIES_DIR).is_dir():
        state.catalog = load_catalog(settings.project_dir)
    for s, label in state.run("labels").rows:
        if isinstance(label, Literal):
            state.labels.setdefault(str(s), {}).setdefault(label.language or "", str(label))
    types: dict[str, set[str]] = defaultdict(set)
    for s, t in state.run("types").rows:
        types[str(s)].add(str(t))
    state.types = dict(types)
    for cls, comment, sup in state.run("classes").rows:
        entry = state.ontology.classes.setdefault(str(cls), {"super": set(), "comment": {}})
        if sup is not None and not str(sup).startswith(str(OWL)):
            entry["super"].add(str(sup))
        if isinstance(comment, Literal):
            entry["comment"][comment.language or ""] = str(comment)
    for prop, kind, domain in state.run("properties").rows:
        entry = state.ontology.properties.setdefault(str(prop), {"kind": str(kind), "domains": set()})
        if domain is not None:
            entry["domains"].add(str(domain))
    return state


def is_inferred(graphs: set) -> bool:
    """A fact is marked inferred when only graph/inferred holds it (asserted facts win)."""
    return bool(graphs) and all(str(g) == str(INFERRED_GRAPH) for g in graphs)
