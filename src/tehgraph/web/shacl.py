"""SHACL results per node, for entity pages: the shapes and data in the store, validated once.

The build refuses data with violations, so on a published graph only warnings and infos can
appear; they are computed in a background thread started with the app (pySHACL takes seconds).
"""

from __future__ import annotations

import threading

from ..namespaces import ID
from ..validate import Violation, validate_graph
from .state import WebState


def node_results(state: WebState, iri: str) -> list[Violation]:
    """The SHACL results whose focus node is `iri` (none on conforming data)."""
    with state.lock:
        if state.shacl is None:
            state.shacl = validate_store(state)
    return state.shacl.get(iri, [])


def validate_store(state: WebState) -> dict[str, list[Violation]]:
    """Results by focus node, from the shapes and asserted data the store holds."""
    shapes = state.run("shapes").graph
    results: dict[str, list[Violation]] = {}
    if shapes is not None and len(shapes):
        report = validate_graph(state.run("asserted-data").graph, shapes)
        for violation in report.violations:
            results.setdefault(_expand(violation.focus), []).append(violation)
    return results


def start_in_background(state: WebState) -> threading.Thread:
    """Validate while the app starts serving, so the first entity page rarely waits for it."""
    thread = threading.Thread(target=node_results, args=(state, ""), name="tehgraph-shacl", daemon=True)
    thread.start()
    return thread


def _expand(focus: str | None) -> str:
    """Violation.focus is shortened for display; entity pages look nodes up by full IRI."""
    if focus and focus.startswith("id:"):
        return str(ID) + focus[3:]
    return focus or ""
