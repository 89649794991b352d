"""The search index the app answers from: the build's `dist/search.sqlite`, or one made here.

The build writes the index beside the dumps (`search.INDEX_FILE`). An app without it — an older
build, or an app over a remote endpoint with no dist/ — builds one from its store on first use,
into a temporary file removed when the process ends (half a second on the real graph), so every
feature backed by the index works the same whichever way the app was started.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path

from flask import current_app

from ..search import INDEX_FILE, SearchIndex, build_index
from .state import WebState

_KEY = "tehgraph.search"
_lock = threading.Lock()


def search_index() -> SearchIndex:
    """The current app's index, opened (or built) once."""
    app = current_app._get_current_object()
    index = app.extensions.get(_KEY)
    if index is None:
        with _lock:
            index = app.extensions.get(_KEY)
            if index is None:
                index = app.extensions[_KEY] = open_index(app.extensions["tehgraph"])
    return index


def open_index(state: WebState) -> SearchIndex:
    """`dist/search.sqlite` when the build wrote it, else an index built from the app's store."""
    path = Path(state.settings.dist) / INDEX_FILE
    if path.is_file():
        return SearchIndex(path)
    folder = Path(tempfile.mkdtemp(prefix="tehgraph-search-"))
    atexit.register(shutil.rmtree, folder, True)
    return SearchIndex(build_index(state.trusted, folder / INDEX_FILE).path)
