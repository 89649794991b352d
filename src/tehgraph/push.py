"""Uploading a build to a SPARQL 1.1 server, graph by graph, and checking what arrived.

Each named graph of dist/tehgraph.nq replaces its namesake on the server in one request, so a
reader never sees a graph half old and half new: a Graph Store Protocol PUT where the server has a
graph store, else one SPARQL Update request `DROP SILENT GRAPH` + `INSERT DATA`. The merged graph
(dist/tehgraph.nt) goes into the default graph, because most servers keep the default graph apart
from the named graphs (see docs/backends.md for the servers whose default graph is the union).
After the upload, the triples of every graph are counted on the server and compared.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .config import Settings
from .dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path
from .errors import EndpointError, PushVerificationError
from .formats import GRAPH_FORMATS
from .namespaces import GRAPH
from .stores.remote import RemoteStore, auth_headers, server_message, transport_error, wrapper_body

NTRIPLES = GRAPH_FORMATS["ntriples"].mime
UPDATE = "SPARQL update endpoint"


@dataclass
class GraphUpload:
    """One graph sent: its name (None for the default graph), triples sent and triples found."""

    graph: URIRef | None
    triples: list = field(repr=False)
    found: int | None = None

    @property
    def expected(self) -> int:
        return len(self.triples)

    @property
    def label(self) -> str:
        return "default graph" if self.graph is None else f"<{self.graph}>"

    @property
    def ok(self) -> bool:
        return self.found == self.expected


@dataclass
class PushResult:
    endpoint: str
    method: str
    uploads: list[GraphUpload]
    stale: list[URIRef] = field(default_factory=list)
    pruned: bool = False

    @property
    def total(self) -> int:
        return sum(u.expected for u in self.uploads)

    @property
    def mismatches(self) -> list[GraphUpload]:
        return [u for u in self.uploads if not u.ok]

    def as_text(self) -> str:
        lines = [f"{u.label}: {u.expected} sent, {u.found} on the server" for u in self.uploads]
        if self.stale:
            verb = "deleted" if self.pruned else "left as they are (use --prune to delete them)"
            lines.append(f"{len(self.stale)} graph(s) on the server not in this build, {verb}:")
            lines += [f"  <{g}>" for g in self.stale]
        return "\n".join(lines)


def read_graphs(dist: Path, default_graph: bool = True) -> list[GraphUpload]:
    """The named graphs of the N-Quads dump, then the merged graph of the N-Triples dump."""
    graphs: dict[str, set] = {}
    for quad in ox.parse(path=dump_path(dist, NAMED_GRAPHS), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    uploads = [GraphUpload(URIRef(name), sorted(found, key=str)) for name, found in sorted(graphs.items())]
    if default_graph:
        merged = {
            q.triple for q in ox.parse(path=dump_path(dist, MERGED_GRAPH), format=ox.RdfFormat.N_TRIPLES)
        }
        uploads.append(GraphUpload(None, sorted(merged, key=str)))
    return uploads


# --- two ways of replacing a graph -----------------------------------------------------------


def _graph_url(graph_store: str, graph: URIRef | None) -> str:
    """The Graph Store Protocol's indirect identification: ?graph=IRI, or ?default."""
    sep = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    if graph is None:
        return f"{graph_store}{sep}default"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': str(graph)})}"


def _http(settings: Settings, url: str, method: str, body: bytes | None = None) -> None:
    """One Graph Store request; any failure becomes an EndpointError naming the graph store."""
    headers = {**auth_headers(settings), **({"Content-Type": NTRIPLES} if body is not None else {})}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.upload_timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        if method == "DELETE" and error.code == 404:
            return
        raise transport_error(settings.graph_store, error, settings.upload_timeout, "Graph store") from None
    except (OSError, http.client.HTTPException) as error:
        raise transport_error(settings.graph_store, error, settings.upload_timeout, "Graph store") from None


def put_graph(settings: Settings, upload: GraphUpload) -> None:
    """Graph Store Protocol PUT: the server replaces the graph with the body, atomically."""
    body = ox.serialize(upload.triples, format=ox.RdfFormat.N_TRIPLES)
    _http(settings, _graph_url(settings.graph_store, upload.graph), "PUT", body)


