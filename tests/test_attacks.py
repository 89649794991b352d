"""Every attack of issue 18, against a real `tehgraph serve .` started as the README starts it.

The server runs in a subprocess from the project folder (relative path `.`), over the session's
build, with a 2 s time limit so runaway queries end soon; a recording HTTP server on loopback is
the target of every outgoing-request attempt and must see none. Each test sends the attack the
issue describes and asserts it is refused or bounded — and that the server keeps answering.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools import attacks
from devtools.recorder import BODY_MARKER, recording_server

from .conftest import PROJECT_DIR

SRC = Path(__file__).resolve().parent.parent / "src"
LIMIT = 2.0  # the server's TEHGRAPH_QUERY_TIMEOUT in these tests
XSD = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`tehgraph serve .` in the project folder; stopped by its pid."""

    def __init__(self, dist: Path, log: Path, **settings: str):
        self.port = free_port()
        env = {
            **os.environ,
            "TEHGRAPH_DIST_DIR": str(dist),
            "TEHGRAPH_QUERY_TIMEOUT": str(LIMIT),
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            **{f"TEHGRAPH_{k.upper()}": v for k, v in settings.items()},
        }
        command = [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(self.port)]
        self.log = log.open("wb")
        self.process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 120
        while self.get("/health").status != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"tehgraph serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.3)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers or {})
            response = conn.getresponse()
            response.data = response.read()
            return response
        except (OSError, http.client.HTTPException):
            return _Refused()
        finally:
            conn.close()

    def get(self, path: str, **headers: str):
        return self.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})

    def query(self, query: str, accept: str = "application/sparql-results+json", how: str = "get"):
        if how == "get":
            return self.request(
                "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
            )
        if how == "form":
            body = urllib.parse.urlencode({"query": query}).encode()
            kind = "application/x-www-form-urlencoded"
        elif how == "direct":
            body, kind = query.encode(), "application/sparql-query"
        else:  # the editor
            return self.get("/sparql/editor?" + urllib.parse.urlencode({"query": query, "run": "1"}))
        return self.request("POST", "/sparql", body, {"Content-Type": kind, "Accept": accept})

    def health(self) -> dict:
        return json.loads(self.get("/health").data)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class _Refused:
    status, data, headers = 0, b"", {}

    def getheader(self, name, default=None):
        return default


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    running = Server(built.dist, tmp_path_factory.mktemp("attacks") / "serve.log", client_queries="3")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def recorder():
    with recording_server() as found:
        yield found


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


# --- critical: the SERVICE bypass ---------------------------------------------------------------


@pytest.mark.parametrize("how", ["get", "form", "direct", "editor"])
def test_the_service_bypass_reaches_nothing_and_echoes_nothing(server, recorder, how):
    url, hits = recorder
    for _ in range(5):
        response = server.query(attacks.service_bypass(url), how=how)
        assert response.status == 403  # the same status whichever way it is sent
        assert BODY_MARKER.encode() not in response.data
    assert hits == []


def test_the_pool_reports_its_sandbox(server):
    health = server.health()
    assert health["sandbox"] in ("network namespace", "seccomp (no new sockets but AF_UNIX)")
    assert health["pool"]["workers_alive"] == health["pool"]["workers"]


# --- high: the time limit holds, results are bounded --------------------------------------------


def test_a_huge_parse_is_answered_within_the_limit_and_pages_keep_answering(server):
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        slow = [
            pool.submit(timed, lambda: server.query(attacks.slow_parse(), how="direct")) for _ in range(3)
        ]
        time.sleep(0.3)
        css, css_seconds = timed(lambda: server.get("/static/tehgraph.css"))
        page, _ = timed(lambda: server.get("/"))
        answers = [future.result() for future in slow]
    assert css.status == 200 and page.status == 200
    assert css_seconds < LIMIT
    for response, seconds in answers:
        assert response.status in (200, 503), response.data[:300]
        assert seconds < LIMIT + 2


