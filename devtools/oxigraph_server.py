"""A real Oxigraph SPARQL server for tests and benchmarks: the `oxigraph` binary of the PyPI package.

The binary is looked for next to the running Python (a venv's bin/) and then on PATH; when it is
absent the caller fails with a message saying how to install it (tests never skip).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from tehgraph.config import Settings


class OxigraphMissing(RuntimeError):
    """The `oxigraph` server binary is not installed."""


def find_oxigraph() -> str:
    """Path of the oxigraph server binary, or OxigraphMissing telling how to get it."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise OxigraphMissing(
        "the `oxigraph` server binary is missing: pip install -e '.[test]' (PyPI package oxigraph)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OxigraphServer:
    """One `oxigraph serve` process on 127.0.0.1 with its own data folder."""

    location: Path
    union_default_graph: bool = False
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def settings(self, base: Settings, **overrides) -> Settings:
        """`base` pointed at this server (query, update and graph store URLs)."""
        values = {"endpoint": self.query_url, "graph_store": self.store_url, "update_endpoint": None}
        return replace(base, **{**values, **overrides})

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        self.port = self.port or free_port()
        bind = f"127.0.0.1:{self.port}"
        command = [find_oxigraph(), "serve", "--location", str(self.location), "--bind", bind]
        if self.union_default_graph:
            command.append("--union-default-graph")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_answering(self.process, self.query_url + "?query=ASK%7B%7D", timeout, "oxigraph")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.process)


def wait_until_answering(
    process: subprocess.Popen, url: str, timeout: float, name: str, log: Path | None = None
) -> None:
    """Return once GET `url` answers 200; raise with the server's output (its stderr pipe, or the
    end of its `log` file) if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = (
                log.read_text(errors="replace")[-3000:]
                if log
                else process.stderr.read().decode(errors="replace")
            )
            raise RuntimeError(f"{name} exited with code {process.returncode}: {said}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer {url} within {timeout} s")


def stop_process(process: subprocess.Popen | None, timeout: float = 10) -> None:
    """Terminate a server started here (SIGTERM, then SIGKILL after `timeout` s) and close its pipe."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process and process.stderr:
        process.stderr.close()


@contextmanager
def running(location: Path, **options) -> Iterator[OxigraphServer]:
    server = OxigraphServer(location, **options).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def silent_socket() -> Iterator[str]:
    """A local TCP server that accepts connections and never answers: an endpoint that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)  # kept open, never read from, never written to
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        listener.close()
