"""« Cite this »: what an advocacy note or a rapporteur's report needs to cite a page reproducibly.

Every entity page and saved-query result shows a box (templates/_cite.html, included with one line
by their templates) with the title, the version of the data and its date, a permalink carrying the
version, and the same in BibTeX and CSL-JSON. The permalink is the page's address with
`version=`: the app serves one build, so a link opened after a later build says which version it
cited and which one it shows (the versions page says what changed). CSL-JSON is plain JSON; the
BibTeX entry is one template (cite.bib) whose text fields are escaped for LaTeX here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from flask import render_template, request, url_for

from ..errors import ParameterError
from ..namespaces import ID, expand
from .helpers import state
from .i18n import current_language, translate
from .releases import current_release

# LaTeX's special characters in BibTeX text fields.
_LATEX = {c: "\\" + c for c in "&%$#_{}"} | {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\^{}",
}


@dataclass(frozen=True)
class Citation:
    title: str
    version: str
    issued: str | None  # the build's day
    url: str  # the permalink
    iri: str | None  # the resource's IRI (entity pages)
    key: str
    asked_version: str | None  # the version of the link that was opened, when it is not this one

    @property
    def bibtex(self) -> str:
        return render_template("cite.bib", c=self).strip() + "\n"

    @property
    def csl(self) -> str:
        item = {
            "id": self.key,
            "type": "dataset",
            "title": self.title,
            "container-title": translate("site_name"),
            "publisher": "tehgraph",
            "author": [{"literal": "tehgraph"}],
            "version": self.version,
            "URL": self.url,
            "accessed": _parts(date.today().isoformat()),
        }
        if self.issued:
            item["issued"] = _parts(self.issued)
        return json.dumps([item], ensure_ascii=False, indent=2)


def cite_this() -> Citation | None:
    """The citation of the page being rendered (an entity page or a saved query), else None."""
    st, lang, release = state(), current_language(), current_release()
    args = {k: v for k, v in request.args.items() if k != "version"}
    view = request.view_args or {}
    if request.endpoint == "entity.page":
        iri = str(ID) + view["path"]
        title, iri_text, stem = st.label(iri, lang), iri, view["path"]
    elif request.endpoint == "saved.page" and view.get("slug") in st.catalog:
        saved = st.catalog[view["slug"]]
        values = [f"{p.name} = {_value(args[p.name], lang)}" for p in saved.params if args.get(p.name)]
        title = saved.label(lang) + (f" ({', '.join(values)})" if values else "")
        iri_text, stem = None, "query-" + view["slug"]
    else:
        return None
    url = url_for(request.endpoint, **view, **args, version=release.version, _external=True)
    asked = request.args.get("version")
    return Citation(
        title=title,
        version=release.version,
        issued=release.built_at[:10] if release.built_at else None,
        url=url,
        iri=iri_text,
        key="tehgraph-" + re.sub(r"[^A-Za-z0-9]+", "-", f"{stem}-{release.version}").strip("-"),
        asked_version=asked[:100] if asked and asked != release.version else None,
    )


def _value(raw: str, lang: str) -> str:
    """A parameter as readers know it: the label of an IRI, else the text given."""
    try:
        return state().label(expand(raw), lang)
    except ParameterError:
        return raw


def latex(text: object) -> str:
    """A text field of a BibTeX entry: LaTeX's special characters escaped (URLs are kept verbatim)."""
    return "".join(_LATEX.get(c, c) for c in str(text))


def _parts(day: str) -> dict:
    return {"date-parts": [[int(part) for part in day[:10].split("-")]]}
