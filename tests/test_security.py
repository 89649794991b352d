"""The public web app is read-only, makes no outgoing requests, stays up, and leaks nothing.

Real parts only: the real build, the real app (its guard on, worker processes and all), a real
waitress server, a real local HTTP server that records hits, `tehgraph serve` as a subprocess, and
headless chromium for the Content-Security-Policy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.parse
from dataclasses import replace
from pathlib import Path

import pytest

from tehgraph.stores import OxigraphStore, RdflibStore
from tehgraph.stores.guarded import GuardedStore
from tehgraph.web import create_app
from tehgraph.web.security import CSP, HEADERS

from .conftest import CHROMIUM
from .ld_helpers import send, served
from .security_helpers import PATHOLOGICAL, UPDATES, recording_server, store_digest
from .test_guard import gone

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "tehgraph" / "web" / "templates"
SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture(scope="module")
def guarded_app(settings, store, measure_path):
    """The app as served: queries in 2 worker processes, the default time limit, at most 50 rows."""
    app = create_app(replace(settings, query_workers=2, max_rows=50), store)
    # The first entity page fills the app's caches: done once here.
    assert app.test_client().get(f"/page/{measure_path}").status_code == 200
    yield app
    app.extensions["tehgraph"].store.close()


@pytest.fixture(scope="module")
def client(guarded_app):
    return guarded_app.test_client()


@pytest.fixture(scope="module")
def measure_path(store) -> str:
    iri = store.query("SELECT ?m WHERE { ?m a teh:Measure } ORDER BY ?m LIMIT 1").rows[0][0]
    return str(iri).split("/id/", 1)[1]


def quote(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def pages(measure_path: str) -> list[str]:
    """HTML pages of every area of the app."""
    return [
        "/",
        f"/page/{measure_path}",
        "/search/?q=traite",
        "/queries/",
        "/queries/plan-measures",
        "/sparql/editor",
        "/browse/",
        "/source/",
        "/pictures/",
        "/no-such-page",
    ]


def data_urls(measure_path: str) -> list[str]:
    return [
        f"/sparql?query={quote('ASK { ?s ?p ?o }')}",
        f"/id/{measure_path}.ttl",
        "/void",
        "/.well-known/void",
        "/dumps/tehgraph.nt",
    ]


# --- headers ---------------------------------------------------------------------------------


def test_security_headers_on_every_response(client, measure_path):
    urls = [*pages(measure_path), *data_urls(measure_path), "/static/tehgraph.css"]
    statuses = set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (url, name)
        assert response.headers["Content-Security-Policy"] == CSP
        assert "frame-ancestors 'none'" in CSP and "unsafe-inline" not in CSP
    assert {200, 404} <= statuses


def test_cors_is_open_on_data_endpoints_only(client, measure_path):
    for url in data_urls(measure_path):
        response = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert response.status_code == 200, url
        assert response.headers.get("Access-Control-Allow-Origin") == "*", url
    for url in pages(measure_path):
        response = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert not [h for h in response.headers.keys() if h.lower().startswith("access-control")], url
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/", headers={"X-Request-ID": "support-ticket-42"}).headers["X-Request-ID"] == (
        "support-ticket-42"
    )
    hostile = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", hostile)
    generated = {client.get("/").headers["X-Request-ID"] for _ in range(5)}
    assert len(generated) == 5 and all(re.fullmatch(r"[0-9a-f]{32}", g) for g in generated)


# --- errors leak nothing ---------------------------------------------------------------------


def test_an_unexpected_error_shows_a_request_id_and_no_trace_or_path(settings, store, caplog):
    app = create_app(replace(settings, query_workers=0), store)
    secret = str(SRC / "tehgraph" / "secret_config.py")

    @app.get("/boom")
    def boom():
        raise RuntimeError(f"cannot read {secret}: password=hunter2")

    for accept in ("text/html", "application/json"):
        response = app.test_client().get("/boom", headers={"Accept": accept})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        rid = response.headers["X-Request-ID"]
        assert rid in body
        for leak in (secret, "hunter2", "Traceback", "RuntimeError", str(SRC), ".py"):
            assert leak not in body, leak
    logged = [r for r in caplog.records if f"[request {rid}]" in r.getMessage()]
    assert logged and logged[0].exc_info and "hunter2" in str(logged[0].exc_info[1])


def test_a_bad_query_is_a_4xx_with_the_parser_message_not_a_500(client):
    response = client.get(f"/sparql?query={quote('SELECT * WHERE { ?s ?p }')}")
    assert response.status_code == 400
    assert "Bad query" in response.get_data(as_text=True)


# --- read-only --------------------------------------------------------------------------------


def hostile_requests(client, text: str) -> list:
    """The same text sent every way the endpoint and the editor accept a query, and as an update."""
    q = quote(text)
    return [
        client.get(f"/sparql?query={q}"),
        client.post("/sparql", data={"query": text}),
        client.post("/sparql", data=text.encode(), content_type="application/sparql-query"),
        client.post("/sparql", data={"update": text}),
        client.post("/sparql", data=text.encode(), content_type="application/sparql-update"),
        client.get(f"/sparql?update={q}"),
        client.get(f"/sparql/editor?run=1&query={q}"),
    ]


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib", "guarded"])
def test_no_request_changes_the_data(settings, built, backend):
    """A battery of updates, sent every way, is refused with a clear 4xx; the store's digest stays."""
    inner = RdflibStore.from_dist(built.dist) if backend == "rdflib" else OxigraphStore.from_dist(built.dist)
    app = create_app(replace(settings, query_workers=2 if backend == "guarded" else 0), inner)
    before = store_digest(inner)
    client = app.test_client()
    count = 0
    for update in UPDATES:
        for response in hostile_requests(client, update):
            count += 1
            assert 400 <= response.status_code < 500, (update, response.status_code)
            assert "read-only" in response.get_data(as_text=True), update
    assert count == 7 * len(UPDATES)
    assert store_digest(inner) == before
    assert (
        client.get(
            f"/sparql?query={quote('ASK { <urn:x:a> ?p ?o }')}",
            headers={"Accept": "application/sparql-results+json"},
        ).json["boolean"]
        is False
    )
    if backend == "guarded":
        app.extensions["tehgraph"].store.close()


