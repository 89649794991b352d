"""SHACL results per node, for entity pages: the shapes and data in the store, validated once.

The build refuses data with violations, so on a published graph only warnings and infos can
appear; they are computed on first use (not at start) because most visits never need them.
"""

from __future__ import annotations

from ..namespaces import ID
from ..validate import Violation, validate_graph
from .state import WebState


def node_results(state: WebState, iri: str) -> list[Violation]:
    """The SHACL results whose focus node is `iri` (none on conforming data)."""
    if state.shacl is None:
        shapes = state.run("shapes").graph
        results: dict[str, list[Violation]] = {}
        if shapes is not None and len(shapes):
            report = validate_graph(state.run("asserted-data").graph, shapes)
            for violation in report.violations:
                results.setdefault(_expand(violation.focus), []).append(violation)
        state.shacl = results
    return state.shacl.get(iri, [])


def _expand(focus: str | None) -> str:
    """Violation.focus is shortened for display; entity pages look nodes up by full IRI."""
    if focus and focus.startswith("id:"):
        return str(ID) + focus[3:]
    return focus or ""
