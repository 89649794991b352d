"""A real Virtuoso Open Source server for tests and benchmarks: Debian's `virtuoso-t`, no system service.

`make system-deps` installs `virtuoso-opensource-7-bin` (the server and `isql-vt`, without the
package that registers an init script and asks for a password through debconf). Each server here
runs in the foreground from its own ini file, with its database in a temporary folder, HTTP and
SQL ports on 127.0.0.1 only, and stops with the test session. Once it answers, `isql-vt` replaces
the well-known `dba` password with a random one and creates the one account tehgraph writes with:
a user in the `SPARQL_UPDATE` role, no other privilege, which the digest-authenticated endpoints
`/sparql-auth` and `/sparql-graph-crud-auth` accept. The public `/sparql` stays read-only (its
`SPARQL` user is not granted updates). See docs/backends.md.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from devtools.oxigraph_server import free_port, stop_process, wait_until_answering
from tehgraph.config import Settings

# Where tehgraph's merged graph lives on a server whose default graph is the union of all graphs.
MERGED_GRAPH = "https://w3id.org/tehgraph/graph/merged"
WRITER = "tehgraph"  # the account push uses (SPARQL_UPDATE only)

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = .
AllowOSCalls = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
; the embedded stores return every row; no "anytime" partial answers (MaxQueryExecutionTime unset)
ResultSetMaxRows = 10000000
"""


class VirtuosoMissing(RuntimeError):
    """The `virtuoso-t` server binary (Debian package virtuoso-opensource-7-bin) is not installed."""


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise VirtuosoMissing(
            f"`{name}` is missing: make system-deps (Debian package virtuoso-opensource-7-bin)"
        )
    return found


@dataclass
class VirtuosoServer:
    """One `virtuoso-t +foreground` process on 127.0.0.1 with its own database folder and ini."""

    location: Path
    buffers: int = 20000  # 8 KiB pages: 160 MiB of cache, ample for the real graph
    http_port: int = 0
    sql_port: int = 0
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)  # the writer's
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)  # dba's
    process: subprocess.Popen | None = None

    @property
    def log(self) -> Path:
        return self.location / "virtuoso.out"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def store_url(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def settings(self, base: Settings, **overrides) -> Settings:
        """`base` pointed at this server: the public query URL, the digest-authenticated graph
        store, the writer's credentials, and the merged graph in a named graph of its own."""
        values = {
            "endpoint": self.query_url,
            "graph_store": self.store_url,
            "update_endpoint": None,
            "endpoint_user": WRITER,
            "endpoint_password": self.password,
            "endpoint_token": None,
            "merged_graph": MERGED_GRAPH,
        }
        return replace(base, **{**values, **overrides})

    def start(self, timeout: float = 120.0) -> VirtuosoServer:
        self.location.mkdir(parents=True, exist_ok=True)
        self.http_port = self.http_port or free_port()
        self.sql_port = self.sql_port or free_port()
        ini = self.location / "virtuoso.ini"
        ini.write_text(
            INI.format(
                folder=self.location.resolve(),
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty_buffers=self.buffers * 3 // 4,
            ),
            encoding="utf-8",
        )
        command = [find_binary("virtuoso-t"), "+foreground", "+configfile", str(ini)]
        # Its log goes to a file: a pipe nobody reads would fill up and block the server.
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.location, stdout=log, stderr=subprocess.STDOUT)
        try:
            ready = self.query_url + "?query=ASK%7B%7D"
            wait_until_answering(self.process, ready, timeout, "virtuoso-t", self.log)
            self._configure()
        except BaseException:
            self.stop()
            raise
        return self

    def _configure(self) -> None:
        """A random dba password, and the writer account with the SPARQL_UPDATE role only."""
        self.sql(
            f"DB.DBA.USER_CREATE ('{WRITER}', '{self.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{WRITER}";\n'
            f"DB.DBA.USER_SET_PASSWORD ('dba', '{self.admin_password}');\n",
            dba_password="dba",
        )

    def sql(self, script: str, dba_password: str | None = None) -> str:
        """Run SQL statements through `isql-vt` as dba (the script on stdin, not in argv)."""
        address = f"127.0.0.1:{self.sql_port}"
        done = subprocess.run(
            [find_binary("isql-vt"), address, "dba", dba_password or self.admin_password],
            input=script + "\nexit;\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def stop(self) -> None:
        stop_process(self.process, timeout=30)


@contextmanager
def running(location: Path, **options) -> Iterator[VirtuosoServer]:
    server = VirtuosoServer(location, **options).start()
    try:
        yield server
    finally:
        server.stop()
