"""What the web app keeps: the stores, the ontology, the build's report, and what pages show of resources.

Two stores: `store` answers the public (the SPARQL endpoint and editor, saved queries with the
visitor's parameters) in killable worker processes; `trusted` answers the app's own built-in
queries (builtin_queries/) in this process, which they may since they are known and bounded.
With no workers both are the same store.

At start the app reads only what every request needs (the ontology, the build's report, the
search index's file); the saved queries' catalog is read when a page first needs it. What a page
shows of a resource (its labels, a caption composed from its content when it has none: statements,
memberships, attendances; a measure's plan, « Mesure 8 (PAN 2014-2016) : … »; its asserted types)
is read from the store when a page first needs it, in one query per batch of resources
(builtin_queries/resources.rq), and kept in a bounded cache: a graph of a million triples then
starts in the time its store takes to load, and no page shows a slug.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef

from .. import builtin
from ..binding import term_text
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
from .cache import MAX_KEY_PART, AnswerCache
from .i18n import in_language, when

MEASURE_LABEL = {"fr": re.compile(r"^Mesure (\d+) :"), "en": re.compile(r"^Measure (\d+):")}
RESOURCES_KEPT = 20_000  # resources whose labels, caption and types are kept (a few hundred bytes each)
BATCH = 400  # resources read in one query
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")


@dataclass(frozen=True)
class Facts:
    """What pages show of one resource (empty for what the graph does not describe)."""

    labels: dict[str, str] = field(default_factory=dict)  # language ('' for none) -> label
    caption: tuple | None = None  # (kind, a, b, start, end, role, date)
    short: tuple[str, str] | None = None  # a measure: (number, plan years)
    types: frozenset[str] = frozenset()  # asserted types


NOTHING = Facts()


class FactView:
    """One part of every resource's facts, read like the dict it replaces (`get`, `in`, `[]`):
    a resource is in it when it has some. Not enumerable: nothing holds every resource."""

    def __init__(self, state: WebState, part: str):
        self._state, self._part = state, part

    def __getitem__(self, iri):
        value = getattr(self._state.facts(str(iri)), self._part)
        if not value:
            raise KeyError(iri)
        return value

    def get(self, iri, default=None):
        value = getattr(self._state.facts(str(iri)), self._part)
        return value if value else default

    def __contains__(self, iri) -> bool:
        return bool(getattr(self._state.facts(str(iri)), self._part))


@dataclass
class WebState:
    """The app's state, kept in `app.extensions["tehgraph"]`."""

    settings: Settings
    store: Store
    ontology: Ontology = field(default_factory=Ontology)
    shacl: dict[str, list[Violation]] = field(default_factory=dict)  # focus IRI -> the build's results
    saved: dict | None = None  # slug -> catalog.SavedQuery, read when first asked for (`catalog`)
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(Settings.cache_size))
    search: SearchIndex | None = None  # the full-text index (open_search_index)
    known: AnswerCache = field(default_factory=lambda: AnswerCache(RESOURCES_KEPT))  # IRI -> Facts

    def __post_init__(self) -> None:
        self.labels = FactView(self, "labels")
        self.captions = FactView(self, "caption")
        self.short = FactView(self, "short")
        self.types = FactView(self, "types")
        # (IRI, language) -> the name pages show, composed once: a caption composes labels and
        # messages, and an organisation's page names the organisation in each claim's caption
        # (506 names, 125 distinct, on the busiest one at 1M). Facts never change while the app runs.
        self._label = lru_cache(maxsize=RESOURCES_KEPT)(self._compose_label)

    @property
    def catalog(self) -> dict:
        """The project's saved queries (slug -> catalog.SavedQuery), read from queries/ when a
        page first needs them: parsing their headers is most of what start-up did besides the store."""
        if self.saved is None:
            folder = Path(self.settings.project_dir) / QUERIES_DIR
            self.saved = load_catalog(self.settings.project_dir) if folder.is_dir() else {}
        return self.saved

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

    def facts(self, iri: str) -> Facts:
        """What pages show of `iri`, read from the store the first time (with `learn`)."""
        if not ABSOLUTE_IRI.match(iri) or len(iri) > MAX_KEY_PART:
            return NOTHING  # a blank node, a literal's text, a name no store could hold
        return self.known.get((iri,), lambda: self.learn([iri])[iri])

    def learn(self, iris: Iterable) -> dict[str, Facts]:
        """Read the facts of every resource of `iris` not yet known, one query per batch: a page
        calls it with the resources it lists before it shows their names."""
        wanted = {str(i) for i in iris if i is not None}
        wanted = sorted(i for i in wanted if ABSOLUTE_IRI.match(i) and len(i) <= MAX_KEY_PART)
        found: dict[str, Facts] = {}
        missing = []
        for iri in wanted:
            kept = kept_answer(self.known, (iri,))
            if kept is None:
                missing.append(iri)
            else:
                found[iri] = kept
        for at in range(0, len(missing), BATCH):
            for iri, facts in read_facts(self, missing[at : at + BATCH]).items():
                found[iri] = self.known.get((iri,), lambda facts=facts: facts)
        return found

    def label(self, iri, lang: str) -> str:
        """Label in `lang`, else a caption composed in `lang`, else the label in the other language,
        else untagged, else a readable IRI tail (no resource of the corpus comes to that)."""
        return self._label(str(iri), lang)

    def _compose_label(self, iri: str, lang: str) -> str:
        facts = self.facts(iri)
        labels = facts.labels
        if lang in labels:
            return labels[lang]
        if facts.caption is not None:
            return self.caption(iri, lang)
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
        facts = self.facts(str(iri))
        labels = facts.labels
        if lang in labels or facts.caption is not None:
            return None
        shown = next((key for key in ("fr" if lang == "en" else "en", "") if key in labels), "")
        return shown or None

    def caption(self, iri: str, lang: str) -> str:
        """A name composed from what describes the resource, in the page's words (messages.json)."""
        kind, a, b, start, end, role, date = self.facts(iri).caption
        if role and getattr(role, "language", None) not in (None, "", lang):
            role = None  # a French title on an English page: « X, member of Y »; the title on X's page
        short = self.facts(b).short if b else None  # a measure: « m. 9 (2014-2016) »
        named = in_language(lang, "measure_short", n=short[0], plan=short[1]) if short else None
        values = {
            "a": self.label(a, lang) if a else "?",
            "b": named or (self.label(b, lang) if b else "?"),
            "lines": "" if start is None else f"{start}" if end in (None, start) else f"{start}–{end}",
            "role": role or "",
            "date": when(date, lang=lang) if date else "",
        }
        key = f"caption_{kind}" + ("_lines" if kind == "evidence" and start is not None else "")
        key += "_role" if role else ""
        key += "_date" if kind == "assessment" and date else ""
        return in_language(lang, key, **values)

    def classes_of(self, iri) -> set[str]:
        """The asserted types of a resource with all their superclasses."""
        found: set[str] = set()
        for t in self.facts(str(iri)).types:
            found |= self.ontology.superclasses(t)
        return found

    def most_specific_type(self, iri) -> str | None:
        """The asserted type that is not a superclass of another asserted type."""
        return most_specific(self.ontology, self.facts(str(iri)).types)