def delete_graph_gsp(settings: Settings, graph: URIRef) -> None:
    _http(settings, _graph_url(settings.graph_store, graph), "DELETE")


def _update(settings: Settings, text: str) -> None:
    """One SPARQL Update request, posted as application/sparql-update."""
    wrapper = SPARQLWrapper(settings.endpoint or settings.update_endpoint, settings.update_endpoint)
    wrapper.setQuery(text)
    wrapper.setMethod(POST)
    wrapper.setRequestMethod(POSTDIRECTLY)
    wrapper.timeout = settings.upload_timeout  # setTimeout() would truncate it to an int
    for name, value in auth_headers(settings).items():
        wrapper.addCustomHttpHeader(name, value)
    try:
        wrapper.query().response.read()
    except SPARQLWrapperException as error:
        raise EndpointError(
            f"{UPDATE} {settings.update_endpoint} refused the update "
            f"({type(error).__name__}): {server_message(wrapper_body(error)) or 'no message'}"
        ) from None
    except (OSError, http.client.HTTPException) as error:
        raise transport_error(settings.update_endpoint, error, settings.upload_timeout, UPDATE) from None


def update_graph(settings: Settings, upload: GraphUpload) -> None:
    """SPARQL Update: drop and refill the graph in one request (one transaction on the server)."""
    body = ox.serialize(upload.triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    if upload.graph is None:
        _update(settings, f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{body}}}")
    else:
        name = f"<{upload.graph}>"
        _update(settings, f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{body}}} }}")


def delete_graph_update(settings: Settings, graph: URIRef) -> None:
    _update(settings, f"DROP SILENT GRAPH <{graph}>")


# How each protocol replaces and deletes a graph; `push` picks the first the settings name.
METHODS: dict[str, tuple[str, Callable, Callable]] = {
    "graph-store": ("graph_store", put_graph, delete_graph_gsp),
    "update": ("update_endpoint", update_graph, delete_graph_update),
}


def choose_method(settings: Settings) -> str:
    for name, (setting, _, _) in METHODS.items():
        if getattr(settings, setting):
            return name
    raise EndpointError(
        "nowhere to upload: give --graph-store URL (Graph Store Protocol) or --update-endpoint URL "
        "(SPARQL Update), or set TEHGRAPH_GRAPH_STORE / TEHGRAPH_UPDATE_ENDPOINT"
    )


# --- the whole push ---------------------------------------------------------------------------


def named_graph_count(store: RemoteStore, graph: URIRef | None) -> int:
    """Triples in one named graph, or in the default graph when `graph` is None."""
    if graph is None:
        return store.count()
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
    return int(result.rows[0][0])


def server_graphs(store: RemoteStore) -> set[URIRef]:
    """The tehgraph named graphs the server holds (others are not ours to touch)."""
    result = store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?base))) }",
        {"base": URIRef(str(GRAPH))},
    )
    return {g for (g,) in result.rows}


def push(
    settings: Settings,
    default_graph: bool = True,
    prune: bool = False,
    progress: Callable[[GraphUpload], None] | None = None,
) -> PushResult:
    """Upload every graph of the build, verify the counts, and report graphs the build lacks.

    Raises EndpointError when the server cannot be reached or refuses a graph, and
    PushVerificationError (with the result attached) when a count differs after the upload.
    """
    store = RemoteStore.from_settings(settings)
    method = choose_method(settings)
    _, replace, delete = METHODS[method]
    uploads = read_graphs(settings.dist, default_graph)
    for upload in uploads:
        replace(settings, upload)
        if progress:
            progress(upload)
    stale = sorted(server_graphs(store) - {u.graph for u in uploads})
    if prune:
        for graph in stale:
            delete(settings, graph)
    for upload in uploads:
        upload.found = named_graph_count(store, upload.graph)
    result = PushResult(settings.endpoint, method, uploads, stale, prune)
    if result.mismatches:
        error = PushVerificationError(
            f"after the upload, SPARQL endpoint {settings.endpoint} holds other counts than the build:\n"
            + "\n".join(f"  {u.label}: {u.expected} sent, {u.found} found" for u in result.mismatches)
        )
        error.result = result
        raise error
    return result
