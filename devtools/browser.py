"""What browser tests and the page audit share: axe-core in a Playwright page, and a local server.

axe-core (npm `axe-core`, MPL-2.0) is vendored in devtools/vendor/axe-core/ for the tests only
(`make vendor-axe` fetches it again with `npm pack`); it is injected into the page under test, so
no page of the app ever ships it. `serious` and `critical` are the impacts the project refuses.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
REFUSED = ("serious", "critical")
ROOT = Path(__file__).resolve().parent.parent


def install_axe(context) -> None:
    """Make axe-core available in every page of a Playwright browser context. An init script is
    evaluated by the browser itself, so the pages' Content-Security-Policy (no inline scripts)
    stays as served and is tested as such."""
    context.add_init_script(path=str(AXE))


def axe_violations(page, impacts: tuple[str, ...] = REFUSED) -> list[dict]:
    """axe-core's violations of the page as loaded (its context went through `install_axe`),
    those of the given impacts, each with its nodes."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation and node: rule, impact, the node's selector, axe's summary."""
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            summary = node.get("failureSummary", "")[:200]
            lines.append(f"{v['id']} ({v['impact']}) {node['target']}: {summary}")
    return "\n".join(lines)


def copy_project(source: Path, dist: Path, folder: Path) -> Path:
    """A project folder as a fresh clone has it after `make build`: `source`'s ontology, data
    and queries, with `dist` (a test session's build) as its dist/. Servers started in it resolve
    the relative paths `make run` does, and the working copy's own dist/ is left alone."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(source / part, folder / part)
    shutil.copytree(dist, folder / "dist")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_project(project: Path, dist: Path | None = None, timeout: float = 120) -> Iterator[str]:
    """`tehgraph serve .` started from the project folder, as `make run` does; yields its base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if dist is not None:
        env["TEHGRAPH_DIST_DIR"] = str(dist)
    process = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/static/tehgraph.css", timeout=2)
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.stdout.read().decode(errors="replace")
                    raise RuntimeError("tehgraph serve did not start: " + output) from error
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
