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

from .catalog import catalog_graph
from .dist import VOID_FILE, publish, write_validation
from .export import export_store
from .inference.engine import infer
from .load import Project, load_project
from .namespaces import GRAPH, INFERRED_GRAPH
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

    @property
    def total(self) -> int:
        return sum(self.triples.values())


@dataclass
class Build:
    """A build under way: the project, its verification (and store), the inferred graph."""

    project_dir: Path
    verification: Verification | None = None
    inferred: Graph | None = None

    @property
    def project(self) -> Project:
        return self.verification.project


def _parse(b: Build) -> None:
    b.verification = of_project(load_project(b.project_dir))


def _verify_step(name: str) -> Callable[[Build], None]:
    return lambda b: STEPS[name](b.verification)


def _infer(b: Build) -> None:
    """The OWL RL closure, into graph/inferred (and the merged default graph) of the store."""
    b.inferred = infer(b.project.asserted_view())
    b.verification.store.add_graphs([(INFERRED_GRAPH, b.inferred, True)])


PHASES: dict[str, Callable[[Build], None]] = {
    "parse": _parse,
    **{name: _verify_step(name) for name in STEPS},
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


def write(b: Build, folder: Path) -> None:
    """The build's files into `folder`: the catalog graph and shapes join the store, which is
    written as every dump, the VoID description and the SHACL report."""
    store = b.verification.store
    store.add_graphs([(*contribute(b.project), True) for contribute in EXTRA_GRAPHS])
    store.merge_graph(GRAPH["shapes"])  # the merged dumps hold every graph, the shapes too
    export_store(store, folder)
    (folder / VOID_FILE).write_text(describe(store).serialize(format="turtle"), encoding="utf-8")
    # Warnings and infos survive a conforming build; pages show them without validating again.
    write_validation(folder, b.verification.validation.as_dict())


def build(project_dir: Path | str, dist: Path | str | None = None) -> BuildResult:
    """Build the project into `dist` (default PROJECT_DIR/dist), replacing it only on success."""
    project_dir = Path(project_dir)
    dist = Path(dist) if dist else project_dir / "dist"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    b = assemble(project_dir, _timer(timings))
    _timer(timings)("export", lambda: publish(dist, lambda folder: write(b, folder)))
    triples = {str(name): count for name, count in graph_sizes(b.verification.store)}
    timings["total"] = time.perf_counter() - started
    return BuildResult(dist, triples, timings, b.verification.validation)


def _timer(timings: dict[str, float]) -> Runner:
    def run(name: str, step: Callable[[], None]) -> None:
        start = time.perf_counter()
        step()
        timings[name] = time.perf_counter() - start

    return run
