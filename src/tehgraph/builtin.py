"""The package's own queries (builtin_queries/*.rq): pages, statistics, service description, checks.

One folder, one loader. `text(name)` is the file as written (the SPARQL editor shows one);
`sparql(name)` declares the project prefixes first, so the short files run unchanged on a remote
endpoint that predeclares nothing. These queries are trusted: the web app runs them in-process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .namespaces import sparql_prologue
from .rqfile import read_folder

FOLDER = Path(__file__).parent / "builtin_queries"


@cache
def _texts() -> dict[str, str]:
    return {name: text for name, (_, text) in read_folder(FOLDER).items()}


def names() -> list[str]:
    return list(_texts())


def text(name: str) -> str:
    """The query file `name` as written (KeyError for a query the package does not have)."""
    return _texts()[name]


@cache
def sparql(name: str) -> str:
    """The query `name` with the project prefixes declared, ready for any store."""
    return sparql_prologue() + text(name)
