"""The web browser of tehgraph: `create_app(settings)` builds a Flask app over one store.

No module-level app: tests and `tehgraph serve` each make their own. The store is opened once and
kept, with everything read from it at start, in `app.extensions["tehgraph"]` (a WebState); the
build being served (release.py) in `app.extensions["tehgraph.release"]`. Answers are gzipped and
carry validators from the build's release (caching.py).
"""

from __future__ import annotations

from datetime import date

from flask import Flask, g

from ..config import Settings
from ..namespaces import shorten
from ..stores import Store, open_store
from ..stores.guarded import guard_store
from . import (
    analyses,
    api,
    browse,
    caching,
    cite,
    data,
    editor,
    entity,
    errors,
    health,
    home,
    linked_data,
    reconcile,
    releases,
    saved,
    search,
    security,
    sources,
    sparql,
    visual,
)
from .helpers import (
    display,
    emphasis,
    entity_path,
    is_iri,
    label,
    lang_attr,
    link,
    number,
    short_label,
    source_url,
    url_with,
)
from .i18n import LANGUAGES, choose_language, current_language, keep_language, translate, when
from .release import read_release
from .state import load_state

# One blueprint per URL area; the SPARQL and linked-data blueprints register here too.
BLUEPRINTS = [
    home.bp,
    browse.bp,
    entity.bp,
    sources.bp,
    search.bp,
    saved.bp,
    api.bp,
    analyses.bp,
    visual.bp,
    sparql.bp,
    editor.bp,
    linked_data.bp,
    data.bp,
    health.bp,
    reconcile.bp,
    releases.bp,
]


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """An app over `store` (default: the store the settings ask for, opened once here)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    # Public queries run in killable worker processes under the time limit (stores/guarded.py;
    # 0 workers: in-process); the app's own built-in queries run in-process (state.py).
    app.extensions["tehgraph"] = load_state(settings, guard_store(settings, store or open_store(settings)))
    app.extensions["tehgraph.release"] = read_release(settings.dist)
    security.register(app, settings)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
    app.url_defaults(keep_language)

    @app.before_request
    def set_language() -> None:
        g.lang = choose_language()

    app.before_request(caching.not_modified)  # after the language: validators depend on it
    caching.register(app, settings.response_cache_mb)
    releases.register(app)

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Accept-Language")
        return response

    app.jinja_env.globals.update(
        t=translate,
        label=label,
        link=link,
        display=display,
        source_url=source_url,
        shorten=shorten,
        entity_path=entity_path,
        lang=current_language,
        languages=LANGUAGES,
        url_with=url_with,
        is_iri=is_iri,
        has_endpoint=lambda name: name in app.view_functions,
        release=lambda: app.extensions["tehgraph.release"],
        when=when,
        short_label=short_label,
        number=number,
        lang_attr=lang_attr,
        cite_this=cite.cite_this,
        today=lambda: date.today().isoformat(),
    )
    app.jinja_env.filters["emphasis"] = emphasis
    app.jinja_env.filters["latex"] = cite.latex
    return app
