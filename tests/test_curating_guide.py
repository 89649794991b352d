"""docs/curating.md, followed to the letter on a copy of the project.

The guide's ```sh blocks are run one line at a time in a shell (with this environment's `tehgraph`
first on PATH); HTML comments before a block say what the test does around it:
`<!-- append: FILE -->` (the next ```turtle block is appended to FILE), `<!-- break: FILE | OLD | NEW -->`
(the next command runs with OLD replaced by NEW in FILE, then FILE is restored), `<!-- exit: N -->`
(the exit code of the block's last command), `<!-- output -->` (each line of the next ```text
block appears in what the previous ```sh block printed; runs of spaces are not compared, nor digits,
which follow the corpus's size) and `<!-- output: exact -->` (digits compared too).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tehgraph.config import Settings
from tehgraph.web import create_app

from .conftest import PROJECT_DIR
from .curate_helpers import ESSAI, copy_project

GUIDE = PROJECT_DIR / "docs" / "curating.md"
_FENCE = re.compile(r"^```(\w*)\s*$")
_DIRECTIVE = re.compile(r"^<!-- (append|break|exit|output)(?::\s*(.*?))? -->$")


@dataclass
class Step:
    kind: str  # sh, turtle, text (and other fenced languages, which are ignored)
    body: str
    directives: dict[str, str] = field(default_factory=dict)


def guide_steps(text: str) -> list[Step]:
    steps, directives, lines = [], {}, iter(text.splitlines())
    for line in lines:
        if match := _DIRECTIVE.match(line.strip()):
            directives[match.group(1)] = match.group(2) or ""
        elif match := _FENCE.match(line):
            body = []
            for inner in lines:
                if inner.startswith("```"):
                    break
                body.append(inner)
            steps.append(Step(match.group(1), "\n".join(body) + "\n", directives))
            directives = {}
    return steps


def comparable(text: str, exact: bool) -> str:
    return " ".join((text if exact else re.sub(r"\d+", "N", text)).split())


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """The project after the guide's walk-through, and the output of each command on the way."""
    project = copy_project(tmp_path_factory.mktemp("guide") / "project")
    fixture = project / ESSAI.relative_to(PROJECT_DIR)
    fixture.parent.mkdir(parents=True)
    shutil.copy(ESSAI, fixture)
    checked, last_output = [], None
    for step in guide_steps(GUIDE.read_text(encoding="utf-8")):
        if step.kind == "turtle" and "append" in step.directives:
            with (project / step.directives["append"]).open("a", encoding="utf-8") as target:
                target.write("\n" + step.body)
        elif step.kind == "sh":
            last_output = run_block(step, project)
        elif step.kind == "text" and "output" in step.directives:
            assert last_output is not None, "an output block follows no command"
            exact = step.directives["output"] == "exact"
            for line in step.body.splitlines():
                if line.strip():
                    printed = comparable(last_output, exact)
                    assert comparable(line, exact) in printed, f"not printed: {line}\n{last_output}"
            checked.append(step.body)
    return project, checked


def run_block(step: Step, project: Path) -> str:
    restore = None
    if "break" in step.directives:
        name, old, new = (part.strip() for part in step.directives["break"].split("|"))
        path = project / name
        restore = path.read_text(encoding="utf-8")
        assert restore.count(old) == 1, f"{old!r} is not once in {name}"
        path.write_text(restore.replace(old, new), encoding="utf-8")
    try:
        commands = [line for line in step.body.splitlines() if line.strip()]
        output = ""
        for index, command in enumerate(commands):
            result = run(command, project)
            expected = int(step.directives.get("exit", 0)) if index == len(commands) - 1 else 0
            assert result.returncode == expected, f"{command}: exit {result.returncode}\n{result.stderr}"
            output += result.stdout + result.stderr
        return output
    finally:
        if restore is not None:
            path.write_text(restore, encoding="utf-8")


def test_the_guide_is_followed_to_the_end(walked):
    project, checked = walked
    assert len(checked) >= 9  # every output block of the guide was compared
    assert (project / "data" / "essai-2016-05-12.ttl").is_file()
    assert (project / "dist" / "tehgraph.nq").is_file() and (
        project / "dist-before" / "tehgraph.nq"
    ).is_file()


def test_what_the_guide_adds_is_on_the_pages(walked):
    project, _ = walked
    client = create_app(Settings(project_dir=project, dist_dir=project / "dist")).test_client()
    page = client.get("/page/demand/numero-appel-national-victimes")
    assert page.status_code == 200
    assert "Créer un numéro d'appel national gratuit" in page.get_data(as_text=True).replace("&#39;", "'")
    source = client.get("/source/essai-2016-05-12")
    assert source.status_code == 200 and "numéro d’appel national gratuit" in source.get_data(as_text=True)
    position = client.get("/page/position/essai-2016-05-12/collectif-loi-13-avril-2016")
    assert position.status_code == 200
