"""The command line tunes the cyclic collector of its own process; the library never does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tehgraph.collector import YOUNG_THRESHOLD

ROOT = Path(__file__).resolve().parent.parent


def _thresholds(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.splitlines()[-1])


def test_a_command_collects_young_objects_less_often_and_keeps_the_rest():
    found = _thresholds(
        "import gc, json; default = gc.get_threshold(); from tehgraph.cli import main\n"
        "main(['queries'], standalone_mode=False)\n"
        "print(json.dumps({'default': default, 'now': gc.get_threshold(), 'on': gc.isenabled()}))"
    )
    assert found["now"] == [YOUNG_THRESHOLD, *found["default"][1:]]
    assert found["on"]  # tuned, never switched off


def test_importing_the_library_and_making_the_app_leave_the_collector_alone():
    found = _thresholds(
        "import gc, json; default = gc.get_threshold()\n"
        "import tehgraph.cli, tehgraph.build, tehgraph.web, tehgraph.stores\n"
        "print(json.dumps({'default': default, 'now': gc.get_threshold()}))"
    )
    assert found["now"] == found["default"]
