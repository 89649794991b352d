"""Reading the project's Turtle files with pyoxigraph: each file into its own named graph of ONE store.

That store is the build's hub: quotes, SHACL, checks, rules, OWL RL and export all run on it
(docs/architecture.md, « The build on one store »). rdflib only gets the small graphs its engines
need — the ontology model and the shapes — and, on demand, copies for the reference engines.

- Parse errors keep naming file:line (pyoxigraph's SyntaxError gives line and column).
- Blank nodes get labels made of the file's name and their order of appearance, so two builds of
  the same files hold the same terms and write the same dump bytes (pyoxigraph would draw random
  labels). pyoxigraph loads every file on its own; only a file that turns out to hold blank nodes
  is parsed again through Python to label them.
- A data file that uses a `teh:` term the ontology does not define is refused (a typo would go
  unseen), and so is one named after a graph the build computes (graph/derived, graph/inferred...).
- The shapes are kept out of the store until export: the store's default graph is the union of
  its named graphs, and validation must see the sources' triples only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from . import builtin
from .errors import LoadError, UnknownTermError
from .graphs import BUILT_GRAPHS, KINDS
from .namespaces import GRAPH, TEH, bind_prefixes
from .oxterms import graph_of_quads, to_ox

ONTOLOGY_FILES = ("tehgraph.ttl", "concepts.ttl", "reused-terms.ttl")
SHAPES_FILE = "shapes.ttl"
# Graphs no data file may write into: those the build computes, the ontology's and the shapes'.
RESERVED = BUILT_GRAPHS | set(KINDS["ontology"].graphs) | set(KINDS["shapes"].graphs)
_TURTLE = ox.RdfFormat.TURTLE
_MAY_HOLD_BLANK_NODES = (b"[", b"(", b"_:")  # without any of these, a file has no blank node
_HAS_BLANK_NODES = "ASK {{ GRAPH {} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
_UNSAFE_LABEL = re.compile(r"[^A-Za-z0-9_-]")
_POSITION = re.compile(
    r"^Parser error (?:at|between) line \d+ "
    r"(?:between columns \d+ and \d+|column \d+ and line \d+ column \d+): "
)


@dataclass
class Project:
    """The asserted content of a project, graph by graph, and where each graph came from."""

    project_dir: Path
    store: ox.Store  # one named graph per file, the shapes' excepted; nothing in the default graph
    files: dict[URIRef, Path] = field(default_factory=dict)  # graph -> file, the shapes' included
    ontology: Graph = field(default_factory=Graph)  # the ontology files, for the reference engines
    shapes: Graph = field(default_factory=Graph)  # what the SHACL engines read
    shapes_quads: list[ox.Quad] = field(default_factory=list)  # graph/shapes, joining the store at export

    @property
    def data_graphs(self) -> list[URIRef]:
        return [name for name, path in self.files.items() if path.parent.name == "data"]

    @property
    def asserted_graphs(self) -> list[URIRef]:
        """The graphs of what the sources say: ontology and data, without the shapes."""
        return [name for name in self.files if name != GRAPH["shapes"]]

    @property
    def dataset(self) -> Project:
        """What `project.dataset.graph(name)` read when the project was an rdflib Dataset: the same
        per-file graphs, now copied out of the store by `graph()` (the data tests use it)."""
        return self

    def graph(self, name: URIRef) -> Graph:
        """One file's triples as an rdflib graph (a copy: tests and small graphs)."""
        if name == GRAPH["shapes"]:
            return self.shapes
        return graph_of_quads(self.store.quads_for_pattern(None, None, None, to_ox(name)))

    def merged(self, include_shapes: bool = False) -> Graph:
        """Ontology and data in one rdflib graph (a copy), as the reference engines read them."""
        merged = graph_of_quads(
            q
            for name in self.asserted_graphs
            for q in self.store.quads_for_pattern(None, None, None, to_ox(name))
        )
        if include_shapes:
            merged += self.shapes
        return merged

    def node_files(self) -> NodeFiles:
        """Each described node's data file (relative to the project), looked up when asked."""
        return NodeFiles(self)

    def relative(self, path: Path) -> str:
        """A project file as reports name it: from the project folder when the project is given
        by an absolute path, else as it was found (relative to where the command runs)."""
        return str(path.relative_to(self.project_dir)) if path.is_absolute() else str(path)


class NodeFiles:
    """The data file describing a node (the first, in file order, where it is a subject), looked up
    in the store when asked: only a report with problems needs it."""

    def __init__(self, project: Project):
        self.project = project
        self.order = {to_ox(name): project.relative(project.files[name]) for name in project.data_graphs}
        self.found: dict = {}

    def get(self, node, default=None):
        if node not in self.found:
            term = to_ox(node)
            graphs = {q.graph_name for q in self.project.store.quads_for_pattern(term, None, None, None)}
            self.found[node] = next((path for name, path in self.order.items() if name in graphs), None)
        found = self.found[node]
        return default if found is None else found


