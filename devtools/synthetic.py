# ruff: noqa: E501 -- Turtle templates read better on one line each
"""A deterministic generator of synthetic tehgraph projects of a chosen size.

The graphs have the shape of the real one — actors, plans, sections, measures, instruments,
demands with evidence, positions, assessments, meetings with attendance, figures, mentions — and
conform to the shipped shapes, and every quote stands in a generated source text, so the whole
build (quotes, SHACL, OWL RL, export) runs on them as on the real data.

    python -m devtools.synthetic --triples 100000 --out /tmp/synth-100k
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

PREFIXES = """@prefix teh: <https://w3id.org/tehgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@base <https://w3id.org/tehgraph/id/> .

"""

FORMS = ["sexual-exploitation", "forced-labour", "domestic-servitude", "forced-criminality", "forced-begging"]
TARGETS = ["victims", "minors", "unaccompanied-minors", "migrants", "professionals"]
THEMES = [
    "identification",
    "accommodation",
    "residence-permits",
    "training",
    "funding",
    "coordination",
    "prosecution",
    "statistics",
    "victim-protection",
    "awareness",
]
STANCES = ["supports", "welcomes", "criticizes", "opposes", "concerned", "asks-change"]
STATUSES = ["implemented", "partially-implemented", "not-implemented", "unknown"]
ACTOR_KINDS = [
    "Ministry",
    "PublicBody",
    "Association",
    "Association",
    "Association",
    "InternationalBody",
    "TradeUnion",
]
# Roughly how many triples one "world" (a plan and everything around it) holds; used to size the run.
TRIPLES_PER_WORLD = 5_200


@dataclass
class World:
    """Counters of one generated block, so IRIs stay unique and readable."""

    index: int
    rng: random.Random


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class SourceText:
    """A generated source document: each claim adds a line, and its evidence quotes that line."""

    def __init__(self, slug: str):
        self.slug = slug
        self.lines: list[str] = [f"Document synthétique {slug}", ""]

    def say(self, sentence: str) -> int:
        self.lines.append(sentence)
        return len(self.lines)


def _world(world: World, docs: list[SourceText], out: dict[str, list[str]]) -> None:
    w, rng = world.index, world.rng
    doc = SourceText(f"synth-{w:05d}")
    docs.append(doc)
    doc_iri = f"<doc/{doc.slug}>"
    plan = f"<plan/synth-{w}>"
    actors: list[str] = []
    persons: list[str] = []
    add = out.setdefault
    a_lines, p_lines, c_lines, m_lines = (
        add("actors", []),
        add("plans", []),
        add("claims", []),
        add("meetings", []),
    )
    i_lines = add("instruments", [])
    for a in range(60):
        iri = f"<org/synth-{w}-{a}>"
        kind = ACTOR_KINDS[a % len(ACTOR_KINDS)]
        actors.append(iri)
        a_lines.append(
            f'{iri} a teh:{kind} ; rdfs:label "Organisation {w}-{a}"@fr , "Organisation {w}-{a}"@en ; '
            f'skos:altLabel "O{w}X{a}"@fr ; teh:mentionedIn {doc_iri} .'
        )
    for p in range(20):
        iri = f"<person/synth-{w}-{p}>"
        persons.append(iri)
        a_lines.append(
            f'{iri} a foaf:Person ; rdfs:label "Personne {w}-{p}"@fr ; org:memberOf {rng.choice(actors)} ; '
            f"teh:mentionedIn {doc_iri} ."
        )
    instruments = []
    code = f"<instrument/synth-code-{w}>"
    i_lines.append(f'{code} a teh:Code ; rdfs:label "Code synthétique {w}"@fr ; teh:mentionedIn {doc_iri} .')
    for k in range(30):
        iri = f"<instrument/synth-{w}-{k}>"
        instruments.append(iri)
        i_lines.append(
            f'{iri} a teh:CodeArticle ; rdfs:label "Article {w}-{k}"@fr ; eli:is_part_of {code} ; '
            f'teh:instrumentNumber "L{k}" ; dcterms:date "2016-04-13"^^xsd:date ; teh:mentionedIn {doc_iri} .'
        )
    p_lines.append(
        f'{plan} a teh:ActionPlan ; rdfs:label "Plan synthétique {w}"@fr ; dcterms:title "Plan synthétique {w}"@fr ; '
        f'teh:startYear "{2000 + w}"^^xsd:gYear ; teh:endYear "{2002 + w}"^^xsd:gYear .'
    )
    measures = []
    for s in range(1, 6):
        section = f"<plan/synth-{w}/priority/{s}>"
        p_lines.append(
            f'{section} a teh:Priority ; rdfs:label "Priorité {s}"@fr ; dcterms:title "Priorité {s} du plan {w}"@fr ; '
            f"teh:sectionOf {plan} ; teh:inPlan {plan} ; teh:number {s} ."
        )
        for j in range(1, 9):
            n = (s - 1) * 8 + j
            iri = f"<measure/synth-{w}/{n}>"
            measures.append(iri)
            follows = f" ; teh:followsUp <measure/synth-{w - 1}/{n}>" if w > 0 and n % 3 == 0 else ""
            p_lines.append(
                f'{iri} a teh:Measure ; rdfs:label "Mesure {n} : action {w}-{n}"@fr ; '
                f'dcterms:title "Action {w}-{n}"@fr ; teh:summary "Résumé de la mesure {w}-{n}."@fr ; '
                f"teh:inPlan {plan} ; teh:inSection {section} ; teh:number {n} ; "
                f"teh:implementedBy {rng.choice(actors[:20])} , {rng.choice(actors[:20])} ; "
                f"teh:partner {rng.choice(actors)} , {rng.choice(actors)} ; "
                f"teh:instrument {rng.choice(instruments)} ; "
                f"teh:concernsForm <concept/form/{rng.choice(FORMS)}> ; "
                f"teh:targets <concept/target/{rng.choice(TARGETS)}> ; "
                f"teh:theme <concept/theme/{rng.choice(THEMES)}> , <concept/theme/{rng.choice(THEMES)}> ; "
                f"teh:mentionedIn {doc_iri}{follows} ."
            )
    for d in range(120):
        line = doc.say(f"L'organisation {w}-{d} demande que la mesure soit renforcée (demande {w}-{d}).")
        ev = f"<evidence/{doc.slug}/d{d}>"
        c_lines.append(
            f'<demand/synth-{w}-{d}> a teh:Demand ; rdfs:label "Demande {w}-{d}"@fr ; '
            f'dcterms:description "Renforcer la mesure ({w}-{d})."@fr ; teh:demandedBy {rng.choice(actors)} ; '
            f"teh:addressedTo {rng.choice(actors[:20])} ; teh:about {rng.choice(measures)} ; "
            f"teh:theme <concept/theme/{rng.choice(THEMES)}> ; teh:evidence {ev} ."
        )
        c_lines.append(
            _evidence(ev, doc_iri, f"demande que la mesure soit renforcée (demande {w}-{d})", line)
        )
    for q in range(80):
        line = doc.say(f"L'organisation {w}-{q} se prononce sur la mesure (position {w}-{q}).")
        ev = f"<evidence/{doc.slug}/p{q}>"
        c_lines.append(
            f'<position/synth-{w}-{q}> a teh:Position ; rdfs:label "Position {w}-{q}"@fr ; '
            f"teh:heldBy {rng.choice(actors)} ; "
            f"teh:on {rng.choice(measures)} ; teh:stance <concept/stance/{rng.choice(STANCES)}> ; "
            f'dcterms:description "Position {w}-{q}."@fr ; dcterms:date "2017-03-09"^^xsd:date ; teh:evidence {ev} .'
        )
        c_lines.append(_evidence(ev, doc_iri, f"se prononce sur la mesure (position {w}-{q})", line))
    for n, measure in enumerate(measures, start=1):
        line = doc.say(f"Constat sur la mesure {w}-{n} : état observé.")
        ev = f"<evidence/{doc.slug}/a{n}>"
        c_lines.append(
            f"<assessment/synth-{w}/{n}> a teh:Assessment ; teh:assesses {measure} ; "
            f"teh:assessedBy {actors[2]} ; teh:status <concept/status/{rng.choice(STATUSES)}> ; "
            f'dcterms:date "2017-03-09"^^xsd:date ; teh:evidence {ev} .'
        )
        c_lines.append(_evidence(ev, doc_iri, f"Constat sur la mesure {w}-{n}", line))
    for f in range(20):
        line = doc.say(f"Il existe {f + 10} places pour le dispositif {w}-{f}.")
        ev = f"<evidence/{doc.slug}/f{f}>"
        c_lines.append(
            f'<figure/synth-{w}-{f}> a teh:Figure ; rdfs:label "{f + 10} places"@fr ; rdf:value {f + 10} ; '
            f'teh:unit "places"@fr ; teh:about {rng.choice(measures)} ; teh:evidence {ev} .'
        )
        c_lines.append(_evidence(ev, doc_iri, f"Il existe {f + 10} places", line))
    for m in range(15):
        attendees = rng.sample(persons, 4)
        attendance = " , ".join(
            f"[ a teh:Attendance ; teh:attendee {p} ; teh:onBehalfOf {rng.choice(actors)} ; "
            f'teh:roleLabel "représentant"@fr ]'
            for p in attendees
        )
        m_lines.append(
            f'<meeting/synth-{w}-{m}> a teh:Meeting ; rdfs:label "Réunion {w}-{m}"@fr ; '
            f'dcterms:date "2015-{1 + m % 12:02d}-{1 + m % 28:02d}"^^xsd:date ; teh:held true ; '
            f'teh:place "Paris"@fr ; teh:organizer {rng.choice(actors[:20])} ; '
            f"teh:participant {' , '.join(attendees)} ; teh:attendance {attendance} ; "
            f"teh:discussed {rng.choice(measures)} ."
        )


def _evidence(iri: str, doc_iri: str, quote: str, line: int) -> str:
    return (
        f'{iri} a teh:Evidence ; teh:statedIn {doc_iri} ; teh:quote "{_esc(quote)}"@fr ; '
        f'teh:lineStart {line} ; teh:lineEnd {line} ; dcterms:date "2017-03-09"^^xsd:date .'
    )


def generate(project_dir: Path, out: Path, triples: int, seed: int = 42) -> int:
    """Write a synthetic project of about `triples` asserted data triples; returns the world count."""
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "sources").mkdir(parents=True)
    shutil.copytree(project_dir / "ontology", out / "ontology")
    rng = random.Random(seed)
    worlds = max(1, round(triples / TRIPLES_PER_WORLD))
    docs: list[SourceText] = []
    blocks: dict[str, list[str]] = {}
    for w in range(worlds):
        _world(World(w, rng), docs, blocks)
    for name, lines in blocks.items():
        (out / "data" / f"{name}.ttl").write_text(PREFIXES + "\n".join(lines) + "\n", encoding="utf-8")
    source_lines = [PREFIXES]
    for doc in docs:
        path = f"data/sources/{doc.slug}.txt"
        (out / path).write_text("\n".join(doc.lines) + "\n", encoding="utf-8")
        source_lines.append(
            f'<doc/{doc.slug}> a teh:SourceDocument ; rdfs:label "Document {doc.slug}"@fr ; '
            f'dcterms:title "Document {doc.slug}"@fr ; dcterms:creator <org/synth-0-2> ; '
            f'dcterms:date "2017-03-09"^^xsd:date ; teh:sourceFile "{path}" .'
        )
    (out / "data" / "sources.ttl").write_text("\n".join(source_lines) + "\n", encoding="utf-8")
    return worlds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="approximate number of data triples")
    parser.add_argument("--out", type=Path, required=True, help="folder of the synthetic project")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    worlds = generate(args.project, args.out, args.triples, args.seed)
    print(f"wrote {worlds} world(s) into {args.out}")


if __name__ == "__main__":
    main()
