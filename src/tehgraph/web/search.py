"""Search over labels, acronyms, titles and quotes, ignoring case and accents; results by class.

SPARQL has no accent folding, so the texts are read once (queries/search-texts.rq) and folded
here with Unicode decomposition: « réflexion », « REFLEXION » and « reflexion » all match.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from flask import Blueprint, render_template, request

from .helpers import natural_key, state, table_download, wanted_format
from .i18n import current_language
from .state import WebState

bp = Blueprint("search", __name__, url_prefix="/search")

FIELD_RANK = {"label": 0, "altLabel": 1, "title": 2, "quote": 3}
MAX_QUERY = 200


def fold(text: str) -> str:
    """Lower case without accents or ligatures, whitespace collapsed: the form searched."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Hit:
    iri: str
    field: str
    text: str


def search_index(st: WebState) -> list[tuple[str, str, str, str]]:
    """(folded text, IRI, field, original text) for every searchable text; built on first search."""
    return st.cache.get(("search-index",), lambda: _fold_texts(st))


def _fold_texts(st: WebState) -> list[tuple[str, str, str, str]]:
    return [(fold(str(text)), str(s), str(f), str(text)) for s, text, f in st.run("search-texts").rows]


def search(st: WebState, query: str) -> list[Hit]:
    """Resources whose texts contain every word of the query; best field per resource."""
    words = fold(query).split()
    if not words:
        return []
    best: dict[str, Hit] = {}
    for folded, iri, field, text in search_index(st):
        if all(word in folded for word in words):
            current = best.get(iri)
            # Ties within a field go to the first text in code-point order, not to the first row:
            # the rows come in the store's order, which differs between engines (Virtuoso's, ours).
            if current is None or (FIELD_RANK.get(field, 9), text) < (
                FIELD_RANK.get(current.field, 9),
                current.text,
            ):
                best[iri] = Hit(iri, field, text)
    return list(best.values())


def grouped(st: WebState, hits: list[Hit], lang: str) -> list[tuple[str, list[Hit]]]:
    """Hits grouped by their most specific class, groups largest first, hits by label."""
    groups: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        groups[st.most_specific_type(hit.iri) or ""].append(hit)
    return [
        (cls, sorted(items, key=lambda h: natural_key(st.label(h.iri, lang))))
        for cls, items in sorted(
            groups.items(), key=lambda kv: (-len(kv[1]), natural_key(st.label(kv[0], lang)))
        )
    ]


@bp.get("/")
def results():
    st, lang = state(), current_language()
    query = request.args.get("q", "")[:MAX_QUERY]
    hits = search(st, query)
    groups = grouped(st, hits, lang)
    fmt = wanted_format()
    if fmt:
        rows = [
            {
                "iri": h.iri,
                "label": st.label(h.iri, lang),
                "class": st.label(cls, lang) if cls else "",
                "field": h.field,
                "text": h.text,
            }
            for cls, items in groups
            for h in items
        ]
        return table_download(["iri", "label", "class", "field", "text"], rows, fmt, "search")
    return render_template("search.html", query=query, groups=groups, total=len(hits))
