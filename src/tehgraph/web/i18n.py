"""French by default, English on request: `?lang=en` or the browser's Accept-Language.

The interface's words are a data file (messages.json: key -> {fr, en}); labels of resources come
from the graph with a fallback to the other language (WebState.label).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import g, has_request_context, request

LANGUAGES = ("fr", "en")


def load_messages(folder: Path = Path(__file__).parent) -> dict[str, dict[str, str]]:
    """Every `*messages.json` of the web package merged (each blueprint area may keep its own)."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*messages.json")):
        merged.update(json.loads(path.read_text("utf-8")))
    return merged


MESSAGES = load_messages()


def choose_language() -> str:
    """`?lang=` when valid, else the best Accept-Language match, else French."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def current_language() -> str:
    return getattr(g, "lang", LANGUAGES[0])


def translate(key: str, /, **values) -> str:
    """The message `key` in the current language (falling back to the other), formatted."""
    return in_language(current_language(), key, **values)


def in_language(lang: str, key: str, /, **values) -> str:
    """The message `key` in `lang` (falling back to the other), formatted: for what is composed
    once for a language and kept (WebState.label's captions), whatever page asked first."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("fr" if lang == "en" else "en") or key
    return text.format(**values) if values else text


ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def when(value, approx: bool = False, lang: str | None = None) -> str:
    """A date as readers write it (« 3 février 2014 », « mars 2017 », « 2020 »); an approximate
    one (a document that prints no date) is said to be so (« vers 2020 »). In the page's language
    unless `lang` is given."""
    text = str(value) if value is not None else ""
    found = ISO_DATE.match(text)
    if not found:
        return text
    lang = lang or current_language()
    year, month, day = found.groups()
    shown = year
    if month:
        shown = in_language(lang, f"month_{int(month)}") + " " + year
        if day:
            shown = f"{int(day)} {shown}" if lang == "fr" else f"{shown[:-5]} {int(day)}, {year}"
    return in_language(lang, "approximately", date=shown) if approx else shown


def keep_language(endpoint: str, values: dict) -> None:
    """url_for default: once `?lang=` was given, links keep it (Accept-Language needs nothing)."""
    if not has_request_context():
        return
    if "lang" in request.args and request.args["lang"] in LANGUAGES and endpoint != "static":
        values.setdefault("lang", request.args["lang"])
