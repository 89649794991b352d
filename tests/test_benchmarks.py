"""The benchmark's inputs and plumbing (timings are measured in benchmarks/, never asserted here).

The synthetic generator must be deterministic and produce projects the real build accepts, and
`python -m benchmarks.run --quick` must run end to end on the real graph and write its result file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.synthetic import TRIPLES_PER_WORLD, generate
from tehgraph.catalog import load_catalog
from tehgraph.load import load_project
from tehgraph.quotes import check_quotes
from tehgraph.validation.engine import validate_project
from tehgraph.verify import verify

from .conftest import PROJECT_DIR

ROOT = Path(__file__).resolve().parent.parent


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate(PROJECT_DIR, tmp_path / "a", 2 * TRIPLES_PER_WORLD, seed=3)
    generate(PROJECT_DIR, tmp_path / "b", 2 * TRIPLES_PER_WORLD, seed=3)
    generate(PROJECT_DIR, tmp_path / "c", 2 * TRIPLES_PER_WORLD, seed=4)
    first = files_of(tmp_path / "a")
    assert first == files_of(tmp_path / "b")
    assert first != files_of(tmp_path / "c")
    assert set(first) == set(files_of(tmp_path / "c"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bench") / "s10k"
    generate(PROJECT_DIR, folder, 10_000, seed=42)
    return folder


def test_generated_project_conforms_to_the_shapes_and_checks(synthetic):
    project = load_project(synthetic)
    validation = validate_project(project)
    assert validation.conforms, validation.as_text()
    assert check_quotes(project.merged(), synthetic) == []
    checks = verify(project).checks
    assert checks.conforms, checks.as_text()


def test_generated_project_has_about_the_size_asked(synthetic):
    project = load_project(synthetic)
    data = sum(len(project.graph(name)) for name in project.data_graphs)
    assert 8_000 <= data <= 12_000


def test_benchmark_stops_with_a_clear_message_on_a_build_that_fails_its_checks(tmp_path):
    """A benchmark of a failing build measures nothing that gets published: it must stop."""
    folder = tmp_path / "synthetic-10k"  # where benchmarks.run looks for the 10k project
    generate(PROJECT_DIR, folder, 10_000, seed=42)
    plans = folder / "data" / "plans.ttl"
    # The second plan starting before the first: its follow-ups point to a later plan.
    text = plans.read_text(encoding="utf-8")
    plans.write_text(text.replace('teh:startYear "2001"', 'teh:startYear "1990"'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [sys.executable, "-m", "benchmarks.run", "--sizes", "10k", "--quick"]
    command += ["--out", str(tmp_path / "out"), "--work", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode != 0
    assert "fails its own verification" in done.stderr and "follows-up-later-plan" in done.stderr
    assert "raw loads" not in done.stderr  # nothing measured after the failed build


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("results")
    work = tmp_path_factory.mktemp("work")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "real",
            "--quick",
            "--out",
            str(out),
            "--work",
            str(work),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    files = list(out.glob("*-real.json"))
    assert len(files) == 1, files
    result = json.loads(files[0].read_text(encoding="utf-8"))
    result["_stdout"] = done.stdout
    return result


def test_quick_run_measures_every_build_phase(quick_result):
    build = quick_result["build"]
    assert set(build["phases"]) >= {"parse", "quotes", "validate", "infer", "export"}
    for phase in build["phases"].values():
        assert set(phase) == {"wall", "cpu", "rss_after_mib"}
    assert build["conforms"] and build["checks_pass"] and build["quote_problems"] == 0
    assert build["asserted_triples"] > 10_000 and build["inferred_triples"] > 1_000
    assert build["max_rss_mib"] > 0


def test_quick_run_times_every_saved_query_on_every_backend(quick_result):
    slugs = set(load_catalog(PROJECT_DIR))
    backends = quick_result["backends"]
    assert set(backends) == {"oxigraph", "rdflib", "server"}
    for name, figures in backends.items():
        assert "error" not in figures, (name, figures)
        assert set(figures["queries"]) == slugs
        assert figures["load"]["wall"] > 0 and figures["max_rss_mib"] > 0
    for slug, entry in backends["oxigraph"]["queries"].items():
        assert entry["pyoxigraph_raw"] > 0
        answered = {
            name: f["queries"][slug] for name, f in backends.items() if "median" in f["queries"][slug]
        }
        # rdflib may be stopped at the quick run's cap on a slow query; the others always answer
        assert {"oxigraph", "server"} <= set(answered)
        assert len({figures["rows"] for figures in answered.values()}) == 1, (slug, answered)
        assert set(quick_result["ratios"]["queries"][slug]) == set(answered)
    assert set(quick_result["ratios"]["load"]) == {"oxigraph", "rdflib", "server"}


def test_quick_run_renders_pages_and_serves_requests(quick_result):
    pages = quick_result["web"]["pages"]
    assert set(pages) == {"entity", "class", "search", "saved query"}
    assert all(page["status"] == 200 for page in pages.values())
    for name in ("cheap_query", "describe"):
        figures = quick_result["endpoint"][name]
        assert figures["statuses"].get("200", 0) > 0 and set(figures["statuses"]) == {"200"}
    machine = quick_result["machine"]
    assert machine["nproc"] and machine["memory_mib"] and machine["versions"]["pyoxigraph"]


def test_quick_run_prints_the_table(quick_result):
    out = quick_result["_stdout"]
    assert "| phase | wall s | cpu s | peak RSS MiB |" in out
    for slug in load_catalog(PROJECT_DIR):
        assert f"| {slug} |" in out
