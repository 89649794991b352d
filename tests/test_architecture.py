"""The shape of the code: no import circle, the layering of docs/architecture.md, small modules.

Every import counts, wherever it is written (module level, inside a function, under
TYPE_CHECKING) and however (absolute or relative): a lazy import hides a circle, it does not
remove it. Importing `a.b` is an edge to `a.b` only, not to the package `a` that Python also
initialises: a package's `__init__` re-exporting its own modules is not a circle.
"""

from __future__ import annotations

import ast
import graphlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "tehgraph"
MAX_LINES = 400

# importer -> what it must not import (modules or packages of tehgraph), as docs/architecture.md says
LAYERS = {
    "stores": ("web", "cli", "build", "verify", "policy"),
    "validation": ("stores", "web", "cli", "build"),
    "inference": ("stores", "validation", "web", "cli"),
    "web": (
        "cli",
        "build",
        "verify",
        "export",
        "inference",
        "validation.engine",
        "validation.sparql_engine",
        "validation.pyshacl_engine",
    ),
    "policy": ("web", "cli", "stores.guarded"),
    "verify": ("web", "cli", "build"),
    "build": ("web", "cli"),
}
FORBIDDEN = {f"tehgraph.{k}": tuple(f"tehgraph.{v}" for v in vs) for k, vs in LAYERS.items()}
# What `import tehgraph.web` must not load: the build pipeline and the validation and inference engines.
NOT_FOR_THE_WEB = ("pyshacl", "owlrl", "tehgraph.build", "tehgraph.verify", "tehgraph.inference")
WEB_MAY_LOAD_OF_VALIDATION = {"tehgraph.validation", "tehgraph.validation.report"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> set[str]:
    """The tehgraph modules a module imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                child = f"{base}.{alias.name}" if base else alias.name
                found.add(child if child in MODULES else base)
    return {_nearest_module(m) for m in found if m == "tehgraph" or m.startswith("tehgraph.")}


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _nearest_module(name: str) -> str:
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


GRAPH = {name: imported(name, path) - {name} for name, path in MODULES.items()}


def test_the_module_graph_is_read():
    assert len(MODULES) > 40
    assert "tehgraph.stores.base" in GRAPH["tehgraph.stores.oxigraph"]  # a relative import
    assert "tehgraph.build" in GRAPH["tehgraph.cli.project"]  # an import inside a function


def test_no_import_circle():
    try:
        graphlib.TopologicalSorter(GRAPH).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import circle: {' -> '.join(error.args[1])}")


@pytest.mark.parametrize("importer", sorted(FORBIDDEN))
def test_layers(importer):
    """Each layer imports only what docs/architecture.md says it may."""
    wrong = [
        (name, target)
        for name, targets in GRAPH.items()
        if name == importer or name.startswith(importer + ".")
        for target in targets
        if any(target == f or target.startswith(f + ".") for f in FORBIDDEN[importer])
    ]
    assert not wrong, wrong


def test_nothing_imports_the_shells():
    """Only the CLI imports the web app, and nothing imports the CLI (but `python -m tehgraph`)."""
    for name, targets in GRAPH.items():
        if not name.startswith("tehgraph.cli") and name != "tehgraph.__main__":
            assert not {t for t in targets if t.startswith("tehgraph.cli")}, name
        if not name.startswith(("tehgraph.cli", "tehgraph.web")):
            assert not {t for t in targets if t.startswith("tehgraph.web")}, name


def test_command_modules_do_not_import_the_group():
    """cli/main.py registers the commands; they never import it back."""
    for name, targets in GRAPH.items():
        if name.startswith("tehgraph.cli.") and name != "tehgraph.cli.main":
            assert "tehgraph.cli.main" not in targets and "tehgraph.cli" not in targets, name


def test_the_web_app_loads_no_build_pipeline_nor_engine():
    code = "import json, sys, tehgraph.web; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "tehgraph.web" in loaded
    assert not [m for m in loaded if m.split(".")[0] in NOT_FOR_THE_WEB or m.startswith(NOT_FOR_THE_WEB)]
    validation = {m for m in loaded if m.startswith("tehgraph.validation")}
    assert validation <= WEB_MAY_LOAD_OF_VALIDATION, validation


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_tests_and_benchmarks_share_through_devtools_only():
    for folder, other in (("tests", "benchmarks"), ("benchmarks", "tests")):
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level}
            assert not [n for n in names if n == other or n.startswith(other + ".")], path


# What a build never needs, and would pay for at every run: rdflib's SPARQL grammar (~0.2 s to
# build at import), the templating of `new-source`, the web framework.
NOT_FOR_A_BUILD = ("rdflib.plugins.sparql.parser", "jinja2", "flask")


def test_a_build_loads_no_sparql_grammar_templates_nor_web(tmp_path):
    code = (
        "import json, sys; from tehgraph.cli import main\n"
        "try:\n    main(['build', '.', '--dist', sys.argv[1]])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert (tmp_path / "dist" / "release.json").is_file()
    assert "tehgraph.build" in loaded
    assert not [
        m for m in loaded if m in NOT_FOR_A_BUILD or m.startswith(tuple(n + "." for n in NOT_FOR_A_BUILD))
    ]