class _NotKept(Exception):
    """Raised by `kept_answer`'s compute: what the cache does not hold is not computed."""


def _not_kept():
    raise _NotKept


def kept_answer(cache: AnswerCache, key: tuple[str, ...]):
    """The answer `cache` holds under `key`, else None (nothing is computed nor kept)."""
    try:
        return cache.get(key, _not_kept)
    except _NotKept:
        return None


def most_specific(ontology: Ontology, types: Iterable[str]) -> str | None:
    """Of a resource's asserted types, the one that is not a superclass of another (the first in
    IRI order among several such; types of the ontology before others)."""
    types = set(types)
    known = [t for t in types if t in ontology.classes] or sorted(types)
    for candidate in sorted(known):
        if not any(other != candidate and candidate in ontology.superclasses(other) for other in known):
            return candidate
    return None


def read_facts(state: WebState, iris: list[str]) -> dict[str, Facts]:
    """The facts of `iris` (absolute IRIs), in one query (builtin_queries/resources.rq)."""
    values = " ".join(term_text(URIRef(i)) for i in iris)
    query = builtin.sparql("resources").replace("{resources}", values)
    labels: dict[str, dict[str, str]] = {i: {} for i in iris}
    plans: dict[str, list[tuple]] = {}
    captions: dict[str, tuple] = {}
    types: dict[str, set[str]] = {i: set() for i in iris}
    for s, what, label, kind, a, b, start, end, role, date in state.trusted.query(query).rows:
        s, what = str(s), str(what)
        if what == "label" and isinstance(label, Literal):
            labels[s].setdefault(label.language or "", str(label))
        elif what == "plan":
            plans.setdefault(s, []).append((start, end))
        elif what == "type":
            types[s].add(str(a))
        elif what == "caption":
            previous = captions.get(s)
            if previous is None or (role is not None and getattr(role, "language", None) == "fr"):
                captions[s] = (
                    str(kind),
                    str(a) if a is not None else None,
                    str(b) if b is not None else None,
                    int(start) if start is not None else None,
                    int(end) if end is not None else None,
                    role,  # a Literal: its language decides where the caption shows it
                    str(date) if date is not None else None,
                )
    found = {}
    for iri in iris:
        short = name_measure(labels[iri], plans.get(iri, ()))
        found[iri] = Facts(labels[iri], captions.get(iri), short, frozenset(types[iri]))
    return found


def name_measure(labels: dict[str, str], plans: Iterable[tuple]) -> tuple[str, str] | None:
    """Put the plan in a measure's label: « Mesure 1 : … » → « Mesure 1 (PAN 2014-2016) : … »;
    the measure's short name (number, plan years), or None for what is no measure of a plan."""
    short = None
    for start, end in plans:
        if start is None or end is None:
            continue
        number = MEASURE_LABEL["fr"].match(labels.get("fr", ""))
        if number:
            short = (number[1], f"{start}-{end}")
        for lang, pattern in MEASURE_LABEL.items():
            if lang in labels:
                years = ("PAN" if lang == "fr" else "NAP") + f" {start}-{end}"
                sep = " :" if lang == "fr" else ":"
                word = "Mesure" if lang == "fr" else "Measure"
                labels[lang] = pattern.sub(f"{word} \\g<1> ({years}){sep}", labels[lang])
    return short


def load_state(settings: Settings, store: Store) -> WebState:
    """What every request needs: the ontology, the build's report, the search index's file."""
    shacl = by_focus(read_validation(settings.dist))
    state = WebState(settings, store, shacl=shacl, cache=AnswerCache(settings.cache_size))
    state.ontology = read_ontology(state.trusted)
    state.search = open_search_index(settings, state.trusted)
    return state


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
