"""What the build says it published, and whether the store loaded from dist/ holds exactly that.

`tehgraph serve` on a truncated `.nq` or an empty `.nt` used to serve silently (issue 18): the
dumps parse, they just hold less. At start, `verify_release` compares the store with the build's
own counts — triples per named graph and in the merged default graph — and refuses to serve on
any difference. `expected_release` is the one place that reads those figures: today the VoID file
the build writes (void:triples per graph), with SHA-256 checksums of the loaded dumps computed
here (reported in /health); when the build writes its release metadata (dist/release.json, with
the checksums it wrote), only this function changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path, void_path
from .errors import ReleaseMismatchError
from .stores.base import Store

VOID = "http://rdfs.org/ns/void#"
_COUNTS = f"""
SELECT ?graph ?triples WHERE {{
  ?dataset a <{VOID}Dataset> ; <{VOID}triples> ?triples ; <http://purl.org/dc/terms/source> ?graph
}}"""
# The VoID file gives no count for the merged default graph: it must hold the union of the named graphs.
_UNION = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
DEFAULT = "default graph"


@dataclass(frozen=True)
class Release:
    """Triples per named graph (by IRI) and checksums of the loaded dumps."""

    triples: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)


def expected_release(dist: Path | str) -> Release:
    """The build's figures for `dist` (the switch to dist/release.json is this one line)."""
    return release_from_void(dist)


def release_from_void(dist: Path | str) -> Release:
    path = void_path(dist)
    if not path.is_file():
        raise ReleaseMismatchError(f"{path} is missing: the build did not finish")
    store = ox.Store()
    try:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    except (SyntaxError, OSError) as error:
        raise ReleaseMismatchError(f"{path} cannot be read: {error}") from None
    triples = {row["graph"].value: int(row["triples"].value) for row in store.query(_COUNTS)}
    checksums = {p.name: sha256(p) for p in (dump_path(dist, NAMED_GRAPHS), dump_path(dist, MERGED_GRAPH))}
    return Release(triples, checksums)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def store_counts(store: Store) -> dict[str, int]:
    """Triples per named graph and in the default graph, as the store holds them."""
    found = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {str(g): int(n) for g, n in found.rows}
    counts[DEFAULT] = store.count()
    return counts


def verify_release(store: Store, dist: Path | str) -> Release:
    """The build's release if `store` holds exactly its counts, else ReleaseMismatchError (what differs)."""
    release = expected_release(dist)
    if not release.triples:
        raise ReleaseMismatchError(f"{void_path(dist)} gives no triple counts: the build did not finish")
    held = store_counts(store)
    union = int(store.query(_UNION).rows[0][0])
    wrong = [f"{DEFAULT}: holds {held[DEFAULT]} triples, not the {union} of the named graphs"] * (
        held[DEFAULT] != union
    )
    wrong += [
        f"{graph}: the build wrote {count} triples, the store holds {held.get(graph, 0)}"
        for graph, count in sorted(release.triples.items())
        if held.get(graph, 0) != count
    ]
    if wrong:
        raise ReleaseMismatchError(
            f"the dumps in {dist} do not hold what the build wrote (truncated or replaced files?): "
            + "; ".join(wrong[:5])
            + (f"; and {len(wrong) - 5} more" if len(wrong) > 5 else "")
            + " — run `tehgraph build` again"
        )
    return release
