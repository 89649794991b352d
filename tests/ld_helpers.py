"""Helpers for the endpoint and linked-data tests: a served app, raw HTTP, reading HTML and results."""

from __future__ import annotations

import http.client
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import waitress
from rdflib import Dataset, Graph
from rdflib.query import Result

from tehgraph.formats import GRAPH_FORMATS, RESULT_FORMATS, by_mime


@contextmanager
def served(app) -> Iterator[tuple[str, int]]:
    """The app under a real waitress server on a free local port, stopped afterwards."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", int(server.effective_port)
    finally:
        server.close()
        thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def mime(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


def send(
    host: str,
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One raw HTTP/1.1 request, exactly as given (no client-side rewriting of the body)."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def parse_results(body: bytes, mime: str) -> Result:
    """A SELECT/ASK result in any of RESULT_FORMATS, parsed by rdflib's own result parsers."""
    fmt = by_mime(RESULT_FORMATS, mime)
    assert fmt is not None, f"{mime} is not a SPARQL results format"
    return Result.parse(io.BytesIO(body), format=fmt.rdflib)


def parse_graph(body: bytes, mime: str) -> Graph:
    fmt = by_mime(GRAPH_FORMATS, mime)
    assert fmt is not None, f"{mime} is not an RDF graph format"
    return Graph().parse(data=body, format=fmt.rdflib)


def write_dist(trig: Path, dist: Path) -> Path:
    """A dist/ folder holding a TriG dataset the way the stores load it (.nq named, .nt default)."""
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    dist.mkdir(parents=True, exist_ok=True)
    named = Dataset()
    for graph in dataset.graphs():
        if graph.identifier != dataset.default_graph.identifier:
            named.graph(graph.identifier).__iadd__(graph)
    named.serialize(destination=dist / "tehgraph.nq", format="nquads")
    dataset.default_graph.serialize(destination=dist / "tehgraph.nt", format="nt11", encoding="utf-8")
    return dist


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Page(HTMLParser):
    """What the tests read in an HTML page: ids, scripts, links, table rows, textarea, visible text."""

    ids: set[str] = field(default_factory=set)
    scripts: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    rows: dict[str, list[str]] = field(default_factory=dict)  # tr id -> cell texts
    table_rows: list[list[str]] = field(default_factory=list)
    textarea: str | None = None
    text: list[str] = field(default_factory=list)
    _cells: list[str] | None = None
    _row_id: str | None = None
    _in: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    @classmethod
    def of(cls, html: str | bytes) -> Page:
        page = cls()
        page.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
        page.close()
        return page

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "tr":
            self._cells, self._row_id = [], attributes.get("id")
        if tag in ("td", "th") and self._cells is not None:
            self._cells.append("")
        if tag == "textarea":
            self.textarea = ""
        if tag not in VOID_ELEMENTS:
            self._in.append(tag)

    def handle_endtag(self, tag):
        if tag == "tr" and self._cells is not None:
            self.table_rows.append(self._cells)
            if self._row_id:
                self.rows[self._row_id] = self._cells
            self._cells = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "textarea" and self.textarea is not None:
            self.textarea += data
        if self._cells is not None and self._cells:
            self._cells[-1] += data
        if not (self._in and self._in[-1] in ("script", "style")):
            self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())
