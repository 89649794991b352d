"""The saved-query catalog: `queries/<slug>.rq` files, their headers, parameters, and running them.

A query file starts with a header of `#+ ` comment lines holding YAML (grlc's convention), so the
file stays plain SPARQL 1.1 that any endpoint runs as is:

    #+ title: {fr: "...", en: "..."}
    #+ description: {fr: "...", en: "..."}
    #+ tags: [measures, associations]
    #+ params:
    #+   plan: {type: iri, class: "teh:ActionPlan", default: "id:plan/pan-2014-2016", description: "..."}
    #+ columns: [measure, number, title]            (or name: {fr: "...", en: "..."} per column)
    #+ views: [table, bar]                           (or kind: {x: column, y: column, ...})
    #+ depends_on: [teh:implementedBy, teh:partner]  (properties the corpus may not cover)

Parameter names are the query's variable names; values are bound as RDF terms through
`Store.query(bindings=...)` (a VALUES block), never pasted into the query text. Column headers
come from the header's labels, else from `queries/labels.yaml` (names shared by many queries),
else the variable name. `depends_on` names the properties whose absence from the corpus
(data/corpus-gaps.ttl) would make the answer look like a finding: see gaps.py.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .errors import LoadError, ParameterError
from .namespaces import CATALOG_GRAPH, ID, bind_prefixes, expand
from .query_header import Dependency, as_lang_map, columns, depends_on, read_labels, views
from .results import QueryResult
from .rqfile import parse_header, query_kind, read_folder

QUERIES_DIR = "queries"
PARAM_TYPES = ("iri", "literal", "date", "integer")
SCHEMA = "https://schema.org/"
QUERY_IRI_BASE = "https://w3id.org/tehgraph/query/"
KIND_CLASSES = {
    "SELECT": SH.SPARQLSelectExecutable,
    "ASK": SH.SPARQLAskExecutable,
    "CONSTRUCT": SH.SPARQLConstructExecutable,
}
KIND_PROPERTIES = {"SELECT": SH.select, "ASK": SH.ask, "CONSTRUCT": SH.construct}
README_START, README_END = "<!-- catalog:start -->", "<!-- catalog:end -->"
_INTEGER = re.compile(r"^[+-]?[0-9]+$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query: its variable, kind, expected class and default."""

    name: str
    type: str
    cls: URIRef | None = None
    default: str | None = None
    description: str = ""
    lang: str | None = None
    descriptions: dict[str, str] = field(default_factory=dict, compare=False)
    optional: bool = False  # left unbound when not given (the query reads it as a free variable)
    enum: tuple[str, ...] = ()  # the values a literal parameter may take, when the header lists them

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    def describe(self, lang: str = "en") -> str:
        """The description in `lang`, else in the other language."""
        return self.descriptions.get(lang) or self.descriptions.get("en" if lang == "fr" else "fr") or ""

    def expects(self) -> str:
        """What a valid value looks like, for error messages and `--help`-like listings."""
        kind = {
            "iri": f"IRI of a {self.cls}" if self.cls else "IRI",
            "literal": f"one of {', '.join(self.enum)}" if self.enum else "text",
            "date": "date YYYY-MM-DD",
            "integer": "integer",
        }[self.type]
        default = (
            f", default {self.default}"
            if self.default is not None
            else (", optional" if self.optional else ", required")
        )
        return f"{self.name} ({kind}{default})" + (f": {self.description}" if self.description else "")


