"""The queries of one browse listing (a class, its facets, filters, a sort): the store sorts,
cuts, counts and groups, so a page reads one page of rows whatever the size of the class.

Rows are sorted by a key the store computes the way pages name things (state.py): the label in
the page's language (a measure's with its plan's years, « Mesure 8 (PAN 2014-2016) : … »), else,
for what has none, the name its caption starts with (a statement's document and lines, a
membership's member, an attendance's attendee), else the label in the other language, else the
IRI's tail; lower-cased, with its first number padded with zeros so that « Mesure 2 » comes before
« Mesure 10 » (the natural order the pages used to sort in Python). Ties are broken by IRI, so
that pages never overlap. Facet and filter texts are bound as RDF terms (binding.term_text),
never pasted as syntax; facet paths come from facets.json, checked when browse.py loads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Literal, URIRef

from ..binding import term_text
from ..namespaces import ID, ORG, TEH, sparql_prologue
from .state import ABSOLUTE_IRI, WebState, most_specific

INFERRED = "<https://w3id.org/tehgraph/graph/inferred>"
SHOWN_VALUES = 25  # values of a facet shown, most frequent first
MAX_TIED = 1000  # values as frequent as the last shown, among which names decide (else IRIs)
NAME = "rdfs:label|skos:prefLabel"
# What names a resource named by its caption: a statement's document, a member, an attendee.
CAPTIONED = {
    str(TEH.Evidence): "teh:statedIn",
    str(ORG.Membership): "org:member",
    str(TEH.Attendance): "teh:attendee",
}


def literal(text: str) -> str:
    return term_text(Literal(text))


def number(var: str) -> str:
    """A run of digits (or "") padded to 10 digits after a mark below every printable character:
    « 8 » comes before « 10 », and « Mesure 8 » before « Mesure 8 bis » and « Mesures »."""
    return f'IF({var} = "", "", CONCAT("\\u0001", SUBSTR("0000000000", 1, 10 - STRLEN({var})), {var}))'


def natural(text: str, p: str) -> tuple[str, str]:
    """(binds, expression): `text` (a variable) with its first two runs of digits padded.

    Each run is found by two REPLACEs anchored at the start whose match ends at a digit, and the
    parts are cut by length: Virtuoso 7.2 refuses a pattern that can match an empty string (every
    class listing over it answered 502) and, on a stored text with a non-ASCII character, adds the
    text's last characters to a match that runs to its end (`.*$`: the Measure listing sorted on
    « mesure ts 0000000001ts »). A text without digits is taken whole."""
    binds = []
    for part, source in (("1", text), ("2", f"?{p}r1")):
        digits = f'REGEX({source}, "[0-9]")'
        binds += [
            # from the first digit on, and after the first run of digits
            f'BIND(IF({digits}, REPLACE({source}, "^[^0-9]*([0-9])", "$1"), "") AS ?{p}d{part})',
            f'BIND(IF({digits}, REPLACE({source}, "^[^0-9]*[0-9]+", ""), "") AS ?{p}r{part})',
            f"BIND(SUBSTR({source}, 1, STRLEN({source}) - STRLEN(?{p}d{part})) AS ?{p}a{part})",
            f"BIND(SUBSTR(?{p}d{part}, 1, STRLEN(?{p}d{part}) - STRLEN(?{p}r{part})) AS ?{p}n{part})",
        ]
    expression = f"CONCAT(?{p}a1, {number(f'?{p}n1')}, ?{p}a2, {number(f'?{p}n2')}, ?{p}r2)"
    return "\n      ".join(binds), expression


def measure_label(label: str, p: str, lang: str) -> str:
    """A measure's label with its plan's years, as state.name_measure writes it."""
    if lang == "fr":
        years = f'CONCAT("Mesure $1 (PAN ", STR(?{p}sy), "-", STR(?{p}ey), ") :")'
        return f'COALESCE(REPLACE({label}, "^Mesure ([0-9]+) :", {years}), {label})'
    if lang == "en":
        years = f'CONCAT("Measure $1 (NAP ", STR(?{p}sy), "-", STR(?{p}ey), "):")'
        return f'COALESCE(REPLACE({label}, "^Measure ([0-9]+):", {years}), {label})'
    return label


def name_key(var: str, p: str, lang: str, captioned: bool = False, measures: bool = True) -> tuple[str, str]:
    """(patterns, expression): the sort key of what `var` names (an IRI or a literal); `captioned`:
    `var` may be a resource named by its caption (a statement, a membership, an attendance);
    `measures`: it may be a measure, whose label names its plan."""
    other = "fr" if lang == "en" else "en"
    patterns = f"""
      OPTIONAL {{ {var} {NAME} ?{p}l FILTER(LANG(?{p}l) = {literal(lang)}) }}
      OPTIONAL {{ {var} {NAME} ?{p}o FILTER(LANG(?{p}o) = {literal(other)}) }}
      OPTIONAL {{ {var} {NAME} ?{p}u FILTER(LANG(?{p}u) = "") }}"""
    if measures:
        patterns += f"""
      OPTIONAL {{ {var} teh:inPlan ?{p}plan . ?{p}plan teh:startYear ?{p}sy ; teh:endYear ?{p}ey }}"""
    texts = [measure_label(f"STR(?{p}l)", p, lang)]
    lines = '""'
    if captioned:
        patterns += f"""
      OPTIONAL {{ {var} {captioned} ?{p}c
        OPTIONAL {{ ?{p}c {NAME} ?{p}cl FILTER(LANG(?{p}cl) = {literal(lang)}) }}
        OPTIONAL {{ ?{p}c {NAME} ?{p}co FILTER(LANG(?{p}co) = {literal(other)}) }} }}
      OPTIONAL {{ {var} teh:lineStart ?{p}start OPTIONAL {{ {var} teh:lineEnd ?{p}end }} }}"""
        texts += [f"STR(?{p}cl)", f"STR(?{p}co)"]
        start, end = f"STR(?{p}start)", f"STR(?{p}end)"
        lines = (
            f'IF(BOUND(?{p}l) || !BOUND(?{p}start), "", CONCAT(", l. ", {number(start)},'
            f' IF(BOUND(?{p}end) && ?{p}end != ?{p}start, CONCAT("–", {number(end)}), "")))'
        )
    tail = (
        f"IF(isLiteral({var}), STR({var}), IF(STRSTARTS(STR({var}), {literal(str(ID))}),"
        f' STRAFTER(STR({var}), {literal(str(ID))}), REPLACE(STR({var}), "^.*[#/]", "")))'
    )
    texts += [measure_label(f"STR(?{p}o)", p, other), f"STR(?{p}u)", tail]
    binds, padded = natural(f"?{p}text", p)
    patterns += f"""
      BIND(LCASE(COALESCE({", ".join(texts)})) AS ?{p}text)
      {binds}"""
    return patterns, f"CONCAT({padded}, {lines})"


@dataclass
class Listing:
    """One listing: the instances of `class_iri` that match `filters`, sorted by `sort`."""

    state: WebState
    class_iri: str
    facets: list[dict]
    filters: dict[str, str]
    sort: str
    descending: bool
    lang: str

    def _key(self, *parts: str) -> tuple[str, ...]:
        return (*parts, self.class_iri, json.dumps(sorted(self.filters.items()), ensure_ascii=False))

    def _query(self, text: str):
        return self.state.trusted.query(sparql_prologue() + text)

    def captioned(self) -> str | None:
        """What names the instances of the class when they are named by a caption (state.py)."""
        paths = [path for cls, path in CAPTIONED.items() if self.may_hold(cls)]
        return "|".join(paths) or None

    def may_hold(self, cls: str) -> bool:
        """Whether instances of `cls` can be instances of the class (a superclass or a subclass)."""
        ontology = self.state.ontology
        return cls in ontology.superclasses(self.class_iri) or self.class_iri in ontology.superclasses(cls)

    def _facet(self, key: str) -> dict:
        return next(f for f in self.facets if f["key"] == key)

    # --- the rows ------------------------------------------------------------------------------

    def base(self) -> str:
        """The patterns every query of the listing starts with: the class, then the filters."""
        lines = [f"?item a {term_text(URIRef(self.class_iri))} . FILTER(isIRI(?item))"]
        for n, (key, value) in enumerate(sorted(self.filters.items())):
            facet, var = self._facet(key), f"?filter{n}"
            if facet.get("kind"):
                lines.append(self._kind_filter(value, n))
            elif facet.get("count"):
                lines.append(
                    f"{{ SELECT ?item (COUNT(DISTINCT ?counted{n}) AS {var}) WHERE {{"
                    f" ?item a {term_text(URIRef(self.class_iri))} . ?item {facet['path']} ?counted{n} }}"
                    f" GROUP BY ?item }} FILTER(STR({var}) = {literal(value)})"
                )
            elif ABSOLUTE_IRI.match(value):
                lines.append(f"?item {facet['path']} {term_text(URIRef(value))} .")
            else:
                lines.append(
                    f"?item {facet['path']} {var} . FILTER(isLiteral({var}) && STR({var}) = {literal(value)})"
                )
        return "\n  ".join(lines)

    def _kind_filter(self, value: str, n: int) -> str:
        """Items whose most specific asserted type is `value`: they have it, and none of the types
        that win over it in the type sets of the class (the kind census)."""
        if not ABSOLUTE_IRI.match(value):
            return "FILTER(false)"
        beaten = self.winners_over(value)
        kind = term_text(URIRef(value))
        text = f"FILTER EXISTS {{ GRAPH ?kg{n} {{ ?item a {kind} }} FILTER(?kg{n} != {INFERRED}) }}"
        if beaten:
            others = ", ".join(term_text(URIRef(t)) for t in beaten)
            text += (
                f" FILTER NOT EXISTS {{ GRAPH ?ko{n} {{ ?item a ?other{n} }}"
                f" FILTER(?ko{n} != {INFERRED} && ?other{n} IN ({others})) }}"
            )
        return text

    def winners_over(self, kind: str) -> list[str]:
        """The types that are the kind of instances that also have type `kind` (their most specific)."""
        winners = {
            most_specific(self.state.ontology, types) for types, _ in self.census(False) if kind in types
        }
        return sorted(w for w in winners if w and w != kind)

    def total(self) -> int:
        """How many instances match the filters."""

        def count() -> int:
            found = self._query(f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {self.base()} }}")
            return int(found.rows[0][0])

        return self.state.cache.get(self._key("browse-total"), count)

    def page(self, limit: int | None, offset: int) -> list[str]:
        """The IRIs of rows offset..offset+limit in the listing's order (every row: limit None)."""
        patterns, expression = name_key(
            "?item", "n", self.lang, self.captioned(), self.may_hold(str(TEH.Measure))
        )
        sort_part = ""
        if self.sort != "label":
            facet = self._facet(self.sort)
            if facet.get("kind"):
                ranks = self.kind_ranks()
                table = " ".join(f"({term_text(URIRef(t))} {rank})" for t, rank in ranks.items())
                pairs = " ".join(
                    f"({term_text(URIRef(t))} {term_text(URIRef(w))})"
                    for t in ranks
                    for w in self.winners_over(t)
                )
                beaten = (
                    f" FILTER NOT EXISTS {{ GRAPH ?wg {{ ?item a ?winner }} FILTER(?wg != {INFERRED})"
                    f" VALUES (?stype ?winner) {{ {pairs} }} }}"
                    if pairs
                    else ""
                )
                sort_part = (
                    f"OPTIONAL {{ GRAPH ?sg {{ ?item a ?stype }} FILTER(?sg != {INFERRED})"
                    f" VALUES (?stype ?skey) {{ {table or '(UNDEF UNDEF)'} }}{beaten} }}"
                )
            elif facet.get("count"):
                sort_part = (
                    f"OPTIONAL {{ SELECT ?item (COUNT(DISTINCT ?sv) AS ?skey) WHERE {{"
                    f" ?item a {term_text(URIRef(self.class_iri))} . ?item {facet['path']} ?sv }}"
                    " GROUP BY ?item }"
                )
            else:
                value_patterns, value_key = name_key("?sv", "v", self.lang)
                bound = f"BIND({value_key} AS ?skey)"
                sort_part = f"OPTIONAL {{ ?item {facet['path']} ?sv . {value_patterns} {bound} }}"
        if self.sort == "label":
            order = "DESC(?key) DESC(STR(?item))" if self.descending else "?key STR(?item)"
        elif self.descending:
            order = "DESC(IF(BOUND(?skey), 0, 1)) DESC(?skey) ?key STR(?item)"
        else:
            order = "(IF(BOUND(?skey), 0, 1)) ?skey ?key STR(?item)"
        cut = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
        # DISTINCT after ORDER BY keeps each item at its first place: its least key ascending
        text = (
            f"SELECT DISTINCT ?item WHERE {{\n  {self.base()}\n  {patterns}\n  BIND({expression} AS ?key)\n"
            f"  {sort_part}\n}} ORDER BY {order} {cut}"
        )
        key = self._key("browse-page", self.sort, str(self.descending), self.lang, str(limit), str(offset))
        if limit is None:  # a download: every row, not kept
            return [str(i) for (i,) in self._query(text).rows]
        return self.state.cache.get(key, lambda: [str(i) for (i,) in self._query(text).rows])

    def kind_ranks(self) -> dict[str, int]:
        """The kinds of the class, numbered in the order of their names."""
        kinds = {most_specific(self.state.ontology, types) for types, _ in self.census(filtered=False)}
        self.state.learn(k for k in kinds if k)
        named = sorted((k for k in kinds if k), key=lambda k: (self.state.label(k, self.lang).casefold(), k))
        return {k: rank for rank, k in enumerate(named)}

    # --- facet values ------------------------------------------------------------------------

    def values(self, items: list[str] | None) -> dict[str, dict[str, list]]:
        """Facet key -> item -> its values, for `items` (None: every row of the listing, one
        query per facet, as a download needs them)."""
        found: dict[str, dict[str, list]] = {}
        scope = (
            self.base()
            if items is None
            else f"VALUES ?item {{ {' '.join(term_text(URIRef(i)) for i in items)} }}"
        )
        for facet in self.facets:
            values: dict[str, list] = {}
            if items == []:
                pass
            elif facet.get("kind"):
                values = self.kinds(items)
            elif facet.get("count"):
                rows = self._query(
                    f"SELECT ?item (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {scope}"
                    f" ?item {facet['path']} ?value }} GROUP BY ?item"
                ).rows
                values = {str(item): [str(int(n))] for item, n in rows}
            else:
                rows = self._query(
                    f"SELECT ?item ?value WHERE {{ {scope} ?item {facet['path']} ?value }}"
                ).rows
                for item, value in rows:
                    values.setdefault(str(item), []).append(value)
            found[facet["key"]] = values
        return found

    def kinds(self, items: list[str] | None) -> dict[str, list[str]]:
        """Item -> [its most specific asserted type], for `items` (None: every row)."""
        if items is not None:
            self.state.learn(items)
            kinds = {item: self.state.most_specific_type(item) for item in items}
        else:
            rows = self._query(
                f"SELECT ?item ?type WHERE {{ {self.base()}"
                f" GRAPH ?g {{ ?item a ?type }} FILTER(?g != {INFERRED}) }}"
            ).rows
            types: dict[str, set[str]] = {}
            for item, cls in rows:
                types.setdefault(str(item), set()).add(str(cls))
            kinds = {item: most_specific(self.state.ontology, found) for item, found in types.items()}
        return {item: [kind] for item, kind in kinds.items() if kind}

    # --- facet counts ------------------------------------------------------------------------

    def census(self, filtered: bool = True) -> list[tuple[frozenset[str], int]]:
        """How many matching instances have each set of asserted types (few sets per class)."""

        def count() -> list[tuple[frozenset[str], int]]:
            base = (
                self.base()
                if filtered
                else f"?item a {term_text(URIRef(self.class_iri))} . FILTER(isIRI(?item))"
            )
            rows = self._query(
                "SELECT ?types (COUNT(?item) AS ?n) WHERE { { SELECT ?item"
                ' (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types) WHERE {'
                f" {base} GRAPH ?g {{ ?item a ?type }} FILTER(?g != {INFERRED}) }} GROUP BY ?item }} }}"
                " GROUP BY ?types"
            ).rows
            merged: dict[frozenset[str], int] = {}
            for types, n in rows:
                key = frozenset(str(types).split(" "))
                merged[key] = merged.get(key, 0) + int(n)
            return sorted(merged.items(), key=lambda entry: sorted(entry[0]))

        key = self._key("browse-census") if filtered else ("browse-census", self.class_iri, "{}")
        return self.state.cache.get(key, count)

    def counts(self, facet: dict) -> list[tuple]:
        """(value, rows that have it) of the most frequent values of `facet` among matching rows."""

        def count() -> list[tuple]:
            if facet.get("kind"):
                tally: dict[str, int] = {}
                for types, n in self.census():
                    kind = most_specific(self.state.ontology, types)
                    if kind:
                        tally[kind] = tally.get(kind, 0) + n
                return [(URIRef(k), n) for k, n in tally.items()]
            if facet.get("count"):
                rows = self._query(
                    "SELECT ?value (COUNT(?item) AS ?n) WHERE { { SELECT ?item (COUNT(DISTINCT ?v) AS ?value)"
                    f" WHERE {{ {self.base()} ?item {facet['path']} ?v }} GROUP BY ?item }} }}"
                    f" GROUP BY ?value ORDER BY DESC(?n) ?value LIMIT {SHOWN_VALUES}"
                ).rows
                return [(str(int(value)), int(n)) for value, n in rows]
            groups = (
                f"SELECT ?value (COUNT(DISTINCT ?item) AS ?n) WHERE {{"
                f" {self.base()} ?item {facet['path']} ?value }} GROUP BY ?value"
            )
            top = self._query(f"{groups} ORDER BY DESC(?n) ?value LIMIT {SHOWN_VALUES}").rows
            if len(top) < SHOWN_VALUES:
                return [(value, int(n)) for value, n in top]
            least = int(top[-1][1])  # every value as frequent as the last shown may be shown
            tied = self._query(
                f"{groups} HAVING (COUNT(DISTINCT ?item) >= {least}) ORDER BY DESC(?n) ?value"
                f" LIMIT {MAX_TIED}"
            ).rows
            return [(value, int(n)) for value, n in tied]

        return self.state.cache.get(self._key("browse-facet", facet["key"], self.lang), count)
