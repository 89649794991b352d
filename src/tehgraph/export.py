"""Writing a built dataset to files: every named graph (TriG, N-Quads) and the merged graph."""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .namespaces import PREFIXES, bind_prefixes
from .oxterms import iri_caching_converter
from .void import DUMP_STEM

# pyoxigraph's writers, by rdflib plugin name, one for every format of formats.py: ~15x faster than
# rdflib's for the same RDF (4 s -> 0.3 s of CPU for the real graph's dumps, docs/benchmarks.md).
OXIGRAPH_WRITERS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "json-ld": ox.RdfFormat.JSON_LD,
    "nt11": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}


def _write_with_oxigraph(dataset: Dataset, folder: Path, wanted: list[str]) -> list[Path]:
    """The dumps written by pyoxigraph's streaming writers: the dataset's quads sorted by graph and
    subject, the merged graph's triples (each once) sorted by subject, so the writers group each
    subject's triples as rdflib's pretty writers do."""
    term = iri_caching_converter()
    rows = [
        (s, p, o, "" if g is None or g == DATASET_DEFAULT_GRAPH_ID else g) for s, p, o, g in _quads(dataset)
    ]
    rows.sort(key=itemgetter(3, 0))  # rdflib terms are strings: cheap keys
    quads = [ox.Quad(term(s), term(p), term(o), term(g) if g else ox.DefaultGraph()) for s, p, o, g in rows]
    unique = sorted({(s, p, o) for s, p, o, _ in rows}, key=itemgetter(0))
    triples = [ox.Triple(term(s), term(p), term(o)) for s, p, o in unique]
    del rows, unique
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    written = []
    for name in wanted:
        fmt = DATASET_FORMATS.get(name) or GRAPH_FORMATS[name]
        path = folder / f"{DUMP_STEM}.{fmt.suffix}"
        target = OXIGRAPH_WRITERS[fmt.rdflib]
        plain = target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
        data = quads if name in DATASET_FORMATS else triples
        ox.serialize(data, str(path), format=target, prefixes=None if plain else prefixes)
        written.append(path)
    return written


def _quads(dataset: Dataset):
    """(s, p, o, graph name): rdflib yields graph names, older versions the graphs themselves."""
    for s, p, o, g in dataset.quads():
        yield s, p, o, getattr(g, "identifier", g)


def export_dataset(dataset: Dataset, folder: Path, formats: list[str] | None = None) -> list[Path]:
    """Write dumps of `dataset` into `folder`, one file per format; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    return _write_with_oxigraph(dataset, folder, formats or [*DATASET_FORMATS, *GRAPH_FORMATS])


def export_graph(graph: Graph, format_name: str) -> str:
    """One graph (an entity, a CONSTRUCT result) as text in a format of GRAPH_FORMATS."""
    bind_prefixes(graph)
    return graph.serialize(format=GRAPH_FORMATS[format_name].rdflib)
