"""`tehgraph new-source`: a document's text, its teh:SourceDocument and its data file, in one step.

Nothing is written until every check passed (the text is UTF-8, no file or IRI would be
overwritten, the creators are actors of data/actors.ttl), and the three writes are undone together
if one of them fails, so the project is never left half-added. The Turtle comes from templates
shipped in the package (`templates/*.ttl.j2`), not from strings in this module.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ..errors import LoadError
from ..load import read_turtle
from ..namespaces import ID, TEH
from ..quotes import normalise
from .corpus import SOURCES_FILE, load_sources
from .errors import CurateError, SourceExistsError, UnknownActorError
from .text import fold

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATES = {
    re.compile(r"^\d{4}-\d{2}-\d{2}$"): "xsd:date",
    re.compile(r"^\d{4}-\d{2}$"): "xsd:gYearMonth",
    re.compile(r"^\d{4}$"): "xsd:gYear",
}
# The concept schemes a curator picks values from, listed in the skeleton (absent ones are skipped).
SCHEMES = ("Stances", "ImplementationStatuses", "Verdicts", "Themes")


@dataclass(frozen=True)
class NewSource:
    """What new-source wrote: the document IRI and the three paths (relative to the project)."""

    iri: URIRef
    slug: str
    text: Path
    sources: Path
    data: Path
    lines: int


def new_source(
    project_dir: Path | str,
    file: Path | str,
    title: str,
    creators: list[str],
    date: str | None = None,
    slug: str | None = None,
    label: str | None = None,
) -> NewSource:
    """Copy FILE into data/sources/, append its teh:SourceDocument, write data/<slug>.ttl."""
    project_dir, file = Path(project_dir), Path(file)
    text = _read_text(file)
    slug = slug or slugify(file.stem)
    if not _SLUG.match(slug):
        raise CurateError(f"slug {slug!r}: use lowercase ASCII words joined by hyphens (cr-2016-05-12)")
    title = normalise(title)
    if not title:
        raise CurateError("--title is empty")
    target = Path("data") / "sources" / (slugify(file.stem) + (file.suffix.lower() or ".txt"))
    data_file = Path("data") / f"{slug}.ttl"
    iri = ID[f"doc/{slug}"]
    _refuse_existing(project_dir, slug, target, data_file)
    context = {
        "slug": slug,
        "iri": f"doc/{slug}",
        "title": title,
        "label": normalise(label or "") or title,
        "date": _date(date),
        "creators": [_actor(project_dir, creator) for creator in creators],
        "source_file": target.as_posix(),
        "lines": len(text.splitlines()),
        "schemes": _schemes(project_dir),
    }
    if not context["creators"]:
        raise CurateError("give at least one --creator (an actor of data/actors.ttl, e.g. org/ccem)")
    entry = _render("source-document.ttl.j2", context)
    skeleton = _render("source-data.ttl.j2", context)
    _write_all(project_dir, file, target, entry, data_file, skeleton)
    return NewSource(iri, slug, target, SOURCES_FILE, data_file, context["lines"])


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: « Rapport GRETA 2017 » → rapport-greta-2017."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _read_text(file: Path) -> str:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LoadError(file, "not UTF-8 text: save the document as plain UTF-8 text first") from None
    except OSError as error:
        raise LoadError(file, f"cannot read: {error.strerror}") from None
    if not text.strip():
        raise CurateError(f"{file}: the text is empty")
    return text


def _refuse_existing(project_dir: Path, slug: str, target: Path, data_file: Path) -> None:
    if any(source.slug == slug for source in load_sources(project_dir)):
        raise SourceExistsError(f"<doc/{slug}> is already in {SOURCES_FILE}: choose another --slug")
    for path in (target, data_file):
        if (project_dir / path).exists():
            raise SourceExistsError(
                f"{path} already exists: not overwritten (choose another --slug or file name)"
            )


def _date(date: str | None) -> str | None:
    if not date:
        return None
    for pattern, datatype in _DATES.items():
        if pattern.match(date):
            return f'"{date}"^^{datatype}'
    raise CurateError(f"--date {date!r}: write YYYY-MM-DD (or YYYY-MM, YYYY when the document gives no day)")


def _actor(project_dir: Path, creator: str) -> str:
    """The relative IRI of an actor of data/actors.ttl, given as org/x, <org/x> or the full IRI."""
    creator = creator.strip().strip("<>")
    relative = creator[len(str(ID)) :] if creator.startswith(str(ID)) else creator
    actors = Graph()
    read_turtle(project_dir / "data" / "actors.ttl", actors)
    if (ID[relative], None, None) in actors:
        return relative
    hints = _close_actors(actors, relative)
    hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
    raise UnknownActorError(
        f"creator {creator!r} is not in data/actors.ttl{hint}: add the actor there first "
        "(see docs/curating.md, « Reuse actors »)"
    )


def _close_actors(actors: Graph, relative: str, limit: int = 5) -> list[str]:
    """Actors sharing words with the unknown one (in their IRI or labels), best first."""
    wanted = {w for w in re.findall(r"[a-z0-9]+", fold(relative.rsplit("/", 1)[-1])[0]) if len(w) > 2}
    scores: dict[str, int] = {}
    for subject in set(actors.subjects(RDFS.label, None)):
        names = " ".join(
            [str(subject)[len(str(ID)) :], *map(str, actors.objects(subject, RDFS.label | SKOS.altLabel))]
        )
        score = len(wanted & set(re.findall(r"[a-z0-9]+", fold(names)[0])))
        if score:
            scores[str(subject)[len(str(ID)) :]] = score
    return sorted(scores, key=lambda iri: (-scores[iri], iri))[:limit]


def _schemes(project_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Concepts of each scheme the skeleton lists: (relative IRI, French label), from the ontology."""
    concepts = Graph()
    read_turtle(project_dir / "ontology" / "concepts.ttl", concepts)
    schemes: dict[str, list[tuple[str, str]]] = {}
    for name in SCHEMES:
        members = []
        for concept in concepts.subjects(SKOS.inScheme, TEH[name]):
            labels = [
                o for o in concepts.objects(concept, SKOS.prefLabel) if getattr(o, "language", None) == "fr"
            ]
            members.append((str(concept)[len(str(ID)) :], str(labels[0]) if labels else ""))
        if members:
            schemes[name] = sorted(members)
    return schemes


def _render(template: str, context: dict) -> str:
    # Imported here: only `new-source` renders, and every other command (a build) loads this module.
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("tehgraph.curate", "templates"),
        autoescape=False,  # Turtle, not HTML: literals are escaped by the `literal` filter
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["literal"] = lambda text, lang="fr": Literal(text, lang=lang).n3()
    return environment.get_template(template).render(context)


def _write_all(
    project_dir: Path, file: Path, target: Path, entry: str, data_file: Path, skeleton: str
) -> None:
    """Write the three files, check they parse, and undo all of it if anything fails."""
    sources_path = project_dir / SOURCES_FILE
    before = sources_path.read_text(encoding="utf-8")
    written: list[Path] = []
    try:
        (project_dir / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, project_dir / target)
        written.append(project_dir / target)
        (project_dir / data_file).write_text(skeleton, encoding="utf-8")
        written.append(project_dir / data_file)
        separator = "" if before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
        sources_path.write_text(before + separator + entry, encoding="utf-8")
        for path in (sources_path, project_dir / data_file):
            read_turtle(path, Graph())
    except BaseException:
        sources_path.write_text(before, encoding="utf-8")
        for path in written:
            path.unlink(missing_ok=True)
        raise
