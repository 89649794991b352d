"""SHACL results per node, for entity pages: read from the build's report, never validated again.

The build refuses data with violations, so on a published graph only warnings and infos can
appear; the build writes every result to dist/validation.json. An app over a remote endpoint
with no dist/ shows none.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..build import VALIDATION_FILE
from ..namespaces import ID
from ..validate import Violation


def load_results(dist: Path) -> dict[str, list[Violation]]:
    """Results by focus node (full IRI) from dist/validation.json, empty when there is none."""
    path = Path(dist) / VALIDATION_FILE
    if not path.is_file():
        return {}
    results: dict[str, list[Violation]] = {}
    for item in json.loads(path.read_text(encoding="utf-8")).get("results", []):
        violation = Violation(**item)
        results.setdefault(_expand(violation.focus), []).append(violation)
    return results


def _expand(focus: str | None) -> str:
    """Violation.focus is shortened for display; entity pages look nodes up by full IRI."""
    if focus and focus.startswith("id:"):
        return str(ID) + focus[3:]
    return focus or ""