# --- no outgoing requests ---------------------------------------------------------------------


def ssrf_queries(url: str) -> list[tuple[str, dict]]:
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}", {}),
        (f"SELECT * WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}", {}),
        (f"SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }} LIMIT 1", {}),
        (f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}", {}),
        (f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{url}named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {"default-graph-uri": f"{url}default.ttl"}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", {"named-graph-uri": f"{url}named2.ttl"}),
    ]


def test_the_recording_server_does_record_rdflib_fetches(rdflib_store):
    """Control: without the guard, rdflib does call a SERVICE (so the test below can fail)."""
    with recording_server() as (url, hits):
        try:
            list(rdflib_store.dataset.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        except Exception:  # noqa: BLE001 - the recorder answers Turtle, not SPARQL results
            pass
    assert hits


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib", "guarded-rdflib"])
def test_no_query_makes_an_outgoing_request(settings, built, backend):
    backend_class = OxigraphStore if backend == "oxigraph" else RdflibStore
    inner = backend_class.from_dist(built.dist)
    app = create_app(replace(settings, query_workers=2 if backend.startswith("guarded") else 0), inner)
    client = app.test_client()
    statuses = []
    with recording_server() as (url, hits):
        for text, params in ssrf_queries(url):
            query = urllib.parse.urlencode({"query": text, **params})
            editor = f"/sparql/editor?run=1&query={quote(text)}"  # the editor takes no dataset parameters
            for response in [client.get(f"/sparql?{query}"), *([] if params else [client.get(editor)])]:
                statuses.append(response.status_code)
                assert response.status_code in (200, 403, 400), (text, response.status_code)
                if "SERVICE" in text:
                    assert response.status_code in (400, 403)
                    assert "SERVICE" in response.get_data(as_text=True)
    assert hits == []
    assert len(statuses) == 14
    if backend != "oxigraph":  # rdflib would fetch a FROM graph it lacks: refused too
        assert statuses.count(200) == 0
    if backend.startswith("guarded"):
        app.extensions["tehgraph"].store.close()


def test_a_trusted_endpoint_is_the_only_exception(settings, built):
    trusted = "http://127.0.0.1:1/sparql"
    app = create_app(
        replace(settings, query_workers=0, trusted_endpoints=(trusted,)), OxigraphStore.from_dist(built.dist)
    )
    client = app.test_client()
    other = quote("SELECT * WHERE { SERVICE <http://127.0.0.2:1/> { ?s ?p ?o } }")
    refused = client.get(f"/sparql?query={other}")
    assert refused.status_code == 403 and trusted in refused.get_data(as_text=True)
    text = f"SELECT * WHERE {{ SERVICE SILENT <{trusted}> {{ ?s ?p ?o }} }}"
    allowed = client.get(f"/sparql?query={quote(text)}")
    assert allowed.status_code != 403


# --- time limit -------------------------------------------------------------------------------


def test_public_queries_run_in_the_guarded_store(guarded_app):
    assert isinstance(guarded_app.extensions["tehgraph"].store, GuardedStore)


def test_a_runaway_query_gets_a_503_while_other_pages_are_served(guarded_app, measure_path):
    store = guarded_app.extensions["tehgraph"].store
    limit = guarded_app.extensions["tehgraph"].settings.query_timeout
    with served(guarded_app) as (host, port):
        before = set(store.worker_pids())
        answer: dict = {}

        def runaway():
            answer["slow"] = send(host, port, "GET", f"/sparql?query={quote(PATHOLOGICAL)}")

        thread = threading.Thread(target=runaway)
        thread.start()
        others = []
        urls = [
            f"/page/{measure_path}",
            "/search/?q=mesure",
            "/queries/plan-measures",
            f"/sparql?query={quote('SELECT ?s WHERE { ?s a teh:ActionPlan }')}",
        ]
        while thread.is_alive() and len(others) < 12:
            others.append(send(host, port, "GET", urls[len(others) % len(urls)]).status)
        served_meanwhile = thread.is_alive()
        thread.join()
        slow = answer["slow"]
        assert slow.status == 503
        assert f"stopped after {limit:g} seconds" in slow.body.decode()
        assert others == [200] * 12 and served_meanwhile
        killed = before - set(store.worker_pids())
        assert len(killed) == 1 and gone(killed.pop())
        page = send(host, port, "GET", f"/sparql/editor?run=1&query={quote(PATHOLOGICAL)}")
        assert page.status == 503 and f"{limit:g} seconds" in page.body.decode()
        assert len(store.worker_pids()) == 2


# --- size limits ------------------------------------------------------------------------------


def test_results_are_capped_with_a_visible_notice(client):
    everything = quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    json_results = {"Accept": "application/sparql-results+json"}
    response = client.get(f"/sparql?query={everything}", headers=json_results)
    assert response.status_code == 200
    assert len(response.json["results"]["bindings"]) == 50
    assert "50" in response.headers["Tehgraph-Truncated"]
    page = client.get(f"/sparql/editor?run=1&query={everything}&lang=en")
    assert "results truncated" in page.get_data(as_text=True)
    small = client.get(f"/sparql?query={quote('SELECT ?s WHERE { ?s a teh:ActionPlan }')}")
    assert "Tehgraph-Truncated" not in small.headers


def test_long_queries_by_url_and_large_bodies_are_refused(client, guarded_app):
    """A URL holds at most max_query_length characters; a POST body (SPARQL clients send large
    queries that way) at most max_body bytes."""
    settings = guarded_app.extensions["tehgraph"].settings
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * settings.max_query_length
    assert client.get(f"/sparql?query={quote(long_query)}").status_code == 413
    assert client.post("/sparql", data={"query": long_query}).status_code == 200
    direct = client.post("/sparql", data=long_query.encode(), content_type="application/sparql-query")
    assert direct.status_code == 200
    assert guarded_app.config["MAX_CONTENT_LENGTH"] == settings.max_body
    huge = b"x" * (guarded_app.config["MAX_CONTENT_LENGTH"] + 1)
    assert client.post("/sparql", data=huge, content_type="application/sparql-query").status_code == 413
    assert client.get(f"/sparql/editor?run=1&query={quote(long_query)}").status_code == 413


# --- safe rendering ---------------------------------------------------------------------------


def test_no_template_marks_data_safe():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), template
        assert "autoescape false" not in text, template
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {template}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {template}"
        assert not re.search(r"\sstyle=|<style", text), f"inline style in {template}"


