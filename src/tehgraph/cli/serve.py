"""`tehgraph serve`: the web browser (and the endpoints registered in create_app) under waitress."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import Settings
from ..errors import TehgraphError
from .common import ExitCode, fail, fail_with, project_argument, store_option


@click.command()
@project_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@store_option
@click.option("--endpoint", help="Serve a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
def serve(
    project_dir: Path, host: str, port: int, store: str | None, endpoint: str | None, threads: int
) -> None:
    """Serve the graph of PROJECT_DIR (built in its dist/) on http://HOST:PORT."""
    import waitress

    from ..web import create_app

    settings = Settings.from_env(project_dir=project_dir, store=store, endpoint=endpoint)
    try:
        app = create_app(settings)
    except TehgraphError as error:
        fail_with(error, "cannot serve: ")
    except (OSError, ValueError, SyntaxError) as error:  # a dump that exists but cannot be parsed
        fail(
            f"cannot serve: the build output in {settings.dist} is unreadable ({error}); "
            "run `tehgraph build` again",
            ExitCode.CANNOT_LOAD,
        )
    click.echo(
        f"Serving {settings.dist if not endpoint else endpoint} on http://{host}:{port}/ (Ctrl+C stops)"
    )
    waitress.serve(app, host=host, port=port, threads=threads, ident="tehgraph")
