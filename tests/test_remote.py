"""The remote backend against a real Oxigraph server: same answers as embedded, clear failures.

The server is started by the `oxigraph` fixture (tests/conftest.py, devtools/oxigraph_server.py)
and filled by `push`.
"""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from rdflib import Literal

from devtools.backend_compare import all_queries, assert_same_answer, assert_same_descriptions, same_answer
from devtools.oxigraph_server import free_port, running, silent_socket
from tehgraph.cli import main
from tehgraph.config import Settings
from tehgraph.errors import EndpointError, QueryError, QueryTimeoutError, RemoteQueryError, RemoteTimeoutError
from tehgraph.load import load_project
from tehgraph.stores import RemoteStore, open_store
from tehgraph.stores.remote import MAX_GET_LENGTH
from tehgraph.validation.engine import validate_project

from .conftest import PROJECT_DIR

QUERIES = all_queries(PROJECT_DIR)


# --- same answers as the embedded default ---------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(QUERIES))
def test_remote_agrees_with_embedded(slug, store, remote_store):
    assert_same_answer(QUERIES[slug], store, remote_store)


def test_entity_descriptions_agree(store, remote_store):
    assert_same_descriptions(store, remote_store)


def test_default_graph_is_the_merged_set(store, remote_store):
    assert remote_store.count() == store.count()


def test_open_store_gives_the_remote_store_when_an_endpoint_is_set(oxigraph, settings):
    chosen = open_store(oxigraph.settings(settings))
    assert isinstance(chosen, RemoteStore)
    assert chosen.endpoint == oxigraph.query_url


def test_literal_parameters_are_bound_as_terms(store, remote_store):
    """A label with quotes and accents round-trips as a term, never as query text."""
    labels = store.query('SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, "\'")) } ORDER BY ?s ?l')
    assert labels.rows, "the data has labels with an apostrophe"
    subject, label = labels.rows[0]
    query = "SELECT ?s WHERE { ?s rdfs:label ?l }"
    assert remote_store.query(query, {"l": label}).column("s") == store.query(query, {"l": label}).column("s")
    assert subject in remote_store.query(query, {"l": label}).column("s")
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "', lang="fr")
    assert remote_store.query(query, {"l": hostile}).rows == []


def test_long_queries_are_posted(store, remote_store):
    """A query far beyond what a URL carries (Oxigraph answers 400 to such a GET) still runs."""
    subjects = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }").column("s")
    filler = (
        " ".join(f"<{s}>" for s in subjects)
        + " "
        + " ".join(f"<https://example.org/absent/{i}>" for i in range(3000))
    )
    query = f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ {filler} }} ?s ?p ?o }} GROUP BY ?s"
    assert len(urllib.parse.quote(query)) > 50 * MAX_GET_LENGTH
    assert same_answer(store.query(query), remote_store.query(query)) is None


def test_usual_prefixes_are_predeclared(remote_store, store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?x a teh:Measure ; rdfs:label ?l }"
    assert remote_store.query(query).rows == store.query(query).rows


def test_updates_are_refused_before_reaching_the_server(remote_store, store):
    with pytest.raises(QueryError, match="SELECT, ASK, CONSTRUCT"):
        remote_store.query("DROP ALL")
    assert remote_store.count() == store.count()


# --- failures name the endpoint -------------------------------------------------------------------


def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match="refused the connection") as caught:
        RemoteStore(url).query("ASK {}")
    assert url in str(caught.value)


