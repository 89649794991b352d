"""Uploading a build to a SPARQL 1.1 server, graph by graph, and checking what arrived.

Each named graph of dist/tehgraph.nq replaces its namesake on the server in one request, so a
reader never sees a graph half old and half new: a Graph Store Protocol PUT where the server has a
graph store, else one SPARQL Update request `DROP SILENT GRAPH` + `INSERT DATA`. The merged graph
(dist/tehgraph.nt) goes into the default graph, because most servers keep the default graph apart
from the named graphs; where the default graph is the union of all graphs (Virtuoso), it goes into
the named graph `settings.merged_graph`, which queries then name as their default graph (see
docs/backends.md). After the upload, the triples of every graph are counted on the server and
compared. Credentials answer the server's challenge, basic or digest (Virtuoso's authenticated
endpoints ask digest), and are never sent before the server asks for them.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import requests
import requests.auth
from rdflib import URIRef

from .config import Settings
from .dist import MERGED_GRAPH, NAMED_GRAPHS, dump_path
from .errors import EndpointError, PushVerificationError, RemoteTimeoutError
from .formats import GRAPH_FORMATS
from .namespaces import GRAPH
from .stores.remote import RemoteStore, auth_headers, server_message

NTRIPLES = GRAPH_FORMATS["ntriples"].mime
SPARQL_UPDATE = "application/sparql-update"
INSERT_DATA_TRIPLES = 500  # triples per INSERT DATA operation (see update_graph)
UPDATE = "SPARQL update endpoint"


@dataclass
class GraphUpload:
    """One graph sent: its name (None for the default graph), triples sent and triples found."""

    graph: URIRef | None
    triples: list = field(repr=False)
    found: int | None = None
    held_in: URIRef | None = None  # the named graph that holds the default graph (settings.merged_graph)

    @property
    def expected(self) -> int:
        return len(self.triples)

    @property
    def target(self) -> URIRef | None:
        """The graph written on the server: its own name, the merged graph's, or None (default)."""
        return self.graph if self.graph is not None else self.held_in

    @property
    def label(self) -> str:
        if self.graph is not None:
            return f"<{self.graph}>"
        return "default graph" if self.held_in is None else f"default graph (held in <{self.held_in}>)"

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


