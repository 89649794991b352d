"""Writing a built dataset to files: every named graph (TriG, N-Quads) and the merged graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .namespaces import PREFIXES, bind_prefixes
from .oxterms import to_ox
from .void import DUMP_STEM


def merged_graph(dataset: Dataset) -> Graph:
    """All named graphs in one graph, for formats that have no named graphs."""
    merged = Graph()
    bind_prefixes(merged)
    for graph in dataset.graphs():
        merged += graph
    return merged


# pyoxigraph's writers, by rdflib plugin name: ~15x faster than rdflib's for the same RDF
# (4 s -> 0.3 s of CPU for the real graph's dumps, docs/benchmarks.md).
OXIGRAPH_WRITERS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "json-ld": ox.RdfFormat.JSON_LD,
    "nt11": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}


def _write_with_oxigraph(dataset: Dataset, folder: Path, wanted: list[str]) -> list[Path]:
    """The dumps written by pyoxigraph: the dataset's quads once, and the merged graph's triples."""
    cache: dict = {}

    def term(node):
        found = cache.get(node)
        if found is None:
            found = cache[node] = to_ox(node)
        return found

    quads, triples = [], {}
    for s, p, o, g in dataset.quads():
        triple = ox.Triple(term(s), term(p), term(o))
        triples[triple] = None
        name = getattr(g, "identifier", g)  # rdflib yields graph names, older versions graphs
        if name is not None and name != DATASET_DEFAULT_GRAPH_ID:
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, term(name)))
        else:
            quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    # Sorted by graph and subject, so the streaming writers group each subject's triples.
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject)))
    merged = sorted(triples, key=lambda t: str(t.subject))
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    written = []
    for name in wanted:
        fmt = DATASET_FORMATS.get(name) or GRAPH_FORMATS[name]
        path = folder / f"{DUMP_STEM}.{fmt.suffix}"
        target = OXIGRAPH_WRITERS[fmt.rdflib]
        data = quads if name in DATASET_FORMATS else merged
        plain = target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
        ox.serialize(data, str(path), format=target, prefixes=None if plain else prefixes)
        written.append(path)
    return written


def export_dataset(dataset: Dataset, folder: Path, formats: list[str] | None = None) -> list[Path]:
    """Write dumps of `dataset` into `folder`, one file per format; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = formats or [*DATASET_FORMATS, *GRAPH_FORMATS]
    fast = [n for n in wanted if (DATASET_FORMATS.get(n) or GRAPH_FORMATS[n]).rdflib in OXIGRAPH_WRITERS]
    written: list[Path] = _write_with_oxigraph(dataset, folder, fast) if fast else []
    merged = None
    for name in wanted:
        if name in fast:
            continue
        if name in DATASET_FORMATS:
            fmt = DATASET_FORMATS[name]
            path = folder / f"{DUMP_STEM}.{fmt.suffix}"
            dataset.serialize(destination=path, format=fmt.rdflib)
        else:
            fmt = GRAPH_FORMATS[name]
            merged = merged if merged is not None else merged_graph(dataset)
            path = folder / f"{DUMP_STEM}.{fmt.suffix}"
            merged.serialize(destination=path, format=fmt.rdflib, encoding="utf-8")
        written.append(path)
    return written


def export_graph(graph: Graph, format_name: str) -> str:
    """One graph (an entity, a CONSTRUCT result) as text in a format of GRAPH_FORMATS."""
    bind_prefixes(graph)
    return graph.serialize(format=GRAPH_FORMATS[format_name].rdflib)
