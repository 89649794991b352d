"""Every page type in Debian's chromium, at desktop width and on a 390 px phone: axe-core finds no
serious or critical violation, nothing is wider than the screen, and the page speaks one language.

The server is `tehgraph serve .` started from a project folder, as `make run` does. The page types
are the page audit's (devtools/audit.py: `python -m devtools.audit` prints the same counts for a
change's closing note). The language checks take the interface's own words from messages.json: a
word of the other language's interface, outside an element marked with that language, is a
forgotten translation.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import sync_playwright
from rdflib import RDFS, SKOS, Literal, URIRef

from devtools.audit import PAGE_TYPES, WIDTHS, overflow
from devtools.browser import axe_violations, copy_project, describe, install_axe, serve_project
from tehgraph.namespaces import ID, TEH

from .conftest import CHROMIUM, PROJECT_DIR

MESSAGES = json.loads((PROJECT_DIR / "src" / "tehgraph" / "web" / "messages.json").read_text("utf-8"))
STATUS = {"error": 404}
ENTITY_TYPES = [name for name, path in PAGE_TYPES.items() if path.startswith("/page/") and name != "error"]
# Reading pages in both languages (the saved query's and editor's SPARQL text, the ontology's
# reference of teh: terms, are code and vocabulary, not prose).
PROSE_TYPES = [*ENTITY_TYPES, "home", "browse", "search", "data", "timeline", "source"]


@pytest.fixture(scope="module")
def base(built, tmp_path_factory) -> str:
    with serve_project(copy_project(PROJECT_DIR, built.dist, tmp_path_factory.mktemp("project"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(**CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture(scope="module", params=list(WIDTHS))
def screen(request, browser):
    """A French reader's page at one of the audit's widths, with axe-core available."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    install_axe(context)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module", params=["fr", "en"])
def reader(request, browser):
    context = browser.new_context(locale={"fr": "fr-FR", "en": "en-GB"}[request.param])
    page = context.new_page()
    page.lang = request.param
    yield page
    context.close()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_serious_accessibility_violation_and_no_overflow(base, screen, name):
    response = screen.goto(base + PAGE_TYPES[name])
    assert response.status == STATUS.get(name, 200)
    violations = axe_violations(screen)
    assert not violations, describe(violations)
    assert overflow(screen) <= 0, f"{name} is {overflow(screen)} px wider than the screen"


def test_facets_come_after_the_results_on_a_phone(base, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + "/search/?q=CCEM")
    results, facets = page.locator(".search-results").bounding_box(), page.locator(".facets").bounding_box()
    assert facets["y"] >= results["y"] + results["height"]
    header = page.locator("header.site").bounding_box()
    assert header["height"] < 844 / 3  # the header leaves the screen to the page
    context.close()


# Text nodes outside elements marked with another language than the page's, and outside code.
PAGE_TEXT = """() => {
  const page = document.documentElement.lang;
  const other = el => { const marked = el.closest('[lang]'); return marked && marked.lang !== page; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && !el.closest('script, style, code, pre, textarea') && !other(el)) parts.push(n.textContent);
  }
  return parts.join(' ').replace(/\\s+/g, ' ');
}"""


def foreign_words(lang: str) -> set[str]:
    """The other language's interface words that are not also words of this one."""
    other = "en" if lang == "fr" else "fr"
    own = {entry[lang] for entry in MESSAGES.values()}
    return {
        entry[other]
        for entry in MESSAGES.values()
        if entry[other] not in own and "{" not in entry[other] and len(entry[other]) > 3
    }


@pytest.mark.parametrize("name", PROSE_TYPES)
def test_a_page_speaks_the_readers_language(base, reader, name):
    path = PAGE_TYPES[name]
    reader.goto(base + path + ("&" if "?" in path else "?") + f"lang={reader.lang}")
    assert reader.evaluate("() => document.documentElement.lang") == reader.lang
    text = re.sub(r"https?://\S+", " ", reader.evaluate(PAGE_TEXT))  # a permalink's path is not prose
    words = foreign_words(reader.lang)
    found = sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
    where = [
        text[max(0, m.start() - 80) : m.end() + 40] for w in found for m in re.finditer(re.escape(w), text)
    ][:3]
    assert not found, f"{name} ({reader.lang}) shows {found}: {where}"
    assert not re.search(r"\bteh:\w", text), f"{name} shows teh: jargon"


