"""The quote check: every teh:quote must stand verbatim in the lines of the source it cites.

Quotes are the project's promise that nothing is stated that no source says, so the build
refuses to publish a graph with a quote that is not found where its locator points, and
`tehgraph validate` reports it. The check reads any store (the build's, or a server's data), and
names the data file and line where the evidence is written, so the fix is one jump away.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from . import builtin
from .namespaces import ID, TEH
from .stores.base import Store
from .stores.oxigraph import OxigraphStore

_SPACE = re.compile(r"\s+")
# How much of a quote is looked for in its data file to find the line it is written on.
_QUOTE_START = 40


def normalise(text: str) -> str:
    """Collapse every run of whitespace so line breaks and double spaces do not matter."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class QuoteProblem:
    evidence: URIRef
    document: URIRef | None
    message: str
    file: str | None = None  # the data file describing the evidence
    line: int | None = None  # the line of that file where the quote (or the evidence) is written

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return f"{where}: {self.evidence}: {self.message}" if where else f"{self.evidence}: {self.message}"


class _Files:
    """Text files read once each, as lines."""

    def __init__(self) -> None:
        self.lines: dict[Path, list[str]] = {}

    def __call__(self, path: Path) -> list[str]:
        if path not in self.lines:
            self.lines[path] = path.read_text(encoding="utf-8").splitlines()
        return self.lines[path]


def check_quotes(data: Store | Graph, project_dir: Path, files=None) -> list[QuoteProblem]:
    """One problem per evidence whose quote is not in the cited lines of its source file.

    `data` is a store, or an rdflib graph (checked through an in-memory copy). `files` maps an
    evidence node to its data file (as reports name it), so problems say where to fix them;
    without it they name the evidence only.
    """
    store = data if isinstance(data, Store) else OxigraphStore.from_graph(data)
    project_dir = Path(project_dir)
    read = _Files()
    failing = {}
    for key, record in _quotes(store).items():
        message = _problem(record, project_dir, read)
        if message is not None:
            failing[key] = message
    if not failing:
        return []
    # Problems name RDF terms (an evidence IRI or blank node, its document): read those for the few
    # quotes that fail only; the check itself compares strings.
    terms: dict[tuple[str, str], dict] = {}
    for record in store.query(builtin.sparql("quotes")).records():
        terms.setdefault((str(record["ev"]), str(record["quote"])), record)
    return [_located(terms[key], message, project_dir, files, read) for key, message in failing.items()]


def _quotes(store: Store) -> dict[tuple[str, str], dict]:
    """One record per (evidence, quote), as plain texts: the first row of each, as the check reads
    one locator."""
    found: dict[tuple[str, str], dict] = {}
    columns, rows = store.text_rows(builtin.sparql("quotes"))
    for row in rows:
        record = {name: cell[0] for name, cell in zip(columns, row, strict=True) if cell is not None}
        found.setdefault((record["ev"], record["quote"]), record)
    return found


def _problem(record: dict, project_dir: Path, read: _Files) -> str | None:
    """What is wrong with one quote, or None when it stands where its locator points."""
    source_file, start = record.get("file"), record.get("start")
    if source_file is None:
        return "cites no document with a source file"
    path = project_dir / source_file
    if not path.is_file():
        return f"source file {source_file} is missing"
    if start is None:
        return "has no teh:lineStart"
    lines = read(path)
    first, last = int(start), int(record.get("end", start))
    if not 1 <= first <= last <= len(lines):
        return f"lines {first}-{last} outside {source_file} (1-{len(lines)})"
    quote = record["quote"]
    if normalise(quote) in normalise(" ".join(lines[first - 1 : last])):
        return None
    found_at = _find_anywhere(normalise(quote), lines)
    hint = f" (found at line {found_at})" if found_at else " (not found anywhere in the file)"
    return f"quote not in {source_file} lines {first}-{last}{hint}: «{quote}»"


def _find_anywhere(quote: str, lines: list[str]) -> int | None:
    """Where a misplaced quote really is, so the locator can be fixed quickly."""
    for i in range(len(lines)):
        window = normalise(" ".join(lines[i : i + 12]))
        if quote in window:
            return i + 1
    return None


def _located(record: dict, message: str, project_dir: Path, files, read: _Files) -> QuoteProblem:
    evidence = record["ev"]
    name = (files or {}).get(evidence)
    line = None
    if name is not None:
        path = project_dir / name if (project_dir / name).is_file() else Path(name)
        line = data_line(read(path), evidence, record["quote"]) if path.is_file() else None
    return QuoteProblem(evidence, record.get("doc"), message, name, line)


def data_line(lines: list[str], evidence: URIRef, quote: Literal) -> int | None:
    """The line of a Turtle file where a quote is written, else where its evidence is described."""
    start = str(quote)[:_QUOTE_START]
    for text in (start, start.replace('"', '\\"')):
        found = next((n for n, line in enumerate(lines, 1) if text in line), None)
        if found:
            return found
    names = [f"<{evidence}>"] + ([f"<{evidence[len(str(ID)) :]}>"] if evidence.startswith(str(ID)) else [])
    return next((n for n, line in enumerate(lines, 1) if line.lstrip().startswith(tuple(names))), None)


def main(argv: list[str] | None = None) -> int:
    """Check the quotes of Turtle files (with data/sources.ttl): python -m tehgraph.quotes FILE..."""
    args = sys.argv[1:] if argv is None else argv
    project_dir = Path.cwd()
    graph = Graph()
    graph.parse(project_dir / "data" / "sources.ttl")
    for name in args:
        graph.parse(name)
    problems = check_quotes(graph, project_dir)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(set(graph.subjects(TEH.quote)))} quote(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
