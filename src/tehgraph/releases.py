"""A build as a release: its version, data commit and date, and what changed since the build before.

The build writes `dist/release.json` (version = package version + the data's git commit, commit,
built_at, previous); a build that predates it still has a version, the package's, and a date, its
dump's. The build also keeps the build it replaced in `dist/previous/` (dist.keep_previous), so the
versions page and the CHANGELOG's data section say in words what changed (tehgraph.diff).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .diff import BuildDiff, diff_builds
from .dist import NAMED_GRAPHS, RELEASE_FILE, dump_name, previous_dist
from .errors import TehgraphError


@dataclass(frozen=True)
class Release:
    """What identifies a build: enough to cite it and to find it again."""

    version: str
    commit: str | None = None
    built_at: str | None = None  # ISO 8601, UTC
    previous: Release | None = None
    recorded: bool = False  # read from release.json (else: the package version, the dump's date)

    @property
    def date(self) -> str | None:
        """The build's day (YYYY-MM-DD)."""
        return self.built_at[:10] if self.built_at else None


def read_release(dist: Path | str) -> Release:
    """The release of the build in `dist`: its release.json when present, else the package version
    and the date of its dump; the previous build's from release.json or from dist/previous/."""
    dist = Path(dist)
    data = _json(dist / RELEASE_FILE)
    if data is None:
        return Release(__version__, built_at=_dump_date(dist), previous=_kept(dist))
    return Release(
        str(data.get("version") or __version__),
        _text(data.get("commit")),
        _text(data.get("built_at")),
        _previous(data.get("previous")) or _kept(dist),
        recorded=True,
    )


def release_diff(dist: Path | str) -> BuildDiff | None:
    """What changed from the kept previous build to this one; None when none was kept."""
    previous = previous_dist(dist)
    if not (previous / dump_name(NAMED_GRAPHS)).is_file():
        return None
    return diff_builds(previous, dist)


def _previous(value: object) -> Release | None:
    """release.json's `previous`: the previous build's release data, or only its version."""
    if isinstance(value, str) and value:
        return Release(value)
    if isinstance(value, dict) and value.get("version"):
        return Release(str(value["version"]), _text(value.get("commit")), _text(value.get("built_at")))
    return None


def _kept(dist: Path) -> Release | None:
    folder = previous_dist(dist)
    if not (folder / dump_name(NAMED_GRAPHS)).is_file():
        return None
    data = _json(folder / RELEASE_FILE) or {}
    version = str(data.get("version") or __version__)
    return Release(version, _text(data.get("commit")), _text(data.get("built_at")) or _dump_date(folder))


def _json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TehgraphError):
        return None
    return data if isinstance(data, dict) else None


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value) else None


def _dump_date(dist: Path) -> str | None:
    path = dist / dump_name(NAMED_GRAPHS)
    if not path.is_file():
        return None
    stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(microsecond=0)
    return stamp.isoformat()
