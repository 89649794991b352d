"""The build: load, check quotes, validate, infer, export — and publish only if all of it passed."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .checks import load_checks, run_checks
from .errors import BuildError
from .export import export_dataset
from .infer import infer
from .load import Project, load_project
from .namespaces import INFERRED_GRAPH, bind_prefixes
from .oxterms import store_of_triples
from .quotes import check_quotes
from .store import OxigraphStore
from .validate import ValidationResult, asserted_view, validate_project
from .void import describe

VALIDATION_FILE = "validation.json"

# Extra named graphs other modules contribute to every build (the query catalog registers one).
EXTRA_GRAPHS: list[Callable[[Project], tuple]] = []


@dataclass
class BuildResult:
    dist: Path
    triples: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    validation: ValidationResult | None = None

    @property
    def total(self) -> int:
        return sum(self.triples.values())


class _Timer:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def __call__(self, phase: str):
        timer = self

        class _Phase:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.timings[phase] = time.perf_counter() - self.start

        return _Phase()


def assemble(project: Project) -> tuple[Dataset, ValidationResult, dict[str, float]]:
    """Check and enrich a loaded project; raise BuildError when it must not be published."""
    timings: dict[str, float] = {}
    phase = _Timer(timings)
    # One read-only view of ontology + data serves every phase: copying it (merged()) cost ~5 s
    # per phase at 100k triples.
    asserted = asserted_view(project)
    with phase("quotes"):
        problems = check_quotes(asserted, project.project_dir)
    if problems:
        raise BuildError(f"{len(problems)} quote(s) not found in their sources", [str(p) for p in problems])
    with phase("validate"):
        validation = validate_project(project)
    if not validation.conforms:
        raise BuildError("the data does not conform to the shapes", [validation.as_text()])
    with phase("checks"):
        checks = run_checks(OxigraphStore(store_of_triples(asserted)), load_checks(project.project_dir))
    if not checks.conforms:
        raise BuildError("quality check queries returned rows", [checks.as_text()])
    dataset = project.dataset
    with phase("infer"):
        inferred = infer(asserted)
    dataset.graph(INFERRED_GRAPH).__iadd__(inferred)
    for contribute in EXTRA_GRAPHS:
        name, graph = contribute(project)
        dataset.graph(name).__iadd__(graph)
    return dataset, validation, timings


def build(project_dir: Path | str, dist: Path | str | None = None) -> BuildResult:
    """Build the project into `dist` (default PROJECT_DIR/dist), replacing it only on success."""
    project_dir = Path(project_dir)
    dist = Path(dist) if dist else project_dir / "dist"
    started = time.perf_counter()
    project = load_project(project_dir)
    load_time = time.perf_counter() - started
    dataset, validation, timings = assemble(project)
    timings = {"load": load_time, **timings}
    bind_prefixes(dataset)
    dist.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dist-", dir=dist.parent))
    try:
        t0 = time.perf_counter()
        export_dataset(dataset, staging)
        (staging / "void.ttl").write_text(describe(dataset).serialize(format="turtle"), encoding="utf-8")
        # Warnings and infos survive a conforming build; pages show them without validating again.
        (staging / VALIDATION_FILE).write_text(validation.as_json(), encoding="utf-8")
        timings["export"] = time.perf_counter() - t0
        _swap(staging, dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    triples = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    timings["total"] = time.perf_counter() - started
    return BuildResult(dist, triples, timings, validation)


def _swap(staging: Path, dist: Path) -> None:
    """Replace dist with staging in two renames, so readers never see a half-written folder."""
    old = dist.with_name(dist.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    staging.rename(dist)
    shutil.rmtree(old, ignore_errors=True)


from .catalog import catalog_graph  # noqa: E402  (the query catalog contributes graph/queries)

EXTRA_GRAPHS.append(catalog_graph)
