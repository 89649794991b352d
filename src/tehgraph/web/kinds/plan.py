"""The plan page answers « what does this plan contain? »: its measures, section by section, in
the plan's own numbering (the « cited by » list holds them too, but folded and mixed with every
other resource that names the plan)."""

from __future__ import annotations

from ..helpers import natural_key
from ..i18n import current_language
from ..state import WebState


def measures(st: WebState, iri: str, facts) -> list[tuple[str | None, list[str]]]:
    """(section or None, measures in number order), sections in the order of their first measure."""
    rows = st.run("plan-measures", s=iri).records()
    number = {str(r["m"]): int(r["number"]) if "number" in r else None for r in rows}
    section = {str(r["m"]): str(r["section"]) if "section" in r else None for r in rows}
    lang = current_language()

    def order(m: str) -> tuple:
        return (number[m] is None, number[m] or 0, natural_key(st.label(m, lang)))

    ordered = sorted(number, key=order)
    grouped: dict[str | None, list[str]] = {}
    for m in ordered:
        grouped.setdefault(section[m], []).append(m)
    return list(grouped.items())


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    return [("plan_measures", "section_plan_measures", measures(st, iri, facts))]
