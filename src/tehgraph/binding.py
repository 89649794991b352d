"""Binding parameters as RDF terms through a VALUES block in the outermost group.

Why not the engines' own binding APIs: pyoxigraph substitutes only projected variables, and a
remote endpoint has none at all. A VALUES block holding terms serialised by rdflib (`n3()`
escapes quotes and rejects nothing it cannot write) works the same on every SPARQL 1.1 engine,
and the value can never become query syntax.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import ParameterError, QueryError

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_BAD_IRI_CHARS = re.compile(r"[<>\"{}|^`\\\s]")


def term_text(term: Node) -> str:
    """The SPARQL text of a term; refuses IRIs that could not be written safely."""
    if isinstance(term, URIRef):
        if _BAD_IRI_CHARS.search(str(term)):
            raise ParameterError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise ParameterError("blank nodes cannot be bound as parameters")
    raise ParameterError(f"cannot bind {term!r}")


def _outer_group_start(query: str) -> int:
    """Index just after the `{` that opens the query's WHERE group (strings, IRIs, comments skipped)."""
    is_construct = re.search(r"\bCONSTRUCT\b", mask_syntax(query), re.IGNORECASE) is not None
    masked = mask_syntax(query)
    if is_construct:
        where = re.search(r"\bWHERE\b", masked, re.IGNORECASE)
        if where is None:
            raise QueryError("CONSTRUCT query without WHERE cannot take parameters")
        brace = masked.find("{", where.end())
    else:
        brace = masked.find("{")
    if brace < 0:
        raise QueryError("query has no WHERE group")
    return brace + 1


def mask_syntax(query: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), for searching syntax."""
    out = list(query)
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            end = n if end < 0 else end
            out[i:end] = " " * (end - i)
            i = end
        elif ch in "'\"":
            quote = ch * 3 if query.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            end = min(n, j + len(quote))
            out[i:end] = " " * (end - i)
            i = end
        elif ch == "<" and (m := _IRI.match(query, i)):
            out[i : m.end()] = " " * (m.end() - i)
            i = m.end()
        else:
            i += 1
    return "".join(out)


def bind_values(query: str, bindings: dict[str, Node] | None) -> str:
    """`query` with VALUES at the start of its WHERE group binding each variable.

    One single-valued block per variable (`VALUES ?a { x } VALUES ?b { y }`), the same solution as
    one row of several variables, which Virtuoso 7.2 fails to compile beside an OPTIONAL.
    """
    if not bindings:
        return query
    for name in bindings:
        if not _VARIABLE.match(name):
            raise ParameterError(f"not a variable name: {name!r}")
    block = "".join(f" VALUES ?{name} {{ {term_text(term)} }}" for name, term in bindings.items()) + " "
    at = _outer_group_start(query)
    return query[:at] + block + query[at:]
