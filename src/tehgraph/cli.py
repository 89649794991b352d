"""The `tehgraph` command: a thin shell that parses options, calls the library, sets exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import URIRef

from . import __version__
from .config import Settings
from .errors import BuildError, LoadError, TehgraphError, UnknownTermError
from .formats import DATASET_FORMATS, GRAPH_FORMATS

EXIT_OK, EXIT_VIOLATIONS, EXIT_CANNOT_LOAD = 0, 1, 2

project_argument = click.argument(
    "project_dir", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)


def fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.group()
@click.version_option(__version__, prog_name="tehgraph")
def main() -> None:
    """tehgraph: knowledge graph of French anti-trafficking policy."""


@main.command()
@project_argument
@click.option(
    "--dist",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default PROJECT_DIR/dist).",
)
def build(project_dir: Path, dist: Path | None) -> None:
    """Load, check quotes, validate, infer and export PROJECT_DIR into dist/."""
    from .build import build as run_build

    try:
        result = run_build(project_dir, dist)
    except (LoadError, UnknownTermError) as error:
        fail(
            f"cannot load: {error}\nNothing was published; the previous dist/ is untouched.", EXIT_CANNOT_LOAD
        )
    except BuildError as error:
        fail(
            f"build failed: {error}\nNothing was published; the previous dist/ is untouched.", EXIT_VIOLATIONS
        )
    click.echo(f"Built {result.total} triples in {len(result.triples)} named graphs into {result.dist}/")
    click.echo("Phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))


@main.command()
@project_argument
@click.option(
    "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True
)
def validate(project_dir: Path, fmt: str) -> None:
    """Validate the data against the shapes. Exit 0 conforms, 1 violations, 2 cannot load."""
    from .load import load_project
    from .validate import validate_project

    try:
        project = load_project(project_dir)
    except (LoadError, UnknownTermError) as error:
        fail(f"cannot load: {error}", EXIT_CANNOT_LOAD)
    result = validate_project(project)
    click.echo({"text": result.as_text, "turtle": result.as_turtle, "json": result.as_json}[fmt]())
    from .checks import check_project

    checks = check_project(project)
    click.echo(checks.as_text(), err=fmt != "text")
    sys.exit(EXIT_OK if result.conforms and checks.conforms else EXIT_VIOLATIONS)


@main.command()
@project_argument
@click.option("--store", type=click.Choice(["oxigraph", "rdflib"]), help="Embedded backend.")
def stats(project_dir: Path, store: str | None) -> None:
    """Counts per class and per named graph of the built graph."""
    from .stats import compute_stats
    from .store import open_store

    settings = Settings.from_env(project_dir=project_dir, store=store)
    try:
        click.echo(compute_stats(open_store(settings)).as_text())
    except TehgraphError as error:
        fail(str(error), EXIT_CANNOT_LOAD)


@main.command()
@project_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*GRAPH_FORMATS, *DATASET_FORMATS]),
    default="turtle",
    show_default=True,
)
@click.option("--entity", help="Export only this resource (IRI): its outgoing and incoming triples.")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File to write (default stdout).")
def export(project_dir: Path, fmt: str, entity: str | None, output) -> None:
    """Write the built graph (or one entity) in a standard RDF format."""
    from .export import export_graph
    from .store import dump_path, open_store

    settings = Settings.from_env(project_dir=project_dir)
    try:
        if entity:
            if fmt in DATASET_FORMATS:
                fail("an entity is one graph: choose a graph format (turtle, jsonld, ntriples, rdfxml)", 2)
            graph = open_store(settings).describe(URIRef(entity))
            if len(graph) == 0:
                fail(f"no triples about {entity}", EXIT_VIOLATIONS)
            output.write(export_graph(graph, fmt).encode("utf-8"))
        elif fmt in DATASET_FORMATS:
            output.write(dump_path(settings.dist, DATASET_FORMATS[fmt].suffix).read_bytes())
        else:
            output.write(dump_path(settings.dist, GRAPH_FORMATS[fmt].suffix).read_bytes())
    except TehgraphError as error:
        fail(str(error), EXIT_CANNOT_LOAD)


# Commands defined in their own modules register themselves on `main` when imported.
from . import cli_queries, cli_remote, cli_serve  # noqa: E402,F401
from .cli_curate import COMMANDS as CURATE_COMMANDS  # noqa: E402  (standalone: cite, find, new-source, diff)

for _command in CURATE_COMMANDS:
    main.add_command(_command)
