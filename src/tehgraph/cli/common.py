"""What every command shares: the exit codes, the one table from errors to exit codes, options.

Exit codes, for every command: 0 ok; 1 violations, a bad query or parameter, or counts that
differ after an upload; 2 cannot load (no build, an unreadable project or catalog); 3 the SPARQL
endpoint failed (unreachable, refusing, timed out).
"""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

import click

from ..curate.errors import CurateError
from ..errors import (
    BuildError,
    DistMissingError,
    EndpointError,
    LoadError,
    ParameterError,
    PushVerificationError,
    QueryError,
    QueryTimeoutError,
    RemoteTimeoutError,
    TehgraphError,
    UnknownTermError,
)
from ..stores import EMBEDDED


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    CANNOT_LOAD = 2
    ENDPOINT = 3


# The exit code of each error a user can meet; an error takes the code of its nearest class here
# (RemoteQueryError is a QueryError first: the server says the query is wrong).
EXIT_CODES: dict[type[TehgraphError], ExitCode] = {
    BuildError: ExitCode.FAILED,
    CurateError: ExitCode.FAILED,
    ParameterError: ExitCode.FAILED,
    QueryError: ExitCode.FAILED,
    QueryTimeoutError: ExitCode.FAILED,
    PushVerificationError: ExitCode.FAILED,
    RemoteTimeoutError: ExitCode.ENDPOINT,
    EndpointError: ExitCode.ENDPOINT,
    LoadError: ExitCode.CANNOT_LOAD,
    UnknownTermError: ExitCode.CANNOT_LOAD,
    DistMissingError: ExitCode.CANNOT_LOAD,
    TehgraphError: ExitCode.CANNOT_LOAD,
}

ENDPOINT_HELP = "SPARQL 1.1 query endpoint (default: TEHGRAPH_ENDPOINT)."

project_argument = click.argument(
    "project_dir", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
store_option = click.option("--store", type=click.Choice(EMBEDDED), help="Embedded backend.")


def exit_code(error: TehgraphError) -> ExitCode:
    """The code of the nearest class of `error` in EXIT_CODES."""
    return next(EXIT_CODES[cls] for cls in type(error).__mro__ if cls in EXIT_CODES)


def fail(message: str, code: ExitCode) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(int(code))


def fail_with(error: TehgraphError, prefix: str = "", suffix: str = "") -> NoReturn:
    """Stop with the error's message and the exit code its class has in EXIT_CODES."""
    fail(f"{prefix}{error}{suffix}", exit_code(error))
