"""The one reader of `.rq` files: a SPARQL text, and the YAML its leading `#+` lines hold.

grlc's convention: the header is made of comments, so the file stays plain SPARQL 1.1 that any
endpoint runs as is. The saved-query catalog (catalog.py), its checks, the build rules (rules.py)
and the package's built-in queries (builtin.py) are all read here.

`query_kind` parses a query with pyoxigraph, the engine that runs it: rdflib's SPARQL grammar took
29 % of the build's CPU and most of the app's start to parse the same texts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import yaml

from .errors import LoadError
from .namespaces import PREFIX_IRIS

HEADER_PREFIX = "#+"
_EMPTY = ox.Store()  # parsing a query is evaluating it lazily on a store that holds nothing
# libyaml's loader where PyYAML was built with it: the pure-Python one took a tenth of the real
# graph's build reading the headers of the saved queries and checks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_yaml(text: str):
    """`yaml.safe_load` with the fastest safe loader this PyYAML has (same tags, same errors)."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a SafeLoader, C or Python


def read_folder(folder: Path) -> dict[str, tuple[Path, str]]:
    """Every `*.rq` file of a folder by stem, in stem order: (path, text)."""
    return {path.stem: (path, path.read_text(encoding="utf-8")) for path in sorted(Path(folder).glob("*.rq"))}


def parse_header(text: str, where: str = "<query>") -> dict:
    """The YAML held by the leading `#+` lines of a query file ({} when there are none)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith(HEADER_PREFIX):
            break
        lines.append(line[len(HEADER_PREFIX) + 1 :] if line.startswith(HEADER_PREFIX + " ") else "")
    try:
        header = safe_load_yaml("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        raise LoadError(where, f"header is not valid YAML: {error}") from None
    if not isinstance(header, dict):
        raise LoadError(where, "header must be a YAML map (title, description, params, ...)")
    return header


@lru_cache(maxsize=1024)
def _kind(text: str) -> str:
    answer = _EMPTY.query(text, prefixes=PREFIX_IRIS)
    if isinstance(answer, ox.QueryBoolean):
        return "ASK"
    return "SELECT" if isinstance(answer, ox.QuerySolutions) else "CONSTRUCT"


def query_kind(text: str, where: str = "<query>") -> str:
    """SELECT, ASK or CONSTRUCT (DESCRIBE answers as a graph), read by pyoxigraph's SPARQL parser.

    A syntax error is a LoadError naming `where` with the parser's line and column.
    """
    try:
        return _kind(text)
    except SyntaxError as error:
        raise LoadError(where, f"SPARQL syntax error: {error}") from None
    except OSError:  # parsed, but the empty store cannot evaluate it (a SERVICE call): still a query
        return _kind_of_text(text)


def _kind_of_text(text: str) -> str:
    """The kind of a query pyoxigraph parsed but would not evaluate: its first query keyword."""
    for word in text.upper().split():
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return "SELECT" if word == "SELECT" else "ASK" if word == "ASK" else "CONSTRUCT"
    return "SELECT"
