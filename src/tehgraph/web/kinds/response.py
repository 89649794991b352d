"""The response page: which demand, what answers it, the verdict and who gives it (a source's
actor, or the editors with their rationale), and the evidence on each side: the demand's words,
the answer's printed words, the statement that gives the verdict."""

from __future__ import annotations

from ..state import WebState
from .common import responses


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    found = responses(st, response=iri)
    return [("response", "section_response", found[0] if found else None)]
