"""The home page: what the graph is, counts per class, the plans, the sources, entry points."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..namespaces import expand, shorten
from .helpers import natural_key, state
from .i18n import current_language

bp = Blueprint("home", __name__)

# Entry points are classes of the ontology; their names and counts come from the graph.
ENTRY_POINTS = (
    "teh:ActionPlan",
    "teh:Measure",
    "teh:Actor",
    "teh:Demand",
    "teh:Meeting",
    "teh:LegalInstrument",
)


def class_counts() -> list[dict]:
    """Instances per ontology class, largest first (classes with no instance left out)."""
    st = state()
    counts = {str(c): int(n) for c, n in st.cached("class-counts").rows}
    rows = [
        {
            "class": cls,
            "curie": shorten(cls),
            "label": st.label(cls, current_language()),
            "count": counts[cls],
        }
        for cls in st.ontology.classes
        if counts.get(cls)
    ]
    return sorted(rows, key=lambda r: (-r["count"], natural_key(r["label"])))


@bp.get("/")
def index():
    st = state()
    counts = class_counts()
    by_curie = {row["curie"]: row for row in counts}
    entries = [
        by_curie.get(c, {"curie": c, "label": st.label(expand(c), current_language()), "count": 0})
        for c in ENTRY_POINTS
    ]
    return render_template(
        "home.html",
        counts=counts,
        entries=entries,
        plans=st.cached("plans").records(),
        docs=st.cached("sources").records(),
    )
