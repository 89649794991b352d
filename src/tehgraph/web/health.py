"""`/health`: what monitoring polls — the store's counts, the version, the query pool and its sandbox.

200 while everything needed to answer holds; 503 when the query pool is broken (no live worker, or
its zygote gone and not restarted), so a supervisor can restart the server. Cheap: the counts are
read once (at start, by the release check, or on the first call) and kept.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .. import __version__
from ..store_check import Release, store_counts
from .helpers import state
from .warm import EXTENSION

bp = Blueprint("health", __name__)
RELEASE = "tehgraph_release"  # app.extensions key: the verified Release, set by `tehgraph serve`


@bp.route("/health")
def health():
    st = state()
    release: Release | None = current_app.extensions.get(RELEASE)
    counts = st.cache.get(("health-counts",), lambda: store_counts(st.trusted))
    report: dict = {
        "status": "ok",
        "version": __version__,
        "store": {
            "backend": st.trusted.name,
            "triples": counts.get("default graph"),
            "graphs": {k: v for k, v in counts.items() if k != "default graph"},
            "verified_against_build": release is not None,
            "checksums": release.checksums if release else {},
        },
        "response_cache": current_app.extensions["tehgraph.responses"].status(),
        "listings_read_ahead": warming.status()
        if (warming := current_app.extensions.get(EXTENSION))
        else None,
    }
    store = st.store
    if store.isolated and hasattr(store, "status"):
        pool = store.status()
        report["pool"] = pool
        report["sandbox"] = pool["sandbox"]
        if pool["workers_alive"] == 0 or not pool["zygote_alive"]:
            report["status"] = "degraded"
    else:
        report["pool"] = None
        report["sandbox"] = "none (queries run in the server process)"
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
