"""`tehgraph cite`, `find`, `new-source` and `diff`: curating the corpus and seeing what changed.

Thin shells over `tehgraph.curate` and `tehgraph.diff`, registered by cli/main.py. Exit codes
(cli/common.py): 0 ok (diff: no change), 1 not found, refused, or differences reported (as diff(1)
does), 2 cannot load (unreadable project, missing build).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import TehgraphError
from .common import ExitCode, fail, fail_with

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (data/sources.ttl, data/sources/).",
)


@click.command("cite")
@click.argument("source")
@click.argument("lines", metavar="LINE[-LINE]")
@click.option("--phrase", help="Quote only these words (found in the lines, accents and case folded).")
@project_option
def cite(source: str, lines: str, phrase: str | None, project_dir: Path) -> None:
    """Print a teh:Evidence block for LINES of SOURCE (slug, file name or path) to paste in a data file."""
    from ..curate import cite as make_citation
    from ..curate.cite import parse_lines

    try:
        first, last = parse_lines(lines)
        click.echo(make_citation(project_dir, source, first, last, phrase).as_turtle(), nl=False)
    except TehgraphError as error:
        fail_with(error)


@click.command("find")
@click.argument("text")
@click.option("--source", help="Search only this document (slug, file name or path).")
@project_option
def find(text: str, source: str | None, project_dir: Path) -> None:
    """Every SOURCE:LINE(-LINE) where TEXT occurs, accents and case folded, across line breaks."""
    from ..curate import find_phrase

    try:
        occurrences = find_phrase(project_dir, text, source)
    except TehgraphError as error:
        fail_with(error)
    for occurrence in occurrences:
        click.echo(str(occurrence))
    if not occurrences:
        click.echo(
            f"«{' '.join(text.split())}» occurs nowhere in the corpus" + (f" ({source})" if source else ""),
            err=True,
        )
        sys.exit(ExitCode.FAILED)


@click.command("new-source")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The document's title, as printed (French).")
@click.option("--date", help="Date printed on the document: YYYY-MM-DD (or YYYY-MM, YYYY); omit if none.")
@click.option(
    "--creator",
    "creators",
    required=True,
    multiple=True,
    help="Author: an actor of data/actors.ttl (org/ccem). Repeatable.",
)
@click.option("--slug", help="Document slug: <doc/SLUG>, data/SLUG.ttl (default: from the file name).")
@click.option("--label", help="Short French label (default: the title).")
@project_option
def new_source(
    file: Path,
    title: str,
    date: str | None,
    creators: tuple[str, ...],
    slug: str | None,
    label: str | None,
    project_dir: Path,
) -> None:
    """Add FILE to the corpus: data/sources/, its teh:SourceDocument, a data file skeleton."""
    from ..curate import new_source as add_source

    try:
        added = add_source(project_dir, file, title, list(creators), date, slug, label)
    except TehgraphError as error:
        fail_with(error)
    click.echo(f"Added <doc/{added.slug}> ({added.lines} lines):")
    click.echo(
        f"  {added.text}  (the text)\n  {added.sources}  (its teh:SourceDocument)\n  {added.data}  (its data)"
    )
    click.echo(
        f'Next: tehgraph find "words" --source {added.slug}; '
        f'tehgraph cite {added.slug} LINE-LINE --phrase "..."; edit {added.data}; tehgraph build'
    )


@click.command("diff")
@click.argument("old_dist", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new_dist", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the CHANGELOG's Data section.",
)
@click.option(
    "--changelog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Data section (markdown) under « [Unreleased] » of this CHANGELOG.md.",
)
def diff(old_dist: Path, new_dist: Path, fmt: str, changelog: Path | None) -> None:
    """What changed from the build OLD_DIST to NEW_DIST. Exit 0 no change, 1 changes, 2 cannot load."""
    from ..diff import RENDERERS, as_markdown, diff_builds, write_changelog
    from ..releases import release_of

    try:
        result = diff_builds(old_dist, new_dist)
        if fmt == "markdown" or changelog:
            text = as_markdown(result, _version(release_of(old_dist)), _version(release_of(new_dist)))
        else:
            text = RENDERERS[fmt](result)
        if changelog:
            write_changelog(changelog, text)
            text = f"Wrote the Data section of {changelog}.\n"
    except TehgraphError as error:
        fail(f"cannot compare: {error}", ExitCode.CANNOT_LOAD)
    click.echo(text, nl=False)
    sys.exit(ExitCode.OK if result.identical else ExitCode.FAILED)


COMMANDS = (cite, find, new_source, diff)


def _version(release) -> str | None:
    """A build's version for the CHANGELOG (None: no release file, the folder's name is used)."""
    return release.version if release is not None and release.from_build else None
