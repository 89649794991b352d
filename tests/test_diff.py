"""tehgraph diff on real builds: the same input twice, then a copy with a demand, a statement and an actor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from tehgraph.build import build
from tehgraph.cli import main
from tehgraph.diff import as_graph, as_json, as_text, diff_builds, load_table
from tehgraph.diff.rules import KINDS
from tehgraph.load import defined_terms, load_project
from tehgraph.namespaces import GRAPH, ID, TEH

from .curate_helpers import CURATE_FIXTURES, copy_project

ADDITIONS = CURATE_FIXTURES / "diff-additions.ttl"
# Terms another helper is adding to the ontology (teh:Response): the table may name them first.
PENDING_TERMS = {TEH.Response, TEH.respondsTo, TEH.verdict}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, project_dir):
    """The real project built a second time, from the same input."""
    return build(project_dir, tmp_path_factory.mktemp("rebuilt") / "dist")


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """A copy of the project with tests/fixtures/curate/diff-additions.ttl added, built."""
    project = copy_project(tmp_path_factory.mktemp("extended") / "project")
    shutil.copy(ADDITIONS, project / "data" / ADDITIONS.name)
    return build(project, project / "dist")


def reported(diff) -> dict[str, list[str]]:
    return {
        change.rule.key: [str(item.iri) for item in change.items] for change in diff.changes if change.items
    }


def test_the_same_input_built_twice_shows_no_change(built, rebuilt):
    old, new = built.dist / "tehgraph.nq", rebuilt.dist / "tehgraph.nq"
    old_lines, new_lines = set(old.read_text().splitlines()), set(new.read_text().splitlines())
    assert any("_:" in line for line in old_lines), "the build has blank nodes (SHACL shapes, lists)"
    # blank nodes are labelled by file and order of appearance (load.relabelled): the same bytes
    assert old_lines == new_lines and old.read_bytes() == new.read_bytes()
    diff = diff_builds(built.dist, rebuilt.dist)
    assert diff.identical and diff.added == diff.removed == 0
    assert reported(diff) == {}
    result = CliRunner().invoke(main, ["diff", str(built.dist), str(rebuilt.dist)])
    assert result.exit_code == 0, result.output
    assert "No change" in result.output


def test_diff_lists_exactly_the_demand_the_statement_and_the_actor_added(built, extended):
    diff = diff_builds(built.dist, extended.dist)
    assert reported(diff) == {
        "new-demands": [str(ID["demand/test-places-ac-se"])],
        "new-demand-statements": [str(ID["demand/delai-reflexion-3-mois"])],
        "new-actors": [str(ID["org/test-association-essai"])],
    }
    statement = next(c for c in diff.changes if c.rule.key == "new-demand-statements").items[0]
    [evidence] = statement.properties
    assert [v.term for v in evidence.added] == [
        ID["evidence/test/delai-3-mois-souhaite"]
    ] and not evidence.removed
    changed = {g.graph: (g.added, g.removed) for g in diff.graphs if g.changed}
    fixture_triples = len(Graph().parse(ADDITIONS))
    # the new statement's addressee is derived by the build rules (graph/derived) as well
    assert changed.keys() == {str(GRAPH["diff-additions"]), str(GRAPH["inferred"]), str(GRAPH["derived"])}
    assert changed[str(GRAPH["diff-additions"])] == (fixture_triples, 0)
    assert diff.removed == 0


def test_the_readable_list_names_things_by_their_labels(built, extended):
    text = as_text(diff_builds(built.dist, extended.dist))
    assert "New demands (1)\n  - Augmenter les places du dispositif Ac-Sé (essai)" in text
    assert "demanded by: Association d'essai pour le diff" in text
    assert (
        "New statements of existing demands (1)\n  - Porter le délai de réflexion de 30 jours à 3 mois"
        in text
    )
    assert (
        "+ evidence: «Le Collectif souhaite qu'il soit porté à 3 mois.» (doc/cr-2014-02-03, l. 151-151)"
        in text
    )
    actor = "Association d'essai pour le diff  (org/test-association-essai; graph/diff-additions)"
    assert f"New actors (1)\n  - {actor}" in text
    assert any("graph/diff-additions" in line for line in text.splitlines()[2:4])


def test_json_and_turtle_say_the_same(built, extended):
    diff = diff_builds(built.dist, extended.dist)
    data = json.loads(as_json(diff))
    assert data["identical"] is False and data["triples"]["removed"] == 0
    assert {c["key"]: [i["iri"] for i in c["items"]] for c in data["changes"] if c["items"]} == reported(diff)
    assert {c["key"] for c in data["changes"]} == {rule.key for rule in load_table().rules}
    graph = Graph().parse(data=as_graph(diff).serialize(format="turtle"), format="turtle")
    rows = graph.query(
        """SELECT ?key ?resource WHERE {
             ?activity a prov:Activity ; prov:generated ?set .
             ?set dcterms:identifier ?key ; prov:hadMember/prov:specializationOf ?resource }""",
        initNs={"prov": PROV, "dcterms": URIRef("http://purl.org/dc/terms/")},
    )
    assert {(str(k), str(r)) for k, r in rows} == {(k, iris[0]) for k, iris in reported(diff).items()}
    new_build = URIRef((extended.dist.resolve() / "tehgraph.nq").as_uri())
    assert (new_build, PROV.wasRevisionOf, URIRef((built.dist.resolve() / "tehgraph.nq").as_uri())) in graph


def test_the_other_way_round_reports_removals(built, extended):
    diff = diff_builds(extended.dist, built.dist)
    keys = reported(diff)
    assert keys["removed-demands"] == [str(ID["demand/test-places-ac-se"])]
    assert keys["removed-actors"] == [str(ID["org/test-association-essai"])]
    assert diff.added == 0 and diff.removed > 0


def test_the_command_exits_1_on_changes_and_2_without_a_build(built, extended, tmp_path):
    runner = CliRunner()
    for fmt in ("text", "json", "turtle"):
        result = runner.invoke(main, ["diff", str(built.dist), str(extended.dist), "--format", fmt])
        assert result.exit_code == 1, result.output
        assert "test-association-essai" in result.output
    missing = runner.invoke(main, ["diff", str(built.dist), str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "tehgraph.nq is missing: run `tehgraph build` first" in missing.output


# ---------------------------------------------------------------- blank nodes and generic classes

TEH_, ID_, G_ = (
    "https://w3id.org/tehgraph/ontology#",
    "https://w3id.org/tehgraph/id/",
    "https://w3id.org/tehgraph/graph/",
)
SKOS_LABEL, TYPE = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
)


def nquads(rows: list[tuple[str, str, str, str]]) -> str:
    return "".join(f"{s} {p} {o} <{G_}{g}> .\n" for s, p, o, g in rows)


def meeting(a: str, b: str, role: str) -> list[tuple[str, str, str, str]]:
    """A meeting with two attendance records as blank nodes (labels a and b)."""
    m = f"<{ID_}meeting/m>"
    return [
        (m, f"<{TEH_}attendance>", a, "g"),
        (a, f"<{TEH_}attendee>", f"<{ID_}person/p>", "g"),
        (a, f"<{TEH_}roleLabel>", f'"{role}"@fr', "g"),
        (m, f"<{TEH_}attendance>", b, "g"),
        (b, f"<{TEH_}attendee>", f"<{ID_}person/q>", "g"),
        (b, f"<{TEH_}roleLabel>", '"présidente"@fr', "g"),
    ]


def response(verdict: str) -> list[tuple[str, str, str, str]]:
    r = f"<{ID_}response/r>"
    return [
        (r, TYPE, f"<{TEH_}Response>", "g"),
        (r, f"<{TEH_}verdict>", f"<{ID_}concept/verdict/{verdict}>", "g"),
        (f"<{ID_}concept/verdict/met>", SKOS_LABEL, '"satisfaite"@fr', "concepts"),
        (f"<{ID_}concept/verdict/not-met>", SKOS_LABEL, '"non satisfaite"@fr', "concepts"),
    ]


def dist_with(tmp_path: Path, name: str, nquads: str) -> Path:
    dist = tmp_path / name
    dist.mkdir()
    (dist / "tehgraph.nq").write_text(nquads, encoding="utf-8")
    return dist


def test_blank_nodes_are_compared_by_their_content(tmp_path):
    old = dist_with(tmp_path, "old", nquads(meeting("_:x1", "_:x2", "secrétaire")))
    same = dist_with(tmp_path, "same", nquads(list(reversed(meeting("_:zz", "_:aa", "secrétaire")))))
    assert diff_builds(old, same).identical
    changed = dist_with(tmp_path, "changed", nquads(meeting("_:x1", "_:x2", "trésorière")))
    diff = diff_builds(old, changed)
    assert not diff.identical
    assert (diff.added, diff.removed) == (3, 3)  # the one attendance record whose role changed


def test_a_changed_verdict_is_reported_from_the_table_alone(tmp_path):
    old = dist_with(tmp_path, "old", nquads(response("not-met")))
    new = dist_with(tmp_path, "new", nquads(response("met")))
    diff = diff_builds(old, new)
    assert reported(diff) == {"changed-response-verdict": [str(ID["response/r"])]}
    assert "teh:verdict: non satisfaite → satisfaite" in as_text(diff)


def test_the_table_is_well_formed_and_names_ontology_terms(project_dir):
    table = load_table()
    keys = [rule.key for rule in table.rules]
    assert len(keys) == len(set(keys))
    known = defined_terms(load_project(project_dir).ontology)
    for rule in table.rules:
        assert rule.kind in KINDS
        for term in (*rule.classes, *rule.properties, *rule.show):
            if str(term).startswith(str(TEH)):
                assert term in known or term in PENDING_TERMS, (rule.key, term)
