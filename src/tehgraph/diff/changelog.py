"""The CHANGELOG's « Data » section, written from a diff of two builds rather than by hand.

`tehgraph diff OLD NEW --format markdown` prints the section; `--changelog CHANGELOG.md` puts it
in the file, between the markers below under « [Unreleased] » (replacing what a previous run
wrote there, adding the section the first time), so the data's history is as exact as the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LoadError
from .compare import BuildDiff, Item, short

START = "<!-- data:start (written by `tehgraph diff OLD NEW --changelog CHANGELOG.md`) -->"
END = "<!-- data:end -->"
HEADING = "### Data"
_SECTION = re.compile(re.escape(START.split(" (")[0]) + r".*?" + re.escape(END), re.S)
_UNRELEASED = re.compile(r"^## \[Unreleased\][^\n]*\n", re.M)


def as_markdown(diff: BuildDiff, old: str | None = None, new: str | None = None) -> str:
    """The section's body: triples per graph in one line, then each reported change with its items."""
    names = f"{old or diff.old.dist} → {new or diff.new.dist}"
    if diff.identical:
        return f"No change in the data ({names}: {diff.new.total} triples).\n"
    changed = [g for g in diff.graphs if g.changed]
    lines = [
        f"From {names}: {diff.old.total} → {diff.new.total} triples (+{diff.added} −{diff.removed}) "
        f"in {len(changed)} of {len(diff.graphs)} named graphs "
        f"({', '.join(f'`{short(g.graph)}` +{g.added} −{g.removed}' for g in changed)})."
    ]
    for change in diff.changes:
        if change.items:
            lines += ["", f"- {change.rule.label()} ({len(change.items)}):"]
            lines += [f"  - {_item(item)}" for item in change.items]
    return "\n".join(lines) + "\n"


def _item(item: Item) -> str:
    label = item.label.replace("\n", " ")
    label = label if len(label) <= 140 else label[:139] + "…"
    return f"{_escape(label)} (`{short(str(item.iri))}`)"


def _escape(text: str) -> str:
    """Markdown's inline specials shown as text (labels hold asterisks, brackets, underscores)."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def write_changelog(path: Path | str, body: str) -> None:
    """Put `body` as the Data section of CHANGELOG.md's « [Unreleased] » (kept elsewhere as it is)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LoadError(path, f"cannot read the changelog: {error}") from None
    section = f"{START}\n{body.rstrip()}\n{END}"
    if _SECTION.search(text):
        text = _SECTION.sub(lambda _: section, text, count=1)
    else:
        unreleased = _UNRELEASED.search(text)
        if unreleased is None:
            raise LoadError(path, "no « ## [Unreleased] » heading to put the Data section under")
        at = unreleased.end()
        text = f"{text[:at]}\n{HEADING}\n{section}\n{text[at:]}"
    path.write_text(text, encoding="utf-8")
