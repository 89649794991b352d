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
    query_workers: int = field(default=6, metadata={"help": "web: killable query processes (0: none)"})
    slow_queries: int = field(
        default=2,
        metadata={"help": "web: public queries allowed past `slow_after` at once (others stop)"},
    )
    slow_after: float = field(
        default=0.5, metadata={"help": "web: seconds after which a public query counts as slow"}
    )
    client_queries: int = field(
        default=4, metadata={"help": "web: public queries one client may run or queue (429 past it)"}
    )
    client_header: str | None = field(
        default=None,
        metadata={"help": "web: header naming the client (X-Forwarded-For behind your proxy)"},
    )
    worker_memory: int = field(
        default=1024, metadata={"help": "web: MiB a query worker may grow by (its address space is capped)"}
    )
    sandbox: str = field(
        default="auto",
        metadata={"help": "web: how workers are barred from the network: auto, netns or seccomp"},
    )
    # Public queries may hold 3 × query_workers request threads while they run or wait for a worker;
    # the threads beyond those serve the pages, which then never wait behind public SPARQL.
    threads: int = field(default=32, metadata={"help": "web: request threads of the server (waitress)"})
    public_base_url: str | None = field(
        default=None,
        metadata={"help": "web: the site's public URL, used instead of the request's Host (VoID, links)"},
    )
    max_rows: int = field(default=5000, metadata={"help": "rows returned before truncation"})
    max_result_bytes: int = field(
        default=16 * 2**20, metadata={"help": "web: bytes of one public result before truncation"}
    )
    max_string_length: int = field(
        default=100_000, metadata={"help": "web: characters of one string in a public result (cut past it)"}
    )
    max_query_length: int = field(
        default=20000, metadata={"help": "characters of a query sent in a URL (GET, the editor)"}
    )
    max_body: int = field(default=2 * 2**20, metadata={"help": "bytes of a request body (POSTed queries)"})
    trusted_endpoints: tuple[str, ...] = field(
        default=(), metadata={"help": "SERVICE endpoints allowed (workers then keep the network)"}
    )
    page_size: int = field(default=50, metadata={"help": "rows per page in lists"})
    cache_size: int = field(default=512, metadata={"help": "web: answers of page queries kept in memory"})
    response_cache_mb: int = field(
        default=64, metadata={"help": "web: MiB of whole GET answers kept in memory (0: none)"}
    )
    warm_listings: int = field(
        default=8,
        metadata={
            "help": "serve: listings of the N largest classes read in the background at start (0: none)"
        },
    )

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
    if text.startswith("str"):
        return raw
    if "float" in text:
        return float(raw)
    if "int" in text:
        return int(raw)
    if "tuple" in text:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw
