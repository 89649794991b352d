"""Kernel-level bars for the processes that run public queries: no network, bounded memory, low priority.

Why the kernel: the policy's textual pre-check gives a clear 403 for SERVICE, but a text is read by
two parsers (ours and the engine's) and a differential between them once let a SERVICE through
(issue 18). A process that cannot open a network connection cannot be talked into one, whatever
the text says. `confine_network` is called once by the single-threaded process that forks the
query workers, so every worker inherits the bar:

1. a new, empty network namespace (`unshare(CLONE_NEWNET)`, with `CLONE_NEWUSER` when not root):
   no interface at all, not even a loopback that is up;
2. if the kernel refuses namespaces, a seccomp filter (libseccomp through pyseccomp) that fails
   `socket()` for every family but AF_UNIX (the pool's own socket pairs) and io_uring;
3. else nothing, and the caller reports "none" (in /health and the log).

`limit_memory` caps a worker's address space (RLIMIT_AS) at its size when forked plus a budget, so
one query can never take the machine: past it the engine's allocation fails and the worker dies,
and the pool replaces it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import socket

NETWORK_NAMESPACE = "network namespace"
SECCOMP = "seccomp (no new sockets but AF_UNIX)"
NONE = "none"
MODES = {"auto": (NETWORK_NAMESPACE, SECCOMP), "netns": (NETWORK_NAMESPACE,), "seccomp": (SECCOMP,)}

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def confine_network(mode: str = "auto") -> str:
    """Bar this process (and every process it forks from now on) from the network; what holds."""
    if mode not in MODES:
        raise ValueError(f"unknown sandbox {mode!r}: one of {', '.join(MODES)}")
    for mechanism in MODES[mode]:
        try:
            (_unshare_network if mechanism == NETWORK_NAMESPACE else _seccomp_sockets)()
        except (OSError, ImportError, AttributeError, RuntimeError):
            continue
        if network_barred():
            return mechanism
    return NONE


def network_barred() -> bool:
    """True when this process cannot reach even its own loopback over TCP."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return True  # seccomp: no socket at all
    with probe:
        probe.settimeout(0.5)
        try:
            probe.connect(("127.0.0.1", 9))
        except ConnectionRefusedError:
            return False  # something answered (an RST): the network is there
        except OSError as error:
            return error.errno in (errno.ENETUNREACH, errno.EADDRNOTAVAIL, errno.EACCES, errno.EPERM)
    return False


def _unshare_network() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    if libc.unshare(flags) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _seccomp_sockets() -> None:
    import pyseccomp

    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    rules.add_rule(pyseccomp.ERRNO(errno.EACCES), "socket", pyseccomp.Arg(0, pyseccomp.NE, socket.AF_UNIX))
    rules.add_rule(pyseccomp.ERRNO(errno.EACCES), "io_uring_setup")
    rules.load()


def limit_memory(budget_mib: int) -> int | None:
    """Cap this process's address space at its current size plus `budget_mib`; the cap in bytes."""
    if budget_mib <= 0:
        return None
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None
    cap = size + budget_mib * 2**20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        return None
    return cap


def lower_priority(increment: int = 10) -> None:
    """Let the server's own threads (pages, static files) have the CPU first."""
    try:
        os.nice(increment)
    except OSError:
        pass
