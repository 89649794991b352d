"""How often Python's cyclic collector looks at young objects, in the processes tehgraph runs.

A saved query's answer at a million triples is 40,000-70,000 rows: as many new tuples and their
terms. With CPython's default thresholds (700, 10, 10) they set off a young collection every 700
new objects and, as the rows survive, older collections that walk them all again: 20-25 % of
running and converting such an answer (docs/benchmarks.md, sixth pass). A first threshold of
50,000 lets a big answer be made between a few collections, for a few MiB of garbage held longer
at most. Nothing is switched off: cycles are found as before, whichever thread frees them, only
less often. Called by the command line (the process is tehgraph's own) and by the benchmark's
worker, never on import: a program that embeds the library keeps its own settings.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def tune() -> None:
    """Collect young objects every YOUNG_THRESHOLD allocations; the older generations as they were."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