@pytest.mark.parametrize("name", ENTITY_TYPES)
def test_entity_pages_never_use_a_slug_as_a_title_or_link_text(base, reader, name, asserted):
    reader.goto(base + PAGE_TYPES[name] + f"?lang={reader.lang}")
    title = reader.locator("main h1").inner_text().strip()
    slug = PAGE_TYPES[name][len("/page/") :]
    assert title not in (slug, slug.rsplit("/", 1)[-1], str(ID) + slug)
    pairs = reader.evaluate(
        "() => [...document.querySelectorAll('main a[href^=\"/page/\"]')]"
        ".map(a => [a.pathname, a.textContent.trim()])"
    )
    assert pairs
    for href, text in pairs:
        tail = href[len("/page/") :]
        names = {str(o) for o in asserted.objects(URIRef(str(ID) + tail)) if isinstance(o, Literal)}
        slug_like = text in (tail, tail.rsplit("/", 1)[-1]) and text not in names  # « minors » is a label
        assert text and not slug_like, f"{name}: link {href} reads « {text} »"


def test_an_assessment_has_an_english_title_composed_from_its_parts(base, reader, asserted):
    """The data names assessments in French only: English pages compose « Assessment by … »."""
    path = PAGE_TYPES["assessment"]
    iri = URIRef(str(ID) + path[len("/page/") :])
    reader.goto(base + path + f"?lang={reader.lang}")
    title = reader.locator("main h1").inner_text()
    french = {str(o) for o in asserted.objects(iri, RDFS.label) if o.language == "fr"}
    if reader.lang == "fr":
        assert title in french
    else:
        author = next(asserted.objects(iri, TEH.assessedBy))
        english = {str(o) for o in asserted.objects(author, RDFS.label) if o.language == "en"}
        assert title not in french and title.startswith("Assessment by ")
        assert any(name in title for name in english)
        assert reader.locator("main h1[lang]").count() == 0


def test_french_only_titles_are_marked_as_french_on_english_pages(base, reader):
    """A figure's label is a French quote: on an English page its link says it is French."""
    reader.goto(base + "/search/?q=Balkans&lang=" + reader.lang)
    marked = reader.locator("a.hit-label[lang=fr]")
    assert (marked.count() > 0) == (reader.lang == "en")


def acronym_bearers(asserted, text: str) -> set[str]:
    """The resources whose acronym (or short name) in the data is `text`: what the reader means."""
    return {
        str(s)
        for p in (SKOS.altLabel, RDFS.label)
        for s, o in asserted.subject_objects(p)
        if isinstance(o, Literal) and str(o) == text
    }


@pytest.mark.parametrize(
    ("text", "acronym"),
    [("CCEM", "CCEM"), ("MIPROF", "MIPROF"), ("acse", "Ac.Sé"), ("AcSé", "Ac.Sé"), ("Ac-Sé", "Ac.Sé")],
)
def test_the_header_box_finds_the_organisation_first(base, browser, asserted, text, acronym):
    """Issue 16's cases, as a reader types them in the header's box and presses Enter."""
    expected = acronym_bearers(asserted, acronym)
    assert expected
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/")
    page.fill("#site-search", text)
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/**")
    first = page.locator("ol.results li.hit a.hit-label").first
    assert str(ID) + first.get_attribute("href").split("?")[0][len("/page/") :] in expected
    assert page.locator("ol.results li.hit").count() > 1  # what mentions it follows
    context.close()


def test_plurals_and_hyphens_find_and_marks_show_why(base, browser):
    """« référents préfecture »: the plural and the singular are one word, the match is marked."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/search/?q=r%C3%A9f%C3%A9rents+pr%C3%A9fecture")
    hits = page.locator("ol.results li.hit")
    assert hits.count() > 0
    marked = page.locator("ol.results mark").all_inner_texts()
    assert any(m.lower().startswith("référent") for m in marked)
    assert any(m.lower().startswith("préfecture") for m in marked)
    context.close()


def test_a_misspelling_suggests_and_the_suggestion_finds(base, browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/search/?q=prefectre")
    suggestion = page.locator("p.suggestions a").first
    suggestion.click()
    page.wait_for_url("**/search/**")
    assert page.locator("ol.results li.hit").count() > 0
    context.close()


def test_type_ahead_offers_the_organisation_and_opens_it(base, browser, asserted):
    expected = acronym_bearers(asserted, "MIPROF")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/")
    page.locator("#site-search").press_sequentially("MIPR", delay=40)
    option = page.locator("[role=option]").first
    option.wait_for()
    assert page.locator("#site-search").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/page/**")
    assert str(ID) + page.url.split("/page/", 1)[1].split("?")[0] in expected
    context.close()
