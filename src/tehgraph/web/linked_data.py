"""Linked data: `/id/...` resources with content negotiation, `/ontology`, `/dumps/...`, `/void`.

Each resource IRI `https://w3id.org/tehgraph/id/<path>` is served at `/id/<path>`: RDF in the format
the Accept header (or a `.ttl`/`.jsonld`/`.nt`/`.rdf` suffix) asks for, or a 303 to its HTML page
(`entity.page`). Every table of formats is formats.py's; CORS headers for these public read-only
paths are set by security.py.

A resource reads from the top: in Turtle its own statements come first, then the resources that
point at it; in JSON-LD it is compacted with the project's prefixes (`JSONLD_CONTEXT`), so keys
read `teh:about`, not full IRIs. Dumps are files of the build folder, resolved to an absolute
path: `tehgraph serve .` gives a relative one, which Flask would read against its own package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from ..dist import DUMP_STEM, VOID_FILE, void_path
from ..errors import ParameterError, QueryError
from ..formats import DATASET_FORMATS, GRAPH_FORMATS, Format, by_suffix
from ..namespaces import ID, PREFIX_IRIS, TEH, bind_prefixes
from ..ontology import document_ontology
from ..oxterms import to_ox, to_rdflib
from ..protocol import ProtocolError, choose_format
from ..results import graph_of
from ..void import DATASET_IRI
from .helpers import state
from .responses import content_type, plain_error, rdf_response

bp = Blueprint("linked_data", __name__)

HTML = "text/html"
# The project's JSON-LD context: its one prefix map (namespaces.py), so compact keys are its CURIEs.
JSONLD_CONTEXT = dict(PREFIX_IRIS)


def split_suffix(path: str) -> tuple[str, Format | None]:
    """`measure/x/8.ttl` → (`measure/x/8`, Turtle); a path without a known suffix is kept whole."""
    stem, dot, suffix = path.rpartition(".")
    fmt = by_suffix(GRAPH_FORMATS, suffix) if dot else None
    return (stem, fmt) if fmt else (path, None)


def negotiate(html: bool) -> Format | None:
    """The RDF format the Accept header prefers, or None when it prefers HTML (offered when `html`)."""
    accept = request.accept_mimetypes
    offered = [f.mime for f in GRAPH_FORMATS.values()] + ([HTML] if html else [])
    if accept and accept.best_match(offered) == HTML:
        return None
    return choose_format("CONSTRUCT", accept)


def void_graph() -> Graph:
    """The build's VoID/DCAT with this server's URLs: dumps resolved here, the SPARQL endpoint added."""
    path = void_path(state().settings.dist)
    if not path.is_file():
        abort(404, description="this server has no build description (dist/void.ttl)")
    graph = Graph()
    base = url_for("linked_data.dump", filename=VOID_FILE, _external=True)
    graph.parse(path, format="turtle", publicID=base)
    bind_prefixes(graph)
    if "sparql.endpoint" in current_app.view_functions:
        endpoint = URIRef(url_for("sparql.endpoint", _external=True))
        graph.add((DATASET_IRI, VOID.sparqlEndpoint, endpoint))
        graph.add((endpoint, RDF.type, DCAT.DataService))
        graph.add((endpoint, DCAT.endpointURL, endpoint))
        graph.add((endpoint, DCAT.servesDataset, DATASET_IRI))
    graph.add((DATASET_IRI, VOID.rootResource, URIRef(str(ID))))
    graph.add((DATASET_IRI, VOID.vocabulary, URIRef(str(TEH))))
    return graph


def own_first(triples: Iterable[ox.Triple], iri: URIRef) -> bytes:
    """Turtle of `triples` with the statements about `iri` (and its blank nodes) before the others.

    Written by pyoxigraph (rdflib's Turtle writer took 70 % of a description's time), in a fixed
    order: the resource's triples (rdf:type first), those of its blank nodes, then the others by
    subject; only the prefixes the triples use are declared, and only where every local name
    reads plainly (`id:org\\/ccem` is valid Turtle, but the whole IRI is easier to read)."""
    subject = ox.NamedNode(str(iri))
    triples = list(triples)
    own = [t for t in triples if t.subject == subject]
    nodes = {t.object for t in own if isinstance(t.object, ox.BlankNode)}
    of_nodes = [t for t in triples if t.subject in nodes]
    rest = [t for t in triples if t.subject != subject and t.subject not in nodes]
    ordered = [*sorted(own, key=_predicate_order), *sorted(of_nodes, key=_subject_order)]
    ordered += sorted(rest, key=_subject_order)
    used = {term.value for t in ordered for term in t if isinstance(term, ox.NamedNode)}
    used |= {t.object.datatype.value for t in ordered if isinstance(t.object, ox.Literal)}
    prefixes = {}
    for name, namespace in PREFIX_IRIS.items():
        local = [term[len(namespace) :] for term in used if term.startswith(namespace)]
        if local and all(_PLAIN_LOCAL.fullmatch(name) for name in local):
            prefixes[name] = namespace
    text = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    # rdf:type is written `a`, xsd:integer and xsd:boolean as bare values: their prefixes may go unused
    head, body = [], []
    for line in text.splitlines(keepends=True):
        (head if line.startswith("@prefix ") else body).append(line)
    written = "".join(body)
    kept = [line for line in head if line.split()[1] in written]
    return "".join([*kept, *body]).encode("utf-8")


_PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _predicate_order(triple: ox.Triple) -> tuple:
    return (triple.predicate != _RDF_TYPE, str(triple.predicate), str(triple.object))


def _subject_order(triple: ox.Triple) -> tuple:
    return (isinstance(triple.subject, ox.BlankNode), str(triple.subject), *_predicate_order(triple))


def resource_response(triples: list[ox.Triple], iri: URIRef, fmt: Format, negotiated: bool) -> Response:
    """A resource in `fmt`: Turtle with its own statements first, JSON-LD compacted; others as is."""
    if fmt.name == "turtle":
        response = Response(own_first(triples, iri), content_type=content_type(fmt))
        if negotiated:
            response.vary.add("Accept")
        return response
    graph = graph_of((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples)
    if fmt.name != "jsonld":
        return rdf_response(graph, fmt, negotiated=negotiated)
    body = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True, encoding="utf-8")
    response = Response(body, content_type=content_type(fmt))
    if negotiated:
        response.vary.add("Accept")
    return response


def about(graph: Graph, iri: URIRef) -> Graph:
    """Triples of `graph` with `iri` as subject or object."""
    found = Graph()
    for triple in [*graph.triples((iri, None, None)), *graph.triples((None, None, iri))]:
        found.add(triple)
    return found


@bp.route("/id/<path:path>")
def resource(path: str) -> Response:
    """A resource as RDF (conneg or suffix), or a 303 to its HTML page; 404 when nothing is known."""
    stem, fmt = split_suffix(path)
    iri = URIRef(str(ID) + stem)
    try:
        triples = state().trusted.describe_triples(iri)
    except (ParameterError, QueryError):
        abort(404)
    # The dataset, its subsets and dumps are minted by the VoID (dist/void.ttl), not stored.
    from_void = stem.startswith("dataset") and void_path(state().settings.dist).is_file()
    if from_void:
        triples += [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in about(void_graph(), iri)]
    if not triples:
        abort(404, description=f"nothing is known about <{iri}>")
    if fmt is not None:
        return resource_response(triples, iri, fmt, negotiated=False)
    try:
        fmt = negotiate(html=not from_void and "entity.page" in current_app.view_functions)
    except ProtocolError as error:
        return plain_error(error.status, str(error))
    if fmt is None:
        response = redirect(url_for("entity.page", path=stem), code=303)
        response.vary.add("Accept")
        return response
    response = resource_response(triples, iri, fmt, negotiated=True)
    response.headers["Content-Location"] = url_for("linked_data.resource", path=f"{stem}.{fmt.suffix}")
    return response


@bp.route("/ontology")
@bp.route("/ontology.<suffix>")
def ontology(suffix: str | None = None) -> Response | str:
    """The ontology at its namespace: RDF by Accept or suffix, else its HTML documentation."""
    fmt = None
    if suffix is not None:
        fmt = by_suffix(GRAPH_FORMATS, suffix) or abort(404)
    else:
        try:
            fmt = negotiate(html=True)
        except ProtocolError as error:
            return plain_error(error.status, str(error))
    if fmt is None:
        st = state()
        doc = st.cache.get(("ontology-doc",), lambda: document_ontology(st.ontology, st.trusted))
        response = Response(
            render_template("ontology.html", doc=doc, formats=GRAPH_FORMATS.values(), namespace=str(TEH))
        )
        response.vary.add("Accept")
        return response
    graph = state().cached("ontology-graph").graph
    return rdf_response(graph, fmt, negotiated=suffix is None)


@bp.route("/dumps/<filename>")
def dump(filename: str) -> Response:
    """A file of the build (dist/): the whole graph in every format, and the VoID description."""
    stem, _, suffix = filename.rpartition(".")
    fmt = by_suffix(DATASET_FORMATS, suffix) or by_suffix(GRAPH_FORMATS, suffix)
    if filename == VOID_FILE:
        fmt = GRAPH_FORMATS["turtle"]
    elif stem != DUMP_STEM or fmt is None:
        abort(404)
    path = Path(state().settings.dist).resolve() / filename
    if not path.is_file():
        abort(404)
    # send_file adds the charset of text types itself (werkzeug), so the bare media type here.
    return send_file(path, mimetype=fmt.mime, conditional=True, download_name=filename)


@bp.route("/.well-known/void")
@bp.route("/void")  # the rule url_for builds (decorators register bottom-up)
def void() -> Response:
    """The VoID/DCAT description of the dataset, in the format the Accept header asks for."""
    try:
        fmt = choose_format("CONSTRUCT", request.accept_mimetypes)
    except ProtocolError as error:
        return plain_error(error.status, str(error))
    return rdf_response(void_graph(), fmt, negotiated=True)
