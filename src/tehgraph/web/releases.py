"""The « Versions » page: this build's version, commit and date, and what changed since the last.

A reader citing tehgraph cites a state of the data: this page names it (the release the app read
at start, web/release.py) and lists in words what the build changed from the one before, which
the build keeps in dist/previous/ (new demands, new statements of existing demands, changed
verdicts, new actors…, from tehgraph.diff via tehgraph.releases). `/versions/<version>` is the
page of one release: this one, or the previous one (its facts; its own changes are in the
CHANGELOG). The diff is computed on first view, then kept: the build being served does not change.

Every answer also names its release (`register`): a `Tehgraph-Version` header, and the version in
the file name of every download (dumps, CSV/JSON of lists, searches and saved queries), so a file
saved to disk still says which state of the data it holds.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, render_template
from werkzeug.http import parse_options_header

from ..diff import BuildDiff
from ..errors import TehgraphError
from ..releases import Kept, previous_release, release_diff
from .helpers import state
from .i18n import translate
from .release import Release

bp = Blueprint("releases", __name__, url_prefix="/versions")
VERSION_HEADER = "Tehgraph-Version"


def current_release() -> Release:
    """The release of the build this app serves (read once, at start)."""
    return current_app.extensions["tehgraph.release"]


def previous() -> Kept | None:
    return state().cache.get(("release-previous",), lambda: previous_release(state().settings.dist))


def changes() -> BuildDiff | None:
    """The diff from the kept previous build (about a second); None when no previous build was kept
    or it cannot be read (the page then says so)."""
    return state().cache.get(("release-diff",), _diff)


def _diff() -> BuildDiff | None:
    try:
        return release_diff(state().settings.dist)
    except TehgraphError as error:
        current_app.logger.warning("the previous build cannot be compared: %s", error)
        return None


@bp.get("/")
def index():
    return render_template("versions.html", shown=current_release(), previous=previous(), diff=changes())


@bp.get("/<path:version>")
def version(version: str):
    """The page of one release: this build's (with its changes), or the previous one's facts."""
    if version == current_release().version:
        return index()
    kept = previous()
    if kept is None or version != kept.version:
        abort(404, description=translate("release_unknown", version=version[:100]))
    return render_template("versions.html", shown=kept, previous=None, diff=None, older=True)


def name_the_version(response: Response) -> Response:
    """The release in a header, and in the file name of a download (`name.csv` → `name-VERSION.csv`)."""
    version = current_release().version
    response.headers[VERSION_HEADER] = version
    disposition = response.headers.get("Content-Disposition")
    if disposition:
        kind, options = parse_options_header(disposition)
        name = options.get("filename")
        if name and version not in name:
            stem, dot, suffix = name.partition(".")
            options["filename"] = f"{stem}-{version}{dot}{suffix}"
            response.headers.set("Content-Disposition", kind, **options)
    return response


def register(app: Flask) -> None:
    app.after_request(name_the_version)
