"""Which build this app serves: version, commit and build time, for footers, ETags and the data page.

The build writes them in dist/release.json (version, commit, built_at); an app without one (a
remote endpoint, an older build) names the package version and the moment it started, so every
page still says what it shows and caches still change when the data does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__

RELEASE_FILE = "release.json"


@dataclass(frozen=True)
class Release:
    version: str
    commit: str | None = None
    built_at: str | None = None
    from_build: bool = False  # read from dist/release.json, not made up at start

    @property
    def tag(self) -> str:
        """An opaque token that changes with every build: ETags are made from it."""
        text = f"{self.version}|{self.commit}|{self.built_at}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def short_commit(self) -> str | None:
        return self.commit[:10] if self.commit else None


def read_release(dist: Path | str) -> Release:
    """dist/release.json when the build wrote one (unreadable fields are left out), else the package."""
    path = Path(dist) / RELEASE_FILE
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            return Release(
                version=str(data.get("version") or __version__),
                commit=str(data["commit"]) if data.get("commit") else None,
                built_at=str(data["built_at"]) if data.get("built_at") else None,
                from_build=True,
            )
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return Release(version=__version__, built_at=started)
