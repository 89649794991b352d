"""The build: parse, verify, derive, infer, export — and publish only if all of it passed.

The build is a list of named phases over one `Build`; `build()` runs them with a wall-clock
timer, and the benchmark runs the very same phases with its own (wall, CPU, memory), so the two
never drift apart. Everything happens on ONE pyoxigraph store, the one load.py parses the files
into: verification reads it (verify.py), the rules add graph/derived, OWL RL graph/inferred, the
export the query catalog and the shapes; the dumps, VoID, the search index and the release file
are written from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import builtin
from .catalog import catalog_graph
from .dist import (
    SEARCH_INDEX_FILE,
    SHARED_TRIPLES,
    VOID_FILE,
    publish,
    read_release,
    write_release,
    write_validation,
)
from .export import export_store
from .inference.engine import infer_store
from .load import Project, load_project
from .namespaces import INFERRED_GRAPH
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
    """A build under way: the project, its verification (and store), what the rules and OWL RL added."""

    project_dir: Path
    verification: Verification | None = None
    derived: dict = field(default_factory=dict)  # triples each rule target graph got
    inferred: int = 0  # triples OWL RL added
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
    b.derived = derive(b.verification.store, load_rules(b.project_dir))


def _infer(b: Build) -> None:
    """The OWL RL closure of asserted and derived facts: what is new, into graph/inferred."""
    b.inferred = infer_store(b.verification.store.store, INFERRED_GRAPH)


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
    """The catalog graph and the shapes join the store, which is written as every dump."""
    store = b.verification.store
    store.add_graphs([contribute(b.project) for contribute in EXTRA_GRAPHS])
    store.store.extend(b.project.shapes_quads)
    b.project.shapes_quads = []  # in the store now: a second export would not add them twice
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
    store = b.verification.store
    triples = {str(name): count for name, count in graph_sizes(store)}
    shared = int(store.query(builtin.sparql("triples-in-two-graphs")).rows[0][0])
    write_release(folder, {**b.release.as_dict(triples), SHARED_TRIPLES: shared})


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
