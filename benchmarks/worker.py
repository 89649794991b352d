"""One measured task of the benchmark, run in its own process so its peak memory is its own.

    python -m benchmarks.worker TASK '{"json": "arguments"}'

Prints one JSON object on its last stdout line: the task's figures plus `max_rss_mib`, the
process's peak resident memory (VmHWM). benchmarks/run.py starts one worker per task.
Times are seconds: `wall` (perf_counter) and `cpu` (process_time, which a busy machine inflates
less than wall time).
"""

from __future__ import annotations

import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CapExceeded(BaseException):
    """A query ran longer than the benchmark's cap (a BaseException: the stores wrap Exceptions)."""


@contextmanager
def alarm(seconds: float):
    """Raise CapExceeded in this (main) thread after `seconds`."""

    def ring(signum, frame):
        raise CapExceeded

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def peak_mib() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss across fork and exec, so a worker would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function: Callable, *args, **kwargs) -> tuple[object, dict]:
    """Call once; the value and {wall, cpu, rss_after_mib}."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_after_mib": peak_mib(),
    }


def median_time(function: Callable, repeat: int, budget: float) -> dict:
    """Median wall time of up to `repeat` calls, stopping early once `budget` seconds are spent."""
    times: list[float] = []
    spent = 0.0
    while len(times) < repeat and (not times or spent < budget):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return {"median": statistics.median(times), "runs": len(times), "min": min(times)}


# --- build phases ----------------------------------------------------------------------------


def task_build(args: dict) -> dict:
    """The build's own phases (tehgraph.build.PHASES, then its export), each timed here."""
    from tehgraph.build import assemble, write
    from tehgraph.oxterms import to_ox

    phases: dict[str, dict] = {}

    def run(name: str, step: Callable[[], None]) -> None:
        _, phases[name] = timed(step)

    build = assemble(args["project"], run, strict=False)
    failure = build.verification.failure()
    if failure is not None:
        # A benchmark of a build that fails its own checks measures nothing that gets published.
        message = " ".join(str(failure).split())
        raise SystemExit(f"the build of {args['project']} fails its own verification: {message[:500]}")
    dist = Path(args["dist"])
    dist.mkdir(parents=True, exist_ok=True)
    run("write", lambda: write(build, dist, run))
    del phases["write"]  # its steps (export, describe, search, release) are timed one by one
    verification = build.verification
    store = build.project.store
    return {
        "phases": phases,
        "asserted_triples": sum(
            sum(1 for _ in store.quads_for_pattern(None, None, None, to_ox(name)))
            for name in build.project.asserted_graphs
        ),
        "inferred_triples": build.inferred,
        "quote_problems": len(verification.quotes),
        "conforms": verification.validation.conforms,
        "checks_pass": verification.checks.conforms,
        "total_wall": sum(p["wall"] for p in phases.values()),
        "total_cpu": sum(p["cpu"] for p in phases.values()),
    }


def task_reference(args: dict) -> dict:
    """The reference engines on the same asserted graph: owlrl and pySHACL (slow; the baseline)."""
    from tehgraph.inference.engine import infer
    from tehgraph.load import load_project
    from tehgraph.validation.engine import validate_project

    project = load_project(args["project"])
    figures = {}
    if args.get("owlrl", True):
        _, figures["owlrl_infer"] = timed(infer, project.merged(), engine="owlrl")
        _, figures["rules_infer"] = timed(infer, project.merged(), engine="rules")
    if args.get("pyshacl", True):
        _, figures["pyshacl_validate"] = timed(validate_project, project, engine="pyshacl")
        _, figures["sparql_validate"] = timed(validate_project, project, engine="sparql")
    return figures


def load_turtle_files(project: Path):
    """pyoxigraph's own bulk load of the project's Turtle files, each into its named graph: what
    the build parses, done by the engine alone (the build's ratio's denominator)."""
    import pyoxigraph as ox

    from tehgraph.load import graph_name
    from tehgraph.oxterms import to_ox

    store = ox.Store()
    for path in [*sorted((project / "ontology").glob("*.ttl")), *sorted((project / "data").glob("*.ttl"))]:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=to_ox(graph_name(path)))
    return store


def task_raw_load_turtle(args: dict) -> dict:
    """The project's Turtle files loaded by pyoxigraph alone, in a process of its own (peak memory:
    pyoxigraph holding the data)."""
    store, figures = timed(load_turtle_files, Path(args["project"]))
    return {"pyoxigraph_bulk_load_ttl": figures, "quads": len(store)}


def task_raw_load(args: dict) -> dict:
    """Raw parse of the dumps: pyoxigraph bulk load of the named graphs (.nq, what the serving store
    loads) and of the merged graph (.nt), and rdflib's parse of the .nt."""
    import pyoxigraph as ox
    from rdflib import Graph

    path = Path(args["dist"]) / "tehgraph.nt"
    figures = {}
    store = ox.Store()
    _, figures["pyoxigraph_bulk_load_nt"] = timed(
        store.bulk_load, path=str(path), format=ox.RdfFormat.N_TRIPLES
    )
    figures["triples"] = len(store)
    store = ox.Store()  # the first store's memory is released before the second load
    _, figures["pyoxigraph_bulk_load_nq"] = timed(
        store.bulk_load, path=str(path.with_suffix(".nq")), format=ox.RdfFormat.N_QUADS
    )
    store = None
    if args.get("rdflib", True):
        _, figures["rdflib_parse_nt"] = timed(Graph().parse, str(path), format="nt")
    return figures


# --- queries -------------------------------------------------------------------------------------


