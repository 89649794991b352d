"""Hostile labels and SHACL warnings, on a small project built by the real build.

The project is the real ontology and shapes, the mini fixture data, an association whose labels
are HTML (tests/fixtures/web/data/hostile.ttl) and one warning-level shape
(tests/fixtures/web/warning-shape.ttl), so the build publishes and the pages must show the warning.
"""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup

from tehgraph.build import build
from tehgraph.config import Settings
from tehgraph.stores import RdflibStore
from tehgraph.web import create_app

from .conftest import FIXTURES, PROJECT_DIR

SCRIPT_LABEL = "<script>alert('tehgraph')</script> Association « hostile »"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Settings:
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(PROJECT_DIR / "ontology", project / "ontology")
    shutil.copytree(FIXTURES / "mini" / "data", project / "data")
    shutil.copy(FIXTURES / "web" / "data" / "hostile.ttl", project / "data")
    shapes = project / "ontology" / "shapes.ttl"
    warning = (FIXTURES / "web" / "warning-shape.ttl").read_text(encoding="utf-8")
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n" + warning, encoding="utf-8")
    result = build(project)
    return Settings(project_dir=project, dist_dir=result.dist)


@pytest.fixture(scope="module")
def client(hostile):
    return create_app(hostile).test_client()


def soup_of(client, url: str) -> tuple[str, BeautifulSoup]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.data.decode("utf-8")
    return html, BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize(
    "url",
    [
        "/page/org/hostile",
        "/search/?q=hostile",
        "/browse/teh:Association",
        "/browse/teh:Actor",
        "/page/doc/mini",
    ],
)
def test_html_in_labels_is_shown_as_text(client, url):
    html, soup = soup_of(client, url)
    assert SCRIPT_LABEL in soup.get_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert all(script.get("src") for script in soup.find_all("script"))
    assert not soup.find_all("img")


def test_the_label_is_the_page_title_as_text(client):
    _, soup = soup_of(client, "/page/org/hostile")
    assert soup.h1.get_text(strip=True) == SCRIPT_LABEL
    assert "<img src=x onerror=alert(1)>" in soup.select_one("section.properties").get_text()


def test_shacl_warnings_are_shown_on_their_node_only(client):
    _, soup = soup_of(client, "/page/org/hostile")
    shacl = soup.select_one("section.shacl")
    assert shacl is not None
    assert "an association should have a comment saying what it does" in shacl.get_text()
    assert "Warning" in shacl.get_text()
    _, other = soup_of(client, "/page/org/ministere-mini")
    assert other.select_one("section.shacl") is None


def test_the_app_runs_on_the_rdflib_store_too(hostile):
    app = create_app(hostile, store=RdflibStore.from_dist(hostile.dist))
    _, soup = soup_of(app.test_client(), "/page/org/hostile")
    assert soup.h1.get_text(strip=True) == SCRIPT_LABEL
    _, found = soup_of(app.test_client(), "/search/?q=reflexion")
    assert "/page/demand/delai-reflexion" in {a["href"] for a in found.select("ol.results a.hit-label")}


def test_english_pages_fall_back_to_french_labels(client):
    """The mini data labels its demand in French only (tests/fixtures/mini/data/demands.ttl)."""
    _, soup = soup_of(client, "/page/demand/delai-reflexion?lang=en")
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True) == "Délai de réflexion de 3 mois"
    assert soup.select_one("section.properties h2").get_text() == "Everything stated"
    assert "Identity" in {h.get_text() for h in soup.select("section.properties h3")}
