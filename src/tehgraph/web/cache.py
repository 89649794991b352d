"""The web app's one cache: answers that do not depend on the request, kept in a bounded LRU.

The store never changes while it is served, so an answer computed once (counts, the instances of
a class, a facet's values, the search texts, the service description) stays right; the bound
keeps memory flat however many different classes or paths visitors ask for. Keys are checked:
a tuple of short strings, so a key built from a request cannot hold anything large.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from ..errors import ParameterError

T = TypeVar("T")
MAX_KEY_PART = 2000  # characters of one part of a key (an IRI, a property path)
MAX_KEY_PARTS = 8


class AnswerCache:
    """A least-recently-used map of at most `size` answers, safe to share between threads."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("the answer cache needs room for at least one answer")
        self.size = size
        self._answers: OrderedDict[tuple[str, ...], object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], compute: Callable[[], T]) -> T:
        """The answer kept under `key`, else `compute()`'s, kept (the oldest answer makes room)."""
        _check(key)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()  # outside the lock: a slow answer does not hold up the others
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer

    def __len__(self) -> int:
        return len(self._answers)


def _check(key: tuple[str, ...]) -> None:
    if not isinstance(key, tuple) or not 0 < len(key) <= MAX_KEY_PARTS:
        raise ValueError(f"a cache key is a tuple of 1 to {MAX_KEY_PARTS} strings, not {key!r:.80}")
    for part in key:
        if not isinstance(part, str):
            raise ValueError(f"a cache key part is a string, not {part!r:.80}")
        if len(part) > MAX_KEY_PART:  # a name from the request: the reader's to fix (400), never cached
            raise ParameterError(f"a name of {len(part)} characters is too long (at most {MAX_KEY_PART})")
