"""Writing a built dataset to files: every named graph (TriG, N-Quads) and the merged graph."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .formats import DATASET_FORMATS, GRAPH_FORMATS
from .namespaces import bind_prefixes
from .void import DUMP_STEM


def merged_graph(dataset: Dataset) -> Graph:
    """All named graphs in one graph, for formats that have no named graphs."""
    merged = Graph()
    bind_prefixes(merged)
    for graph in dataset.graphs():
        merged += graph
    return merged


def export_dataset(dataset: Dataset, folder: Path, formats: list[str] | None = None) -> list[Path]:
    """Write dumps of `dataset` into `folder`, one file per format; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    wanted = formats or [*DATASET_FORMATS, *GRAPH_FORMATS]
    merged = None
    for name in wanted:
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
