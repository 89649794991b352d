"""Reading the project's Turtle files: each file into its own named graph, errors with file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import LoadError, UnknownTermError
from .graphs import BUILT_GRAPHS, KINDS
from .namespaces import GRAPH, TEH, bind_prefixes

ONTOLOGY_FILES = ("tehgraph.ttl", "concepts.ttl", "reused-terms.ttl")
SHAPES_FILE = "shapes.ttl"
# Graphs no data file may write into: those the build computes, the ontology's and the shapes'.
RESERVED = BUILT_GRAPHS | set(KINDS["ontology"].graphs) | set(KINDS["shapes"].graphs)


@dataclass
class Project:
    """The asserted content of a project, graph by graph, and where each graph came from."""

    project_dir: Path
    dataset: Dataset
    files: dict[URIRef, Path] = field(default_factory=dict)
    ontology: Graph = field(default_factory=Graph)
    shapes: Graph = field(default_factory=Graph)

    @property
    def data_graphs(self) -> list[URIRef]:
        return [name for name, path in self.files.items() if path.parent.name == "data"]

    def graph(self, name: URIRef) -> Graph:
        """One named graph (a file's triples) as an rdflib graph."""
        return self.dataset.graph(name)

    def merged(self, include_shapes: bool = False) -> Graph:
        """Ontology and data in one graph, as validation and inference see them."""
        merged = Graph()
        bind_prefixes(merged)
        for name in self.files:
            if name == GRAPH["shapes"] and not include_shapes:
                continue
            merged += self.dataset.graph(name)
        return merged

    @property
    def asserted_graphs(self) -> list[URIRef]:
        """The graphs of what the sources say: ontology and data, without the shapes."""
        return [name for name in self.files if name != GRAPH["shapes"]]

    def asserted_view(self) -> Graph:
        """Ontology and data as one read-only graph, without copying them (what merged() holds).

        Copying 100k triples into a new rdflib graph costs ~5 s; readers that only read use this.
        """
        return ReadOnlyGraphAggregate([self.dataset.graph(name) for name in self.asserted_graphs])

    def node_files(self) -> NodeFiles:
        """Each described node's data file (relative to the project), mapped on first use."""
        return NodeFiles(self)

    def relative(self, path: Path) -> str:
        """A project file as reports name it: from the project folder when the project is given
        by an absolute path, else as it was found (relative to where the command runs)."""
        return str(path.relative_to(self.project_dir)) if path.is_absolute() else str(path)


class NodeFiles:
    """The file of each node, mapped on first use: only a report with problems needs it."""

    def __init__(self, project: Project):
        self.project = project
        self.files: dict | None = None

    def get(self, node, default=None):
        if self.files is None:
            self.files = self._map()
        return self.files.get(node, default)

    def _map(self) -> dict:
        """Each described node to its data file (the first that describes it)."""
        files: dict = {}
        for name in self.project.data_graphs:
            path = self.project.relative(self.project.files[name])
            for subject in set(self.project.dataset.graph(name).subjects()):
                files.setdefault(subject, path)
        return files


def graph_name(path: Path) -> URIRef:
    """Named graph IRI of a project file: graph/<stem>, so provenance is one lookup away."""
    return GRAPH[path.stem if path.parent.name == "data" else path.stem.replace("tehgraph", "ontology")]


def parse_file(path: Path, into: Graph) -> None:
    """Parse one Turtle file, turning parser errors into a LoadError naming file and line."""
    try:
        into.parse(path, format="turtle")
    except BadSyntax as error:
        raise LoadError(path, f"Turtle syntax error: {error._why}", line=error.lines + 1) from None
    except Exception as error:  # rdflib raises plain exceptions for unknown prefixes and bad IRIs
        raise LoadError(path, f"cannot parse: {error}") from None


def load_project(project_dir: Path | str) -> Project:
    """Load ontology, concepts, shapes and every data/*.ttl file, each in its own named graph."""
    project_dir = Path(project_dir)
    if not (project_dir / "ontology" / "tehgraph.ttl").is_file():
        raise LoadError(project_dir, "not a tehgraph project (no ontology/tehgraph.ttl)")
    dataset = Dataset()
    bind_prefixes(dataset)
    project = Project(project_dir, dataset)
    ontology_paths = [project_dir / "ontology" / name for name in ONTOLOGY_FILES]
    data_paths = sorted((project_dir / "data").glob("*.ttl"))
    for path in [*ontology_paths, project_dir / "ontology" / SHAPES_FILE, *data_paths]:
        if not path.is_file():
            continue
        name = graph_name(path)
        if name in project.files or (path.parent.name == "data" and name in RESERVED):
            raise LoadError(path, f"would write into {name}, which the build computes or another file fills")
        parse_file(path, dataset.graph(name))
        project.files[name] = path
    for path in ontology_paths:
        project.ontology += dataset.graph(graph_name(path))
    project.shapes = dataset.graph(GRAPH["shapes"])
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
    """Refuse data that uses a teh: term the ontology does not define (a typo would go unseen)."""
    known = defined_terms(project.ontology)
    problems: list[str] = []
    for name in project.data_graphs:
        graph = project.dataset.graph(name)
        used = {
            t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(TEH))
        }
        for term in sorted(used - known):
            problems.append(
                f"{project.files[name]}: unknown term teh:{term[len(str(TEH)) :]} (not in the ontology)"
            )
    if problems:
        raise UnknownTermError("\n".join(problems))
