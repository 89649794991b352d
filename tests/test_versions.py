"""Releases in the app: the versions page says in words what a build changed from the one it
replaced, the CHANGELOG's Data section is written from the same diff, and « cite this » names
the version (its BibTeX read by pybtex, its CSL-JSON formatted by citeproc-py).

A copy of the real project in its own git repository is built, then extended with
tests/fixtures/curate/diff-additions.ttl (a new demand, a new statement of an existing one, a new
actor), committed and built again into the same folder: the second build keeps the first.
"""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner
from pybtex.database import parse_string
from werkzeug.http import parse_options_header

from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.config import Settings
from tehgraph.diff.changelog import END, START
from tehgraph.dist import read_release

from .curate_helpers import CURATE_FIXTURES, copy_project
from .test_release import git

ADDITIONS = CURATE_FIXTURES / "diff-additions.ttl"
NEW_DEMAND, NEW_ACTOR = "demand/test-places-ac-se", "org/test-association-essai"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The project built, extended and committed, built again: (project, first release, second)."""
    project = copy_project(tmp_path_factory.mktemp("versions") / "project")
    (project / ".gitignore").write_text("dist/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "data")
    first = read_release(build(project).dist)
    shutil.copy(ADDITIONS, project / "data" / ADDITIONS.name)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "a demand, a statement, an actor")
    second = read_release(build(project).dist)
    return project, first, second


@pytest.fixture(scope="module")
def versions_client(two_builds):
    from tehgraph.web import create_app

    project = two_builds[0]
    return create_app(Settings(project_dir=project, dist_dir=project / "dist")).test_client()


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_versions_page_names_both_builds_and_lists_the_changes_in_words(versions_client, two_builds):
    _, first, second = two_builds
    assert first["version"] != second["version"] and second["previous_version"] == first["version"]
    soup = soup_of(versions_client, "/versions/")
    codes = [code.text for code in soup.select("dl.release code")]
    assert codes[:4] == [second["version"], second["commit"], first["version"], first["commit"]]
    links = {a["href"] for a in soup.select("ul.changes a")}
    assert {f"/page/{NEW_DEMAND}", f"/page/{NEW_ACTOR}", "/page/demand/delai-reflexion-3-mois"} <= links
    headings = [h.text for h in soup.select("#what-changed ~ h3, section h3")]
    assert any(h.startswith("Nouvelles demandes (1)") for h in headings), headings
    assert soup.select_one("footer a[href='/versions/']") is not None
    english = soup_of(versions_client, "/versions/?lang=en")
    assert english.select_one("#this-build").text == "This version"


def test_each_release_has_its_page_and_an_unknown_one_is_a_404(versions_client, two_builds):
    _, first, second = two_builds
    this = soup_of(versions_client, f"/versions/{second['version']}")
    assert this.select_one("ul.changes") is not None
    older = soup_of(versions_client, f"/versions/{first['version']}")
    assert [c.text for c in older.select("dl.release code")][:2] == [first["version"], first["commit"]]
    assert older.select_one("ul.changes") is None and "CHANGELOG" in older.select_one("main").text
    missing = versions_client.get("/versions/0.0.0+nowhere")
    assert missing.status_code == 404 and "0.0.0+nowhere" in missing.get_data(as_text=True)


def test_the_changelog_data_section_is_written_from_the_diff_and_rewritten_in_place(two_builds, tmp_path):
    project, first, second = two_builds
    changelog = tmp_path / "CHANGELOG.md"
    before = "# Changelog\n\n## [Unreleased]\n\n### Added\n- A thing.\n\n## [0.1.0] - 2026-01-01\n- Older.\n"
    changelog.write_text(before, encoding="utf-8")
    args = ["diff", str(project / "dist" / "previous"), str(project / "dist")]
    printed = CliRunner().invoke(main, [*args, "--format", "markdown"])
    assert printed.exit_code == 1, printed.output
    assert printed.output.startswith(f"From {first['version']} → {second['version']}:")
    for _ in range(2):  # a second run replaces the section it wrote
        outcome = CliRunner().invoke(main, [*args, "--changelog", str(changelog)])
        assert outcome.exit_code == 1, outcome.output
    text = changelog.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    section = text[text.index(START) + len(START) : text.index(END)]
    assert section.strip() == printed.output.strip()
    assert f"(`{NEW_DEMAND}`)" in section and f"(`{NEW_ACTOR}`)" in section
    unreleased = text.index("## [Unreleased]")
    assert unreleased < text.index(START) < text.index("## [0.1.0]")
    assert text.replace(text[text.index("\n### Data") : text.index(END) + len(END) + 1], "") == before


def test_cite_this_names_the_version_in_bibtex_and_csl_json(versions_client, two_builds):
    version = two_builds[2]["version"]
    soup = soup_of(versions_client, "/page/org/ccem")
    box = soup.select_one("details#cite-this")
    permalink = box.select_one("dd a[href*='version=']")["href"]
    assert permalink.endswith(f"/page/org/ccem?version={version.replace('+', '%2B')}")
    entry = next(iter(parse_string(box.select_one("#cite-bibtex").text, "bibtex").entries.values()))
    assert entry.fields["version"] == version and entry.fields["url"] == permalink
    assert "Comité contre l'esclavage moderne" in entry.fields["title"]
    items = json.loads(box.select_one("#cite-csl").text)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    [rendered] = [str(entry) for entry in bibliography.bibliography()]
    assert "esclavage moderne" in rendered and permalink in rendered
    opened = soup_of(versions_client, "/page/org/ccem?version=0.0.1%2Bold")
    assert "0.0.1+old" in opened.select_one("details#cite-this p.notice").text


def test_a_saved_query_is_cited_with_its_parameters(versions_client):
    soup = soup_of(versions_client, "/queries/demands-to-actor")
    box = soup.select_one("details#cite-this")
    entry = next(iter(parse_string(box.select_one("#cite-bibtex").text, "bibtex").entries.values()))
    assert "version=" in entry.fields["url"] and "/queries/demands-to-actor" in entry.fields["url"]


@pytest.mark.parametrize(
    "url",
    ["/dumps/tehgraph.ttl", "/queries/demands-to-actor?format=csv", "/browse/teh:Measure?format=csv"],
)
def test_every_download_names_its_version(versions_client, two_builds, url):
    version = two_builds[2]["version"]
    response = versions_client.get(url)
    assert response.status_code == 200 and response.headers["Tehgraph-Version"] == version
    _, options = parse_options_header(response.headers["Content-Disposition"])
    assert f"-{version}." in options["filename"]
    page = versions_client.get("/page/org/ccem")
    assert page.headers["Tehgraph-Version"] == version
