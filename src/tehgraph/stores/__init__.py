"""The backends behind one interface (base.Store), and the one way to open the configured one.

`BACKENDS` is the registry: the CLI's `--store` choices, the settings' `store` and the tests all
read it. A remote endpoint is chosen by setting one (`--endpoint`, TEHGRAPH_ENDPOINT); the guarded
pool (guarded.py) wraps any of them for the web app.
"""

from __future__ import annotations

from ..config import Settings
from ..errors import QueryError
from .base import Store
from .oxigraph import OxigraphStore
from .rdflib_store import RdflibStore
from .remote import RemoteStore

BACKENDS: dict[str, type[Store]] = {cls.name: cls for cls in (OxigraphStore, RdflibStore, RemoteStore)}
# The backends a build's dumps can be loaded into, in this process (the `--store` choices).
EMBEDDED: tuple[str, ...] = tuple(name for name, cls in BACKENDS.items() if cls.embedded)

__all__ = ["BACKENDS", "EMBEDDED", "OxigraphStore", "RdflibStore", "RemoteStore", "Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """The store the settings ask for: the remote endpoint when one is set, else an embedded one."""
    if settings.endpoint:
        return RemoteStore.from_settings(settings)
    if settings.store not in EMBEDDED:
        raise QueryError(f"unknown store {settings.store!r}; choose one of {', '.join(EMBEDDED)}")
    return BACKENDS[settings.store].from_settings(settings)
