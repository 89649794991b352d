"""`tehgraph diff`: what changed between two builds, per named graph and in words.

`snapshot` reads a build folder (blank nodes named by content), `rules` reads the shipped table of
changes worth words (`changes.yaml`), `compare` applies it, `render` writes text, JSON or Turtle,
`changelog` the CHANGELOG's Data section.
"""

from __future__ import annotations

from .changelog import as_markdown, write_changelog
from .compare import BuildDiff, Change, GraphChange, Item, PropertyChange, Value, diff_builds, diff_snapshots
from .render import RENDERERS, as_graph, as_json, as_text, as_turtle
from .rules import Rule, Table, load_table
from .snapshot import Snapshot, load_snapshot

__all__ = [
    "RENDERERS",
    "BuildDiff",
    "Change",
    "GraphChange",
    "Item",
    "PropertyChange",
    "Rule",
    "Snapshot",
    "Table",
    "Value",
    "as_graph",
    "as_json",
    "as_markdown",
    "as_text",
    "as_turtle",
    "diff_builds",
    "diff_snapshots",
    "load_snapshot",
    "load_table",
    "write_changelog",
]
