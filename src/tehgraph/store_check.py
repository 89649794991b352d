"""What the build says it published, and whether the store loaded from dist/ holds exactly that.

`tehgraph serve` on a truncated `.nq` or an empty `.nt` used to serve silently (issue 18): the
dumps parse, they just hold less. At start, `verify_release` compares the store with the build's
own figures — triples per named graph, the merged default graph being their union, and the SHA-256
of the dumps it loaded — and refuses to serve on any difference. `expected_release` is the one
place that reads those figures: the release file the build writes (dist/release.json: counts per
graph, checksums of every file), else, for a build from before release files, the VoID file
(void:triples per graph, no checksums to compare).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path, read_release, void_path
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
    """Triples per named graph (by IRI), checksums of the loaded dumps, and those the build wrote."""

    triples: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # empty for a build without release file


def expected_release(dist: Path | str) -> Release:
    """The build's figures for `dist`: its release file, else its VoID."""
    written = read_release(dist)
    if not written or not isinstance(written.get("graphs"), dict):
        return release_from_void(dist)
    files = written.get("files") or {}
    return Release(
        {str(graph): int(count) for graph, count in written["graphs"].items()},
        _loaded_checksums(dist),
        {name: str(facts.get("sha256")) for name, facts in files.items() if isinstance(facts, dict)},
    )


def _loaded_checksums(dist: Path | str) -> dict[str, str]:
    return {p.name: sha256(p) for p in (dump_path(dist, NAMED_GRAPHS), dump_path(dist, MERGED_GRAPH))}


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
    return Release(triples, _loaded_checksums(dist))


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
    """The build's release if `store` holds exactly its counts and dumps, else ReleaseMismatchError."""
    release = expected_release(dist)
    if not release.triples:
        raise ReleaseMismatchError(
            f"{dist} gives no triple counts (release.json, void.ttl): the build did not finish"
        )
    held = store_counts(store)
    union = int(store.query(_UNION).rows[0][0])
    wrong = [f"{DEFAULT}: holds {held[DEFAULT]} triples, not the {union} of the named graphs"] * (
        held[DEFAULT] != union
    )
    wrong += [
        f"{name}: its SHA-256 is not the one the build wrote"
        for name, digest in sorted(release.checksums.items())
        if name in release.written and release.written[name] != digest
    ]
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
