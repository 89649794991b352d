"""The quote check: every teh:quote must stand verbatim in the lines of the source it cites.

Quotes are the project's promise that nothing is stated that no source says, so the build
refuses to publish a graph with a quote that is not found where its locator points.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from .namespaces import TEH

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every run of whitespace so line breaks and double spaces do not matter."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class QuoteProblem:
    evidence: URIRef
    document: URIRef | None
    message: str

    def __str__(self) -> str:
        return f"{self.evidence}: {self.message}"


def _lines(path: Path, cache: dict[Path, list[str]]) -> list[str]:
    if path not in cache:
        cache[path] = path.read_text(encoding="utf-8").splitlines()
    return cache[path]


def check_quotes(graph: Graph, project_dir: Path) -> list[QuoteProblem]:
    """Return one problem per evidence whose quote is not in the cited lines of its source file."""
    problems: list[QuoteProblem] = []
    cache: dict[Path, list[str]] = {}
    for evidence, quote in graph.subject_objects(TEH.quote):
        document = graph.value(evidence, TEH.statedIn)
        source_file = graph.value(document, TEH.sourceFile) if document is not None else None
        if source_file is None:
            problems.append(QuoteProblem(evidence, document, "cites no document with a source file"))
            continue
        path = project_dir / str(source_file)
        if not path.is_file():
            problems.append(QuoteProblem(evidence, document, f"source file {source_file} is missing"))
            continue
        lines = _lines(path, cache)
        start = graph.value(evidence, TEH.lineStart)
        end = graph.value(evidence, TEH.lineEnd) or start
        if start is None:
            problems.append(QuoteProblem(evidence, document, "has no teh:lineStart"))
            continue
        first, last = int(start), int(end)
        if not 1 <= first <= last <= len(lines):
            problems.append(
                QuoteProblem(
                    evidence, document, f"lines {first}-{last} outside {source_file} (1-{len(lines)})"
                )
            )
            continue
        passage = normalise(" ".join(lines[first - 1 : last]))
        if normalise(str(quote)) not in passage:
            found_at = _find_anywhere(normalise(str(quote)), lines)
            hint = f" (found at line {found_at})" if found_at else " (not found anywhere in the file)"
            problems.append(
                QuoteProblem(
                    evidence, document, f"quote not in {source_file} lines {first}-{last}{hint}: «{quote}»"
                )
            )
    return problems


def _find_anywhere(quote: str, lines: list[str]) -> int | None:
    """Where a misplaced quote really is, so the locator can be fixed quickly."""
    for i in range(len(lines)):
        window = normalise(" ".join(lines[i : i + 12]))
        if quote in window:
            return i + 1
    return None


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
