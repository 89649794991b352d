"""What a build is a version of: the package's version and the data's git commit.

A release is a build an analyst can cite: `0.1.0+f23b6dd` names the code that built it and the
state of the data (`-dirty` when the project folder had changes no commit holds; `unknown` outside
git). The build writes it into dist/release.json (dist.py) and into VoID/DCAT (void.py); the web app
shows it in footers and downloads, and `serve` checks the store against the counts and checksums.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__

UNKNOWN = "unknown"


def _git(project_dir: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(project_dir), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def data_commit(project_dir: Path | str) -> str:
    """`git rev-parse --short HEAD` of the project folder, `-dirty` when its files have changes."""
    project_dir = Path(project_dir).resolve()
    commit = _git(project_dir, "rev-parse", "--short", "HEAD")
    if not commit:
        return UNKNOWN
    changes = _git(project_dir, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    return f"{commit}-dirty" if changes else commit


def build_version(commit: str) -> str:
    """The version of a build: the package's, with the data's commit as its local part."""
    return f"{__version__}+{commit}"


@dataclass(frozen=True)
class Release:
    """One build's release facts: what VoID/DCAT and dist/release.json say of it."""

    commit: str
    built_at: datetime
    previous: str | None = None  # the version of the build this one replaces, when it had one

    @property
    def version(self) -> str:
        return build_version(self.commit)

    def as_dict(self, triples: dict[str, int]) -> dict:
        """The release file's content (dist.py adds the checksums of the files)."""
        return {
            "version": self.version,
            "package_version": __version__,
            "commit": self.commit,
            "built_at": self.built_at.replace(microsecond=0).isoformat(),
            "previous_version": self.previous,
            "triples": sum(triples.values()),
            "graphs": triples,
        }


def of_project(project_dir: Path | str, previous: dict | None = None) -> Release:
    """The release a build of the project makes now; `previous` is the old dist's release file."""
    old = (previous or {}).get("version")
    return Release(data_commit(project_dir), datetime.now(timezone.utc), old)
