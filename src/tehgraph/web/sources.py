"""Source documents: the full text with line numbers, quoted passages highlighted and anchored, and
the evidence block for any lines a curator selects.

A line is `#L120`; a quoted range also has the anchor `#L120-L122` on its first line, so the
links of evidence (helpers.source_url) land on the passage. The page is the whole text, kept light
(one list item per line, numbers drawn by CSS) and cut into blocks the browser lays out only when
they come into view (CSS content-visibility), so a 3,700-line document opens fast and every
anchor still works without a script. `/source/<doc>/cite?lines=120-122&phrase=…` gives the block
`tehgraph cite` prints (tehgraph.curate.cite), as JSON for the page's script (source.js) or as a
page when the form is sent without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, abort, jsonify, render_template, request

from ..curate import CurateError, LocatorError, PhraseNotFoundError, cite
from ..curate.cite import parse_lines
from ..errors import LoadError
from ..namespaces import ID
from .helpers import state
from .i18n import translate

bp = Blueprint("sources", __name__, url_prefix="/source")

BLOCK = 200  # lines per block laid out on its own (source.css: content-visibility)
MAX_PHRASE = 2000  # characters of a phrase to cite


@dataclass
class Line:
    number: int
    text: str
    quoted: bool = False
    anchors: list[str] = field(default_factory=list)  # range anchors starting here
    claims: list[str] = field(default_factory=list)  # claims citing a passage starting here


def source_text(project_dir: Path, relative: str) -> str | None:
    """The text of a source file, only from inside the project's data/sources/ folder."""
    folder = (Path(project_dir) / "data" / "sources").resolve()
    path = (Path(project_dir) / relative).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def annotate(text: str, passages: list[dict]) -> list[Line]:
    """Lines of the text, with the quoted ones marked and each passage's anchor on its first line."""
    lines = [Line(n, content) for n, content in enumerate(text.splitlines(), start=1)]
    for passage in passages:
        start = int(passage["start"])
        end = int(passage.get("end", start))
        if not 1 <= start <= len(lines):
            continue
        for line in lines[start - 1 : min(end, len(lines))]:
            line.quoted = True
        first = lines[start - 1]
        if end != start and f"L{start}-L{end}" not in first.anchors:
            first.anchors.append(f"L{start}-L{end}")
        if passage.get("claim") is not None and str(passage["claim"]) not in first.claims:
            first.claims.append(str(passage["claim"]))
    return lines


def blocks(lines: list[Line], size: int = BLOCK) -> list[list[Line]]:
    return [lines[i : i + size] for i in range(0, len(lines), size)]


def document(slug: str) -> tuple[str, dict, str]:
    """The document's IRI, its description and its text; 404 when the corpus has no such text."""
    st = state()
    doc = f"{ID}doc/{slug}"
    info = st.run("source-doc", s=doc).records()
    text = source_text(st.settings.project_dir, str(info[0]["file"])) if info and "file" in info[0] else None
    if text is None:
        abort(404, description=translate("no_source_text", slug=slug))
    return doc, info[0], text


@bp.get("/")
def index():
    return render_template("sources_index.html", docs=state().run("sources").records())


@bp.get("/<slug>")
def page(slug: str):
    doc, info, text = document(slug)
    lines = annotate(text, state().run("source-passages", s=doc).records())
    return render_template(
        "source.html",
        doc=doc,
        slug=slug,
        info=info,
        blocks=blocks(lines),
        count=len(lines),
        quoted=sum(1 for line in lines if line.quoted),
    )


@bp.get("/<slug>/cite")
def evidence(slug: str):
    """The evidence block for `lines` (120 or 120-122) of the document, optionally of `phrase` only."""
    doc, _, text = document(slug)
    count = len(text.splitlines())
    asked = request.args.get("lines", "").strip()[:40]
    phrase = " ".join(request.args.get("phrase", "")[:MAX_PHRASE].split()) or None
    try:
        first, last = parse_lines(asked)
        found = cite(state().settings.project_dir, slug, first, last, phrase)
    except PhraseNotFoundError as error:
        where = [{"start": o.start, "end": o.end} for o in error.elsewhere if o.source.slug == slug]
        message = translate("cite_not_there", lines=asked) + " " + _elsewhere(where, len(error.elsewhere))
        return _answer(slug, {"error": message, "detail": str(error), "elsewhere": where}, 400)
    except LocatorError as error:
        return _answer(slug, {"error": translate("cite_bad_lines", n=count), "detail": str(error)}, 400)
    except (CurateError, LoadError) as error:  # the document is not in data/sources.ttl, or unreadable
        return _answer(slug, {"error": translate("cite_unavailable"), "detail": str(error)}, 404)
    return _answer(
        slug,
        {
            "block": found.as_turtle(),
            "quote": found.quote,
            "start": found.start,
            "end": found.end,
            "evidence": found.evidence,
            "already": list(found.already),
            "document": doc,
            "date": str(found.source.date) if found.source.date is not None else None,
        },
        200,
    )


def _elsewhere(where: list[dict], total: int) -> str:
    if where:
        spans = ", ".join(str(w["start"]) + ("" if w["start"] == w["end"] else f"-{w['end']}") for w in where)
        return translate("cite_found_at", lines=spans)
    return translate("cite_found_other_documents", n=total) if total else translate("cite_found_nowhere")


def _answer(slug: str, data: dict, status: int):
    """JSON for the page's script; a page for a browser that sent the form without it."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json":
        return jsonify(data), status
    return render_template("source_cite.html", slug=slug, answer=data, args=request.args), status
