"""The build: load, verify, infer, export — and publish only if all of it passed.

The build is a list of named phases over one `Build`; `build()` runs them with a wall-clock
timer, and the benchmark runs the very same phases with its own (wall, CPU, memory), so the two
never drift apart. Everything after loading happens on the one pyoxigraph store verification
fills (verify.py): inferred triples and the query catalog are added to it, and the dumps and the
VoID description are written from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.graph import ReadOnlyGraphAggregate

from .catalog import catalog_graph
from .dist import SEARCH_INDEX_FILE, VOID_FILE, publish, read_release, write_release, write_validation
from .export import export_store
from .graphs import RULE_TARGETS
from .inference.engine import infer
from .load import Project, load_project
from .namespaces import GRAPH, INFERRED_GRAPH
from .oxterms import to_ox, to_rdflib
from .release import Release
from .release import of_project as release_of
from .rules import derive, load_rules
from .search import build_index
from .validation.report import ValidationResult
from .verify import STEPS, Runner, Verification, of_project, run_plainly
from .void import describe, graph_sizes

# Named graphs other modules contribute to every build: the query catalog (graph/queries).
EXTRA_GRAPHS: tuple[Callable[[Project], tuple], ...] = (catalog_graph,)


@dataclass
class BuildResult:
    dist: Path
    triples: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    validation: ValidationResult | None = None
    release: Release | None = None

    @property
    def total(self) -> int:
        return sum(self.triples.values())


@dataclass
class Build:
    """A build under way: the project, its verification (and store), the inferred graph."""

    project_dir: Path
    verification: Verification | None = None
    inferred: Graph | None = None
    derived: dict = field(default_factory=dict)  # triples each rule target graph got
    release: Release | None = None

    @property
    def project(self) -> Project:
        return self.verification.project


def _parse(b: Build) -> None:
    b.verification = of_project(load_project(b.project_dir))


def _verify_step(name: str) -> Callable[[Build], None]:
    return lambda b: STEPS[name](b.verification)


def _rules(b: Build) -> None:
    """The build rules (rules/*.rq) over the asserted facts, into graph/derived(-editorial)."""
    store = b.verification.store
    b.derived = derive(store, load_rules(b.project_dir))
    for name in RULE_TARGETS.values():
        store.merge_graph(name)


def _derived_graph(b: Build) -> Graph:
    graph = Graph()
    for name in RULE_TARGETS.values():
        for quad in b.verification.store.store.quads_for_pattern(None, None, None, to_ox(name)):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def _infer(b: Build) -> None:
    """The OWL RL closure of asserted and derived facts, into graph/inferred (and the merged
    default graph) of the store."""
    asserted = b.project.asserted_view()
    b.inferred = infer(ReadOnlyGraphAggregate([*asserted.graphs, _derived_graph(b)]))
    b.verification.store.add_graphs([(INFERRED_GRAPH, b.inferred, True)])


PHASES: dict[str, Callable[[Build], None]] = {
    "parse": _parse,
    **{name: _verify_step(name) for name in STEPS},
    "rules": _rules,
    "infer": _infer,
}


def assemble(project_dir: Path | str, run: Runner = run_plainly, strict: bool = True) -> Build:
    """Every phase before export; `strict` stops at the first failing check with its BuildError."""
    b = Build(Path(project_dir))
    for name, phase in PHASES.items():
        run(name, lambda phase=phase: phase(b))
        failure = b.verification.failure() if strict else None
        if failure is not None:
            raise failure
    return b


def _export(b: Build, folder: Path) -> None:
    """The catalog graph and shapes join the store, which is written as every dump."""
    store = b.verification.store
    store.add_graphs([(*contribute(b.project), True) for contribute in EXTRA_GRAPHS])
    store.merge_graph(GRAPH["shapes"])  # the merged dumps hold every graph, the shapes too
    export_store(store, folder)


def _describe(b: Build, folder: Path) -> None:
    """The VoID/DCAT description and the SHACL report (warnings and infos survive a conforming
    build; pages show them without validating again)."""
    void = describe(b.verification.store, b.release)
    (folder / VOID_FILE).write_text(void.serialize(format="turtle"), encoding="utf-8")
    write_validation(folder, b.verification.validation.as_dict())


def _search(b: Build, folder: Path) -> None:
    """The full-text index, from the same store: a failed build keeps the previous one too."""
    build_index(b.verification.store, folder / SEARCH_INDEX_FILE)


def _release(b: Build, folder: Path) -> None:
    """dist/release.json, last: version, counts per graph, checksums of every file written."""
    triples = {str(name): count for name, count in graph_sizes(b.verification.store)}
    write_release(folder, b.release.as_dict(triples))


# What `write` does, in order: named so build() and the benchmark time each.
WRITE_STEPS: dict[str, Callable[[Build, Path], None]] = {
    "export": _export,
    "describe": _describe,
    "search": _search,
    "release": _release,
}


def write(b: Build, folder: Path, run: Runner = run_plainly) -> None:
    """The build's files into `folder` (a staging folder: publish() puts it in place)."""
    if b.release is None:
        b.release = release_of(b.project_dir)
    for name, step in WRITE_STEPS.items():
        run(name, lambda step=step: step(b, folder))


def build(project_dir: Path | str, dist: Path | str | None = None) -> BuildResult:
    """Build the project into `dist` (default PROJECT_DIR/dist), replacing it only on success."""
    project_dir = Path(project_dir)
    dist = Path(dist) if dist else project_dir / "dist"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    b = assemble(project_dir, _timer(timings))
    b.release = release_of(project_dir, read_release(dist))  # the old dist names the previous version
    publish(dist, lambda folder: write(b, folder, _timer(timings)))
    triples = {str(name): count for name, count in graph_sizes(b.verification.store)}
    timings["total"] = time.perf_counter() - started
    return BuildResult(dist, triples, timings, b.verification.validation, b.release)


def _timer(timings: dict[str, float]) -> Runner:
    def run(name: str, step: Callable[[], None]) -> None:
        start = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - start

    return run
