"""`tehgraph push` and `tehgraph validate --endpoint`: the command line of the remote backend.

Exit codes: 0 ok; 1 violations (validate) or counts that differ after an upload (push);
2 cannot load (no build, unreadable project); 3 the endpoint failed (unreachable, refused, timed out).
Credentials are read from TEHGRAPH_ENDPOINT_USER/PASSWORD/TOKEN only, never from options, so they
stay out of shell histories and process lists.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import fail, main, project_argument
from .config import Settings
from .errors import DistMissingError, EndpointError, LoadError, TehgraphError, UnknownTermError

EXIT_OK, EXIT_DIFFERS, EXIT_CANNOT_LOAD, EXIT_ENDPOINT = 0, 1, 2, 3

ENDPOINT_HELP = "SPARQL 1.1 query endpoint (default: TEHGRAPH_ENDPOINT)."


@main.command()
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
    help="Also write the merged graph into the default graph (off for servers whose default graph is "
    "the union of the named graphs: Virtuoso, GraphDB, Neptune, Fuseki with unionDefaultGraph).",
)
@click.option("--prune", is_flag=True, help="Delete tehgraph graphs on the server that this build lacks.")
def push(
    project_dir: Path,
    endpoint: str | None,
    graph_store: str | None,
    update_endpoint: str | None,
    default_graph: bool,
    prune: bool,
) -> None:
    """Upload dist/ to a SPARQL server, one named graph per request, and verify the counts."""
    from .push import PushVerificationError, choose_method, read_graphs
    from .push import push as run_push

    settings = Settings.from_env(
        project_dir=project_dir, endpoint=endpoint, graph_store=graph_store, update_endpoint=update_endpoint
    )
    if not settings.endpoint:
        fail("give --endpoint URL (or TEHGRAPH_ENDPOINT): the query URL used to verify the upload", 2)
    try:
        method = choose_method(settings)
        total = sum(u.expected for u in read_graphs(settings.dist, default_graph))
        label = f"Pushing {total} triples to {settings.endpoint} ({method})"
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            result = run_push(settings, default_graph, prune, progress=lambda up: bar.update(up.expected))
    except PushVerificationError as error:
        click.echo(error.result.as_text())
        fail(str(error), EXIT_DIFFERS)
    except DistMissingError as error:
        fail(str(error), EXIT_CANNOT_LOAD)
    except TehgraphError as error:
        fail(str(error), EXIT_ENDPOINT)
    click.echo(result.as_text())
    click.echo(f"Pushed {result.total} triples in {len(result.uploads)} graphs; every count matches.")


def _validate_remote(ctx: click.Context, **options) -> None:
    """The project's shapes and checks run on the endpoint's data; else the local validate."""
    endpoint = options.pop("endpoint")
    settings = Settings.from_env(project_dir=options["project_dir"], endpoint=endpoint)
    if not settings.endpoint:
        ctx.invoke(_local_validate, **options)
        return
    from .remote import validate_remote

    fmt = options.get("fmt", "text")
    try:
        result, checks = validate_remote(settings)
    except (LoadError, UnknownTermError) as error:
        fail(f"cannot load: {error}", EXIT_CANNOT_LOAD)
    except EndpointError as error:
        fail(str(error), EXIT_ENDPOINT)
    click.echo(f"Validating the data of {settings.endpoint}", err=True)
    click.echo({"text": result.as_text, "turtle": result.as_turtle, "json": result.as_json}[fmt]())
    click.echo(checks.as_text(), err=fmt != "text")
    sys.exit(EXIT_OK if result.conforms and checks.conforms else EXIT_DIFFERS)


# `validate` keeps its local options and behaviour (cli.py); this adds --endpoint/TEHGRAPH_ENDPOINT
# by wrapping it, so cli.py stays free of remote code and the options never drift apart.
_local_validate = main.commands["validate"]
main.add_command(
    click.Command(
        "validate",
        callback=click.pass_context(_validate_remote),
        params=[*_local_validate.params, click.Option(["--endpoint"], metavar="URL", help=ENDPOINT_HELP)],
        help=(_local_validate.help or "")
        + " With --endpoint (or TEHGRAPH_ENDPOINT), validate the data the endpoint holds instead;"
        " exit 3 when the endpoint fails.",
    )
)
