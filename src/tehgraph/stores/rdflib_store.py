"""The alternative embedded backend: an rdflib Dataset (pure Python, slower; the reference answers)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from ..config import Settings
from ..dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path, union_is_exact
from ..errors import QueryError
from ..namespaces import PREFIXES, bind_prefixes
from ..results import QueryResult, cap, graph_of
from .base import Store


class RdflibStore(Store):
    """An rdflib Dataset behind the Store interface."""

    name = "rdflib"
    # rdflib loads a FROM graph it does not hold from the web: the public policy must refuse those.
    fetches_remote_graphs = True

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_dist(cls, dist: Path) -> RdflibStore:
        """The build's named graphs, the default graph answered as their union when that is exact
        (as the embedded default store does), else the merged dump."""
        exact = union_is_exact(dist)
        dataset = Dataset(default_union=exact)
        dataset.parse(dump_path(dist, NAMED_GRAPHS), format="nquads")
        if not exact:
            dataset.default_graph.parse(dump_path(dist, MERGED_GRAPH), format="nt")
        bind_prefixes(dataset)
        return cls(dataset)

    @classmethod
    def from_settings(cls, settings: Settings) -> RdflibStore:
        return cls.from_dist(settings.dist)

    def evaluate(self, sparql: str, limit: int | None) -> QueryResult:
        # Imported here: building the grammar costs ~0.2 s at import, which a build never needs.
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            parseQuery(sparql)
        except Exception as error:
            raise QueryError(f"SPARQL syntax error: {error}") from None
        try:
            answer = self.dataset.query(sparql, initNs=dict(PREFIXES))
        except Exception as error:
            raise QueryError(f"query evaluation failed: {error}") from None
        if answer.type == "ASK":
            return QueryResult("ASK", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            names = [str(v) for v in answer.vars]
            return cap(QueryResult("SELECT", vars=names, rows=[tuple(row) for row in answer]), limit)
        return cap(QueryResult("CONSTRUCT", graph=graph_of(answer)), limit)
