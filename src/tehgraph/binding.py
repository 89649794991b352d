"""Binding parameters as RDF terms through a VALUES block in the outermost group.

Why not the engines' own binding APIs: pyoxigraph substitutes only projected variables, and a
remote endpoint has none at all. A VALUES block holding terms serialised by rdflib (`n3()`
escapes quotes and rejects nothing it cannot write) works the same on every SPARQL 1.1 engine,
and the value can never become query syntax.
"""

from __future__ import annotations

import functools
import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import ParameterError, QueryError

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_BAD_IRI_CHARS = re.compile(r"[<>\"{}|^`\\\s]")
# Keywords are found in the masked text (comments, strings and IRIs blanked out, same length);
# what follows them is read in the original text, where the IRIs still are.
_FROM = re.compile(r"(?<![\w:?$])FROM\b", re.IGNORECASE)
_GRAPH_NAME = re.compile(
    r"\s+(?:NAMED\s+)?(<[^<>\s]*>|[A-Za-z_][\w.-]*:[^\s{}()]*|:[^\s{}()]*)", re.IGNORECASE
)
_WHERE_BEFORE = re.compile(r"\bWHERE\s*$", re.IGNORECASE)
_CONSTRUCT = re.compile(r"(?<![\w:?$])CONSTRUCT\b", re.IGNORECASE)
_RELATIVE_HINT = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\"{}|^`\\\s]*>")
_BASE = re.compile(r"(?<![\w:?$])BASE\b", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TAIL = re.compile(r"(?<![\w:?$])(ORDER|GROUP|HAVING|LIMIT|OFFSET|VALUES)\b", re.IGNORECASE)


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
    """Index just after the `{` that opens the query's WHERE group (strings, IRIs, comments skipped).

    The texts bound with parameters are the catalog's and the pages' own, a few dozen, bound again
    at every page: their answer is remembered (texts of ordinary size only, so memory stays small).
    """
    if len(query) <= _REMEMBERED_LENGTH:
        return _remembered_group_start(query)
    return _find_group_start(query)


_REMEMBERED_LENGTH = 20_000


@functools.lru_cache(maxsize=256)
def _remembered_group_start(query: str) -> int:
    return _find_group_start(query)


def _find_group_start(query: str) -> int:
    masked = mask_syntax(query)
    is_construct = re.search(r"\bCONSTRUCT\b", masked, re.IGNORECASE) is not None
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


_FROM = re.compile(r"(?<![\w:?$])FROM\b", re.IGNORECASE)


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED, outside strings and IRIs)."""
    return "FROM" in query.upper() and _FROM.search(mask_syntax(query)) is not None


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


def with_dataset(query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> str:
    """`query` whose FROM / FROM NAMED clauses are replaced by the protocol-specified dataset.

    SPARQL 1.1 Protocol §2.1.4: when default-graph-uri or named-graph-uri is given, it overrides
    the dataset of the query. Writing it as FROM clauses works on every SPARQL engine, embedded
    or remote, where an engine-specific dataset API would not.
    """
    if not default_graphs and not named_graphs:
        return query
    for iri in (*default_graphs, *named_graphs):
        if re.search(r"[<>\"{}|^`\\\s]", iri) or not iri:
            raise QueryError(f"Not a valid graph IRI: {iri!r}")
    masked = mask_syntax(query)
    spans = []
    for match in _FROM.finditer(masked):
        name = _GRAPH_NAME.match(query, match.end())
        if name:
            spans.append((match.start(), name.end()))
    for start, end in reversed(spans):
        query, masked = query[:start] + query[end:], masked[:start] + masked[end:]
    clauses = " ".join(
        [*(f"FROM <{g}>" for g in default_graphs), *(f"FROM NAMED <{g}>" for g in named_graphs)]
    )
    at = _dataset_position(masked)
    return f"{query[:at]} {clauses} {query[at:]}"


def _dataset_position(masked: str) -> int:
    """Where dataset clauses go: just before the WHERE group (after a CONSTRUCT template)."""
    braces = _top_level_braces(masked)
    construct = _CONSTRUCT.search(masked)
    if construct and braces:
        short_form = re.search(r"\bWHERE\b", masked[construct.end() : braces[0]], re.IGNORECASE)
        group = braces[0] if short_form or len(braces) < 2 else braces[1]
    elif braces:
        group = braces[0]
    else:  # DESCRIBE <x> without WHERE: before solution modifiers, or at the end
        tail = _TAIL.search(masked)
        return tail.start() if tail else len(masked)
    where = _WHERE_BEFORE.search(masked[:group])
    return where.start() if where else group


def _top_level_braces(masked: str) -> list[int]:
    positions, depth = [], 0
    for index, char in enumerate(masked):
        if char == "{":
            if depth == 0:
                positions.append(index)
            depth += 1
        elif char == "}":
            depth -= 1
    return positions


def needs_base(query: str) -> bool:
    """True when the query writes a relative IRI (`<s>`) and declares no BASE of its own.

    Engines such as Oxigraph refuse relative IRIs without a base, while the protocol tests expect
    `CONSTRUCT { <s> <p> 1 } WHERE {}` to run. rdflib's parser tells real IRIs from `<` operators;
    it only runs when a cheap look at the text finds something that could be a relative IRI.
    """
    if not _RELATIVE_HINT.search(query) or _BASE.search(mask_syntax(query)):
        return False
    from rdflib.plugins.sparql.parser import parseQuery  # here: its grammar takes ~0.2 s to build

    try:
        parsed = parseQuery(query)
    except Exception:  # the engine will report the syntax error with its own message
        return False
    return any(not _SCHEME.match(str(iri)) for iri in _iris(parsed))


def _iris(node):
    if isinstance(node, URIRef):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _iris(value)
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
        for value in node:
            yield from _iris(value)
