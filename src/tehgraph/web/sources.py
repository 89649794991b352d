"""Source documents: the full text with line numbers, quoted passages highlighted and anchored.

A line is `#L120`; a quoted range also has the anchor `#L120-L122` on its first line, so the
links of evidence (helpers.source_url) land on the passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, abort, render_template

from ..namespaces import ID
from .helpers import state
from .i18n import translate

bp = Blueprint("sources", __name__, url_prefix="/source")


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


@bp.get("/")
def index():
    return render_template("sources_index.html", docs=state().run("sources").records())


@bp.get("/<slug>")
def page(slug: str):
    st = state()
    doc = f"{ID}doc/{slug}"
    info = st.run("source-doc", s=doc).records()
    if not info or "file" not in info[0]:
        abort(404, description=translate("no_source_text", slug=slug))
    text = source_text(st.settings.project_dir, str(info[0]["file"]))
    if text is None:
        abort(404, description=translate("no_source_text", slug=slug))
    lines = annotate(text, st.run("source-passages", s=doc).records())
    return render_template(
        "source.html", doc=doc, info=info[0], lines=lines, quoted=sum(1 for line in lines if line.quoted)
    )
