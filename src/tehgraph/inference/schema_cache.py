"""The closed schema, kept between builds.

owlrl re-runs every rule until nothing changes: ~0.3 s for the ontology's thousand T-box triples,
a seventh of the real graph's build, and the same answer every time the ontology is unchanged.
The closure is kept as N-Triples under a name that is the hash of its input (the owlrl version,
each input triple), so a changed ontology, datatype witness or owlrl is a new entry and an old
entry is never read for new input. The folder is `$TEHGRAPH_CACHE_DIR`, else
`$XDG_CACHE_HOME/tehgraph`, else `~/.cache/tehgraph`; `TEHGRAPH_CACHE_DIR=off` turns it off, and
a folder that cannot be written only costs the closure. Input holding a blank node is always
closed afresh: N-Triples read back would give its blank nodes new names, not the store's.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import owlrl
from rdflib import BNode, Graph

OFF = "off"


def cache_dir() -> Path | None:
    """Where closures are kept (None when caching is off)."""
    chosen = os.environ.get("TEHGRAPH_CACHE_DIR")
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tehgraph"


def _key(triples: Iterable) -> str:
    digest = hashlib.sha256(f"owlrl {owlrl.__version__}\n".encode())
    for line in sorted(" ".join(term.n3() for term in triple) for triple in triples):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def cached_closure(triples: list, close: Callable[[list], Graph]) -> Graph:
    """`close(triples)`, read from the cache when the same input was closed before."""
    folder = cache_dir()
    if folder is None or any(isinstance(term, BNode) for triple in triples for term in triple):
        return close(triples)
    path = folder / f"schema-closure-{_key(triples)}.nt"
    if path.is_file():
        try:
            return Graph().parse(path, format="nt")
        except Exception:  # noqa: BLE001 - a damaged entry is closed again and rewritten
            path.unlink(missing_ok=True)
    graph = close(triples)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".partial", delete=False) as out:
            graph.serialize(out, format="nt", encoding="utf-8")
        os.replace(out.name, path)  # whole or absent: two builds at once each write a whole file
    except OSError:
        pass
    return graph
