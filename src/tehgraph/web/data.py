"""The « Données / Data » page: every file a reader can download, and what they may do with it.

It lists the dumps of the build folder (format, size, triples, date, SHA-256), the VoID
description, the ontology, the SPARQL endpoint and the licence, which comes from the VoID
(`dcterms:license`, `dcterms:rights` of the dataset, declared in data/dataset.ttl). Triples are
counted from the line-based dumps (one statement per line in N-Quads and N-Triples; the other
graph formats hold the same merged graph), and checksums are read once per file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, render_template, url_for
from rdflib import URIRef
from rdflib.namespace import DCTERMS

from ..dist import VOID_FILE, dump_name, void_path
from ..formats import DATASET_FORMATS, GRAPH_FORMATS, Format
from ..void import DATASET_IRI
from .helpers import state
from .i18n import current_language
from .linked_data import void_graph

bp = Blueprint("data", __name__)

CHUNK = 1 << 20


@dataclass(frozen=True)
class DataFile:
    name: str
    label: str  # the format's name
    mime: str
    size: int
    triples: int | None  # statements in the file (quads for datasets), None when not counted
    modified: str  # ISO date and time of the file
    sha256: str
    dataset: bool  # every named graph (TriG, N-Quads), or the merged graph


def _lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(CHUNK), b""))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _described(path: Path, fmt: Format | None, triples: int | None, dataset: bool) -> DataFile:
    stat = path.stat()
    when = datetime.fromtimestamp(stat.st_mtime, timezone.utc).replace(microsecond=0).isoformat()
    return DataFile(
        name=path.name,
        label=fmt.label if fmt else "VoID (Turtle)",
        mime=fmt.mime if fmt else "text/turtle",
        size=stat.st_size,
        triples=triples,
        modified=when,
        sha256=_sha256(path),
        dataset=dataset,
    )


def data_files(dist: Path) -> list[DataFile]:
    """The build's downloadable files that exist, datasets first, then graphs, then the VoID."""
    dist = Path(dist).resolve()
    found: list[DataFile] = []
    counts: dict[bool, int | None] = {}
    for dataset, table, counted in ((True, DATASET_FORMATS, "nq"), (False, GRAPH_FORMATS, "nt")):
        line_file = dist / dump_name(counted)
        counts[dataset] = _lines(line_file) if line_file.is_file() else None
        for fmt in table.values():
            path = dist / dump_name(fmt.suffix)
            if path.is_file():
                found.append(_described(path, fmt, counts[dataset], dataset))
    void = void_path(dist)
    if void.is_file():
        found.append(_described(void, None, None, False))
    return found


def licence() -> dict:
    """The dataset's licence IRI and rights statement in the reader's language, from the VoID."""
    if not void_path(state().settings.dist).is_file():
        return {}
    graph = void_graph()
    lang = current_language()
    rights = sorted(graph.objects(DATASET_IRI, DCTERMS.rights), key=lambda o: o.language != lang)
    found = graph.value(DATASET_IRI, DCTERMS.license)
    return {
        "iri": str(found) if isinstance(found, URIRef) else None,
        "rights": str(rights[0]) if rights else None,
    }


@bp.get("/data")
def page():
    st = state()
    files = st.cache.get(("data-files",), lambda: data_files(st.settings.dist))
    return render_template(
        "data.html",
        files=files,
        licence=st.cache.get(("licence", current_language()), licence),
        dump_url=lambda name: url_for("linked_data.dump", filename=name),
        void_file=VOID_FILE,
    )
