"""`tehgraph serve`: the web browser (and the endpoints registered in create_app) under waitress.

Before anything is loaded, the port is tried (a taken port is exit 2 with a clear message, not a
traceback); the store is then checked against what the build wrote (release.py: exit 2 on a
truncated or replaced dump); the app links to itself under the public base URL (configured, else
this host and port, never the request's Host header); and waitress refuses requests carrying both
Content-Length and Transfer-Encoding (request smuggling).
"""

from __future__ import annotations

import errno
import re
import socket
from dataclasses import replace
from pathlib import Path

import click

from ..config import Settings
from ..errors import TehgraphError
from .common import ExitCode, fail, fail_with, project_argument, store_option

_LENGTH = re.compile(rb"\r\ncontent-length[ \t]*:", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding[ \t]*:", re.IGNORECASE)


@click.command()
@project_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@store_option
@click.option("--endpoint", help="Serve a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option(
    "--threads", type=click.IntRange(1, 64), help="Request threads (default: TEHGRAPH_THREADS, 32)."
)
def serve(
    project_dir: Path, host: str, port: int, store: str | None, endpoint: str | None, threads: int | None
) -> None:
    """Serve the graph of PROJECT_DIR (built in its dist/) on http://HOST:PORT."""
    try:
        settings = Settings.from_env(project_dir=project_dir, store=store, endpoint=endpoint, threads=threads)
    except ValueError as error:
        fail(f"cannot serve: a TEHGRAPH_* setting is not valid ({error})", ExitCode.CANNOT_LOAD)
    check_port(host, port)
    if not settings.public_base_url:
        shown = f"[{host}]" if ":" in host else host
        settings = replace(settings, public_base_url=f"http://{shown}:{port}")
    held = 3 * settings.query_workers  # request threads public queries may hold (stores/guarded.py)
    if settings.query_workers > 0 and settings.threads <= held + 4:
        click.echo(
            f"Warning: {settings.threads} request threads, of which public queries may hold {held}: "
            "pages can wait behind them. Give --threads more than "
            f"{held + 4} (3 × TEHGRAPH_QUERY_WORKERS + 4).",
            err=True,
        )
    app = load_app(settings)
    from ..web import warm  # after create_app: the query workers' nursery was forked before this thread

    warm.start(app, settings.warm_listings)
    click.echo(
        f"Serving {settings.dist if not endpoint else endpoint} on http://{host}:{port}/ "
        f"({app.extensions['tehgraph'].store.name} store; Ctrl+C stops)"
    )
    run(app, host, port, settings.threads, keep_proxy_headers=bool(settings.client_header))


def check_port(host: str, port: int) -> None:
    """Exit 2 with a clear message when the address cannot be listened on (taken, or not ours)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            why = (
                "is already in use"
                if error.errno == errno.EADDRINUSE
                else f"cannot be used ({error.strerror})"
            )
            fail(f"cannot serve: {host}:{port} {why}; choose another with --port", ExitCode.CANNOT_LOAD)


def load_app(settings: Settings):
    """The app over the settings' store, the store first checked against the build's counts."""
    from ..store_check import verify_release
    from ..stores import open_store
    from ..web import create_app
    from ..web.health import RELEASE

    try:
        store = open_store(settings)
        release = verify_release(store, settings.dist) if store.embedded else None
        app = create_app(settings, store)
    except TehgraphError as error:
        fail_with(error, "cannot serve: ")
    except (OSError, ValueError, SyntaxError) as error:  # a dump that exists but cannot be parsed
        fail(
            f"cannot serve: the build output in {settings.dist} is unreadable ({error}); "
            "run `tehgraph build` again",
            ExitCode.CANNOT_LOAD,
        )
    app.extensions[RELEASE] = release
    return app


def run(app, host: str, port: int, threads: int, keep_proxy_headers: bool = False) -> None:
    """waitress, with a request parser that refuses Content-Length together with Transfer-Encoding.

    waitress removes X-Forwarded-* headers it was not told to trust; with `client_header` set
    (behind the operator's proxy) they are kept for the app to read the client's address."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser, ParsingError
    from waitress.server import create_server

    class StrictParser(HTTPRequestParser):
        def parse_header(self, header_plus):
            if _LENGTH.search(header_plus) and _CHUNKED.search(header_plus):
                raise ParsingError("Content-Length and Transfer-Encoding in one request")
            return super().parse_header(header_plus)

    class StrictChannel(HTTPChannel):
        parser_class = StrictParser

    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="tehgraph",
        clear_untrusted_proxy_headers=not keep_proxy_headers,
    )
    server.channel_class = StrictChannel
    try:
        server.run()
    except KeyboardInterrupt:
        pass
