"""The source page as a curator uses it: select lines, get the block `tehgraph cite` prints, copy it.

Headless Chromium (Debian's, driven by Playwright) on a real `tehgraph serve .` started from the
project folder; the expected blocks are the library's own (`tehgraph.curate.cite`), the lines and
phrases taken from the data. axe-core (devtools/vendor/axe-core, `make vendor-axe`) checks the page
at desktop and phone width; at 390 px nothing in the page's content is wider than the screen.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect, sync_playwright

from devtools.browser import axe_violations, describe, install_axe, serve_project
from tehgraph.curate import cite

from .conftest import CHROMIUM, PROJECT_DIR

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(built):
    with serve_project(PROJECT_DIR, built.dist) as base:
        yield base


@pytest.fixture(scope="module")
def longest(store) -> dict:
    """The longest source document, and a quoted passage deep in it."""
    rows = store.query(
        "SELECT ?doc ?start ?end ?quote WHERE { ?e teh:statedIn ?doc ; teh:lineStart ?start ; "
        "teh:lineEnd ?end ; teh:quote ?quote . ?doc teh:sourceFile ?file } ORDER BY DESC(?start) LIMIT 1"
    ).records()
    row = rows[0]
    return {
        "slug": str(row["doc"]).rsplit("/", 1)[1],
        "start": int(row["start"]),
        "end": int(row["end"]),
        "quote": str(row["quote"]),
    }


@pytest.fixture(scope="module")
def browser(app):
    """Chromium, started after the in-process app: the app's query pool forks at creation and a
    fork made later would hold Playwright's pipe to its driver open, which then never exits."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture()
def new_page(browser, server):
    """Open pages in fresh contexts (French, clipboard allowed, axe ready), closed after the test."""
    contexts = []

    def opened(width: str = "desktop"):
        page, errors = _page(browser, server, width)
        contexts.append(page.context)
        return page, errors

    yield opened
    for context in contexts:
        context.close()


def _page(browser, server, width):
    w, h = WIDTHS[width]
    context = browser.new_context(locale="fr-FR", viewport={"width": w, "height": h})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    install_axe(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def click_number(page, line: int, shift: bool = False) -> None:
    """Click the line number drawn in the gutter of line `line` (left of its text)."""
    item = page.locator(f"#L{line}")
    item.scroll_into_view_if_needed()
    item.click(position={"x": 8, "y": 6}, modifiers=["Shift"] if shift else [])


def test_click_and_shift_click_give_the_block_tehgraph_cite_prints(server, new_page, longest):
    page, errors = new_page()
    page.goto(f"{server}/source/{longest['slug']}")
    first, last = longest["start"], longest["end"] + 2
    click_number(page, first)
    expected = cite(PROJECT_DIR, longest["slug"], first, first).as_turtle()
    expect(page.locator("#cite-block")).to_have_text(expected)
    click_number(page, last, shift=True)
    citation = cite(PROJECT_DIR, longest["slug"], first, last)
    expected = citation.as_turtle()
    expect(page.locator("#cite-block")).to_have_text(expected)
    assert page.locator("#cite-lines").input_value() == f"{first}-{last}"
    assert page.url.endswith(f"#L{first}-L{last}")
    # the lines quoted are marked (blank lines at the ends of a range are not quoted)
    assert page.locator(".source-text li.selected").count() == citation.end - citation.start + 1
    page.click("#cite-copy")
    expect(page.locator("#cite-status")).to_have_text("Bloc copié dans le presse-papiers.")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert errors == []


def test_by_keyboard_alone(server, new_page, longest):
    """Tab to the form, type the lines and the words, Enter: the block, then copy it."""
    page, errors = new_page()
    page.goto(f"{server}/source/{longest['slug']}")
    page.locator("#cite-lines").focus()
    page.keyboard.type(f"{longest['start']}-{longest['end']}")
    page.keyboard.press("Tab")
    expect(page.locator("#cite-phrase")).to_be_focused()
    words = " ".join(longest["quote"].split()[:6])
    page.keyboard.type(words.upper())  # typed in capitals: the source's own spelling is cited
    page.keyboard.press("Enter")
    expected = cite(PROJECT_DIR, longest["slug"], longest["start"], longest["end"], words.upper())
    expect(page.locator("#cite-block")).to_have_text(expected.as_turtle())
    assert words in page.locator("#cite-block").text_content()
    for _ in range(6):  # the buttons, the block, then its copy button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cite-copy":
            break
    page.keyboard.press("Enter")
    expect(page.locator("#cite-status")).to_have_text("Bloc copié dans le presse-papiers.")
    assert errors == []


def test_words_not_in_the_lines_say_where_they_are(server, new_page, longest):
    page, _ = new_page()
    page.goto(f"{server}/source/{longest['slug']}")
    page.fill("#cite-lines", "1-2")
    page.fill("#cite-phrase", " ".join(longest["quote"].split()[:6]))
    page.click("#cite-form button[type=submit]")
    status = page.locator("#cite-status")
    expect(status).to_contain_text("ne sont pas dans les lignes 1-2")
    expect(status).to_contain_text(str(longest["start"]))
    assert page.locator("#cite-result").is_hidden()


def test_a_deep_anchor_lands_on_its_lines_and_fills_the_form(server, new_page, longest):
    page, errors = new_page("phone")
    anchor = f"L{longest['start']}" + ("" if longest["start"] == longest["end"] else f"-L{longest['end']}")
    page.goto(f"{server}/source/{longest['slug']}#{anchor}")
    first = page.locator(f"#L{longest['start']}")
    expect(first).to_be_in_viewport()
    expect(first).to_have_class("quoted target")
    assert page.locator("#cite-lines").input_value() == anchor[1:].replace("L", "")
    assert errors == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_source_page_passes_axe_and_fits_the_screen(server, new_page, longest, width):
    page, errors = new_page(width)
    page.goto(f"{server}/source/{longest['slug']}")
    click_number(page, longest["start"])  # the block shown too
    expect(page.locator("#cite-result")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # The page's content (the site header is the pages' own) is never wider than the screen.
    wider = page.evaluate(
        "() => [...document.querySelectorAll('main, main *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert wider == []
    assert errors == []


# --- the endpoint and the page without a script ---------------------------------------------------


def test_the_page_has_one_item_per_line_and_a_form_that_works_without_script(client, longest):
    response = client.get(f"/source/{longest['slug']}")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert not soup.select("script:not([src])"), "no inline script"
    form = soup.select_one("form#cite-form")
    assert form["action"] == f"/source/{longest['slug']}/cite" and form["method"] == "get"
    page = client.get(form["action"], query_string={"lines": f"{longest['start']}-{longest['end']}"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    block = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("pre.cite-block").text
    assert block == cite(PROJECT_DIR, longest["slug"], longest["start"], longest["end"]).as_turtle()


@pytest.mark.parametrize("lines", ["", "abc", "0-3", "5-2", "1-99999"])
def test_bad_lines_are_a_400_in_the_readers_language(client, longest, lines):
    response = client.get(
        f"/source/{longest['slug']}/cite",
        query_string={"lines": lines},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["error"].startswith("Donnez une ligne")


def test_cite_for_an_unknown_document_is_a_404(client):
    response = client.get("/source/nowhere/cite?lines=1", headers={"Accept": "application/json"})
    assert response.status_code == 404
