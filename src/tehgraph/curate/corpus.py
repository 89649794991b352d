"""The corpus as data/sources.ttl describes it: which documents, their slugs, dates and text files.

SOURCE arguments name a document the way a curator has it at hand: its slug (`collectif-2017-03-09`,
the end of `<doc/collectif-2017-03-09>`), its file name, or a path to its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..errors import LoadError
from ..load import read_turtle
from ..namespaces import ID, TEH
from .errors import UnknownSourceError

SOURCES_FILE = Path("data") / "sources.ttl"
DOC_PREFIX = str(ID["doc/"])


@dataclass(frozen=True)
class Source:
    """One teh:SourceDocument with a text file in the corpus."""

    iri: URIRef
    project_dir: Path
    source_file: str  # as written in teh:sourceFile, relative to the project
    date: Literal | None
    label: str
    creators: tuple[URIRef, ...] = ()

    @property
    def slug(self) -> str:
        return str(self.iri)[len(DOC_PREFIX) :] if str(self.iri).startswith(DOC_PREFIX) else str(self.iri)

    @property
    def path(self) -> Path:
        return self.project_dir / self.source_file

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines, numbered from 1 as teh:lineStart counts them (index = line - 1)."""
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise LoadError(self.source_file, f"cannot read the source text: {error}") from None


def load_sources(project_dir: Path | str) -> list[Source]:
    """Every document of data/sources.ttl that has a text file (teh:sourceFile), in slug order."""
    project_dir = Path(project_dir)
    path = project_dir / SOURCES_FILE
    if not path.is_file():
        raise LoadError(path, "missing: not a tehgraph project folder (see --project)")
    graph = _parsed(path, path.stat().st_mtime_ns, path.stat().st_size)
    sources = []
    for iri in graph.subjects(RDF.type, TEH.SourceDocument):
        source_file = graph.value(iri, TEH.sourceFile)
        if source_file is None or not isinstance(iri, URIRef):
            continue
        label = graph.value(iri, RDFS.label) or graph.value(iri, DCTERMS.title) or iri
        creators = tuple(sorted(c for c in graph.objects(iri, DCTERMS.creator) if isinstance(c, URIRef)))
        date = graph.value(iri, DCTERMS.date)
        sources.append(Source(iri, project_dir, str(source_file), date, str(label), creators))
    return sorted(sources, key=lambda s: s.slug)


@lru_cache(maxsize=4)
def _parsed(path: Path, mtime: int, size: int) -> Graph:
    """data/sources.ttl, parsed again only when it changed (cite and find read it on every call)."""
    graph = Graph()
    read_turtle(path, graph)
    return graph


def resolve_source(project_dir: Path | str, ref: str) -> Source:
    """The document SOURCE names: slug, `doc/slug`, full IRI, file name, file stem or path."""
    project_dir = Path(project_dir)
    sources = load_sources(project_dir)
    for source in sources:
        if ref in (source.slug, f"doc/{source.slug}", str(source.iri)):
            return source
    by_path = {_resolved(source.path): source for source in sources}
    for candidate in (Path(ref), project_dir / ref):
        if _resolved(candidate) in by_path:
            return by_path[_resolved(candidate)]
    for source in sources:
        if ref in (Path(source.source_file).name, Path(source.source_file).stem):
            return source
    known = ", ".join(source.slug for source in sources)
    raise UnknownSourceError(
        f"unknown source {ref!r}: not a slug, file name or path of {SOURCES_FILE} ({known})"
    )


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path
