"""The meeting page answers « who was there, for which organisation, in which role? »: one table
of the attendances the minutes give (never their IRIs), and the organisations present with no
person named."""

from __future__ import annotations

from ...namespaces import TEH
from ..state import WebState


def attendance(st: WebState, iri: str, facts) -> dict:
    rows, seen, named_orgs = [], set(), set()
    for r in st.run("meeting-attendance", s=iri).records():
        key = str(r["att"])
        if key in seen and getattr(r.get("role"), "language", "fr") != "fr":
            continue
        seen.add(key)
        rows.append(r)
        if "org" in r:
            named_orgs.add(str(r["org"]))
    by_row = {str(r["att"]): r for r in rows}  # one row per attendance (a French role wins)
    rows = sorted(
        by_row.values(),
        key=lambda r: (
            st.label(r.get("org", ""), "fr") if "org" in r else "~",
            st.label(r.get("person", ""), "fr"),
        ),
    )
    participants = {str(o) for p, o, *_ in facts.out if p == TEH.participant}
    unnamed = sorted(
        (o for o in participants if o not in named_orgs and str(TEH.Organisation) in st.classes_of(o)),
        key=lambda o: st.label(o, "fr"),
    )
    return {"rows": rows, "unnamed": unnamed} if rows or unnamed else {}


def sections(st: WebState, iri: str, facts) -> list[tuple[str, str, object]]:
    return [("attendance", "section_attendance", attendance(st, iri, facts))]