def choose_params(store, saved) -> dict[str, str]:
    """Parameter values for a saved query: its defaults when the graph has them, else the first
    resource of the expected class (synthetic graphs do not hold the real plans and actors)."""
    from tehgraph.catalog import _check_class, convert
    from tehgraph.errors import ParameterError

    chosen: dict[str, str] = {}
    for param in saved.params:
        if param.type != "iri" or param.cls is None:
            continue
        try:
            _check_class(store, param, convert(param, param.default or ""))
            continue
        except ParameterError:
            pass
        answer = store.query(
            "SELECT ?x WHERE { ?x rdf:type/rdfs:subClassOf* ?class } ORDER BY STR(?x) LIMIT 1",
            {"class": param.cls},
        )
        if answer.rows:
            chosen[param.name] = str(answer.rows[0][0])
    return chosen


def open_backend(name: str, dist: Path, server_dir: str | None):
    """(store, cleanup) for a backend name, loaded from the build's dumps."""
    from tehgraph.stores import OxigraphStore, RdflibStore

    if name == "oxigraph":
        return OxigraphStore.from_dist(dist), lambda: None
    if name == "rdflib":
        return RdflibStore.from_dist(dist), lambda: None
    if name == "server":
        import subprocess

        from devtools.oxigraph_server import OxigraphServer, find_oxigraph
        from tehgraph.stores import RemoteStore

        location = Path(server_dir)
        binary = find_oxigraph()
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(dist / "tehgraph.nq")],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(dist / "tehgraph.nt")],
            check=True,
            capture_output=True,
        )
        server = OxigraphServer(location).start(timeout=300)
        return RemoteStore(server.query_url, timeout=600.0), server.stop
    raise SystemExit(f"unknown backend {name}")


def task_queries(args: dict) -> dict:
    """Load one backend, then every saved query (median of several runs); for the embedded
    default also pyoxigraph's raw time on the same bound query text (the ratio's denominator)."""
    from tehgraph.binding import bind_values
    from tehgraph.catalog import bind_parameters, load_catalog, run_saved
    from tehgraph.namespaces import PREFIX_IRIS

    dist, backend = Path(args["dist"]), args["backend"]
    (store, cleanup), load = timed(open_backend, backend, dist, args.get("server_dir"))
    figures: dict = {"load": load, "queries": {}}
    try:
        catalog = load_catalog(args["project"])
        params = args.get("params") or {}
        for slug, saved in catalog.items():
            raw = params.get(slug, {})
            bindings = bind_parameters(store, saved, raw)
            # The first run warms caches and gives the answer's size; a run longer than `cap` is
            # stopped (rdflib evaluates in Python, so an alarm interrupts it) and recorded as such.
            try:
                with alarm(args.get("cap", 300.0)):
                    first = time.perf_counter()
                    rows = len(run_saved(store, saved, raw).rows)
                    first = time.perf_counter() - first
            except CapExceeded:
                figures["queries"][slug] = {"timeout": args.get("cap", 300.0)}
                continue
            if first > args["budget"]:
                entry = {"median": first, "runs": 1, "min": first}
            else:
                entry = median_time(
                    lambda s=saved, r=raw: run_saved(store, s, r), args["repeat"], args["budget"]
                )
            entry["rows"] = rows
            if backend == "oxigraph":
                text = bind_values(saved.text, bindings)

                def raw_query(text=text) -> None:
                    # the same dataset as the store's (the union of the named graphs, as served)
                    answer = store.store.query(
                        text, prefixes=PREFIX_IRIS, use_default_graph_as_union=store.union
                    )
                    for _ in answer:
                        pass

                entry["pyoxigraph_raw"] = median_time(raw_query, args["repeat"], args["budget"])["median"]
            figures["queries"][slug] = entry
    finally:
        cleanup()
    return figures


def task_choose_params(args: dict) -> dict:
    """Parameter values present in the graph, and a measure to show, from the default store."""
    from tehgraph.catalog import load_catalog
    from tehgraph.stores import OxigraphStore

    store = OxigraphStore.from_dist(Path(args["dist"]))
    first = store.query("SELECT ?m WHERE { ?m a teh:Measure } ORDER BY STR(?m) LIMIT 1").rows[0][0]
    return {
        "params": {slug: choose_params(store, q) for slug, q in load_catalog(args["project"]).items()},
        "measure": str(first),  # the entity whose pages and description are timed
    }


# --- web pages ---------------------------------------------------------------------------------


def task_web(args: dict) -> dict:
    """Entity, class, search and saved-query pages through the Flask test client: the first
    visit, then the median of later ones rendered afresh (the whole-answer cache off, unless
    `response_cache_mb` is given: with it on, a repeated page is a copy of bytes, ~1 ms)."""
    from tehgraph.config import Settings
    from tehgraph.web import create_app

    settings = Settings(
        project_dir=Path(args["project"]),
        dist_dir=Path(args["dist"]),
        query_workers=0,
        response_cache_mb=args.get("response_cache_mb", 0),
    )
    app, startup = timed(create_app, settings)
    client = app.test_client()
    pages = args["pages"]
    figures: dict = {"startup": startup, "pages": {}}
    for name, url in pages.items():
        first = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - first
        entry = median_time(lambda url=url: client.get(url), args["repeat"], args["budget"])
        entry.update(status=response.status_code, cold=cold, url=url)
        figures["pages"][name] = entry
    return figures


TASKS = {
    "build": task_build,
    "reference": task_reference,
    "raw_load": task_raw_load,
    "raw_load_turtle": task_raw_load_turtle,
    "queries": task_queries,
    "choose_params": task_choose_params,
    "web": task_web,
}


def main() -> None:
    from tehgraph import collector

    collector.tune()  # as the `tehgraph` command does: the figures are those its users get
    task, args = sys.argv[1], json.loads(sys.argv[2])
    figures = TASKS[task](args)
    figures["max_rss_mib"] = peak_mib()
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
