"""What the web app loads once at start: the stores, labels, types, the ontology, the build's report.

Two stores: `store` answers the public (the SPARQL endpoint and editor, saved queries with the
visitor's parameters) in killable worker processes; `trusted` answers the app's own built-in
queries (builtin_queries/) in this process, which they may since they are known and bounded.
With no workers both are the same store.

The graph is small (thousands of triples), so labels and types are read once and kept in memory:
pages then run a few queries each and never join for labels. Resources a source describes by
their content (statements, memberships, attendances) get a caption composed from it, and every
measure's label names its plan (« Mesure 8 (PAN 2014-2016) : … »): no page shows a slug.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from .. import builtin
from ..catalog import QUERIES_DIR, load_catalog
from ..config import Settings
from ..dist import read_validation
from ..errors import ParameterError
from ..namespaces import ID, expand
from ..ontology import Ontology, read_ontology
from ..results import QueryResult
from ..search import INDEX_FILE, SearchIndex, build_index
from ..stores.base import Store
from ..validation.report import Violation
from .cache import AnswerCache
from .i18n import translate, when

MEASURE_LABEL = {"fr": re.compile(r"^Mesure (\d+) :"), "en": re.compile(r"^Measure (\d+):")}


@dataclass
class WebState:
    """The app's state, kept in `app.extensions["tehgraph"]`."""

    settings: Settings
    store: Store
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    ontology: Ontology = field(default_factory=Ontology)
    shacl: dict[str, list[Violation]] = field(default_factory=dict)  # focus IRI -> the build's results
    catalog: dict = field(default_factory=dict)  # slug -> catalog.SavedQuery
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(Settings.cache_size))
    search: SearchIndex | None = None  # the full-text index (open_search_index)
    captions: dict[str, tuple] = field(default_factory=dict)  # IRI -> (kind, a, b, start, end, role, date)
    short: dict[str, tuple[str, str]] = field(default_factory=dict)  # measure -> (number, plan years)

    @property
    def trusted(self) -> Store:
        """The store the app's own queries run on, in this process."""
        return self.store.in_process

    def run(self, name: str, **bindings) -> QueryResult:
        """Run the built-in query `name` with variables bound as RDF terms (strings become IRIs)."""
        terms = {k: URIRef(v) if isinstance(v, str) else v for k, v in bindings.items()}
        return self.trusted.query(builtin.sparql(name), terms)

    def cached(self, name: str, **bindings: str) -> QueryResult:
        """`run`, remembered in the app's cache: the store is read-only while the app runs."""
        key = (name, *(f"{k}={v}" for k, v in sorted(bindings.items())))
        return self.cache.get(key, lambda: self.run(name, **bindings))

    def label(self, iri, lang: str) -> str:
        """Label in `lang`, else a caption composed in `lang`, else the label in the other language,
        else untagged, else a readable IRI tail (no resource of the corpus comes to that)."""
        labels = self.labels.get(str(iri), {})
        if lang in labels:
            return labels[lang]
        if str(iri) in self.captions:
            return self.caption(str(iri), lang)
        for key in ("fr" if lang == "en" else "en", ""):
            if key in labels:
                return labels[key]
        if labels:
            return next(iter(labels.values()))
        text = str(iri)
        return (
            text[len(str(ID)) :] if text.startswith(str(ID)) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        )

    def label_language(self, iri, lang: str) -> str | None:
        """The language of what `label` shows when it is not `lang` (a French title on an English
        page: the reader's tools then read it as French); None when it is in `lang` or unknown."""
        labels = self.labels.get(str(iri), {})
        if lang in labels or str(iri) in self.captions:
            return None
        shown = next((key for key in ("fr" if lang == "en" else "en", "") if key in labels), "")
        return shown or None

    def caption(self, iri: str, lang: str) -> str:
        """A name composed from what describes the resource, in the page's words (messages.json)."""
        kind, a, b, start, end, role, date = self.captions[iri]
        if role and getattr(role, "language", None) not in (None, "", lang):
            role = None  # a French title on an English page: « X, member of Y »; the title on X's page
        short = self.short.get(b) if b else None  # a measure: « m. 9 (2014-2016) »
        named = translate("measure_short", n=short[0], plan=short[1]) if short else None
        values = {
            "a": self.label(a, lang) if a else "?",
            "b": named or (self.label(b, lang) if b else "?"),
            "lines": "" if start is None else f"{start}" if end in (None, start) else f"{start}–{end}",
            "role": role or "",
            "date": when(date) if date else "",
        }
        key = f"caption_{kind}" + ("_lines" if kind == "evidence" and start is not None else "")
        key += "_role" if role else ""
        key += "_date" if kind == "assessment" and date else ""
        return translate(key, **values)

    def classes_of(self, iri) -> set[str]:
        """The asserted types of a resource with all their superclasses."""
        found: set[str] = set()
        for t in self.types.get(str(iri), ()):
            found |= self.ontology.superclasses(t)
        return found

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
    """Read labels, types and the ontology from the store, the catalog and the build's report."""
    shacl = by_focus(read_validation(settings.dist))
    state = WebState(settings, store, shacl=shacl, cache=AnswerCache(settings.cache_size))
    if (Path(settings.project_dir) / QUERIES_DIR).is_dir():
        state.catalog = load_catalog(settings.project_dir)
    for s, label in state.run("labels").rows:
        if isinstance(label, Literal):
            state.labels.setdefault(str(s), {}).setdefault(label.language or "", str(label))
    name_measures(state)
    for s, kind, a, b, start, end, role, date in state.run("captions").rows:
        previous = state.captions.get(str(s))
        if previous is None or (role is not None and getattr(role, "language", None) == "fr"):
            state.captions[str(s)] = (
                str(kind),
                str(a) if a is not None else None,
                str(b) if b is not None else None,
                int(start) if start is not None else None,
                int(end) if end is not None else None,
                role,  # a Literal: its language decides where the caption shows it
                str(date) if date is not None else None,
            )
    types: dict[str, set[str]] = defaultdict(set)
    for s, t in state.run("types").rows:
        types[str(s)].add(str(t))
    state.types = dict(types)
    state.ontology = read_ontology(state.trusted)
    state.search = open_search_index(settings, state.trusted)
    return state


