"""Writing a build to files: every named graph (TriG, N-Quads) and the merged graph, from its store.

pyoxigraph's writers, one for every format of formats.py: ~15x faster than rdflib's for the same
RDF (docs/benchmarks.md). They are fed quads sorted by graph and subject, and the default graph's
triples (the merged graph, each triple once) sorted by subject, so each subject's statements are
grouped as rdflib's pretty writers group them.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .dist import dump_name
from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .namespaces import PREFIX_IRIS, bind_prefixes
from .stores.oxigraph import OxigraphStore

OXIGRAPH_WRITERS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "json-ld": ox.RdfFormat.JSON_LD,
    "nt11": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}
_PLAIN = (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)  # formats without prefixes


def _by_graph_and_subject(quad: ox.Quad) -> tuple[str, str]:
    return quad.graph_name.value, quad.subject.value


def export_store(store: OxigraphStore, folder: Path, formats: list[str] | None = None) -> list[Path]:
    """Write dumps of the store into `folder`, one file per format; returns the paths written.

    The named graphs are the dataset formats' content, the default graph the merged formats'.
    """
    folder.mkdir(parents=True, exist_ok=True)
    every = store.store.quads_for_pattern(None, None, None, None)
    quads = sorted(
        (q for q in every if not isinstance(q.graph_name, ox.DefaultGraph)), key=_by_graph_and_subject
    )
    merged = store.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    triples = sorted((q.triple for q in merged), key=lambda t: t.subject.value)
    written = []
    for name in formats or [*DATASET_FORMATS, *GRAPH_FORMATS]:
        fmt = DATASET_FORMATS.get(name) or GRAPH_FORMATS[name]
        target, path = OXIGRAPH_WRITERS[fmt.rdflib], folder / dump_name(fmt.suffix)
        data = quads if name in DATASET_FORMATS else triples
        ox.serialize(data, str(path), format=target, prefixes=None if target in _PLAIN else PREFIX_IRIS)
        written.append(path)
    return written


def export_graph(graph: Graph, format_name: str) -> str:
    """One graph (an entity, a CONSTRUCT result) as text in a format of GRAPH_FORMATS."""
    bind_prefixes(graph)
    return graph.serialize(format=GRAPH_FORMATS[format_name].rdflib)
