"""The hostile queries of issue 18, in one place: the attack tests and benchmarks/attacks.py send them.

Each is a plain text (or a function of the recording server's URL) that once got through or cost
the server too much; the tests assert that a real `tehgraph serve` refuses or bounds it, the
benchmark times how fast and at what memory.
"""

from __future__ import annotations

# The parser differential: rdflib expands \u escapes over the whole text (the two \u0022 become
# quotes and swallow the SERVICE into a string), Oxigraph only inside strings and IRIs.
BYPASS = 'SELECT * WHERE {{ BIND("\\u0022" AS ?a) SERVICE <{url}x> {{ ?x ?y ?z }} BIND("\\u0022" AS ?b) }}'


def service_bypass(url: str) -> str:
    """The SERVICE bypass aimed at `url` (a recording server's base URL, ending in /)."""
    return BYPASS.format(url=url)


def slow_parse(disjuncts: int = 1500) -> str:
    """An ~18 kB query whose parse and relative-IRI resolution took 10-45 s in the request thread."""
    condition = "||".join(f"?c=<x{i}>" for i in range(disjuncts))
    return f"SELECT * WHERE {{ ?s ?p ?c FILTER({condition}) }}"


def huge_strings(levels: int = 7, rows: int = 10) -> str:
    """`rows` rows each holding a string of 10**(levels+1) characters, built by nested REPLACE."""
    text = '"aaaaaaaaaa"'
    for _ in range(levels):
        text = f'REPLACE({text}, "a", "aaaaaaaaaa")'
    values = " ".join(str(i) for i in range(rows))
    return f"SELECT ?i ?x WHERE {{ VALUES ?i {{ {values} }} BIND({text} AS ?x) }}"


# A cross product of all triples, three times over: never finishes on any engine.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
UNKNOWN_FUNCTION = "SELECT * WHERE { BIND(<urn:f>(1) AS ?x) }"
# A predicate RDF/XML cannot write: no split into a namespace and an XML name.
UNSPLITTABLE = "CONSTRUCT { <urn:x:s> <http://example.org/1> 1 } WHERE {}"
NAN = 'SELECT ?x ?y WHERE { BIND(xsd:double("NaN") AS ?x) BIND(xsd:double("INF") AS ?y) }'
CARRIAGE_RETURN = 'SELECT ?x WHERE { BIND("a\\rb" AS ?x) }'


def deep_nesting(depth: int = 2000) -> str:
    """A valid query nested `depth` groups deep (a recursive-descent parser's stack)."""
    return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o " + "} " * depth + "LIMIT 1"


def large_valid(characters: int = 38_000) -> str:
    """A valid query of about `characters` characters (clients send such queries by POST)."""
    values = []
    size, i = 0, 0
    while size < characters:
        item = f"<https://w3id.org/tehgraph/id/x/{i}>"
        values.append(item)
        size += len(item) + 1
        i += 1
    return f"SELECT ?s WHERE {{ VALUES ?s {{ {' '.join(values)} }} }} LIMIT 1"


def smuggled_request() -> bytes:
    """A POST with both Content-Length and Transfer-Encoding, a second request hidden in its body."""
    hidden = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n"
    chunked = b"0\r\n\r\n" + hidden
    return (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % len(chunked)
    ) + chunked
