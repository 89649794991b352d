"""The `tehgraph` group: every command, each defined once in its own module, registered here."""

from __future__ import annotations

import click

from .. import __version__, collector
from . import curate, project, push, queries, serve


@click.group()
@click.version_option(__version__, prog_name="tehgraph")
def main() -> None:
    """tehgraph: knowledge graph of French anti-trafficking policy."""
    collector.tune()  # the process is ours: big answers are made between fewer collections


for command in (*project.COMMANDS, *queries.COMMANDS, serve.serve, push.push, *curate.COMMANDS):
    main.add_command(command)