def name_measures(state: WebState) -> None:
    """Put the plan in every measure's label: « Mesure 1 : … » → « Mesure 1 (PAN 2014-2016) : … »."""
    for m, _plan, start, end in state.run("measure-plans").rows:
        if start is None or end is None:
            continue
        labels = state.labels.get(str(m), {})
        number = MEASURE_LABEL["fr"].match(labels.get("fr", ""))
        if number:
            state.short[str(m)] = (number[1], f"{start}-{end}")
        for lang, pattern in MEASURE_LABEL.items():
            if lang in labels:
                short = ("PAN" if lang == "fr" else "NAP") + f" {start}-{end}"
                sep = " :" if lang == "fr" else ":"
                word = "Mesure" if lang == "fr" else "Measure"
                labels[lang] = pattern.sub(f"{word} \\g<1> ({short}){sep}", labels[lang])


def open_search_index(settings: Settings, store: Store) -> SearchIndex:
    """The build's index (dist/search.sqlite); without one (an older build, a remote endpoint with
    no dist/), one built now from the store, with the build's own function, in a folder of this
    process that is removed at exit: the build folder is the build's and is never written here."""
    built = Path(settings.dist) / INDEX_FILE
    if built.is_file():
        return SearchIndex(built)
    folder = Path(tempfile.mkdtemp(prefix="tehgraph-search-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return SearchIndex(build_index(store, folder / INDEX_FILE).path)


def by_focus(results: list[dict]) -> dict[str, list[Violation]]:
    """The build's SHACL results by focus node (full IRI: reports shorten it for display)."""
    found: dict[str, list[Violation]] = {}
    for item in results:
        violation = Violation(**item)
        focus = violation.focus or ""
        with suppress(ParameterError):  # a blank node's label is kept as it is
            focus = str(expand(focus))
        found.setdefault(focus, []).append(violation)
    return found