def read_graphs(dist: Path, default_graph: bool = True, held_in: str | None = None) -> list[GraphUpload]:
    """The named graphs of the N-Quads dump, then the merged graph of the N-Triples dump (written
    into the named graph `held_in` when one is given)."""
    graphs: dict[str, set] = {}
    for quad in ox.parse(path=dump_path(dist, NAMED_GRAPHS), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    uploads = [GraphUpload(URIRef(name), sorted(found, key=str)) for name, found in sorted(graphs.items())]
    if default_graph:
        merged = {
            q.triple for q in ox.parse(path=dump_path(dist, MERGED_GRAPH), format=ox.RdfFormat.N_TRIPLES)
        }
        uploads.append(
            GraphUpload(None, sorted(merged, key=str), held_in=URIRef(held_in) if held_in else None)
        )
    return uploads


# --- two ways of replacing a graph -----------------------------------------------------------


def _graph_url(graph_store: str, graph: URIRef | None) -> str:
    """The Graph Store Protocol's indirect identification: ?graph=IRI, or ?default."""
    sep = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    if graph is None:
        return f"{graph_store}{sep}default"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': str(graph)})}"


def open_session(settings: Settings, probe: str) -> requests.Session:
    """An HTTP session for the uploads, authenticated the way the server asks.

    A bearer token is sent as it is. User and password wait for the server's challenge, which a
    request without a body (`HEAD probe`) draws: digest (Virtuoso's authenticated endpoints) or
    basic. Drawing it first matters: a server may answer 401 and close the connection while a
    large graph is still being sent, and once the digest nonce is known every upload carries it.
    """
    session = requests.Session()
    if settings.endpoint_token:
        session.headers.update(auth_headers(settings))
        return session
    if not settings.endpoint_user:
        return session
    challenge = _request(session, "HEAD", probe, settings, probe).headers.get("WWW-Authenticate", "")
    scheme = challenge.split(" ", 1)[0].lower()
    if scheme in CHALLENGES:
        session.auth = CHALLENGES[scheme](settings.endpoint_user, settings.endpoint_password or "")
        _request(session, "HEAD", probe, settings, probe)  # the digest handler learns its nonce
    return session


# The authentication schemes a server may challenge for, and what answers each.
CHALLENGES = {"digest": requests.auth.HTTPDigestAuth, "basic": requests.auth.HTTPBasicAuth}


def _request(
    session: requests.Session, method: str, url: str, settings: Settings, service: str, **options
) -> requests.Response:
    """One request; an unreachable or silent server becomes an EndpointError naming the service."""
    what = UPDATE if service == settings.update_endpoint else "Graph store"
    try:
        return session.request(method, url, timeout=settings.upload_timeout, **options)
    except requests.Timeout:
        raise RemoteTimeoutError(
            f"{what} {service} did not answer within {settings.upload_timeout:g} s"
        ) from None
    except requests.RequestException as error:
        reason = (
            "refused the connection (is the server running?)"
            if _refused(error)
            else f"cannot be reached: {error}"
        )
        raise EndpointError(f"{what} {service} {reason}") from None


def _refused(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, ConnectionRefusedError) or "Connection refused" in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _send(
    session: requests.Session, settings: Settings, service: str, method: str, url: str, **options
) -> None:
    """An upload request that must succeed (a missing graph is no failure for a DELETE)."""
    response = _request(session, method, url, settings, service, **options)
    if response.ok or (method == "DELETE" and response.status_code == 404):
        return
    what = UPDATE if service == settings.update_endpoint else "Graph store"
    raise EndpointError(
        f"{what} {service} answered HTTP {response.status_code} {response.reason}: "
        f"{server_message(response.content) or 'no message'}"
    )


def put_graph(session: requests.Session, settings: Settings, upload: GraphUpload) -> None:
    """Graph Store Protocol PUT: the server replaces the graph with the body, atomically."""
    body = ox.serialize(upload.triples, format=ox.RdfFormat.N_TRIPLES)
    url = _graph_url(settings.graph_store, upload.target)
    _send(session, settings, settings.graph_store, "PUT", url, data=body, headers={"Content-Type": NTRIPLES})


def delete_graph_gsp(session: requests.Session, settings: Settings, graph: URIRef) -> None:
    _send(session, settings, settings.graph_store, "DELETE", _graph_url(settings.graph_store, graph))


def _update(session: requests.Session, settings: Settings, text: str) -> None:
    """One SPARQL Update request, posted as application/sparql-update."""
    url = settings.update_endpoint
    _send(
        session,
        settings,
        url,
        "POST",
        url,
        data=text.encode("utf-8"),
        headers={"Content-Type": SPARQL_UPDATE},
    )


def update_graph(session: requests.Session, settings: Settings, upload: GraphUpload) -> None:
    """SPARQL Update: drop and refill the graph in one request (one transaction on the server).

    The triples go in operations of about INSERT_DATA_TRIPLES each, for Virtuoso's SPARQL
    compiler runs out of parser stack on one block of a few thousand. Triples that share a blank
    node stay in one operation, an `INSERT {…} WHERE {}` (Virtuoso refuses blank nodes in
    INSERT DATA), so that each blank node stays one node.
    """
    target = None if upload.target is None else f"<{upload.target}>"
    operations = ["DROP SILENT DEFAULT" if target is None else f"DROP SILENT GRAPH {target}"]
    for chunk in blank_node_chunks(upload.triples, INSERT_DATA_TRIPLES):
        body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        block = body if target is None else f"GRAPH {target} {{\n{body}}}"
        has_blank = any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in chunk
        )
        operations.append(f"INSERT {{ {block} }} WHERE {{}}" if has_blank else f"INSERT DATA {{ {block} }}")
    _update(session, settings, " ;\n".join(operations))


def blank_node_chunks(triples: list, size: int) -> list[list]:
    """The triples in chunks of about `size`, the triples linked by blank nodes kept together."""
    parent: dict = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for triple in triples:
        blanks = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if len(blanks) == 2:
            parent[root(blanks[0])] = root(blanks[1])
    groups: dict = {}
    for index, triple in enumerate(triples):
        blank = next((t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else index, []).append(triple)
    chunks: list[list] = [[]]
    for group in groups.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > size:
            chunks.append([])
        chunks[-1].extend(group)
    return [chunk for chunk in chunks if chunk]


def delete_graph_update(session: requests.Session, settings: Settings, graph: URIRef) -> None:
    _update(session, settings, f"DROP SILENT GRAPH <{graph}>")


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
    server = RemoteStore.from_settings(settings).whole_server()  # counts every graph as it is stored
    method = choose_method(settings)
    setting, replace, delete = METHODS[method]
    session = open_session(settings, getattr(settings, setting))
    uploads = read_graphs(settings.dist, default_graph, settings.merged_graph)
    for upload in uploads:
        replace(session, settings, upload)
        if progress:
            progress(upload)
    stale = sorted(
        server_graphs(server) - {u.target for u in uploads} - {URIRef(settings.merged_graph or "")}
    )
    if prune:
        for graph in stale:
            delete(session, settings, graph)
    for upload in uploads:
        upload.found = named_graph_count(server, upload.target)
    result = PushResult(settings.endpoint, method, uploads, stale, prune)
    if result.mismatches:
        error = PushVerificationError(
            f"after the upload, SPARQL endpoint {settings.endpoint} holds other counts than the build:\n"
            + "\n".join(f"  {u.label}: {u.expected} sent, {u.found} found" for u in result.mismatches)
        )
        error.result = result
        raise error
    return result
