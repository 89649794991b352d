"""The API against its own OpenAPI document, with schemathesis, on a real `tehgraph serve .`.

The server is started as the README says (from the project folder, the relative path `.`) on a
free port; schemathesis reads /api/openapi.json from it and sends generated requests to every
operation: no answer may be a 500, and every answer must match the documented schema.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from devtools.browser import serve_project

from .conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def served(built):
    with serve_project(PROJECT_DIR, built.dist) as base:
        yield base


def test_every_operation_answers_as_documented(served, tmp_path):
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
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=tmp_path
    )  # its caches there
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
