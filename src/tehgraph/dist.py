"""The build folder (dist/): the name of every file in it, where each dump is, its validation report.

The build writes it, the stores load it, `push` uploads it and the web app serves it; all of them
ask here instead of spelling file names, so the layout has one owner. A build is published
atomically: written into a staging folder beside the old one, then swapped in with two renames.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .errors import DistMissingError

DUMP_STEM = "tehgraph"
VOID_FILE = "void.ttl"
VALIDATION_FILE = "validation.json"
RELEASE_FILE = "release.json"  # version, commit, date, triples per graph, checksums of every file
SEARCH_INDEX_FILE = "search.sqlite"  # the full-text index (search/), built with the dumps
# The build before this one, kept inside it so the app can say what changed (releases.py):
# its named-graph dump and release file, hard-linked (no copy) when the new build is published.
PREVIOUS_DIR = "previous"
# What a store loads: every named graph (N-Quads), and the merged default graph (N-Triples) only
# when the union of the named graphs is not exact (`union_is_exact`).
NAMED_GRAPHS, MERGED_GRAPH = "nq", "nt"
SHARED_TRIPLES = "triples_in_two_graphs"  # the release file's count of triples two graphs hold


def dump_name(suffix: str) -> str:
    """The file name of the dump in the format of this suffix (tehgraph.ttl)."""
    return f"{DUMP_STEM}.{suffix}"


def dump_path(dist: Path | str, suffix: str) -> Path:
    """The dump of this suffix in `dist`, or DistMissingError telling to build first."""
    path = Path(dist) / dump_name(suffix)
    if not path.is_file():
        raise DistMissingError(f"{path} is missing: run `tehgraph build` first")
    return path


def void_path(dist: Path | str) -> Path:
    """Where the VoID/DCAT description of the build is (it may be absent: a remote endpoint's app)."""
    return Path(dist) / VOID_FILE


def write_validation(folder: Path, report: dict) -> None:
    """The SHACL report of the build (warnings and infos survive a conforming build)."""
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (folder / VALIDATION_FILE).write_text(text, encoding="utf-8")


def read_validation(dist: Path | str) -> list[dict]:
    """The results the build wrote, one dict per result; none when the folder has no report."""
    path = Path(dist) / VALIDATION_FILE
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def search_index_path(dist: Path | str) -> Path:
    """Where the build's search index is (absent when the folder was not built by `build`)."""
    return Path(dist) / SEARCH_INDEX_FILE


def file_facts(folder: Path) -> dict[str, dict]:
    """sha256 and size of every file of a build folder but the release file, by name."""
    facts = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.name != RELEASE_FILE):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        facts[path.name] = {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}
    return facts


def write_release(folder: Path, release: dict) -> None:
    """The release file, written last: it holds the checksums of every other file of the folder."""
    text = json.dumps({**release, "files": file_facts(folder)}, ensure_ascii=False, indent=2)
    (folder / RELEASE_FILE).write_text(text + "\n", encoding="utf-8")


def read_release(dist: Path | str) -> dict | None:
    """What a build folder says of its release (None: no build there, or one from before releases)."""
    path = Path(dist) / RELEASE_FILE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def union_is_exact(dist: Path | str) -> bool:
    """Whether the union of the build's named graphs is its merged graph, each triple once: the
    build found no triple in two graphs (a build from before the count: no)."""
    release = read_release(dist) or {}
    return release.get(SHARED_TRIPLES) == 0


def publish(dist: Path | str, write: Callable[[Path], None]) -> None:
    """Let `write` fill a staging folder, then put it in place of `dist`; on failure `dist` is kept."""
    dist = Path(dist)
    dist.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(dist.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".dist-{os.getpid()}-", dir=dist.parent))
    try:
        write(staging)
        keep_previous(dist, staging)
        _swap(staging, dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def clean_stale_staging(folder: Path) -> list[Path]:
    """Remove the staging folders of builds that were killed (issue 18): a `.dist-<pid>-*` whose
    process is gone; one of the older unnamed kind when it is over an hour old. A build still
    running keeps its own. The folders removed."""
    removed = []
    for path in folder.glob(".dist-*"):
        owner = path.name.split("-")[1] if path.name.count("-") >= 2 else ""
        if owner.isdigit():
            stale = not process_alive(int(owner))
        else:
            stale = time.time() - path.stat().st_mtime > 3600
        if path.is_dir() and stale:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists (a build owning a staging folder, a query worker)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def previous_dist(dist: Path | str) -> Path:
    """Where a build keeps the one it replaced (absent after a first build)."""
    return Path(dist) / PREVIOUS_DIR


def keep_previous(old: Path, staging: Path) -> None:
    """Keep the build `old` (about to be replaced) inside `staging`: one level, never a chain."""
    kept = [old / dump_name(NAMED_GRAPHS), old / RELEASE_FILE]
    if not kept[0].is_file():
        return
    folder = previous_dist(staging)
    folder.mkdir(exist_ok=True)
    for path in (p for p in kept if p.is_file()):
        try:
            os.link(path, folder / path.name)
        except OSError:  # a file system without hard links
            shutil.copy2(path, folder / path.name)


def _swap(staging: Path, dist: Path) -> None:
    """Replace dist with staging in two renames, so readers never see a half-written folder."""
    old = dist.with_name(dist.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    staging.rename(dist)
    shutil.rmtree(old, ignore_errors=True)