def test_bad_query_gives_the_servers_message(oxigraph, remote_store):
    bad = "SELECT ?x WHERE { ?x "
    request = urllib.request.Request(
        oxigraph.query_url,
        data=urllib.parse.urlencode({"query": bad}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as raw:
        urllib.request.urlopen(request, timeout=5)
    server_says = " ".join(raw.value.read().decode().split())
    with pytest.raises(RemoteQueryError) as caught:
        remote_store.query(bad)
    assert isinstance(caught.value, QueryError) and isinstance(caught.value, EndpointError)
    assert oxigraph.query_url in str(caught.value)
    assert server_says[:300] in str(caught.value)


def test_server_stopped_mid_way(tmp_path):
    with running(tmp_path / "db") as server:
        remote = RemoteStore(server.query_url)
        assert remote.query("ASK {}").boolean is True
        server.stop()
        with pytest.raises(EndpointError) as caught:
            remote.query("ASK {}")
    assert server.query_url in str(caught.value)


def test_timeout_on_a_socket_that_never_answers():
    with silent_socket() as url:
        with pytest.raises(RemoteTimeoutError) as caught:
            RemoteStore(url, timeout=0.5).query("ASK {}")
    assert isinstance(caught.value, EndpointError) and isinstance(caught.value, QueryTimeoutError)
    assert url in str(caught.value) and "0.5 s" in str(caught.value)


def test_wrong_url_is_a_404(oxigraph):
    with pytest.raises(EndpointError, match="404"):
        RemoteStore(oxigraph.base + "/no-such-endpoint").query("ASK {}")


def test_an_answer_in_another_format_is_refused():
    """A URL that answers with a web page (a login form, a proxy's notice) is not an endpoint."""
    with http_server(WebPage) as base:
        with pytest.raises(EndpointError, match="text/html") as caught:
            RemoteStore(base + "/").query("ASK {}")
    assert base in str(caught.value)


@contextmanager
def http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class BrokenJson(http.server.BaseHTTPRequestHandler):
    """An endpoint that announces SPARQL JSON results and sends a truncated document."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "val'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class WebPage(BrokenJson):
    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<html><body>Welcome</body></html>")


def test_malformed_results():
    with http_server(BrokenJson) as base:
        with pytest.raises(EndpointError, match="malformed results") as caught:
            RemoteStore(base + "/sparql").query("SELECT ?s WHERE { ?s ?p ?o }")
    assert base in str(caught.value)


# --- credentials from the environment, through a real authenticating proxy -------------------------


def auth_proxy(target: str, accepted: set[str]) -> type[http.server.BaseHTTPRequestHandler]:
    """A reverse proxy to the Oxigraph server that answers 401 unless Authorization is accepted."""

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _forward(self):
            if self.headers.get("Authorization") not in accepted:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="tehgraph"')
                self.send_header("Content-Length", "12")
                self.end_headers()
                self.wfile.write(b"unauthorized")
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
            request = urllib.request.Request(
                target + self.path, data=body, headers=headers, method=self.command
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                payload = answer.read()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.headers["Content-Type"])
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        do_GET = do_POST = _forward

        def log_message(self, *args):
            pass

    return Proxy


def test_credentials_come_from_the_environment(oxigraph, settings, store):
    accepted = {"Basic YW5hbHlzdGU6c8OpY3JldA==", "Bearer jeton-de-test"}  # analyste:sécret
    with http_server(auth_proxy(oxigraph.base, accepted)) as base:
        url = base + "/query"
        with pytest.raises(EndpointError, match="401") as caught:
            RemoteStore.from_settings(Settings.from_env({"TEHGRAPH_ENDPOINT": url})).query("ASK {}")
        assert "TEHGRAPH_ENDPOINT_USER" in str(caught.value)
        for environ in (
            {"TEHGRAPH_ENDPOINT_USER": "analyste", "TEHGRAPH_ENDPOINT_PASSWORD": "sécret"},
            {"TEHGRAPH_ENDPOINT_TOKEN": "jeton-de-test"},
        ):
            configured = Settings.from_env({"TEHGRAPH_ENDPOINT": url, **environ})
            assert "sécret" not in repr(configured) and "jeton" not in repr(configured)
            assert RemoteStore.from_settings(configured).count() == store.count()


# --- validate --endpoint ----------------------------------------------------------------------------


def test_remote_validation_reports_what_local_validation_reports(oxigraph, settings):
    from tehgraph.verify import verify_remote

    local = validate_project(load_project(PROJECT_DIR))
    found = verify_remote(oxigraph.settings(settings))
    remote, checks = found.validation, found.checks
    assert remote.conforms == local.conforms
    assert [(v.shape, v.focus, v.path) for v in remote.violations] == [
        (v.shape, v.focus, v.path) for v in local.violations
    ]
    assert checks.conforms


def test_cli_validate_with_endpoint(oxigraph):
    result = CliRunner().invoke(main, ["validate", str(PROJECT_DIR), "--endpoint", oxigraph.query_url])
    assert result.exit_code == 0, result.output
    assert "Conforms" in result.output


def test_cli_validate_with_unreachable_endpoint():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(main, ["validate", str(PROJECT_DIR)], env={"TEHGRAPH_ENDPOINT": url})
    assert result.exit_code == 3
    assert url in result.output and "Traceback" not in result.output


# --- the web app's error page -------------------------------------------------------------------------


def test_web_error_page_names_the_endpoint_and_the_app_keeps_serving(tmp_path, settings):
    """The app over a real remote endpoint that dies while it serves: error pages, no traceback."""
    from tehgraph.push import push
    from tehgraph.web import create_app

    with running(tmp_path / "oxigraph") as server:
        remote = server.settings(settings)
        push(remote)
        app = create_app(remote)
        client = app.test_client()
        assert client.get("/page/org/ccem").status_code == 200
        bad = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?p }"})
        assert bad.status_code == 400
    answer = client.get("/page/org/miprof")
    assert answer.status_code == 502
    text = answer.get_data(as_text=True)
    assert server.query_url in text and "Traceback" not in text
    assert client.get("/static/tehgraph.css").status_code == 200
