"""`tehgraph push`: upload the build to a SPARQL server, one named graph per request, verified.

Credentials are read from TEHGRAPH_ENDPOINT_USER/PASSWORD/TOKEN only, never from options, so they
stay out of shell histories and process lists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import Settings
from ..errors import PushVerificationError, TehgraphError
from .common import ENDPOINT_HELP, ExitCode, fail, fail_with, project_argument


@click.command()
@project_argument
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
@click.option("--graph-store", metavar="URL", help="Graph Store Protocol URL (or TEHGRAPH_GRAPH_STORE).")
@click.option(
    "--update-endpoint", metavar="URL", help="SPARQL Update URL, used when there is no graph store."
)
@click.option(
    "--default-graph/--no-default-graph",
    default=True,
    show_default=True,
    help="Also write the merged graph into the default graph (or the --merged-graph); off: queries "
    "without GRAPH see what the server makes of its named graphs.",
)
@click.option(
    "--merged-graph",
    metavar="IRI",
    help="Write the merged graph into this named graph instead of the default graph, for servers whose "
    "default graph is the union of all graphs (Virtuoso); queries then name it as their default graph "
    "(or TEHGRAPH_MERGED_GRAPH, which every command reads).",
)
@click.option("--prune", is_flag=True, help="Delete tehgraph graphs on the server that this build lacks.")
def push(
    project_dir: Path,
    endpoint: str | None,
    graph_store: str | None,
    update_endpoint: str | None,
    default_graph: bool,
    merged_graph: str | None,
    prune: bool,
) -> None:
    """Upload dist/ to a SPARQL server, one named graph per request, and verify the counts."""
    from ..push import choose_method, read_graphs
    from ..push import push as run_push

    settings = Settings.from_env(
        project_dir=project_dir,
        endpoint=endpoint,
        graph_store=graph_store,
        update_endpoint=update_endpoint,
        merged_graph=merged_graph,
    )
    if not settings.endpoint:
        fail(
            "give --endpoint URL (or TEHGRAPH_ENDPOINT): the query URL used to verify the upload",
            ExitCode.CANNOT_LOAD,
        )
    try:
        method = choose_method(settings)
        total = sum(u.expected for u in read_graphs(settings.dist, default_graph, settings.merged_graph))
        label = f"Pushing {total} triples to {settings.endpoint} ({method})"
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            result = run_push(settings, default_graph, prune, progress=lambda up: bar.update(up.expected))
    except PushVerificationError as error:
        click.echo(error.result.as_text())
        fail_with(error)
    except TehgraphError as error:
        fail_with(error)
    click.echo(result.as_text())
    click.echo(f"Pushed {result.total} triples in {len(result.uploads)} graphs; every count matches.")
