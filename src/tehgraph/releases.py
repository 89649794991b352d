"""The build before this one and what changed since: the data's history, one release at a time.

The build writes dist/release.json (release.py, dist.write_release) and, when it replaces a
build, keeps that build's named-graph dump and release file in dist/previous/ (dist.keep_previous).
From them the versions page and the CHANGELOG's data section say in words what the new release
changed (tehgraph.diff). One level is kept, never a chain: older releases are in the CHANGELOG.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .diff import BuildDiff, diff_builds
from .dist import NAMED_GRAPHS, dump_name, previous_dist, read_release


@dataclass(frozen=True)
class Kept:
    """What the release file of a build says of it (a build from before releases: its dump's date)."""

    version: str
    commit: str | None = None
    built_at: str | None = None  # ISO 8601, UTC
    from_build: bool = False  # read from its release.json


def release_of(dist: Path | str) -> Kept | None:
    """The release of the build in `dist`; None when there is no build there."""
    dist = Path(dist)
    data = read_release(dist)
    if isinstance(data, dict):
        return Kept(
            str(data.get("version") or __version__),
            _text(data.get("commit")),
            _text(data.get("built_at")),
            from_build=True,
        )
    dump = dist / dump_name(NAMED_GRAPHS)
    if not dump.is_file():
        return None
    stamp = datetime.fromtimestamp(dump.stat().st_mtime, tz=timezone.utc).replace(microsecond=0)
    return Kept(__version__, built_at=stamp.isoformat())


def previous_release(dist: Path | str) -> Kept | None:
    """The build `dist` replaced, as kept in dist/previous/; None after a first build."""
    return release_of(previous_dist(dist))


def release_diff(dist: Path | str) -> BuildDiff | None:
    """What changed from the kept previous build to this one; None when none was kept."""
    previous = previous_dist(dist)
    if not (previous / dump_name(NAMED_GRAPHS)).is_file():
        return None
    return diff_builds(previous, dist)


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value) else None
