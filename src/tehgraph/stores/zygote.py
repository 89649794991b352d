"""Single-threaded processes whose only job is to fork: the nursery, the zygote, and their children.

Forking from the threaded web server could copy a lock held by another thread, so the server
forks once, at start, before waitress starts its threads: the **nursery**. The nursery bars
itself from the network (sandbox.py) and forks the **zygote**; the zygote forks the query
**workers**. Every one of them inherits the loaded store copy-on-write and the sandbox. When the
zygote dies the pool asks the nursery for a new one; only if the nursery is gone too is a new
nursery forked from the server (logged). Each forker answers on a Unix socket: `w` forks a child
and passes its socket back (SCM_RIGHTS) with its pid; `p` is a ping.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Callable

from ..errors import TehgraphError

ChildMain = Callable[[socket.socket], None]


class Forker:
    """A single-threaded process that forks a child running `child_main` on request."""

    def __init__(self, pid: int, sock: socket.socket, hello: str):
        self.pid, self.sock, self.hello, self.lock = pid, sock, hello, threading.Lock()

    @classmethod
    def start(cls, child_main: ChildMain, setup: Callable[[], str] = lambda: "") -> Forker:
        """Fork a forker from this process; `setup` runs in it first and its answer is the hello."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            ours.close()
            code = 0
            try:
                serve_forks(theirs, child_main, setup())
            except BaseException:
                code = 1
            os._exit(code)
        theirs.close()
        return cls(pid, ours, _read_hello(ours))

    @classmethod
    def adopt(cls, pid: int, sock: socket.socket) -> Forker:
        """A forker that another forker made (a zygote from the nursery)."""
        return cls(pid, sock, _read_hello(sock))

    def spawn(self) -> tuple[int, socket.socket]:
        """A new child: its pid and a socket to it."""
        with self.lock:
            self.sock.sendall(b"w")
            message, fds, _flags, _addr = socket.recv_fds(self.sock, 8, 1)
        if len(message) != 8 or len(fds) != 1:
            raise TehgraphError("the query worker pool could not start a process")
        return int.from_bytes(message, "big"), socket.socket(fileno=fds[0])

    def alive(self) -> bool:
        try:
            with self.lock:
                self.sock.settimeout(2.0)
                try:
                    self.sock.sendall(b"p")
                    return self.sock.recv(1) == b"k"
                finally:
                    self.sock.settimeout(None)
        except OSError:
            return False

    def close(self) -> None:
        self.sock.close()  # the forker reads end-of-file and exits


def serve_forks(sock: socket.socket, child_main: ChildMain, hello: str) -> None:
    """The forker's loop: say hello, then fork on `w`, answer `p`, exit at end-of-file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps exited children
    data = hello.encode("utf-8")
    sock.sendall(len(data).to_bytes(2, "big") + data)
    while command := sock.recv(1):
        if command == b"p":
            sock.sendall(b"k")
            continue
        mine, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:  # the child
            sock.close()
            mine.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                child_main(child_end)
            finally:
                os._exit(0)
        child_end.close()
        socket.send_fds(sock, [pid.to_bytes(8, "big")], [mine.fileno()])
        mine.close()


def _read_hello(sock: socket.socket) -> str:
    size = int.from_bytes(_exactly(sock, 2), "big")
    return _exactly(sock, size).decode("utf-8") if size else ""


def _exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise TehgraphError("a query pool process exited before it was ready")
        data += chunk
    return data


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # it may have exited already
        pass
    try:
        os.waitpid(pid, 0)  # our own child (the nursery): reap it; others are not ours to wait for
    except ChildProcessError:
        pass
