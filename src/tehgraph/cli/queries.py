"""`tehgraph queries` and `tehgraph query`: the saved-query catalog from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from ..catalog import SavedQuery, bind_parameters, load_catalog, saved_from_text
from ..config import Settings
from ..errors import LoadError, TehgraphError
from ..tables import TABLE_FORMATS, render
from .common import ExitCode, fail, fail_with, store_option

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (queries/, dist/).",
)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--param {pair!r} is not name=value", ExitCode.FAILED)
        params[name.strip()] = value
    return params


@click.command("queries")
@project_option
@click.option("--markdown", is_flag=True, help="The list as Markdown (the README's catalog section).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True)
def queries(project_dir: Path, markdown: bool, lang: str) -> None:
    """List the saved queries: slug, title and parameters."""
    from ..catalog import catalog_markdown

    try:
        catalog = load_catalog(project_dir)
    except LoadError as error:
        fail_with(error, "cannot load the catalog: ")
    if markdown:
        click.echo(catalog_markdown(catalog))
        return
    width = max((len(slug) for slug in catalog), default=0)
    for slug, saved in catalog.items():
        params = " ".join(f"[{p.name}]" if not p.required else p.name for p in saved.params)
        click.echo(f"{slug:<{width}}  {saved.label(lang)}" + (f"  ({params})" if params else ""))


@click.command("query")
@click.argument("slug", required=False)
@project_option
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter (repeatable)."
)
@click.option(
    "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Run the query in this file."
)
@click.option("--sparql", help="Run this SPARQL text.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@store_option
@click.option("--endpoint", help="Query this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), help="Build output to query.")
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of notes."
)
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
    lang: str,
) -> None:
    """Run a saved query SLUG (or --file, or --sparql) and print its result.

    When the answer depends on what the corpus does not cover (the query's `depends_on` and
    data/corpus-gaps.ttl), the gap's message is printed on standard error, after the rows."""
    from ..stores import open_store

    if sum(x is not None for x in (slug, query_file, sparql)) != 1:
        fail("give exactly one of SLUG, --file or --sparql (see `tehgraph queries`)", ExitCode.FAILED)
    raw = _parse_params(params)
    saved = _saved(slug, project_dir, query_file, sparql)
    settings = Settings.from_env(project_dir=project_dir, store=store, endpoint=endpoint, dist_dir=dist)
    try:
        backend = open_store(settings)
    except TehgraphError as error:
        fail_with(error, "cannot load: ")
    from ..gaps import gaps_for, read_gaps

    try:
        bindings = bind_parameters(backend, saved, raw)
        click.echo(render(backend.query(saved.text, bindings), fmt, backend))
        gaps = gaps_for(saved, bindings, read_gaps(backend)) if saved.depends_on else []
    except TehgraphError as error:
        fail_with(error)
    for gap in gaps:
        click.echo(
            f"Note — {'lacune du corpus' if lang == 'fr' else 'corpus gap'}: {gap.message(lang)}", err=True
        )


def _saved(slug: str | None, project_dir: Path, query_file, sparql: str | None) -> SavedQuery:
    """The saved query SLUG of the catalog, or the user's own text (a file or --sparql)."""
    try:
        if slug is None:
            text = query_file.read() if query_file is not None else sparql
            return saved_from_text(text, Path(getattr(query_file, "name", "-")), slug="query")
        catalog = load_catalog(project_dir)
    except LoadError as error:
        # A syntax error in the user's own query is a bad query; a broken catalog cannot load.
        fail(str(error), ExitCode.FAILED if slug is None else ExitCode.CANNOT_LOAD)
    if slug not in catalog:
        fail(f"no saved query {slug!r}; `tehgraph queries` lists them", ExitCode.FAILED)
    return catalog[slug]


COMMANDS = (queries, query)
