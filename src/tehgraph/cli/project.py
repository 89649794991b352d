"""`tehgraph build`, `validate`, `stats` and `export`: the project and its build."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import URIRef

from ..config import Settings
from ..errors import BuildError, LoadError, TehgraphError, UnknownTermError
from ..formats import DATASET_FORMATS, GRAPH_FORMATS
from .common import ENDPOINT_HELP, ExitCode, fail, fail_with, project_argument, store_option

UNTOUCHED = "\nNothing was published; the previous dist/ is untouched."


@click.command()
@project_argument
@click.option(
    "--dist",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default PROJECT_DIR/dist).",
)
def build(project_dir: Path, dist: Path | None) -> None:
    """Load, check quotes, validate, infer and export PROJECT_DIR into dist/."""
    from ..build import build as run_build

    try:
        result = run_build(project_dir, dist)
    except (LoadError, UnknownTermError) as error:
        fail_with(error, "cannot load: ", UNTOUCHED)
    except BuildError as error:
        fail_with(error, "build failed: ", UNTOUCHED)
    click.echo(f"Built {result.total} triples in {len(result.triples)} named graphs into {result.dist}/")
    click.echo("Phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()))


@click.command()
@project_argument
@click.option(
    "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", show_default=True
)
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
def validate(project_dir: Path, fmt: str, endpoint: str | None) -> None:
    """Check quotes, shapes and quality checks. Exit 0 conforms, 1 violations, 2 cannot load.

    With --endpoint (or TEHGRAPH_ENDPOINT), validate the data the endpoint holds instead; exit 3
    when the endpoint fails.
    """
    from ..load import load_project
    from ..verify import verify, verify_remote

    settings = Settings.from_env(project_dir=project_dir, endpoint=endpoint)
    if settings.endpoint:
        click.echo(f"Validating the data of {settings.endpoint}", err=True)
    try:
        found = verify_remote(settings) if settings.endpoint else verify(load_project(project_dir))
    except (LoadError, UnknownTermError) as error:
        fail_with(error, "cannot load: ")
    except TehgraphError as error:
        fail_with(error)
    result = found.validation
    click.echo({"text": result.as_text, "turtle": result.as_turtle, "json": result.as_json}[fmt]())
    click.echo(found.quotes_text(), err=fmt != "text")  # stdout stays machine-readable
    click.echo(found.checks.as_text(), err=fmt != "text")
    sys.exit(ExitCode.OK if found.conforms else ExitCode.FAILED)


@click.command()
@project_argument
@store_option
def stats(project_dir: Path, store: str | None) -> None:
    """Counts per class and per named graph of the built graph."""
    from ..stats import compute_stats
    from ..stores import open_store

    settings = Settings.from_env(project_dir=project_dir, store=store)
    try:
        click.echo(compute_stats(open_store(settings)).as_text())
    except TehgraphError as error:
        fail_with(error)


@click.command()
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
    from ..dist import dump_path

    settings = Settings.from_env(project_dir=project_dir)
    try:
        if entity:
            output.write(_entity(settings, fmt, entity))
        else:
            table = DATASET_FORMATS if fmt in DATASET_FORMATS else GRAPH_FORMATS
            output.write(dump_path(settings.dist, table[fmt].suffix).read_bytes())
    except TehgraphError as error:
        fail_with(error)


def _entity(settings: Settings, fmt: str, entity: str) -> bytes:
    from ..export import export_graph
    from ..stores import open_store

    if fmt in DATASET_FORMATS:
        fail(
            "an entity is one graph: choose a graph format (turtle, jsonld, ntriples, rdfxml)",
            ExitCode.CANNOT_LOAD,
        )
    graph = open_store(settings).describe(URIRef(entity))
    if len(graph) == 0:
        fail(f"no triples about {entity}", ExitCode.FAILED)
    return export_graph(graph, fmt).encode("utf-8")


COMMANDS = (build, validate, stats, export)
