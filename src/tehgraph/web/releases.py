"""The « Versions » page: this build's version, commit and date, and what changed since the last.

A reader citing tehgraph cites a state of the data: this page names it (releases.read_release)
and lists in words what the build changed from the one before, which the build keeps in
dist/previous/ (new demands, new statements of existing demands, changed verdicts, new actors…,
from tehgraph.diff). Both are read once per app: the build being served does not change.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from ..diff import BuildDiff
from ..errors import TehgraphError
from ..releases import Release, read_release, release_diff
from .helpers import state

bp = Blueprint("releases", __name__, url_prefix="/versions")


def current_release() -> Release:
    """The release of the build this app serves (read once)."""
    extensions = current_app.extensions
    if "tehgraph.release" not in extensions:
        extensions["tehgraph.release"] = read_release(state().settings.dist)
    return extensions["tehgraph.release"]


def changes() -> BuildDiff | None:
    """The diff from the kept previous build, computed on first view (about a second); None when
    no previous build was kept or it cannot be read (the page then says so)."""
    return state().cache.get(("release-diff",), _diff)


def _diff() -> BuildDiff | None:
    try:
        return release_diff(state().settings.dist)
    except TehgraphError as error:
        current_app.logger.warning("the previous build cannot be compared: %s", error)
        return None


@bp.get("/")
def index():
    return render_template("versions.html", release=current_release(), diff=changes())
