"""A local HTTP server that records every request it receives: the target of SSRF attempts.

Tests and benchmarks aim SERVICE, FROM and LOAD at it and then look at `hits`: a guard that
holds leaves it empty. Its answers carry a marker (`BODY_MARKER`) so a test can also tell whether
a remote body was echoed back to the client.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BODY_MARKER = "recorder-body-7f3a"
BODY = f'<urn:x:a> <urn:x:b> "{BODY_MARKER}" .\n'.encode()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def _record(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = _record

    def log_message(self, *args) -> None:  # quiet
        pass


@contextmanager
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """A server on a free loopback port; yields its base URL and the list of requests it saw."""
    hits: list[str] = []
    handler = type("Recorder", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()