def graph_name(path: Path) -> URIRef:
    """Named graph IRI of a project file: graph/<stem>, so provenance is one lookup away."""
    return GRAPH[path.stem if path.parent.name == "data" else path.stem.replace("tehgraph", "ontology")]


def _syntax_error(path: Path, error: SyntaxError) -> LoadError:
    reason = _POSITION.sub("", str(error))
    return LoadError(path, f"Turtle syntax error: {reason}", line=error.lineno)


def relabelled(quads, graph: ox.NamedNode, stem: str):
    """The parsed quads in `graph`, their blank nodes labelled `<stem>-<n>` in order of appearance."""
    blank, labels = ox.BlankNode, {}
    prefix = _UNSAFE_LABEL.sub("_", stem)

    def label(node: ox.BlankNode) -> ox.BlankNode:
        found = labels.get(node.value)
        if found is None:
            found = labels[node.value] = blank(f"{prefix}-{len(labels) + 1}")
        return found

    for quad in quads:
        subject, obj = quad.subject, quad.object
        if type(subject) is blank:
            subject = label(subject)
        if type(obj) is blank:
            obj = label(obj)
        yield ox.Quad(subject, quad.predicate, obj, graph)


def parse_file(path: Path, graph: ox.NamedNode, into: ox.Store | None = None) -> list[ox.Quad] | None:
    """One Turtle file into `graph` of the store `into` (or as a list of quads when `into` is None);
    a syntax error is a LoadError naming the file and line."""
    data = path.read_bytes()
    base = path.resolve().as_uri()
    try:
        if into is None:
            return list(relabelled(ox.parse(data, _TURTLE, base_iri=base), graph, path.stem))
        into.load(data, _TURTLE, base_iri=base, to_graph=graph)
        if any(mark in data for mark in _MAY_HOLD_BLANK_NODES) and into.query(_HAS_BLANK_NODES.format(graph)):
            into.remove_graph(graph)  # loaded with random labels: parse again, labelling them in order
            into.bulk_extend(relabelled(ox.parse(data, _TURTLE, base_iri=base), graph, path.stem))
    except SyntaxError as error:
        raise _syntax_error(path, error) from None
    except (OSError, ValueError) as error:
        raise LoadError(path, f"cannot parse: {error}") from None
    return None


def read_turtle(path: Path, into: Graph) -> Graph:
    """One Turtle file into an rdflib Graph, for the curating commands that read a file or two
    (sources, actors, concepts) without a build; a syntax error names the file and line."""
    for triple in graph_of_quads(parse_file(path, ox.DefaultGraph()) or []):
        into.add(triple)
    return into


def load_project(project_dir: Path | str) -> Project:
    """Load ontology, concepts, shapes and every data/*.ttl file, each in its own named graph."""
    project_dir = Path(project_dir)
    if not (project_dir / "ontology" / "tehgraph.ttl").is_file():
        raise LoadError(project_dir, "not a tehgraph project (no ontology/tehgraph.ttl)")
    project = Project(project_dir, ox.Store())
    ontology_paths = [project_dir / "ontology" / name for name in ONTOLOGY_FILES]
    shapes_path = project_dir / "ontology" / SHAPES_FILE
    data_paths = sorted((project_dir / "data").glob("*.ttl"))
    for path in [*ontology_paths, shapes_path, *data_paths]:
        if not path.is_file():
            continue
        name = graph_name(path)
        if name in project.files or (path.parent.name == "data" and name in RESERVED):
            raise LoadError(
                path, f"would write into {name}, a graph the build computes or another file fills"
            )
        if path == shapes_path:
            project.shapes_quads = parse_file(path, to_ox(name))
            project.shapes = graph_of_quads(project.shapes_quads)
        else:
            parse_file(path, to_ox(name), project.store)
        project.files[name] = path
    project.ontology = graph_of_quads(
        q
        for p in ontology_paths
        if p.is_file()
        for q in project.store.quads_for_pattern(None, None, None, to_ox(graph_name(p)))
    )
    bind_prefixes(project.ontology)
    check_terms(project)
    return project


def defined_terms(ontology: Graph) -> set[URIRef]:
    """Every teh: IRI the ontology declares (classes, properties, schemes)."""
    kinds = (
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        RDFS.Class,
        SKOS.ConceptScheme,
        RDF.Property,
    )
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return {t for t in terms if str(t).startswith(str(TEH))}


def check_terms(project: Project) -> None:
    """Refuse data that uses a teh: term the ontology does not define (one query over the data)."""
    known = defined_terms(project.ontology)
    data = {to_ox(name): name for name in project.data_graphs}
    problems: list[str] = []
    used = project.store.query(builtin.sparql("teh-terms"))
    for row in sorted(used, key=lambda r: (r["g"].value, r["t"].value)):
        name, term = data.get(row["g"]), URIRef(row["t"].value)
        if name is not None and term not in known:
            problems.append(
                f"{project.files[name]}: unknown term teh:{term[len(str(TEH)) :]} (not in the ontology)"
            )
    if problems:
        raise UnknownTermError("\n".join(problems))
