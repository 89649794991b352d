"""Downloads, the « Données » page, the licence, compression and caching, through `tehgraph serve .`
started from a project folder as `make run` does (relative path, dist/ inside it).

The project folder is a copy of this one with the session's build as its dist/, so the server
resolves the same relative paths a fresh clone's `make run` does. Expectations come from the
files of the build and from data/dataset.ttl parsed here, never from numbers of a run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from devtools.browser import copy_project, serve_project
from tehgraph.void import DATASET_IRI

from .conftest import PROJECT_DIR

RELEASE = {"version": "9.8.7", "commit": "0123456789abcdef0123", "built_at": "2031-01-02T03:04:05+00:00"}


@pytest.fixture(scope="module")
def project(built, tmp_path_factory) -> Path:
    folder = copy_project(PROJECT_DIR, built.dist, tmp_path_factory.mktemp("project"))
    (folder / "dist" / "release.json").write_text(json.dumps(RELEASE), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def base(project) -> str:
    with serve_project(project) as url:
        yield url


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: bytes) -> list[str]:
    parser = Links()
    parser.feed(html.decode("utf-8"))
    return parser.hrefs


def void_of(base: str) -> Graph:
    status, _, body = get(base + "/void", {"Accept": "text/turtle"})
    assert status == 200
    return Graph().parse(data=body, format="turtle")


def test_every_dump_the_void_lists_is_served(base, project):
    """The bug of issue 16: relative dist/ under `tehgraph serve .` made every dump a 500."""
    downloads = [str(u) for u in void_of(base).objects(None, DCAT.downloadURL)]
    assert len(downloads) >= 6
    for url in downloads:
        status, headers, body = get(url)
        assert status == 200, url
        assert body == (project / "dist" / urlsplit(url).path.rsplit("/", 1)[1]).read_bytes()
    status, _, body = get(base + "/dumps/void.ttl")
    assert status == 200 and body == (project / "dist" / "void.ttl").read_bytes()


def test_the_data_page_lists_every_dump_with_size_triples_date_and_checksum(base, project):
    status, _, body = get(base + "/data")
    assert status == 200
    html = body.decode("utf-8")
    dist = project / "dist"
    statements = {
        "nq": sum(1 for _ in (dist / "tehgraph.nq").open("rb")),
        "nt": sum(1 for _ in (dist / "tehgraph.nt").open("rb")),
    }
    for path in sorted(dist.glob("tehgraph.*")):
        assert f'href="/dumps/{path.name}"' in html, path.name
        assert hashlib.sha256(path.read_bytes()).hexdigest() in html
        row = html[html.index(f'href="/dumps/{path.name}"') :].split("</tr>", 1)[0]
        counted = statements["nq" if path.suffix in (".nq", ".trig") else "nt"]
        assert f"{counted:,}".replace(",", " ") in row, path.name
    assert 'href="/void"' in html and 'href="/ontology"' in html and 'href="/sparql"' in html


def test_the_licence_is_declared_in_the_void_and_shown(base):
    declared = Graph().parse(PROJECT_DIR / "data" / "dataset.ttl")
    licence = declared.value(DATASET_IRI, DCTERMS.license)
    assert isinstance(licence, URIRef)
    void = void_of(base)
    assert (DATASET_IRI, DCTERMS.license, licence) in void
    rights = {str(o) for o in void.objects(DATASET_IRI, DCTERMS.rights)}
    assert any("Collectif" in r and "CCEM" in r for r in rights), "who wrote the source texts"
    for lang, words in (("fr", "Licence"), ("en", "Licence")):
        _, _, body = get(base + f"/data?lang={lang}")
        html = body.decode("utf-8")
        assert f'href="{licence}"' in html and words in html
        assert any(r in html.replace("&#39;", "'") for r in rights)
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    assert str(licence) in readme


def test_a_crawl_from_home_reaches_the_data_services(base):
    wanted = {"/data", "/ontology", "/void", "/sparql"}
    seen, todo, dumps = set(), ["/"], set()
    while todo and len(seen) < 200 and not (wanted <= seen and dumps):
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, headers, body = get(base + path, {"Accept": "text/html"})
        if status != 200 or not headers.get("content-type", "").startswith("text/html"):
            continue
        for href in links(body):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc:
                continue
            if target.path.startswith("/dumps/"):
                dumps.add(target.path)
            elif not target.query and target.path not in seen:
                todo.append(target.path)
    assert wanted <= seen, wanted - seen
    assert dumps


def test_pages_are_gzipped_and_validated_by_the_build(base):
    url = base + "/page/org/collectif-traite"
    status, plain_headers, plain = get(url)
    status, headers, packed = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed) == plain
    assert len(packed) * 4 < len(plain)
    assert "accept-encoding" in headers["vary"].lower()
    assert "max-age" in headers["cache-control"]
    tag = headers["etag"]
    assert get(url, {"If-None-Match": tag, "Accept-Encoding": "gzip"})[0] == 304
    assert get(url + "?lang=en", {"If-None-Match": tag})[0] == 200  # another representation


def test_the_footer_names_the_release_served(base):
    _, _, body = get(base + "/")
    footer = body.decode("utf-8").split('<footer class="site">', 1)[1]
    assert RELEASE["version"] in footer and RELEASE["commit"][:10] in footer and "2031-01-02" in footer


def test_resources_in_turtle_start_with_their_own_statements(base):
    _, _, body = get(base + "/id/org/ccem.ttl")
    lines = [line for line in body.decode("utf-8").splitlines() if line and not line.startswith("@prefix")]
    assert re.match(r"^(<https://w3id\.org/tehgraph/id/org/ccem>|id:org/ccem) ", lines[0]), lines[0]


def test_resources_in_json_ld_are_compact_with_the_project_context(base):
    _, headers, body = get(base + "/id/org/ccem", {"Accept": "application/ld+json"})
    document = json.loads(body)
    assert document["@context"]["teh"] == "https://w3id.org/tehgraph/ontology#"
    nodes = document.get("@graph", [document])
    own = next(n for n in nodes if n.get("@id") in ("id:org/ccem", "https://w3id.org/tehgraph/id/org/ccem"))
    assert "rdfs:label" in own and not any(key.startswith("http") for key in own)