@dataclass(frozen=True)
class SavedQuery:
    """A query file and what its header says about it."""

    slug: str
    path: Path
    text: str
    kind: str
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = ()
    columns: tuple[str, ...] = ()
    column_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    views: tuple[tuple[str, dict], ...] = (("table", {}),)
    depends_on: tuple[Dependency, ...] = ()
    tag_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("fr") or self.slug

    def column_label(self, name: str, lang: str = "en") -> str:
        """The header of column `name` in `lang` (the query's own label, the shared one, the name)."""
        labels = self.column_labels.get(name, {})
        return labels.get(lang) or labels.get("en" if lang == "fr" else "fr") or name

    def tag_label(self, tag: str, lang: str = "en") -> str:
        labels = self.tag_labels.get(tag, {})
        return labels.get(lang) or tag

    @property
    def view_kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.views)

    @property
    def iri(self) -> URIRef:
        return URIRef(QUERY_IRI_BASE + self.slug)


# --- reading files -------------------------------------------------------------------


def _parameter(name: str, spec, where: str) -> Parameter:
    if not isinstance(spec, dict) or spec.get("type") not in PARAM_TYPES:
        raise LoadError(where, f"parameter {name!r} needs a type among {', '.join(PARAM_TYPES)}")
    cls = expand(spec["class"]) if spec.get("class") else None
    default = spec.get("default")
    described = spec.get("description", "")
    # A plain-text description was written in English before descriptions had languages.
    descriptions = {"en": described} if isinstance(described, str) else as_lang_map(described, where)
    return Parameter(
        name,
        spec["type"],
        cls,
        None if default is None else str(default),
        descriptions.get("en") or next(iter(descriptions.values()), ""),
        spec.get("lang"),
        {k: v for k, v in descriptions.items() if v},
        bool(spec.get("optional", False)),
        tuple(str(v) for v in spec.get("enum") or ()),
    )


def saved_from_text(text: str, path: Path, slug: str | None = None, shared: dict | None = None) -> SavedQuery:
    """A SavedQuery from query text (a file of the catalog, or one a user hands to the CLI);
    `shared` holds the labels of `queries/labels.yaml` (columns, tags)."""
    header = parse_header(text, str(path))
    params = header.get("params") or {}
    if not isinstance(params, dict):
        raise LoadError(path, "params must be a map of name: {type, class, default, description}")
    shared = shared or {}
    names, labels = columns(header.get("columns"), str(path))
    return SavedQuery(
        slug=slug or path.stem,
        path=path,
        text=text,
        kind=query_kind(text, str(path)),
        title=as_lang_map(header.get("title"), str(path)),
        description=as_lang_map(header.get("description"), str(path)),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        params=tuple(_parameter(str(n), spec, str(path)) for n, spec in params.items()),
        columns=names,
        column_labels={**shared.get("columns", {}), **labels},
        views=views(header.get("views"), str(path)),
        depends_on=depends_on(header.get("depends_on"), str(path)),
        tag_labels=shared.get("tags", {}),
    )


def read_query(path: Path) -> SavedQuery:
    """Parse one `.rq` file into a SavedQuery (LoadError names the file when it is malformed)."""
    return saved_from_text(path.read_text(encoding="utf-8"), path, shared=read_labels(path.parent))