def test_huge_strings_are_cut_in_the_worker(server):
    response = server.query(attacks.huge_strings(levels=6))  # 10 rows of 10 MB strings
    assert response.status in (200, 503)
    if response.status == 200:
        assert "strings cut" in response.getheader("Tehgraph-Truncated", "")
        assert len(response.data) < 16 * 2**20
        assert len(json.loads(response.data)["results"]["bindings"]) == 10
    assert server.get("/health").status == 200


def test_a_string_past_the_worker_memory_ends_the_worker_not_the_server(server):
    response, seconds = timed(lambda: server.query(attacks.huge_strings(levels=8, rows=2)))  # 1 GB strings
    assert response.status in (200, 503) and seconds < LIMIT + 2
    assert len(response.data) < 16 * 2**20
    assert server.query("ASK { ?s ?p ?o }").status == 200


def test_a_runaway_query_is_stopped(server):
    response = server.query(attacks.RUNAWAY)
    assert response.status == 503
    assert server.query("ASK { ?s ?p ?o }").status == 200


def test_one_client_cannot_take_the_pool(server):
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda _: server.query(attacks.RUNAWAY), range(6)))
    turned_away = [r for r in replies if r.status == 429]
    assert turned_away, [r.status for r in replies]
    assert all(r.getheader("Retry-After") for r in turned_away)
    assert b"at most 3" in turned_away[0].data


def test_a_construct_cut_at_the_row_cap_says_so(server):
    response = server.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept="text/turtle")
    assert response.status == 200
    assert response.getheader("Tehgraph-Truncated") == "results cut at 5000 triples"


# --- medium and low: clear 4xx, never a 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept", "status"),
    [
        (attacks.UNKNOWN_FUNCTION, "application/sparql-results+json", 400),
        (attacks.UNSPLITTABLE, "application/rdf+xml", 406),
        ("", "application/sparql-results+json", 400),
        ("SELECT * WHERE { ?s ?p }", "application/sparql-results+json", 400),
        ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "application/sparql-results+json", 403),
    ],
)
def test_bad_queries_get_a_clear_4xx(server, query, accept, status):
    response = server.query(query, accept)
    assert response.status == status
    assert response.data.strip() and b"Traceback" not in response.data


def test_nan_and_infinity_are_strict_json(server):
    response = server.query(XSD + attacks.NAN)
    assert response.status == 200

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    values = json.loads(response.data, parse_constant=refuse)["results"]["bindings"][0]
    assert values["x"]["value"] == "NaN" and values["y"]["value"] == "INF"


def test_a_deeply_nested_valid_query_runs(server):
    assert server.query(attacks.deep_nesting(), how="direct").status == 200


def test_a_carriage_return_survives_xml_results(server):
    response = server.query(attacks.CARRIAGE_RETURN, "application/sparql-results+xml")
    assert response.status == 200 and b"a&#13;b" in response.data


def test_large_queries_are_accepted_by_post_and_bounded(server):
    large = attacks.large_valid()
    assert server.query(large, how="direct").status == 200
    assert server.query(large, how="form").status == 200
    assert server.query(large).status == 413  # by URL: the 20,000-character bound
    huge = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (3 * 2**20)
    assert server.request("POST", "/sparql", huge, {"Content-Type": "application/sparql-query"}).status in (
        0,
        413,
    )


def test_a_request_with_content_length_and_transfer_encoding_is_refused(server):
    raw = attacks.smuggled_request()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(raw)
        sock.settimeout(3)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except TimeoutError:
            pass
    assert data.split(b" ", 2)[1] == b"400", data[:200]
    assert data.count(b"HTTP/1.") == 1  # nothing smuggled behind it


def test_the_host_header_is_never_reflected(server):
    for path, accept in (
        ("/void", "text/turtle"),
        ("/sparql", "text/turtle"),
        ("/sparql/editor", "text/html"),
    ):
        response = server.get(path, Host="evil.example", Accept=accept)
        assert response.status == 200, path
        assert b"evil.example" not in response.data, path
        assert f"127.0.0.1:{server.port}".encode() in response.data, path
    for path in ("/browse", "/queries", "/search"):  # the routing's own redirects (to the path with /)
        response = server.get(path, Host="evil.example")
        assert response.status == 308, path
        assert "evil.example" not in response.getheader("Location"), path


