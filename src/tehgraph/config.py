"""Settings in one declarative place, overlaid by TEHGRAPH_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    project_dir: Path = field(
        default_factory=Path.cwd, metadata={"help": "project folder (ontology/, data/)"}
    )
    dist_dir: Path | None = field(default=None, metadata={"help": "build output (default PROJECT_DIR/dist)"})
    store: str = field(default="oxigraph", metadata={"help": "embedded store: oxigraph or rdflib"})
    endpoint: str | None = field(default=None, metadata={"help": "remote SPARQL 1.1 query endpoint URL"})
    update_endpoint: str | None = field(default=None, metadata={"help": "remote SPARQL Update URL"})
    graph_store: str | None = field(default=None, metadata={"help": "remote Graph Store Protocol URL"})
    merged_graph: str | None = field(
        default=None,
        metadata={
            "help": "named graph holding the merged graph on a server whose default graph is the union "
            "of all graphs (Virtuoso): push writes it there, queries name it as their default graph"
        },
    )
    # Credentials come from the environment only (TEHGRAPH_ENDPOINT_*), never from a command line.
    endpoint_user: str | None = field(
        default=None, metadata={"help": "HTTP user (basic or digest, as the server asks)"}
    )
    endpoint_password: str | None = field(default=None, repr=False, metadata={"help": "HTTP password"})
    endpoint_token: str | None = field(default=None, repr=False, metadata={"help": "HTTP bearer token"})
    upload_timeout: float = field(default=120.0, metadata={"help": "seconds one graph upload may take"})
    query_timeout: float = field(default=5.0, metadata={"help": "seconds a query may run"})
    query_workers: int = field(default=4, metadata={"help": "web: killable query processes (0: none)"})
    max_rows: int = field(default=5000, metadata={"help": "rows returned before truncation"})
    max_query_length: int = field(default=20000, metadata={"help": "characters a query text may have"})
    trusted_endpoints: tuple[str, ...] = field(default=(), metadata={"help": "SERVICE endpoints allowed"})
    page_size: int = field(default=50, metadata={"help": "rows per page in lists"})
    cache_size: int = field(default=512, metadata={"help": "web: answers of page queries kept in memory"})

    @property
    def dist(self) -> Path:
        return Path(self.dist_dir) if self.dist_dir else Path(self.project_dir) / "dist"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then TEHGRAPH_<NAME> variables, then explicit overrides (CLI options)."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(f"TEHGRAPH_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("project_dir", "dist_dir"):
            if values.get(key) is not None:
                values[key] = Path(values[key])
        return replace(cls(), **values)


def _coerce(type_name, raw: str):
    text = str(type_name)
    if "float" in text:
        return float(raw)
    if "int" in text:
        return int(raw)
    if "tuple" in text:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
