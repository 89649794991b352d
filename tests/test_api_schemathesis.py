"""The API against its own OpenAPI document, with schemathesis, on a real `tehgraph serve .`.

The server is started as the README says (from the project folder, the relative path `.`) on a
free port; schemathesis reads /api/openapi.json from it and sends generated requests to every
operation: no answer may be a 500, and every answer must match the documented schema.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import PROJECT_DIR

SRC = Path(__file__).resolve().parent.parent / "src"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(built):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "TEHGRAPH_DIST_DIR": str(built.dist)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tehgraph", "serve", ".", "--port", str(port)],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/api/openapi.json", timeout=5)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_every_operation_answers_as_documented(served):
    """schemathesis' own runner (its CLI), every check, three phases; its summary is printed."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        served + "/api/openapi.json",
        "--url",
        served,
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "5",
        "--seed",
        "17",
        "--generation-database",
        "none",
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    print(summary)
    tested = re.search(r"Tested: (\d+)", summary)
    cases = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert run.returncode == 0, run.stdout[-6000:]
    assert tested and int(tested.group(1)) == operations(served)
    assert cases and cases.group(1) == cases.group(2) and int(cases.group(1)) > 0


def operations(base: str) -> int:
    with urllib.request.urlopen(base + "/api/openapi.json", timeout=30) as answer:
        return len(json.load(answer)["paths"])