def test_reflected_input_is_escaped(client):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for url in (
        f"/search/?q={quote(evil)}",
        f"/sparql/editor?run=1&query={quote(evil)}",
        f"/sparql/editor?query={quote(evil)}",
        f"/queries/plan-measures?plan={quote(evil)}",
    ):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;" in body or "&lt;img" in body, url


def test_pages_run_no_script_the_policy_blocks(guarded_app, measure_path):
    """Headless chromium reports no CSP violation on any page, and the app's own scripts run."""
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    with served(guarded_app) as (host, port), sync_playwright() as p:
        browser = p.chromium.launch(**CHROMIUM)
        page = browser.new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
        for url in pages(measure_path)[:-1] + ["/sparql/editor?run=1&example=plan-measures"]:
            response = page.goto(f"http://{host}:{port}{url}")
            assert response.status == 200, url
            assert response.headers["content-security-policy"] == CSP
        page.goto(f"http://{host}:{port}/sparql/editor")
        editor_ready = page.evaluate("() => document.querySelector('.CodeMirror') !== null")
        browser.close()
    assert violations == []
    assert editor_ready  # the editor's script (from 'self') did run


# --- a missing or corrupt build ---------------------------------------------------------------


def serve(project: Path, dist: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), "TEHGRAPH_DIST_DIR": str(dist)}
    return subprocess.run(
        [sys.executable, "-m", "tehgraph", "serve", str(project), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def corruptions(built_dist: Path, tmp: Path) -> dict[str, Path]:
    """Broken dist/ folders: absent, empty, garbage dumps, a dump cut mid-line, one dump missing."""
    cases = {"absent": tmp / "absent", "empty": tmp / "empty"}
    cases["empty"].mkdir()
    garbage = tmp / "garbage"
    garbage.mkdir()
    (garbage / "tehgraph.nq").write_bytes(b"\x00\xff not n-quads {{{ <<<\n")
    (garbage / "tehgraph.nt").write_bytes(b"\x00\xff")
    cut = tmp / "cut"
    cut.mkdir()
    text = (built_dist / "tehgraph.nq").read_bytes()
    (cut / "tehgraph.nq").write_bytes(text[: len(text) // 2])
    (cut / "tehgraph.nt").write_bytes((built_dist / "tehgraph.nt").read_bytes())
    half = tmp / "half"
    half.mkdir()
    (half / "tehgraph.nq").write_bytes(text)
    return {**cases, "garbage": garbage, "cut": cut, "half": half}


def test_serve_on_a_missing_or_corrupt_build_exits_2_with_a_clear_message(built, project_dir, tmp_path):
    for name, dist in corruptions(built.dist, tmp_path).items():
        result = serve(project_dir, dist)
        assert result.returncode == 2, (name, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, name
        assert result.stderr.startswith("Error: cannot serve"), (name, result.stderr)
        assert "tehgraph build" in result.stderr, (name, result.stderr)
