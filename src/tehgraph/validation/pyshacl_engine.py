"""pySHACL, the reference engine: every shape SHACL defines, slower (the fast engine is tested against it)."""

from __future__ import annotations

from pyshacl import validate
from rdflib import Graph


def pyshacl_report(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """(conforms, report graph) of pySHACL on a private copy of the data (it is validated in place)."""
    conforms, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # data is already a private copy: skip pySHACL's clone of it
    )
    return bool(conforms), report