def load_catalog(project_dir: Path | str, folder: str = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every saved query of the project, by slug, in slug order."""
    files = read_folder(Path(project_dir) / folder)
    shared = read_labels(Path(project_dir) / folder)
    return {slug: saved_from_text(text, path, shared=shared) for slug, (path, text) in files.items()}


# --- parameters ----------------------------------------------------------------------


def _usage(saved: SavedQuery) -> str:
    if not saved.params:
        return f"{saved.slug} takes no parameters"
    return f"{saved.slug} expects: " + "; ".join(p.expects() for p in saved.params)


def convert(param: Parameter, raw: str) -> Node:
    """The RDF term for a raw text value, or ParameterError saying what was expected."""
    raw = str(raw)
    if param.enum and raw not in param.enum:
        raise ParameterError(f"{param.name}: {raw!r} is not one of {', '.join(param.enum)}")
    if param.type == "integer":
        if not _INTEGER.match(raw.strip()):
            raise ParameterError(f"{param.name}: {raw!r} is not an integer")
        return Literal(int(raw), datatype=XSD.integer)
    if param.type == "date":
        try:
            return Literal(datetime.date.fromisoformat(raw.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise ParameterError(f"{param.name}: {raw!r} is not a date (YYYY-MM-DD)") from None
    if param.type == "literal":
        return Literal(raw, lang=param.lang) if param.lang else Literal(raw)
    try:
        return expand(raw)
    except ParameterError:
        raise ParameterError(f"{param.name}: {raw!r} is not a valid IRI") from None


def _check_class(store, param: Parameter, iri: URIRef) -> None:
    """Refuse an IRI that the graph does not type with the expected class (one ASK, terms bound)."""
    if param.cls is None:
        return
    answer = store.query(
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "ASK { ?value rdf:type/rdfs:subClassOf* ?class }",
        {"value": iri, "class": param.cls},
    )
    if not answer.boolean:
        raise ParameterError(f"{param.name}: {iri} is not a {param.cls} in the graph")


def bind_parameters(store, saved: SavedQuery, raw_params: dict[str, str] | None) -> dict[str, Node]:
    """Validated RDF terms for every parameter (defaults filled in), or ParameterError."""
    raw_params = dict(raw_params or {})
    known = {p.name: p for p in saved.params}
    unknown = sorted(set(raw_params) - set(known))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; {_usage(saved)}")
    bindings: dict[str, Node] = {}
    for param in saved.params:
        raw = raw_params.get(param.name, param.default)
        if raw is None and param.optional:
            continue
        if raw is None:
            raise ParameterError(f"missing parameter {param.name}; {_usage(saved)}")
        try:
            term = convert(param, raw)
            if param.type == "iri":
                _check_class(store, param, term)
        except ParameterError as error:
            raise ParameterError(f"{error}; {_usage(saved)}") from None
        bindings[param.name] = term
    return bindings


def run_saved(store, saved: SavedQuery, raw_params: dict[str, str] | None = None) -> QueryResult:
    """Run a saved query on a store with its parameters validated and bound as RDF terms."""
    return store.query(saved.text, bind_parameters(store, saved, raw_params))


# --- publishing the catalog ----------------------------------------------------------


def catalog_to_graph(catalog: dict[str, SavedQuery]) -> Graph:
    """The catalog as SHACL SPARQL executables (the sib-swiss/sparql-examples convention)."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("schema", SCHEMA)
    keywords = URIRef(SCHEMA + "keywords")
    target = URIRef(SCHEMA + "target")
    for saved in catalog.values():
        node = saved.iri
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, KIND_CLASSES[saved.kind]))
        graph.add((node, KIND_PROPERTIES[saved.kind], Literal(saved.text)))
        for lang, title in saved.title.items():
            graph.add((node, RDFS.label, Literal(title, lang=lang)))
        for lang, text in saved.description.items():
            graph.add((node, RDFS.comment, Literal(text, lang=lang)))
        for tag in saved.tags:
            graph.add((node, keywords, Literal(tag)))
        graph.add((node, target, ID["dataset"]))
    return graph


def catalog_graph(project) -> tuple[URIRef, Graph]:
    """Build contributor (build.EXTRA_GRAPHS): the project's catalog in `graph/queries`."""
    return CATALOG_GRAPH, catalog_to_graph(load_catalog(project.project_dir))


def catalog_markdown(catalog: dict[str, SavedQuery]) -> str:
    """The README's list of queries: one line per query, slug and English title."""
    return "\n".join(f"- `{s.slug}`: {s.label('en')}" for s in catalog.values())


def sync_readme(readme_text: str, catalog: dict[str, SavedQuery]) -> str:
    """The README text with the generated list between the catalog markers."""
    start, end = readme_text.index(README_START), readme_text.index(README_END)
    body = "\n" + catalog_markdown(catalog) + "\n"
    return readme_text[: start + len(README_START)] + body + readme_text[end:]
