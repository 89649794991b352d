"""The one table of formats: name, MIME type, file suffix and rdflib plugin name.

Accept headers, URL suffixes, the SPARQL endpoint, `export` and the dumps all read these dicts,
and the tests loop over them.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str
    mime: str
    suffix: str
    rdflib: str
    label: str
    w3c: str = ""  # local name under http://www.w3.org/ns/formats/ (service descriptions)

    @property
    def w3c_iri(self) -> str:
        return FORMATS_NS + self.w3c


# Serialisations of graphs (CONSTRUCT, DESCRIBE, entity pages, dumps of the merged graph).
GRAPH_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", "turtle", "Turtle", "Turtle"),
        Format("jsonld", "application/ld+json", "jsonld", "json-ld", "JSON-LD", "JSON-LD"),
        Format("ntriples", "application/n-triples", "nt", "nt11", "N-Triples", "N-Triples"),
        Format("rdfxml", "application/rdf+xml", "rdf", "xml", "RDF/XML", "RDF_XML"),
    )
}

# Serialisations of datasets (all named graphs).
DATASET_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("trig", "application/trig", "trig", "trig", "TriG", "TriG"),
        Format("nquads", "application/n-quads", "nq", "nquads", "N-Quads", "N-Quads"),
    )
}

# Serialisations of SELECT/ASK results (rdflib result serializers).
RESULT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "json", "application/sparql-results+json", "srj", "json", "SPARQL JSON", "SPARQL_Results_JSON"
        ),
        Format("xml", "application/sparql-results+xml", "srx", "xml", "SPARQL XML", "SPARQL_Results_XML"),
        Format("csv", "text/csv", "csv", "csv", "CSV", "SPARQL_Results_CSV"),
        Format("tsv", "text/tab-separated-values", "tsv", "tsv", "TSV", "SPARQL_Results_TSV"),
    )
}


def by_suffix(table: dict[str, Format], suffix: str) -> Format | None:
    return next((f for f in table.values() if f.suffix == suffix), None)


def by_mime(table: dict[str, Format], mime: str) -> Format | None:
    return next((f for f in table.values() if f.mime == mime), None)