def test_a_huge_name_is_refused_and_not_kept(server):
    before = server.health()
    for _ in range(20):
        assert server.get("/browse/teh:" + "A" * 100_000).status == 400
    assert server.health()["status"] == before["status"] == "ok"


# --- the pool recovers, /health says so ----------------------------------------------------------


def test_a_dead_zygote_is_restarted_and_reported(built, tmp_path):
    own = Server(built.dist, tmp_path / "serve.log")
    try:
        pool = own.health()["pool"]
        os.kill(pool["zygote_pid"], signal.SIGKILL)
        for worker in pool["worker_pids"]:  # and every worker with it: new ones must be forked
            os.kill(worker, signal.SIGKILL)
        time.sleep(0.5)
        answers = [own.query("ASK { ?s ?p ?o }").status for _ in range(8)]
        assert answers[-1] == 200, answers
        health = own.health()
        assert health["status"] == "ok" and health["pool"]["zygote_restarts"] >= 1
        assert health["pool"]["zygote_pid"] != pool["zygote_pid"]
    finally:
        own.stop()


# --- fuzz: the guard against escapes, comments, prefixed names and nesting ------------------------

_ESCAPES = [
    "\\u0022",
    "\\U00000022",
    '\\"',
    "\\'",
    "\\u0027",
    "\\\\",
    "\\u003C",
    "\\u003E",
    "\\u007D",
    "\\u0023",
]
_PIECES = st.sampled_from([*_ESCAPES, "SERVICE", " ", "#", "}", "{", "<", ">", "\n"])
_STRING = st.builds(
    lambda quote, body: quote + body + quote,
    st.sampled_from(['"', "'", '"""', "'''"]),
    st.lists(_PIECES, max_size=5).map("".join),
)
_JUNK = st.one_of(
    _STRING.map(lambda s: f"BIND({s} AS ?j)"),
    st.lists(_PIECES, max_size=4).map(lambda body: f"#{''.join(body)}\n"),
    st.just(""),
)
_KEYWORD = st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "\\u0053ERVICE"])
_NEST = st.sampled_from(
    [
        "{}",
        "OPTIONAL {{ {} }}",
        "{{ {} }} UNION {{ ?u ?v ?w }}",
        "FILTER EXISTS {{ {} }}",
        "MINUS {{ {} }}",
        "{{ SELECT * WHERE {{ {} }} }}",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    before=_JUNK,
    after=_JUNK,
    keyword=_KEYWORD,
    prefixed=st.booleans(),
    nest=_NEST,
    how=st.sampled_from(["get", "direct"]),
)
def test_no_text_makes_the_server_reach_out(server, recorder, before, after, keyword, prefixed, nest, how):
    url, hits = recorder
    target = "r:x" if prefixed else f"<{url}x>"
    service = f"{keyword} {target} {{ ?x ?y ?z }}"
    query = f"PREFIX r: <{url}> SELECT * WHERE {{ {before} {nest.format(service)} {after} }}"
    response = server.query(query, how=how)
    assert response.status in (400, 403), (response.status, query)
    assert BODY_MARKER.encode() not in response.data
    assert hits == []


# --- serve under a relative path: the dumps, a broken build, a taken port -----------------------


def test_every_dump_route_answers_under_a_relative_project_path(server, built):
    names = sorted(p.name for p in built.dist.iterdir() if p.is_file() and p.name.startswith("tehgraph."))
    assert len(names) >= 6, names
    for name in [*names, "void.ttl"]:
        response = server.get(f"/dumps/{name}")
        assert response.status == 200, (name, response.data[:300])
        if name != "void.ttl":  # the VoID is rewritten with this server's URLs
            assert response.data == (built.dist / name).read_bytes(), name


def serve_once(dist: Path, port: int = 0) -> subprocess.CompletedProcess:
    """`tehgraph serve . --port PORT` in the project folder, expected to exit by itself."""
    env = {**os.environ, "TEHGRAPH_DIST_DIR": str(dist), "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)]
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)


def copy_of(dist: Path, into: Path) -> Path:
    into.mkdir()
    for path in dist.iterdir():
        if path.is_file():
            (into / path.name).write_bytes(path.read_bytes())
    return into


def test_serve_refuses_a_truncated_nq_and_an_empty_nt(built, tmp_path):
    truncated = copy_of(built.dist, tmp_path / "truncated")
    lines = (truncated / "tehgraph.nq").read_bytes().splitlines(keepends=True)
    (truncated / "tehgraph.nq").write_bytes(b"".join(lines[: len(lines) // 2]))  # whole lines: it parses
    empty = copy_of(built.dist, tmp_path / "empty")
    (empty / "tehgraph.nt").write_bytes(b"")
    reordered = copy_of(built.dist, tmp_path / "reordered")  # same counts, not the file the build wrote
    ordered = (reordered / "tehgraph.nt").read_bytes().splitlines(keepends=True)
    (reordered / "tehgraph.nt").write_bytes(b"".join(reversed(ordered)))
    for dist in (truncated, empty, reordered):
        result = serve_once(dist)
        assert result.returncode == 2, (dist.name, result.stderr[-2000:])
        assert "Traceback" not in result.stderr
        assert "do not hold what the build wrote" in result.stderr, result.stderr
        assert "tehgraph build" in result.stderr
    assert "SHA-256" in serve_once(reordered).stderr


def test_a_taken_port_is_a_clear_message_and_exit_2(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = serve_once(built.dist, taken.getsockname()[1])
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "already in use" in result.stderr, result.stderr


def test_editor_results_never_link_a_script_url(server):
    urls = '"javascript:alert(1)" "JavaScript:alert(1)" "data:text/html,x"'
    query = f"SELECT ?x WHERE {{ VALUES ?t {{ {urls} }} BIND(IRI(?t) AS ?x) }}"
    page = server.get("/sparql/editor?" + urllib.parse.urlencode({"query": query, "run": "1"}))
    assert page.status == 200
    assert b"alert(1)" in page.data  # the values are shown...
    assert (
        b'href="javascript:' not in page.data.lower() and b'href="data:' not in page.data
    )  # ...never linked


def test_behind_a_proxy_each_forwarded_address_has_its_own_limit(built, tmp_path):
    own = Server(built.dist, tmp_path / "serve.log", client_header="X-Forwarded-For", client_queries="1")
    path = "/sparql?" + urllib.parse.urlencode({"query": attacks.RUNAWAY})

    def send(address: str):
        return own.request("GET", path, headers={"X-Forwarded-For": address, "Accept": "text/csv"})

    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            two_readers = list(pool.map(send, ["10.0.0.1", "10.0.0.2"]))
            one_reader = list(pool.map(send, ["10.0.0.3", "10.0.0.3"]))
        assert [r.status for r in two_readers] == [503, 503]  # both admitted, stopped at the limit
        assert sorted(r.status for r in one_reader) == [429, 503]
    finally:
        own.stop()


def test_a_killed_builds_staging_folder_is_cleaned_at_the_next_build(mini_project):
    """A process that made its staging folder and died (as a killed build does) leaves it behind."""
    made = (
        "import os, sys, tempfile; print(tempfile.mkdtemp(prefix=f'.dist-{os.getpid()}-', dir=sys.argv[1]))"
    )
    dead = Path(
        subprocess.run(
            [sys.executable, "-c", made, str(mini_project)], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    running = mini_project / f".dist-{os.getpid()}-still-building"  # a live build's folder: kept
    running.mkdir()
    assert dead.is_dir()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "tehgraph", "build", "."],
        cwd=mini_project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert not dead.exists() and running.is_dir()
    assert (mini_project / "dist" / "tehgraph.nq").is_file()
