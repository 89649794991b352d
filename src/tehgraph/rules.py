"""Build rules: facts computed from the asserted ones, kept apart in graph/derived.

A rule is a file `rules/<slug>.rq` at the project root: a SPARQL CONSTRUCT with a `#+` YAML header
(title and description in French and English: what it derives and why) naming its target graph
(`graph: derived`, the default, or `graph: derived-editorial` for a rule that reads editorial
readings, so plain SPARQL over graph/derived never mixes them in). The build runs every rule over
the asserted store, then writes what they construct minus what is already stated into the target
graph — before OWL RL, which reads asserted and derived facts and adds only what is new. The
derived graphs are rebuilt by every build: nobody edits them, and no data file may write into one
(load.py refuses a data file named after a graph the build computes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from .errors import LoadError
from .graphs import RULE_TARGETS
from .rqfile import parse_header, query_kind, read_folder
from .stores.oxigraph import OxigraphStore

RULES_DIR = "rules"
DEFAULT_TARGET = "derived"


@dataclass(frozen=True)
class Rule:
    """One rule file: its CONSTRUCT text, the graph it writes into, what its header says."""

    slug: str
    path: Path
    text: str
    graph: URIRef
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)


def _lang_map(value, where: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not {"fr", "en"} <= set(value):
        raise LoadError(where, "a rule needs a title and a description in French and English (fr, en)")
    return {str(k): str(v) for k, v in value.items()}


def read_rule(path: Path, text: str) -> Rule:
    """A rule from its file (LoadError naming the file when header or query is wrong)."""
    header = parse_header(text, str(path))
    target = str(header.get("graph", DEFAULT_TARGET))
    if target not in RULE_TARGETS:
        raise LoadError(path, f"graph: {target!r} is not a rule's graph; choose {', '.join(RULE_TARGETS)}")
    if query_kind(text, str(path)) != "CONSTRUCT":
        raise LoadError(path, "a rule is a SPARQL CONSTRUCT query")
    title, description = _lang_map(header.get("title"), path), _lang_map(header.get("description"), path)
    return Rule(path.stem, path, text, RULE_TARGETS[target], title, description)


def load_rules(project_dir: Path | str) -> list[Rule]:
    """The project's rules in slug order (none when it has no rules/ folder)."""
    folder = Path(project_dir) / RULES_DIR
    return [read_rule(path, text) for path, text in read_folder(folder).values()] if folder.is_dir() else []


def derive(store: OxigraphStore, rules: list[Rule]) -> dict[URIRef, int]:
    """Run every rule over the store, then add what is new to each target graph; triples added per graph.

    Every rule reads the store as it was before any of them wrote (they read asserted facts only),
    and a triple is written once: never when a graph already holds it (an asserted triple, or one
    graph/derived got before graph/derived-editorial), so no triple is in two graphs.
    """
    constructed = [(rule.graph, list(store.run(rule.text))) for rule in rules]
    added: dict[URIRef, int] = {target: 0 for target in RULE_TARGETS.values()}
    for target in RULE_TARGETS.values():
        graph = ox.NamedNode(str(target))
        new: dict[ox.Triple, None] = {}
        for name, triples in constructed:
            if name != target:
                continue
            for triple in triples:
                if triple not in new and not _held(store.store, triple):
                    new[triple] = None
        store.store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in new])
        added[target] = len(new)
    return added


def _held(store: ox.Store, triple: ox.Triple) -> bool:
    """Whether any graph of the store holds the triple already."""
    found = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return next(iter(found), None) is not None
