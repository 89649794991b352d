"""The one reader of `.rq` files: a SPARQL text, and the YAML its leading `#+` lines hold.

grlc's convention: the header is made of comments, so the file stays plain SPARQL 1.1 that any
endpoint runs as is. The saved-query catalog (catalog.py), its checks and the package's built-in
queries (builtin.py) are all read here.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import LoadError

HEADER_PREFIX = "#+"


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
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as error:
        raise LoadError(where, f"header is not valid YAML: {error}") from None
    if not isinstance(header, dict):
        raise LoadError(where, "header must be a YAML map (title, description, params, ...)")
    return header
