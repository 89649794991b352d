"""`tehgraph queries` and `tehgraph query`: the saved-query catalog from the command line.

Exit codes: 0 ok, 1 bad query or parameters (with a message saying what is expected),
2 cannot load (no build, unreachable endpoint, malformed catalog).
"""

from __future__ import annotations

from pathlib import Path

import click

from .catalog import load_catalog, run_saved, saved_from_text
from .cli import EXIT_CANNOT_LOAD, fail, main
from .config import Settings
from .errors import LoadError, ParameterError, QueryError, QueryTimeoutError, TehgraphError
from .tables import TABLE_FORMATS, render

EXIT_BAD_QUERY = 1


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--param {pair!r} is not name=value", EXIT_BAD_QUERY)
        params[name.strip()] = value
    return params


@main.command("queries")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder holding queries/.",
)
@click.option("--markdown", is_flag=True, help="The list as Markdown (the README's catalog section).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
def queries(project_dir: Path, markdown: bool, lang: str) -> None:
    """List the saved queries: slug, title and parameters."""
    from .catalog import catalog_markdown

    try:
        catalog = load_catalog(project_dir)
    except LoadError as error:
        fail(f"cannot load the catalog: {error}", EXIT_CANNOT_LOAD)
    if markdown:
        click.echo(catalog_markdown(catalog))
        return
    width = max((len(slug) for slug in catalog), default=0)
    for slug, saved in catalog.items():
        params = " ".join(f"[{p.name}]" if not p.required else p.name for p in saved.params)
        click.echo(f"{slug:<{width}}  {saved.label(lang)}" + (f"  ({params})" if params else ""))


@main.command("query")
@click.argument("slug", required=False)
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (queries/, dist/).",
)
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter (repeatable)."
)
@click.option(
    "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Run the query in this file."
)
@click.option("--sparql", help="Run this SPARQL text.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--store", type=click.Choice(["oxigraph", "rdflib"]), help="Embedded backend.")
@click.option("--endpoint", help="Query this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), help="Build output to query.")
def query(
    slug: str | None,
    project_dir: Path,
    params: tuple[str, ...],
    query_file,
    sparql: str | None,
    fmt: str,
    store: str | None,
    endpoint: str | None,
    dist: Path | None,
) -> None:
    """Run a saved query SLUG (or --file, or --sparql) and print its result."""
    from .store import open_store

    if sum(x is not None for x in (slug, query_file, sparql)) != 1:
        fail("give exactly one of SLUG, --file or --sparql (see `tehgraph queries`)", EXIT_BAD_QUERY)
    raw = _parse_params(params)
    try:
        if slug is not None:
            catalog = load_catalog(project_dir)
            if slug not in catalog:
                fail(f"no saved query {slug!r}; `tehgraph queries` lists them", EXIT_BAD_QUERY)
            saved = catalog[slug]
        else:
            text = query_file.read() if query_file is not None else sparql
            saved = saved_from_text(text, Path(getattr(query_file, "name", "-")), slug="query")
    except LoadError as error:
        # A syntax error in the user's own query is a bad query; a broken catalog cannot load.
        fail(str(error), EXIT_BAD_QUERY if slug is None else EXIT_CANNOT_LOAD)
    settings = Settings.from_env(project_dir=project_dir, store=store, endpoint=endpoint, dist_dir=dist)
    try:
        backend = open_store(settings)
    except TehgraphError as error:
        fail(f"cannot load: {error}", EXIT_CANNOT_LOAD)
    try:
        result = run_saved(backend, saved, raw)
        click.echo(render(result, fmt, backend))
    except (ParameterError, QueryError, QueryTimeoutError) as error:
        fail(str(error), EXIT_BAD_QUERY)
    except TehgraphError as error:
        fail(str(error), EXIT_CANNOT_LOAD)
