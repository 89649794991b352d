"""`tehgraph serve` refuses to start, with a clear message and exit code 2, when dist/ is unusable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT_DIR

SRC = Path(__file__).resolve().parent.parent / "src"


def serve(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tehgraph", "serve", str(project), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )


def project_copy(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_DIR / "ontology", tmp_path / "ontology")
    (tmp_path / "data").mkdir()
    return tmp_path


def test_serve_without_a_build_exits_2_and_says_what_to_do(tmp_path):
    done = serve(project_copy(tmp_path))
    assert done.returncode == 2
    assert "tehgraph build" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_serve_with_a_corrupt_build_exits_2(tmp_path):
    project = project_copy(tmp_path)
    (project / "dist").mkdir()
    for name in ("tehgraph.nq", "tehgraph.nt"):
        (project / "dist" / name).write_text("<not> <valid rdf\n", encoding="utf-8")
    done = serve(project)
    assert done.returncode == 2
    assert "cannot serve" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
