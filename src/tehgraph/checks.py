"""Quality checks as queries: each `queries/checks/<slug>-violation.rq` must return no rows.

They catch what SHACL shapes say awkwardly (ordering of measure numbers, plans' chronology,
disjoint kinds of actor). verify.py runs them beside the quotes and SHACL, on the same store, for
`tehgraph validate` and for the build, which refuses to publish when one returns rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import SavedQuery, load_catalog, run_saved
from .namespaces import shorten
from .results import QueryResult
from .stores.base import Store

CHECKS_DIR = "queries/checks"
SUFFIX = "-violation"


@dataclass
class CheckOutcome:
    check: SavedQuery
    result: QueryResult

    @property
    def passed(self) -> bool:
        return not self.result.rows


@dataclass
class ChecksReport:
    outcomes: list[CheckOutcome] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failed(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.passed]

    def as_text(self) -> str:
        """One line per failed check, then its rows with IRIs shortened."""
        if self.conforms:
            return f"Quality checks: all {len(self.outcomes)} passed."
        lines = [f"Quality checks: {len(self.failed)} of {len(self.outcomes)} failed."]
        for outcome in self.failed:
            lines.append(f"\n{outcome.check.slug}: {outcome.check.label('en')} ({len(outcome.result.rows)})")
            for record in outcome.result.records():
                lines.append("  - " + ", ".join(f"{k}={shorten(str(v))}" for k, v in record.items()))
        return "\n".join(lines)


def load_checks(project_dir: Path | str) -> dict[str, SavedQuery]:
    """The project's check queries (only files named `*-violation.rq`)."""
    checks = load_catalog(project_dir, CHECKS_DIR)
    return {slug: q for slug, q in checks.items() if slug.endswith(SUFFIX)}


def run_checks(store: Store, checks: dict[str, SavedQuery]) -> ChecksReport:
    """Run every check on a store; a check passes when it returns no rows."""
    return ChecksReport([CheckOutcome(check, run_saved(store, check)) for check in checks.values()])
