"""Verification: the one answer `tehgraph build` and `tehgraph validate` give to "may this be published?".

Three checks — every quote stands in its source, the data conforms to the SHACL shapes, the
quality-check queries return no rows — run over ONE pyoxigraph store: the one the project was
parsed into (load.py), a named graph per file, read with its default graph as the union of them
(the shapes stay out of it until export). The build then keeps adding to that same store (derived
and inferred triples, the query catalog, the shapes) and exports it: the data never goes through
rdflib.

`STEPS` are the checks one by one, so the build (and the benchmark) can time and stop between
them; `verify` runs them all. `verify_remote` runs them on what a SPARQL endpoint holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph

from .checks import ChecksReport, load_checks, run_checks
from .config import Settings
from .errors import BuildError, EndpointError, RemoteQueryError
from .graphs import NOT_ASSERTED
from .load import Project, load_project
from .quotes import QuoteProblem, check_quotes
from .stores.base import Store
from .stores.oxigraph import OxigraphStore
from .stores.remote import RemoteStore
from .validation.engine import Data, validate_data
from .validation.report import ValidationResult

Runner = Callable[[str, Callable[[], None]], None]  # runs one named step (timing it, or not)


def run_plainly(name: str, step: Callable[[], None]) -> None:
    step()


@dataclass
class Verification:
    """What was checked, on which store, and what was found (None: not checked yet)."""

    project: Project
    engine: str = "auto"
    store: OxigraphStore | None = None
    files: object = None  # node -> data file, a dict or anything with .get()
    make_graph: Callable[[], Graph] | None = None  # the data as one rdflib graph, if pySHACL runs
    quotes: list[QuoteProblem] | None = None
    validation: ValidationResult | None = None
    checks: ChecksReport | None = None

    @property
    def conforms(self) -> bool:
        return not self.quotes and self.validation.conforms and self.checks.conforms

    def failure(self) -> BuildError | None:
        """The first check found failing, in the build's order and words (None: all passed so far)."""
        if self.quotes:
            details = [str(p) for p in self.quotes]
            return BuildError(f"{len(self.quotes)} quote(s) not found in their sources", details)
        if self.validation is not None and not self.validation.conforms:
            return BuildError("the data does not conform to the shapes", [self.validation.as_text()])
        if self.checks is not None and not self.checks.conforms:
            return BuildError("quality check queries returned rows", [self.checks.as_text()])
        return None

    def quotes_text(self) -> str:
        if not self.quotes:
            return "Quotes: every quote stands in the lines of its source."
        lines = [f"Quotes: {len(self.quotes)} not found where their evidence points."]
        return "\n".join(lines + [f"  - {problem}" for problem in self.quotes])


def _quotes(v: Verification) -> None:
    v.quotes = check_quotes(v.store, v.project.project_dir, v.files)


def _shapes(v: Verification) -> None:
    data = Data.of_store(v.store.store, v.make_graph, union=v.store.union)
    v.validation = validate_data(data, v.project.shapes, v.files, v.engine)


def _checks(v: Verification) -> None:
    v.checks = run_checks(v.store, load_checks(v.project.project_dir))


STEPS: dict[str, Callable[[Verification], None]] = {
    "quotes": _quotes,
    "validate": _shapes,
    "checks": _checks,
}


def of_project(project: Project, engine: str = "auto") -> Verification:
    """A verification of the project's own files (on the store they were parsed into), nothing
    checked yet."""
    store = OxigraphStore(project.store, union=True)
    return Verification(project, engine, store, files=project.node_files(), make_graph=project.merged)


def run_steps(v: Verification, run: Runner = run_plainly, stop_at_failure: bool = False) -> Verification:
    """Every step, in order; with `stop_at_failure`, a failing check raises its BuildError at once."""
    for name, step in STEPS.items():
        run(name, lambda step=step: step(v))
        failure = v.failure() if stop_at_failure else None
        if failure is not None:
            raise failure
    return v


def verify(project: Project, engine: str = "auto") -> Verification:
    """Quotes, shapes and checks of a loaded project, all three reported."""
    return run_steps(of_project(project, engine))


# --- what a server holds ----------------------------------------------------------------------


def _asserted_pattern() -> str:
    skip = ", ".join(f"<{g}>" for g in NOT_ASSERTED)
    return f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({skip}))"


def fetch_asserted(store: Store) -> Graph:
    """Ontology and data as the server holds them, without shapes, inferred triples or catalog.

    The same triples `tehgraph validate` checks locally, so both report alike.
    """
    return store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_asserted_pattern()} }}").graph


def verify_remote(settings: Settings) -> Verification:
    """The project's quotes, shapes and checks run on what the endpoint holds.

    The endpoint's named graphs tell which file each node comes from; the project's ontology is
    mixed in, as it is in a local validation.
    """
    project = load_project(settings.project_dir)
    remote = RemoteStore.from_settings(settings)
    try:
        data = fetch_asserted(remote)
        placed = remote.query(f"SELECT DISTINCT ?s ?g WHERE {{ {_asserted_pattern()} }}")
    except RemoteQueryError as error:  # the server refused our own queries: the endpoint failed
        raise EndpointError(str(error)) from None
    files = {}
    for subject, graph in placed.rows:
        if graph in project.files:
            files.setdefault(subject, project.relative(project.files[graph]))
    data += project.ontology
    store = OxigraphStore()
    store.add_graphs([(None, data)])
    v = Verification(project, store=store, files=files, make_graph=lambda: data)
    return run_steps(v)
